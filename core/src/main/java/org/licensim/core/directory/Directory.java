package org.licensim.core.directory;

import java.util.Arrays;

/**
 * Users, groups and memberships in both directions. The user -> groups direction is one small
 * sorted {@code int[]} per user (null for none) with a count: about 40 bytes for a user in five
 * groups, with no collection object per user. A join or leave shifts the user's array in place
 * (it grows by half when full), so membership changes allocate nothing in steady state.
 */
public final class Directory {
    private static final int[] NONE = new int[0];
    private final Users users;
    private final Groups groups;
    private int[][] userGroups;
    private int[] userGroupCount;
    private long memberships;

    public Directory(int userCapacity) {
        users = new Users(userCapacity);
        groups = new Groups();
        userGroups = new int[Math.max(16, userCapacity)][];
        userGroupCount = new int[userGroups.length];
    }

    private Directory(Directory o) {
        users = o.users.copy();
        groups = o.groups.copy();
        userGroups = new int[o.userGroups.length][];
        for (int u = 0; u < userGroups.length; u++) {
            userGroups[u] = o.userGroups[u] == null ? null : o.userGroups[u].clone();
        }
        userGroupCount = o.userGroupCount.clone();
        memberships = o.memberships;
    }

    /** A copy that shares nothing mutable with this directory. */
    public Directory copy() {
        return new Directory(this);
    }

    public Users users() {
        return users;
    }

    public Groups groups() {
        return groups;
    }

    /** The groups the user is a direct member of, ascending, as a new array (hot paths use {@link #groupArray}). */
    public int[] groupsOf(int u) {
        int n = groupCount(u);
        return n == 0 ? NONE : Arrays.copyOf(userGroups[u], n);
    }

    /** The user's groups, ascending, in the first {@link #groupCount} slots (a live view: do not modify or keep). */
    public int[] groupArray(int u) {
        int[] gs = u < userGroups.length ? userGroups[u] : null;
        return gs == null ? NONE : gs;
    }

    public int groupCount(int u) {
        return u < userGroupCount.length ? userGroupCount[u] : 0;
    }

    public boolean isMember(int g, int u) {
        int n = groupCount(u);
        return n > 0 && Arrays.binarySearch(userGroups[u], 0, n, g) >= 0;
    }

    private void ensureUser(int u) {
        if (u >= userGroups.length) {
            int cap = Math.max(u + 1, userGroups.length * 3 / 2 + 16);
            userGroups = Arrays.copyOf(userGroups, cap);
            userGroupCount = Arrays.copyOf(userGroupCount, cap);
        }
    }

    /**
     * Adds user {@code u} to group {@code g}; false when already a member. Membership is asked of
     * the user's own short sorted list first: a dynamic group re-evaluated after an attribute
     * change mostly confirms what is (hundreds of rules, a handful of changes), and a search in
     * a few ints is far cheaper than one in the group's bitmap.
     */
    public boolean addMember(int g, int u) {
        if (isMember(g, u)) {
            return false;
        }
        groups.addUserMember(g, u);
        ensureUser(u);
        int n = userGroupCount[u];
        int[] gs = userGroups[u];
        if (gs == null || n == gs.length) {
            gs = Arrays.copyOf(gs == null ? NONE : gs, n + (n >> 1) + 2);
            userGroups[u] = gs;
        }
        int at = -Arrays.binarySearch(gs, 0, n, g) - 1;
        System.arraycopy(gs, at, gs, at + 1, n - at);
        gs[at] = g;
        userGroupCount[u] = n + 1;
        memberships++;
        return true;
    }

    /**
     * Adds the users of {@code perGroup[g]} to each group {@code g} at once, as a snapshot's
     * member lists are read: each list sorted and its repeats dropped, the group's bitmap made in
     * one pass, and every user's sorted group list built once from counts (adding them one by one
     * touched each user's list at random, once per membership). The groups must have no user
     * members yet; null lists are skipped. The result is that of {@link #addMember} for each.
     */
    public void loadMembers(org.eclipse.collections.impl.list.mutable.primitive.IntArrayList[] perGroup) {
        long listed = 0;
        for (var l : perGroup) {
            listed += l == null ? 0 : l.size();
        }
        loadMembers(perGroup, listed >= PARALLEL_LOAD ? 2 : 1);
    }

