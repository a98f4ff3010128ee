package org.licensim.core.directory;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/**
 * Interns the distinct values of one attribute as dense int codes, so that a column stores
 * ints and {@code -eq} compiles to an int comparison. Code -1 stands for null.
 */
public final class Dictionary {
    public static final int NULL = -1;
    private final ObjectIntHashMap<String> codes = new ObjectIntHashMap<>();
    private final List<String> values = new ArrayList<>();
    /** The lower-case form of every value, for case-insensitive rules: folded code per code. */
    private final Dictionary folded;
    private final org.eclipse.collections.impl.list.mutable.primitive.IntArrayList foldOf;

    /** A dictionary that also keeps each value's case-folded code (attribute columns). */
    public Dictionary() {
        this(true);
    }

    private Dictionary(boolean fold) {
        folded = fold ? new Dictionary(false) : null;
        foldOf = fold ? new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList() : null;
    }

    private Dictionary(Dictionary o) {
        codes.putAll(o.codes);
        values.addAll(o.values);
        folded = o.folded == null ? null : new Dictionary(o.folded);
        foldOf = o.foldOf == null ? null : new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList(
                o.foldOf.toArray());
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
            if (folded != null) {
                foldOf.add(folded.intern(fold(value)));
            }
        }
        return code;
    }

    /** The code of {@code value}, or {@link #NULL} when it was never interned. */
    public int find(String value) {
        return value == null ? NULL : codes.getIfAbsent(value, NULL);
    }

    public String value(int code) {
        return code == NULL ? null : values.get(code);
    }

    public int size() {
        return values.size();
    }

    /** The code of {@code code}'s value case-folded, in {@link #foldedValues()}; NULL stays NULL. */
    public int foldedCode(int code) {
        return code == NULL ? NULL : foldOf.get(code);
    }

    /** The case-folded values; a rule interns its constants here, so values added later fold to the same codes. */
    public Dictionary foldedValues() {
        return folded;
    }

    public static String fold(String value) {
        return value.toLowerCase(java.util.Locale.ROOT);
    }
}
