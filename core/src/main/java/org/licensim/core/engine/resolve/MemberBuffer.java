package org.licensim.core.engine.resolve;

import java.util.Arrays;

import org.licensim.core.directory.Groups;

/**
 * A reusable list of users with an R11 key each: a group's members in user order, or the
 * members a group-wide operation picked, sorted by the keys of their demands.
 */
public final class MemberBuffer {
    private int[] members = new int[1024];
    private long[] keys = new long[1024];

    /** Copies group {@code g}'s user members, ascending (SPEC R11 user order); returns how many. */
    public int load(Groups groups, int g) {
        return load(groups.userMembers(g));
    }

    /** Copies the users of {@code set}, ascending; returns how many. */
    public int load(org.roaringbitmap.RoaringBitmap set) {
        int n = set.getCardinality();
        if (n > members.length) {
            members = Arrays.copyOf(members, Math.max(n, members.length * 2));
        }
        var it = set.getIntIterator();
        for (int i = 0; i < n; i++) {
            members[i] = it.next();
        }
        return n;
    }

    public int user(int i) {
        return members[i];
    }

    public long key(int i) {
        return keys[i];
    }

    /** Sets position {@code i} (at most the current size; positions before it are kept). */
    public void set(int i, int user, long key) {
        if (i >= members.length) {
            members = Arrays.copyOf(members, Math.max(i + 1, members.length * 2));
        }
        if (i >= keys.length) {
            keys = Arrays.copyOf(keys, Math.max(i + 1, keys.length * 2));
        }
        members[i] = user;
        keys[i] = key;
    }

    /** Sorts positions [0, n) by key, users moving with their keys. */
    public void sortByKey(int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long[] k = keys;
        Arrays.sort(order, (a, b) -> Long.compare(k[a], k[b]));
        long[] ks = new long[n];
        int[] us = new int[n];
        for (int i = 0; i < n; i++) {
            ks[i] = keys[order[i]];
            us[i] = members[order[i]];
        }
        System.arraycopy(ks, 0, keys, 0, n);
        System.arraycopy(us, 0, members, 0, n);
    }
}