    /** Memberships from which {@link #loadMembers} works on two threads. */
    static final long PARALLEL_LOAD = 200_000;

    /**
     * {@link #loadMembers} on {@code threads} threads (1 or 2; the calling thread and one more):
     * the groups' lists split between them (each group's list sorted and its bitmap made by
     * one), then the users split in two ranges (each user's group list counted, made and filled
     * by one). The same result as one thread, which {@code DirectoryLoadMembersTest} checks.
     */
    void loadMembers(org.eclipse.collections.impl.list.mutable.primitive.IntArrayList[] perGroup, int threads) {
        int[][] sorted = new int[perGroup.length][];
        long[] added = new long[threads];
        inParallel(threads, k -> {
            for (int g = k; g < perGroup.length; g += threads) {
                if (perGroup[g] == null || perGroup[g].isEmpty()) {
                    continue;
                }
                if (!groups.userMembers(g).isEmpty()) {
                    throw new IllegalStateException("loadMembers: group index " + g + " has members already");
                }
                int[] a = perGroup[g].toSortedArray();
                int n = 0;
                for (int i = 0; i < a.length; i++) {
                    if (i == 0 || a[i] != a[i - 1]) {
                        a[n++] = a[i];
                    }
                }
                sorted[g] = n == a.length ? a : Arrays.copyOf(a, n);
                groups.userMembers(g).addN(sorted[g], 0, n);
                added[k] += n;
            }
        });
        for (long n : added) {
            memberships += n;
        }
        int size = users.size();
        ensureUser(size - 1);
        int[] count = new int[size];
        int mid = threads == 1 ? size : size / 2;
        inParallel(threads, k -> addUserGroups(sorted, count, k == 0 ? 0 : mid, k == 0 ? mid : size));
    }

    /** Users per block of {@link #addUserGroups} at most: their group lists, counts and list references stay in the cache. */
    static final int USER_BLOCK = 1 << 14;
    /** {@link #USER_BLOCK} of this directory's loads (tests make it small). */
    int userBlock = USER_BLOCK;

    /**
     * The group lists of users [lo, hi) from the groups' sorted member lists, block of users by
     * block: each group's list is read on from where the block before stopped, so that a block's
     * counts and lists are written while they are in the cache (one pass over all users per group
     * wrote each membership to a line fetched from memory: at 1M users and 5M memberships that
     * was most of the load's time). Fewer blocks when there are many groups with few members.
     */
    private void addUserGroups(int[][] sorted, int[] count, int lo, int hi) {
        int[] at = new int[sorted.length];
        long listed = 0;
        int lists = 0;
        for (int g = 0; g < sorted.length; g++) {
            int[] a = sorted[g];
            if (a != null) {
                at[g] = from(a, lo);
                listed += a.length;
                lists++;
            }
        }
        // at most one visit of a group per four of its members on average
        long blocks = Math.max(1, Math.min((hi - lo + (long) userBlock - 1) / userBlock, listed / Math.max(1, 4L * lists)));
        int block = (int) Math.max(1, (hi - lo + blocks - 1) / blocks);
        for (int start = lo; start < hi; start += block) {
            int end = (int) Math.min(hi, (long) start + block);
            addBlockGroups(sorted, at, count, start, end);
        }
    }

    /** {@link #addUserGroups} of users [lo, hi), each group's list read from {@code at[g]} on (and {@code at[g]} moved past). */
    private void addBlockGroups(int[][] sorted, int[] at, int[] count, int lo, int hi) {
        int[][] lists = userGroups; // in locals: the read's code is C1's, which loads a field on every use
        int[] had = userGroupCount;
        for (int g = 0; g < sorted.length; g++) {
            int[] a = sorted[g];
            if (a != null) {
                for (int i = at[g], n = a.length; i < n; i++) {
                    int u = a[i];
                    if (u >= hi) {
                        break;
                    }
                    count[u]++;
                }
            }
        }
        boolean hadGroups = false;
        for (int u = lo; u < hi; u++) {
            int c = count[u];
            if (c > 0) {
                int have = had[u];
                hadGroups |= have > 0;
                int[] gs = lists[u];
                lists[u] = gs == null || have == 0 ? new int[c] : Arrays.copyOf(gs, have + c);
            }
        }
        // groups in ascending order: each user's list comes out sorted
        for (int g = 0; g < sorted.length; g++) {
            int[] a = sorted[g];
            if (a != null) {
                int i = at[g];
                for (int n = a.length; i < n; i++) {
                    int u = a[i];
                    if (u >= hi) {
                        break;
                    }
                    lists[u][had[u]++] = g;
                }
                at[g] = i;
            }
        }
        if (hadGroups) { // a user already in other groups: its list is the old one then the new, sorted again
            for (int u = lo; u < hi; u++) {
                if (count[u] > 0 && had[u] > count[u]) {
                    Arrays.sort(lists[u], 0, had[u]);
                }
            }
        }
    }

