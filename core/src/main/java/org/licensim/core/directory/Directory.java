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
    private final Groups groups = new Groups();
    private int[][] userGroups;
    private int[] userGroupCount;
    private long memberships;

    public Directory(int userCapacity) {
        users = new Users(userCapacity);
        userGroups = new int[Math.max(16, userCapacity)][];
        userGroupCount = new int[userGroups.length];
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
