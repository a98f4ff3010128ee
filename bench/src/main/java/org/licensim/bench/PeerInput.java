package org.licensim.bench;

import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.PlanMasks;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.state.StateStore;
import org.roaringbitmap.RoaringBitmap;

/**
 * A loaded tenant as flat arrays, the common input the peers build their own structures from:
 * licensed groups with their members and their (single) licence, direct assignments, seats.
 * Also the canonical form of a result, {@link #fingerprint}, that every resolver must match.
 */
public final class PeerInput {
    public final int users;
    public final int products;
    /** Per licensed group (in R11 order, i.e. group index order): index, members, product, enabled mask. */
    public final int[] groupIndex;
    public final int[][] groupMembers;
    public final int[] groupProduct;
    public final long[] groupMask;
    /** Direct assignments in R11 order: user, product, order key, enabled mask. */
    public final int[] directUser;
    public final int[] directProduct;
    public final long[] directOrder;
    public final long[] directMask;
    public final int[] capacity;

    public PeerInput(Tenant t) {
        users = t.users().size();
        products = t.subscriptions().size();
        Groups groups = t.groups();
        Assignments asg = t.assignments();
        PlanMasks masks = t.masks();
        int licensed = 0;
        for (int g = 0; g < groups.size(); g++) {
            if (asg.ofGroup(g).length > 1) {
                throw new IllegalArgumentException("bench tenants give each group one product (group " + g + ")");
            }
            licensed += asg.ofGroup(g).length;
        }
        groupIndex = new int[licensed];
        groupMembers = new int[licensed][];
        groupProduct = new int[licensed];
        groupMask = new long[licensed];
        int at = 0;
        for (int g = 0; g < groups.size(); g++) {
            if (asg.ofGroup(g).length == 1) {
                License l = asg.ofGroup(g)[0];
                RoaringBitmap m = groups.userMembers(g);
                groupIndex[at] = g;
                groupMembers[at] = m.toArray();
                groupProduct[at] = l.product();
                groupMask[at] = word(masks, l.enabled());
                at++;
            }
        }
        int[] withDirect = asg.usersWithDirect();
        int n = 0;
        for (int u : withDirect) {
            n += asg.directOf(u).length;
        }
        directUser = new int[n];
        directProduct = new int[n];
        directOrder = new long[n];
        directMask = new long[n];
        Integer[] idx = new Integer[n];
        long[] orders = new long[n];
        int k = 0;
        int[] us = new int[n];
        License[] ls = new License[n];
        for (int u : withDirect) {
            for (License l : asg.directOf(u)) {
                us[k] = u;
                ls[k] = l;
                orders[k] = l.order();
                idx[k] = k;
                k++;
            }
        }
        java.util.Arrays.sort(idx, (a, b) -> Long.compare(orders[a], orders[b]));
        for (int i = 0; i < n; i++) {
            directUser[i] = us[idx[i]];
            directProduct[i] = ls[idx[i]].product();
            directOrder[i] = ls[idx[i]].order();
            directMask[i] = word(masks, ls[idx[i]].enabled());
        }
        capacity = new int[products];
        for (int p = 0; p < products; p++) {
            capacity[p] = t.subscriptions().units(p).capacity();
        }
    }

    private static long word(PlanMasks masks, int id) {
        if (masks.wordCount(id) != 1) {
            throw new IllegalArgumentException("bench products have at most 64 plans");
        }
        return masks.word(id, 0);
    }

    /** The R11 key of a group demand in a snapshot load, as the engine orders it. */
    public static long groupKey(int g, int u) {
        return (1L << 60) | ((long) g << 24) | u;
    }

    /**
     * One (user, product) outcome's contribution to a result's fingerprint: whether the user holds
     * the product, the union of enabled plans of its active sources (R4), and how many sources.
     * A result's fingerprint is the sum over all pairs, so order does not matter.
     */
    public static long fingerprint(int user, int product, boolean granted, long mask, int sources) {
        long h = user * 0x9E3779B97F4A7C15L + product * 0xC2B2AE3D27D4EB4FL;
        h ^= granted ? mask * 0x165667B19E3779F9L : 0x27D4EB2F165667C5L;
        h += sources * 0x85EBCA77C2B2AE63L;
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** The engine's result in the canonical form. */
    public static long fingerprint(Engine engine) {
        Tenant t = engine.tenant();
        StateStore store = engine.store();
        PlanMasks masks = t.masks();
        int products = t.subscriptions().size();
        long[] mask = new long[products];
        int[] sources = new int[products];
        boolean[] held = new boolean[products];
        int[] es = new int[64 * StateStore.ENTRY_INTS];
        long sum = 0;
        for (int u = 0; u < t.users().size(); u++) {
            int n = store.count(u);
            if (n == 0) {
                continue;
            }
            if (n * StateStore.ENTRY_INTS > es.length) {
                es = new int[n * StateStore.ENTRY_INTS * 2];
            }
            store.read(u, es);
            java.util.Arrays.fill(mask, 0);
            java.util.Arrays.fill(sources, 0);
            java.util.Arrays.fill(held, false);
            for (int i = 0; i < n; i++) {
                int at = i * StateStore.ENTRY_INTS;
                int p = es[at + StateStore.PRODUCT];
                sources[p]++;
                if (org.licensim.core.state.States.holds(es[at + StateStore.STATE])) {
                    held[p] = true;
                    mask[p] |= masks.word(es[at + StateStore.MASK], 0);
                }
            }
            for (int p = 0; p < products; p++) {
                if (sources[p] > 0) {
                    sum += fingerprint(u, p, held[p], mask[p], sources[p]);
                }
            }
        }
        return sum;
    }
}
