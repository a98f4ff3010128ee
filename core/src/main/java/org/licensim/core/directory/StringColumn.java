package org.licensim.core.directory;

import java.util.Arrays;

/**
 * A single-valued string attribute of every user: one int code per user, values in a
 * {@link Dictionary}, so that a rule compares ints.
 *
 * <p>A column of values that are one per user ({@link UserSchema#UNIQUE_VALUED}: UPN, mail,
 * display name, phone numbers) starts by keeping the strings themselves: a dictionary of them
 * would hold every value once anyway, and interning them was a quarter of a simulated hire's
 * time (a hash of each new string, a probe of a table larger than the cache). Its dictionary is
 * made the first time something asks for codes, by interning the values in user order (the
 * codes eager interning would have given), and kept from then on. Rules are what ask, and few
 * tenants have a rule on a user's mail.
 *
 * <p>Threads: one thread writes (the engine's), several may read at once (reconcile workers,
 * rule evaluation); the switch to codes is made under a lock and published through the two
 * volatile fields, codes first.
 */
public final class StringColumn {
    private final String name;
    /** The values per user until the column is encoded; null from then on. */
    private volatile String[] values;
    /** The codes per user once encoded; null before. */
    private volatile int[] codes;
    private Dictionary dictionary;

    StringColumn(String name, int capacity) {
        this.name = name;
        int cap = Math.max(16, capacity);
        if (UserSchema.UNIQUE_VALUED.contains(name)) {
            values = new String[cap];
        } else {
            dictionary = new Dictionary();
            int[] c = new int[cap];
            Arrays.fill(c, Dictionary.NULL);
            codes = c;
        }
    }

    private StringColumn(StringColumn o) {
        this.name = o.name;
        synchronized (o) {
            String[] v = o.values;
            if (v != null) {
                values = v.clone();
            } else {
                dictionary = o.dictionary.copy();
                codes = o.codes.clone();
            }
        }
    }

    /** A copy that shares nothing mutable with this column. */
    StringColumn copy() {
        return new StringColumn(this);
    }

    public String name() {
        return name;
    }

    /** The column's dictionary (encoding the column first if it still keeps strings). */
    public Dictionary dictionary() {
        encoded();
        return dictionary;
    }

    /** Whether the column holds codes (always, except a {@link UserSchema#UNIQUE_VALUED} one nothing has asked codes of). */
    public boolean isEncoded() {
        return codes != null;
    }

    public int code(int user) {
        int[] c = encoded();
        return user < c.length ? c[user] : Dictionary.NULL;
    }

    public String get(int user) {
        String[] v = values;
        if (v != null) {
            return user < v.length ? v[user] : null;
        }
        int[] c = codes;
        return user < c.length ? dictionary.value(c[user]) : null;
    }

    void set(int user, String value) {
        String[] v = values;
        if (v != null) {
            if (user >= v.length) {
                v = Arrays.copyOf(v, Math.max(user + 1, v.length * 3 / 2 + 16));
                values = v;
            }
            v[user] = value;
            return;
        }
        int[] c = codes;
        if (user >= c.length) {
            int old = c.length;
            c = Arrays.copyOf(c, Math.max(user + 1, old * 3 / 2 + 16));
            Arrays.fill(c, old, c.length, Dictionary.NULL);
            codes = c;
        }
        c[user] = dictionary.intern(value);
    }

    /**
     * Room for users [0, {@code users}) at once when one of the first {@code sofar} users has a
     * value ({@link Users#expect}); a column nobody has a value in stays small.
     */
    void expect(int users, int sofar) {
        String[] v = values;
        if (v != null) {
            if (users > v.length) {
                for (int u = 0, n = Math.min(sofar, v.length); u < n; u++) {
                    if (v[u] != null) {
                        values = Arrays.copyOf(v, users);
                        return;
                    }
                }
            }
            return;
        }
        int[] c = codes;
        if (users > c.length && dictionary.size() > 0) {
            int old = c.length;
            c = Arrays.copyOf(c, users);
            Arrays.fill(c, old, users, Dictionary.NULL);
            codes = c;
        }
    }

    /** The codes, made from the kept values on first use. */
    private int[] encoded() {
        int[] c = codes;
        return c != null ? c : encode();
    }

    private synchronized int[] encode() {
        int[] c = codes;
        if (c == null) {
            String[] v = values;
            Dictionary d = new Dictionary();
            c = new int[v.length];
            for (int u = 0; u < v.length; u++) {
                c[u] = d.intern(v[u]);
            }
            dictionary = d;
            codes = c; // published before the values go: a reader that finds no values finds codes
            values = null;
        }
        return c;
    }
}
