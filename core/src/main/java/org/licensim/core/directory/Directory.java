package org.licensim.core.directory;

import java.util.Arrays;

/**
 * Users, groups and memberships in both directions. The user -> groups direction is one small
 * sorted {@code int[]} per user (null for none): about 40 bytes for a user in five groups,
 * with no collection object per user.
 */
public final class Directory {
    private static final int[] NONE = new int[0];
    private final Users users;
    private final Groups groups = new Groups();
    private int[][] userGroups;
    private long memberships;

    public Directory(int userCapacity) {
        users = new Users(userCapacity);
        userGroups = new int[Math.max(16, userCapacity)][];
    }

    public Users users() {
        return users;
    }

    public Groups groups() {
        return groups;
    }

    /** The groups the user is a direct member of, ascending (do not modify). */
    public int[] groupsOf(int u) {
        int[] gs = u < userGroups.length ? userGroups[u] : null;
        return gs == null ? NONE : gs;
    }

    public boolean isMember(int g, int u) {
        return Arrays.binarySearch(groupsOf(u), g) >= 0;
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
        if (u >= userGroups.length) {
            userGroups = Arrays.copyOf(userGroups, Math.max(u + 1, userGroups.length * 3 / 2 + 16));
        }
        int[] gs = groupsOf(u);
        int at = -Arrays.binarySearch(gs, g) - 1;
        int[] out = new int[gs.length + 1];
        System.arraycopy(gs, 0, out, 0, at);
        out[at] = g;
        System.arraycopy(gs, at, out, at + 1, gs.length - at);
        userGroups[u] = out;
        memberships++;
        return true;
    }

    /** Removes user {@code u} from group {@code g}; false when not a member (asked of the user's list first). */
    public boolean removeMember(int g, int u) {
        if (!isMember(g, u)) {
            return false;
        }
        groups.removeUserMember(g, u);
        int[] gs = groupsOf(u);
        int at = Arrays.binarySearch(gs, g);
        int[] out = new int[gs.length - 1];
        System.arraycopy(gs, 0, out, 0, at);
        System.arraycopy(gs, at + 1, out, at, gs.length - at - 1);
        userGroups[u] = out.length == 0 ? null : out;
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
            int[] gs = groupsOf(u);
            int keep = 0;
            for (int g : gs) {
                if (g >= managed.length || !managed[g]) {
                    keep++;
                }
            }
            int extra = add[u] == null ? 0 : add[u].size();
            if (keep == gs.length && extra == 0) {
                continue;
            }
            int[] out = new int[keep + extra];
            int k = 0;
            for (int g : gs) {
                if (g >= managed.length || !managed[g]) {
                    out[k++] = g;
                }
            }
            for (int i = 0; i < extra; i++) {
                out[k++] = add[u].get(i);
            }
            Arrays.sort(out);
            if (u >= userGroups.length) {
                userGroups = Arrays.copyOf(userGroups, Math.max(u + 1, userGroups.length * 3 / 2 + 16));
            }
            userGroups[u] = out.length == 0 ? null : out;
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
