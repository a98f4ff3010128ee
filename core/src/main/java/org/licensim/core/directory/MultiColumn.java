package org.licensim.core.directory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * A multi-valued string attribute ({@code proxyAddresses}, {@code otherMails}): per user a
 * start and a length into one shared value array of dictionary codes. A change appends the
 * new values and repoints the user; {@link #compact()} drops what changes left behind.
 */
public final class MultiColumn {
    private final String name;
    private final Dictionary dictionary;
    private int[] start;
    private int[] length;
    private IntArrayList values = new IntArrayList();

    MultiColumn(String name, int capacity) {
        this.name = name;
        this.dictionary = new Dictionary();
        this.start = new int[Math.max(16, capacity)];
        this.length = new int[start.length];
    }

    private MultiColumn(MultiColumn o) {
        this.name = o.name;
        this.dictionary = o.dictionary.copy();
        this.start = o.start.clone();
        this.length = o.length.clone();
        this.values = new IntArrayList(o.values.toArray());
    }

    /** A copy that shares nothing mutable with this column. */
    MultiColumn copy() {
        return new MultiColumn(this);
    }

    public String name() {
        return name;
    }

    public Dictionary dictionary() {
        return dictionary;
    }

    public int count(int user) {
        return user < length.length ? length[user] : 0;
    }

    public int code(int user, int i) {
        return values.get(start[user] + i);
    }

    public List<String> get(int user) {
        int n = count(user);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(dictionary.value(code(user, i)));
        }
        return out;
    }

    void set(int user, List<String> vals) {
        if (user >= start.length) {
            int cap = Math.max(user + 1, start.length * 3 / 2 + 16);
            start = Arrays.copyOf(start, cap);
            length = Arrays.copyOf(length, cap);
        }
        start[user] = values.size();
        length[user] = vals == null ? 0 : vals.size();
        if (vals != null) {
            for (String v : vals) {
                values.add(dictionary.intern(v));
            }
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
        long live = 0;
        for (int u = 0; u < start.length; u++) {
            live += length[u];
        }
        if (live * 2 < values.size()) {
            compact(start.length);
        }
    }
}
