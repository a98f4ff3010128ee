package org.licensim.core.directory;

import java.util.Arrays;

import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.roaringbitmap.RoaringBitmap;

/**
 * Every group of a tenant: dense index -> id, display name, whether it is a security group,
 * its dynamic membership rule (null for an assigned group) and whether that rule is paused,
 * and its direct members (users, and nested groups which inherit nothing: SPEC R2).
 * User members are a compressed bitmap per group: iterated in user order (SPEC R11) without
 * sorting, compact for groups of millions, and free of the rehash pauses a hash set has when
 * members come and go.
 */
public final class Groups {
    private final IdIndex byId;
    private String[] ids = new String[16];
    private String[] displayNames = new String[16];
    private String[] rules = new String[16];
    private byte[] flags = new byte[16];
    private RoaringBitmap[] userMembers = new RoaringBitmap[16];
    private IntHashSet[] groupMembers = new IntHashSet[16];
    private int size;

    private static final byte SECURITY = 1;
    private static final byte PAUSED = 2;
    private static final byte DELETED = 4;

    public Groups() {
        byId = new IdIndex(16);
    }

    private Groups(Groups o) {
        byId = o.byId.copy();
        ids = o.ids.clone();
        displayNames = o.displayNames.clone();
        rules = o.rules.clone();
        flags = o.flags.clone();
        userMembers = new RoaringBitmap[o.userMembers.length];
        groupMembers = new IntHashSet[o.groupMembers.length];
        for (int g = 0; g < o.size; g++) {
            userMembers[g] = o.userMembers[g] == null ? null : o.userMembers[g].clone();
            groupMembers[g] = o.groupMembers[g] == null ? null : new IntHashSet(o.groupMembers[g]);
        }
        size = o.size;
    }

    /** A copy that shares nothing mutable with these groups. */
    Groups copy() {
        return new Groups(this);
    }

    public int add(String id, String displayName, boolean securityEnabled, String membershipRule, boolean paused) {
        int g = size++;
        if (g == ids.length) {
            int cap = ids.length * 2;
            ids = Arrays.copyOf(ids, cap);
            displayNames = Arrays.copyOf(displayNames, cap);
            rules = Arrays.copyOf(rules, cap);
            flags = Arrays.copyOf(flags, cap);
            userMembers = Arrays.copyOf(userMembers, cap);
            groupMembers = Arrays.copyOf(groupMembers, cap);
        }
        ids[g] = id;
        displayNames[g] = displayName;
        rules[g] = membershipRule;
        flags[g] = (byte) ((securityEnabled ? SECURITY : 0) | (paused ? PAUSED : 0));
        userMembers[g] = new RoaringBitmap();
        groupMembers[g] = new IntHashSet();
        byId.put(id, g);
        return g;
    }

    /** Dense index of a live group, or -1. */
    public int indexOf(String id) {
        int g = byId.get(id, -1);
        return g >= 0 && !isDeleted(g) ? g : -1;
    }

    /**
     * The live group {@code ref} names: its id, or else its display name (ignoring case) when
     * exactly one live group has it. An unknown or ambiguous name is refused, naming the value
     * (and the ids to choose from).
     */
    public int resolve(String ref) {
        int g = indexOf(ref);
        if (g >= 0) {
            return g;
        }
        java.util.List<String> named = new java.util.ArrayList<>();
        int first = -1;
        for (int i = 0; i < size; i++) {
            if (!isDeleted(i) && displayNames[i] != null && displayNames[i].equalsIgnoreCase(ref)) {
                named.add(ids[i]);
                first = first < 0 ? i : first;
            }
        }
        if (named.size() == 1) {
            return first;
        }
        if (named.isEmpty()) {
            throw new org.licensim.core.LicensimException("unknown group \"" + ref + "\": no group has that id or "
                    + "display name");
        }
        throw new org.licensim.core.LicensimException("group name \"" + ref + "\" is ambiguous: " + named.size()
                + " groups have it (" + String.join(", ", named.subList(0, Math.min(5, named.size())))
                + (named.size() > 5 ? ", ..." : "") + "); give the group's id");
    }

    public boolean everExisted(String id) {
        return byId.contains(id);
    }

    public int size() {
        return size;
    }

    public String id(int g) {
        return ids[g];
    }

    public String displayName(int g) {
        return displayNames[g];
    }

    /**
     * The group as people read it: its display name, or its id when it has none. Looked up only
     * when a message is phrased (display names need not be unique; the message's event or row
     * carries the id).
     */
    public String nameOf(int g) {
        String d = displayNames[g];
        return d == null || d.isBlank() ? ids[g] : d;
    }

    public boolean securityEnabled(int g) {
        return (flags[g] & SECURITY) != 0;
    }

    public String membershipRule(int g) {
        return rules[g];
    }

    public boolean isDynamic(int g) {
        return rules[g] != null;
    }

    public boolean rulePaused(int g) {
        return (flags[g] & PAUSED) != 0;
    }

    public void setRule(int g, String rule, boolean paused) {
        rules[g] = rule;
        flags[g] = (byte) (paused ? flags[g] | PAUSED : flags[g] & ~PAUSED);
    }

    public boolean isDeleted(int g) {
        return (flags[g] & DELETED) != 0;
    }

    public void delete(int g) {
        flags[g] |= DELETED;
        userMembers[g] = new RoaringBitmap();
        groupMembers[g] = new IntHashSet();
    }

    /** The group's direct user members, ascending (live view; do not modify). */
    public RoaringBitmap userMembers(int g) {
        return userMembers[g];
    }

    /** The group's direct nested-group members (live view; do not modify). */
    public IntHashSet groupMembers(int g) {
        return groupMembers[g];
    }

    boolean addUserMember(int g, int u) {
        return userMembers[g].checkedAdd(u);
    }

    boolean removeUserMember(int g, int u) {
        return userMembers[g].checkedRemove(u);
    }

    boolean addGroupMember(int g, int member) {
        return groupMembers[g].add(member);
    }

    boolean removeGroupMember(int g, int member) {
        return groupMembers[g].remove(member);
    }
}