    /** The first position of sorted {@code a} holding a value >= {@code lo}. */
    private static int from(int[] a, int lo) {
        if (lo == 0) {
            return 0;
        }
        int i = Arrays.binarySearch(a, lo);
        return i >= 0 ? i : -i - 1;
    }

    /** Runs {@code work} for k = 0 .. threads - 1, k = 0 on this thread and the others on threads of their own. */
    private static void inParallel(int threads, java.util.function.IntConsumer work) {
        Thread[] others = new Thread[threads - 1];
        Throwable[] failed = new Throwable[threads];
        for (int k = 1; k < threads; k++) {
            int part = k;
            others[k - 1] = new Thread(() -> {
                try {
                    work.accept(part);
                } catch (Throwable t) {
                    failed[part] = t;
                }
            }, "licensim-load-members-" + k);
            others[k - 1].setDaemon(true);
            others[k - 1].start();
        }
        try {
            work.accept(0);
        } finally {
            boolean interrupted = false;
            for (Thread t : others) {
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        for (Throwable t : failed) {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }

    /** Removes user {@code u} from group {@code g}; false when not a member (asked of the user's list first). */
    public boolean removeMember(int g, int u) {
        if (!isMember(g, u)) {
            return false;
        }
        groups.removeUserMember(g, u);
        int n = userGroupCount[u];
        int[] gs = userGroups[u];
        int at = Arrays.binarySearch(gs, 0, n, g);
        System.arraycopy(gs, at + 1, gs, at, n - at - 1);
        userGroupCount[u] = n - 1;
        memberships--;
        return true;
    }

    /**
     * Sets the user members of every group in {@code managed} at once (for loading many dynamic
     * groups): {@code members[g]} ascending. Each user's group list is rebuilt once, instead of
     * one sorted insert per membership.
     */
    public void replaceMembers(boolean[] managed, int[][] members) {
        org.eclipse.collections.impl.list.mutable.primitive.IntArrayList[] add =
                new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList[users.size()];
        for (int g = 0; g < managed.length; g++) {
            if (!managed[g]) {
                continue;
            }
            var set = groups.userMembers(g);
            memberships -= set.getLongCardinality();
            set.clear();
            for (int u : members[g]) {
                set.add(u);
                if (add[u] == null) {
                    add[u] = new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList();
                }
                add[u].add(g);
            }
            memberships += members[g].length;
        }
        for (int u = 0; u < users.size(); u++) {
            int[] gs = groupArray(u);
            int n = groupCount(u);
            int keep = 0;
            for (int i = 0; i < n; i++) {
                if (gs[i] >= managed.length || !managed[gs[i]]) {
                    keep++;
                }
            }
            int extra = add[u] == null ? 0 : add[u].size();
            if (keep == n && extra == 0) {
                continue;
            }
            int[] out = new int[keep + extra];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (gs[i] >= managed.length || !managed[gs[i]]) {
                    out[k++] = gs[i];
                }
            }
            for (int i = 0; i < extra; i++) {
                out[k++] = add[u].get(i);
            }
            Arrays.sort(out);
            ensureUser(u);
            userGroups[u] = out.length == 0 ? null : out;
            userGroupCount[u] = out.length;
        }
    }

    public boolean addNestedGroup(int g, int member) {
        return groups.addGroupMember(g, member);
    }

    public boolean removeNestedGroup(int g, int member) {
        return groups.removeGroupMember(g, member);
    }

    /** Total user memberships (direct, live). */
    public long membershipCount() {
        return memberships;
    }
}
