package org.licensim.core.directory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;

/**
 * Licence assignments: per group and per user (direct), the products assigned with their
 * disabled plans as a bit mask over the product's plan numbering. Disabled plans are stored,
 * not enabled ones, so a plan later added to a product is enabled (SPEC R9).
 */
public final class Assignments {
    /**
     * One assignment of a product.
     *
     * @param product  tenant product index
     * @param disabled disabled-plan mask (product-local plan numbers)
     * @param enabled  id in the tenant's {@link PlanMasks} of the enabled plans, all &amp; ~disabled
     * @param order    when it was made: the event sequence number, or for a snapshot its
     *                 position in the file (SPEC R11)
     */
    public record License(int product, long[] disabled, int enabled, long order) {
        @Override
        public boolean equals(Object o) {
            return o instanceof License l && l.product == product && l.order == order && l.enabled == enabled
                    && Arrays.equals(l.disabled, disabled);
        }

        @Override
        public int hashCode() {
            return product * 31 + Arrays.hashCode(disabled);
        }

        @Override
        public String toString() {
            return "License[product=" + product + ", disabled=" + Arrays.toString(disabled) + ", enabled=" + enabled
                    + ", order=" + order + "]";
        }
    }

    private static final License[] NONE = new License[0];
    private License[][] byGroup = new License[16][];
    private final IntObjectHashMap<License[]> direct = new IntObjectHashMap<>();
    /** One bit per user index: has at least one direct licence. Most users have none, and a bit
     * answers that without probing the map (a full reconcile asks for every user). */
    private long[] hasDirect = new long[16];
    private int directCount;

    /** A copy that shares nothing mutable (a group's or user's licence array is replaced, never changed). */
    public Assignments copy() {
        Assignments c = new Assignments();
        c.byGroup = byGroup.clone();
        c.direct.putAll(direct);
        c.hasDirect = hasDirect.clone();
        c.directCount = directCount;
        return c;
    }

    /** The group's licences (never null). */
    public License[] ofGroup(int g) {
        License[] l = g < byGroup.length ? byGroup[g] : null;
        return l == null ? NONE : l;
    }

    /** The user's direct licences (never null). */
    public License[] directOf(int u) {
        int w = u >>> 6;
        if (w >= hasDirect.length || (hasDirect[w] & (1L << u)) == 0) {
            return NONE;
        }
        License[] l = direct.get(u);
        return l == null ? NONE : l;
    }

    public License findGroupLicense(int g, int product) {
        for (License l : ofGroup(g)) {
            if (l.product() == product) {
                return l;
            }
        }
        return null;
    }

    public License findDirect(int u, int product) {
        for (License l : directOf(u)) {
            if (l.product() == product) {
                return l;
            }
        }
        return null;
    }

    /** Adds or replaces the group's licence of {@code license.product()}. */
    public void putGroupLicense(int g, License license) {
        if (g >= byGroup.length) {
            byGroup = Arrays.copyOf(byGroup, Math.max(g + 1, byGroup.length * 2));
        }
        byGroup[g] = put(ofGroup(g), license);
    }

    public void removeGroupLicense(int g, int product) {
        byGroup[g] = remove(ofGroup(g), product);
    }

    public void putDirect(int u, License license) {
        License[] before = directOf(u);
        License[] after = put(before, license);
        if (after.length > before.length) {
            directCount++;
        }
        direct.put(u, after);
        mark(u, true);
    }

    private void mark(int u, boolean has) {
        int w = u >>> 6;
        if (w >= hasDirect.length) {
            hasDirect = Arrays.copyOf(hasDirect, Math.max(w + 1, hasDirect.length * 2));
        }
        if (has) {
            hasDirect[w] |= 1L << u;
        } else {
            hasDirect[w] &= ~(1L << u);
        }
    }

    public void removeDirect(int u, int product) {
        License[] before = directOf(u);
        License[] after = remove(before, product);
        if (after.length < before.length) {
            directCount--;
        }
        if (after.length == 0) {
            direct.remove(u);
            mark(u, false);
        } else {
            direct.put(u, after);
        }
    }

    /** Drops every direct licence of a deleted user. */
    public void removeAllDirect(int u) {
        License[] l = direct.remove(u);
        if (l != null) {
            directCount -= l.length;
            mark(u, false);
        }
    }

    public int directCount() {
        return directCount;
    }

    /**
     * Users that have at least one direct licence, ascending: the set bits of the per-user
     * marks (set exactly while the user has a key in the map), so no sort.
     */
    public int[] usersWithDirect() {
        int[] us = new int[direct.size()];
        int n = 0;
        for (int w = 0; w < hasDirect.length; w++) {
            for (long b = hasDirect[w]; b != 0; b &= b - 1) {
                us[n++] = (w << 6) + Long.numberOfTrailingZeros(b);
            }
        }
        if (n != us.length) {
            throw new IllegalStateException(n + " users marked with direct licences, " + us.length + " in the map");
        }
        return us;
    }

    public int groupLicenseCount() {
        int n = 0;
        for (License[] l : byGroup) {
            n += l == null ? 0 : l.length;
        }
        return n;
    }

    private static License[] put(License[] ls, License license) {
        for (int i = 0; i < ls.length; i++) {
            if (ls[i].product() == license.product()) {
                License[] copy = ls.clone();
                copy[i] = license;
                return copy;
            }
        }
        License[] copy = Arrays.copyOf(ls, ls.length + 1);
        copy[ls.length] = license;
        return copy;
    }

    private static License[] remove(License[] ls, int product) {
        List<License> out = new ArrayList<>(ls.length);
        for (License l : ls) {
            if (l.product() != product) {
                out.add(l);
            }
        }
        return out.size() == ls.length ? ls : out.toArray(NONE);
    }
}
