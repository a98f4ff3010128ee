package org.licensim.core.directory;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * Interns the distinct values of one attribute as dense int codes, so that a column stores
 * ints and {@code -eq} compiles to an int comparison. Code -1 stands for null.
 *
 * <p>An attribute column's dictionary also gives each value's case-folded code, for rules
 * (which compare case-insensitively). The folded dictionary is made the first time it is asked
 * for, by folding the values in code order, and kept up to date from then on: the codes are the
 * ones eager folding would have given, and the columns no rule reads (names, mail, ids: most of
 * the values of a tenant) never pay for a second table.
 */
public final class Dictionary {
    public static final int NULL = -1;
    /** Value to code: the id index's table, which compares a stored hash before the string (see {@link IdIndex}). */
    private final IdIndex codes;
    private final ArrayList<String> values = new ArrayList<>();
    /** Whether this dictionary gives folded codes (an attribute column's; not a folded one's own). */
    private final boolean folds;
    /** The lower-case form of every value, and the folded code per code; null until first asked for. */
    private volatile Dictionary folded;
    private IntArrayList foldOf;

    /** A dictionary that also gives each value's case-folded code (attribute columns). */
    public Dictionary() {
        this(true);
    }

    private Dictionary(boolean fold) {
        folds = fold;
        codes = new IdIndex(16);
    }

    private Dictionary(Dictionary o) {
        codes = o.codes.copy();
        values.addAll(o.values);
        folds = o.folds;
        Dictionary f = o.folded;
        if (f != null) {
            foldOf = new IntArrayList(o.foldOf.toArray());
            folded = new Dictionary(f);
        }
    }

    /** A copy that shares nothing mutable with this dictionary (values are strings, shared). */
    Dictionary copy() {
        return new Dictionary(this);
    }

    /** The code of {@code value}, adding it when new; null maps to {@link #NULL}. */
    public int intern(String value) {
        if (value == null) {
            return NULL;
        }
        // one probe of the table whether the value is new or not (most values of an id-like column are new)
        int next = values.size();
        int code = codes.getIfAbsentPut(value, next);
        if (code == next) {
            values.add(value);
            Dictionary f = folded;
            if (f != null) {
                foldOf.add(f.intern(fold(value)));
            }
        }
        return code;
    }

    /**
     * Room for {@code n} values in all, made at once (a count that knows how many values come; a
     * simulation's day 0 that knows how many users it hires).
     */
    void reserve(int n) {
        codes.reserve(n);
        values.ensureCapacity(n);
    }

    /** The code of {@code value}, or {@link #NULL} when it was never interned. */
    public int find(String value) {
        return value == null ? NULL : codes.get(value, NULL);
    }

    public String value(int code) {
        return code == NULL ? null : values.get(code);
    }

    public int size() {
        return values.size();
    }

    /** The code of {@code code}'s value case-folded, in {@link #foldedValues()}; NULL stays NULL. */
    public int foldedCode(int code) {
        if (code == NULL) {
            return NULL;
        }
        foldedValues();
        return foldOf.get(code);
    }

    /**
     * The case-folded values (null for a folded dictionary itself); a rule interns its constants
     * here, so values added later fold to the same codes.
     */
    public Dictionary foldedValues() {
        Dictionary f = folded;
        if (f == null && folds) {
            synchronized (this) { // reconcile workers may ask at once; values are not added meanwhile
                f = folded;
                if (f == null) {
                    f = new Dictionary(false);
                    IntArrayList of = new IntArrayList(Math.max(16, values.size()));
                    for (String v : values) {
                        of.add(f.intern(fold(v)));
                    }
                    foldOf = of;
                    folded = f; // published last: a reader that sees it sees foldOf
                }
            }
        }
        return f;
    }

    public static String fold(String value) {
        return value.toLowerCase(java.util.Locale.ROOT);
    }
}
