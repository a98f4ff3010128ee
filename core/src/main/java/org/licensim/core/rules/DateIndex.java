package org.licensim.core.rules;

import java.util.Arrays;

import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.licensim.core.directory.Dictionary;
import org.licensim.core.directory.StringColumn;

/**
 * Users by the date in one date column (section 4, time-driven rules): what a clock step asks is
 * "whose date lies in this window", for every rule and offset reading the column, so one index
 * per column serves them all. Entries are packed {@code (seconds + BIAS) << 24 | user}: a sorted
 * array built once (8 bytes a user, no boxing), and a small sorted list of the entries added since
 * (a user created, a date changed), merged into the array when it grows past an eighth of it. An
 * old date's entry stays when the date changes: visiting a user again decides nothing new.
 */
final class DateIndex {
    private static final long BIAS = 1L << 38;
    private static final int USER_BITS = 24;
    private static final long USER_MASK = (1L << USER_BITS) - 1;

    private final StringColumn column;
    private final CompiledRule.DateMemo memo;
    private long[] base;
    private final LongArrayList added = new LongArrayList();

    /** Indexes {@code users} users of {@code column} (deleted ones too: a clock step skips them). */
    DateIndex(StringColumn column, int users) {
        this.column = column;
        this.memo = new CompiledRule.DateMemo(column.dictionary());
        long[] packed = new long[users];
        int n = 0;
        for (int u = 0; u < users; u++) {
            long s = seconds(u);
            if (s != CompiledRule.DateMemo.NOT_A_DATE) {
                packed[n++] = pack(s, u);
            }
        }
        base = Arrays.copyOf(packed, n);
        Arrays.sort(base);
    }

    StringColumn column() {
        return column;
    }

    private long seconds(int u) {
        int code = column.code(u);
        return code == Dictionary.NULL ? CompiledRule.DateMemo.NOT_A_DATE : memo.seconds(code);
    }

    private static long pack(long seconds, int user) {
        return ((seconds + BIAS) << USER_BITS) | user;
    }

    /** User {@code u}'s date is new or changed: it is found under its date from now on. */
    void add(int u) {
        long s = seconds(u);
        if (s == CompiledRule.DateMemo.NOT_A_DATE) {
            return;
        }
        long p = pack(s, u);
        int at = added.binarySearch(p);
        if (at < 0) {
            added.addAtIndex(-at - 1, p);
        }
        if (added.size() > 1024 && added.size() > base.length / 8) {
            long[] merged = Arrays.copyOf(base, base.length + added.size());
            System.arraycopy(added.toArray(), 0, merged, base.length, added.size());
            Arrays.sort(merged);
            base = merged;
            added.clear();
        }
    }

    /** Adds to {@code out} every user whose date lies in [{@code from}, {@code to}] (epoch seconds). */
    void usersBetween(long from, long to, IntHashSet out) {
        long lo = pack(from, 0);
        long hi = pack(to, (int) USER_MASK);
        for (int i = lowerBound(base, base.length, lo); i < base.length && base[i] <= hi; i++) {
            out.add((int) (base[i] & USER_MASK));
        }
        for (int i = lowerBound(added, lo); i < added.size() && added.get(i) <= hi; i++) {
            out.add((int) (added.get(i) & USER_MASK));
        }
    }

    private static int lowerBound(long[] a, int n, long key) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int lowerBound(LongArrayList a, long key) {
        int lo = 0;
        int hi = a.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a.get(mid) < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
