package org.licensim.core.directory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * A multi-valued string attribute ({@code proxyAddresses}, {@code otherMails}): per user a
 * start and a length into one shared value array of dictionary codes. A change appends the
 * new values and repoints the user; {@link #compact()} drops what changes left behind.
 *
 * <p>A column of values that are one per user (proxy addresses, other mails: {@link
 * UserSchema#MULTI_PROPERTIES}) starts by keeping each user's strings as they came, as {@link
 * StringColumn} does for its unique-valued columns: a dictionary of them would hold every value
 * once anyway, and interning them was a tenth of reading a snapshot (a probe of a table of a
 * million addresses per address). The dictionary and codes are made the first time something
 * asks for codes (a rule on the property), interning the values in user order, and kept from
 * then on.
 *
 * <p>Threads: one thread writes, several may read at once; the switch to codes is made under a
 * lock and published through the volatile {@code lists}, set to null once the codes are there.
 */
public final class MultiColumn {
    private final String name;
    /**
     * The values until the column is encoded, laid out as the codes are (a start and a length per
     * user into one array, no array per user); null from then on.
     */
    private volatile Strings lists;
    private Dictionary dictionary;
    private int[] start;
    private int[] length;
    private IntArrayList values = new IntArrayList();

    MultiColumn(String name, int capacity) {
        this(name, capacity, false);
    }

    /** A column; {@code keepStrings}: keep the values as strings until codes are asked for. */
    MultiColumn(String name, int capacity, boolean keepStrings) {
        this.name = name;
        if (keepStrings) {
            lists = new Strings(Math.max(16, capacity));
        } else {
            this.dictionary = new Dictionary();
            this.start = new int[Math.max(16, capacity)];
            this.length = new int[start.length];
        }
    }

    private MultiColumn(MultiColumn o) {
        this.name = o.name;
        synchronized (o) {
            Strings l = o.lists;
            if (l != null) {
                lists = l.copy();
            } else {
                this.dictionary = o.dictionary.copy();
                this.start = o.start.clone();
                this.length = o.length.clone();
                this.values = new IntArrayList(o.values.toArray());
            }
        }
    }

    /** A copy that shares nothing mutable with this column. */
    MultiColumn copy() {
        return new MultiColumn(this);
    }

    public String name() {
        return name;
    }

    /** The column's dictionary (encoding the column first if it still keeps strings). */
    public Dictionary dictionary() {
        encoded();
        return dictionary;
    }

    public int count(int user) {
        Strings l = lists;
        if (l != null) {
            return user < l.length.length ? l.length[user] : 0;
        }
        return user < length.length ? length[user] : 0;
    }

    /** The dictionary code of the user's {@code i}-th value (encoding the column first if needed). */
    public int code(int user, int i) {
        encoded();
        return values.get(start[user] + i);
    }

    /** The user's {@code i}-th value (0 <= i < {@link #count}). */
    public String value(int user, int i) {
        Strings l = lists;
        if (l != null) {
            return l.values[l.start[user] + i];
        }
        return dictionary.value(values.get(start[user] + i));
    }

    public List<String> get(int user) {
        int n = count(user);
        Strings l = lists;
        if (l != null) {
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(l.values[l.start[user] + i]);
            }
            return out;
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(dictionary.value(values.get(start[user] + i)));
        }
        return out;
    }

    void set(int user, List<String> vals) {
        Strings l = lists;
        if (l != null) {
            l.set(user, vals);
            return;
        }
        place(user, vals == null ? 0 : vals.size());
        if (vals != null) {
            for (String v : vals) {
                values.add(dictionary.intern(v));
            }
        }
    }

    /** {@link #set(int, List)} to {@code vals[from, from + n)}. */
    void set(int user, String[] vals, int from, int n) {
        Strings l = lists;
        if (l != null) {
            l.set(user, vals, from, n);
            return;
        }
        place(user, n);
        for (int i = 0; i < n; i++) {
            values.add(dictionary.intern(vals[from + i]));
        }
    }

    /** The user's {@code n} values start at the end of {@link #values}; the arrays grown to hold the user. */
    private void place(int user, int n) {
        if (user >= start.length) {
            int cap = Math.max(user + 1, start.length * 3 / 2 + 16);
            start = Arrays.copyOf(start, cap);
            length = Arrays.copyOf(length, cap);
        }
        start[user] = values.size();
        length[user] = n;
    }

    /** How many values the column holds, a user's replaced ones included (an upper bound of its distinct values). */
    int valueCount() {
        Strings l = lists;
        return l != null ? l.used : values.size();
    }

    /**
     * Room for users [0, {@code users}) and {@code n} more values, made at once in an encoded
     * column, for a writer that knows how many come ({@link #setCodes} of every user in turn).
     */
    void reserve(int users, int n) {
        encoded();
        if (users > start.length) {
            start = Arrays.copyOf(start, users);
            length = Arrays.copyOf(length, users);
        }
        values.ensureCapacity(values.size() + n);
    }

    /**
     * Room for users [0, {@code users}) at once, and for as many values per user as the first
     * {@code sofar} users have, when they have any ({@link Users#expect}).
     */
    void expect(int users, int sofar) {
        Strings l = lists;
        if (l != null) {
            if (l.used > 0 && users > l.start.length) {
                l.start = Arrays.copyOf(l.start, users);
                l.length = Arrays.copyOf(l.length, users);
                long more = (long) l.used * users / Math.max(1, sofar) + 16;
                if (more > l.values.length && more < Integer.MAX_VALUE - 16) {
                    l.values = Arrays.copyOf(l.values, (int) more);
                }
            }
            return;
        }
        if (values.size() > 0 && users > start.length) {
            start = Arrays.copyOf(start, users);
            length = Arrays.copyOf(length, users);
        }
    }

    /** Sets the user's values as codes of {@link #dictionary()} (an encoded column's). */
    void setCodes(int user, int[] codes, int n) {
        encoded();
        if (user >= start.length) {
            int cap = Math.max(user + 1, start.length * 3 / 2 + 16);
            start = Arrays.copyOf(start, cap);
            length = Arrays.copyOf(length, cap);
        }
        start[user] = values.size();
        length[user] = n;
        for (int i = 0; i < n; i++) {
            values.add(codes[i]);
        }
    }

    private void encoded() {
        if (lists != null) {
            encode();
        }
    }

    private synchronized void encode() {
        Strings l = lists;
        if (l == null) {
            return;
        }
        Dictionary d = new Dictionary();
        int users = l.length.length;
        int[] s = new int[users];
        int[] n = new int[users];
        IntArrayList v = new IntArrayList();
        for (int u = 0; u < users; u++) {
            s[u] = v.size();
            n[u] = l.length[u];
            for (int i = 0; i < n[u]; i++) {
                v.add(d.intern(l.values[l.start[u] + i]));
            }
        }
        dictionary = d;
        start = s;
        length = n;
        values = v;
        lists = null; // published last: a reader that finds no lists finds the codes
    }

    /** The values of a column not encoded yet: a user's values are {@code values[start[u], start[u] + length[u])}. */
    private static final class Strings {
        String[] values;
        int[] start;
        int[] length;
        int used;

        Strings(int users) {
            values = new String[users];
            start = new int[users];
            length = new int[users];
        }

        Strings copy() {
            Strings c = new Strings(0);
            c.values = values.clone();
            c.start = start.clone();
            c.length = length.clone();
            c.used = used;
            return c;
        }

        /** Appends the user's new values and points the user at them; what it had becomes garbage until {@link #compact}. */
        void set(int user, List<String> vals) {
            if (user >= start.length) {
                int cap = Math.max(user + 1, start.length * 3 / 2 + 16);
                start = Arrays.copyOf(start, cap);
                length = Arrays.copyOf(length, cap);
            }
            int n = vals == null ? 0 : vals.size();
            if (used + n > values.length) {
                values = Arrays.copyOf(values, Math.max(used + n, values.length * 3 / 2 + 16));
            }
            start[user] = used;
            length[user] = n;
            for (int i = 0; i < n; i++) {
                values[used++] = vals.get(i);
            }
        }

        /** {@link #set(int, List)} to {@code vals[from, from + n)}. */
        void set(int user, String[] vals, int from, int n) {
            if (user >= start.length) {
                int cap = Math.max(user + 1, start.length * 3 / 2 + 16);
                start = Arrays.copyOf(start, cap);
                length = Arrays.copyOf(length, cap);
            }
            if (used + n > values.length) {
                values = Arrays.copyOf(values, Math.max(used + n, values.length * 3 / 2 + 16));
            }
            start[user] = used;
            length[user] = n;
            System.arraycopy(vals, from, values, used, n);
            used += n;
        }

        /** Rewrites the values without those no user points to any more, when they are at least half. */
        void compact() {
            long live = 0;
            for (int n : length) {
                live += n;
            }
            if (live * 2 >= used) {
                return;
            }
            String[] fresh = new String[(int) live + 16];
            int at = 0;
            for (int u = 0; u < start.length; u++) {
                System.arraycopy(values, start[u], fresh, at, length[u]);
                start[u] = at;
                at += length[u];
            }
            values = fresh;
            used = at;
        }
    }

    /** Rewrites the value array without the values no user points to any more. */
    void compact(int users) {
        IntArrayList fresh = new IntArrayList(values.size());
        for (int u = 0; u < users && u < start.length; u++) {
            int s = start[u];
            start[u] = fresh.size();
            for (int i = 0; i < length[u]; i++) {
                fresh.add(values.get(s + i));
            }
        }
        values = fresh;
    }

    /** Compacts when at least half of the value array is garbage. */
    public void compact() {
        Strings l = lists;
        if (l != null) {
            l.compact();
            return;
        }
        long live = 0;
        for (int u = 0; u < start.length; u++) {
            live += length[u];
        }
        if (live * 2 < values.size()) {
            compact(start.length);
        }
    }
}
