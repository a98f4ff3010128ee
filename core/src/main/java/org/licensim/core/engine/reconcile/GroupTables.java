package org.licensim.core.engine.reconcile;

import java.util.Arrays;

import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.resolve.RulePlans;

/**
 * Per group, what phase 1's fast path reads for every member: the rule bits of all its
 * licences together, and its products (ascending) with their plan masks.
 */
final class GroupTables {
    final long[] rule;
    final int[][] products;
    final int[][] masks;
    /** Per group: its one product, {@link #NO_PRODUCT} when it licenses none, {@link #MANY} when several (the lean fast path's flat view). */
    final int[] single;
    /** Per group with one product: that licence's plan mask. */
    final int[] singleMask;
    static final int NO_PRODUCT = -1;
    static final int MANY = -2;
    /**
     * Whether a user licensed by groups alone passes the fast path's rule checks whatever its
     * groups are (computed once per reconcile, {@link #clean}).
     */
    boolean groupsClean;

    private GroupTables(int n) {
        rule = new long[n];
        products = new int[n][];
        masks = new int[n][];
        single = new int[n];
        singleMask = new int[n];
    }

    static GroupTables of(Tenant tenant, RulePlans rules) {
        int n = tenant.groups().size();
        GroupTables g = new GroupTables(n);
        for (int i = 0; i < n; i++) {
            License[] ls = tenant.groups().isDeleted(i) ? new License[0] : tenant.assignments().ofGroup(i).clone();
            Arrays.sort(ls, (a, b) -> Integer.compare(a.product(), b.product()));
            g.products[i] = new int[ls.length];
            g.masks[i] = new int[ls.length];
            for (int k = 0; k < ls.length; k++) {
                g.products[i][k] = ls[k].product();
                g.masks[i][k] = ls[k].enabled();
                g.rule[i] |= rules.ruleMask(ls[k].enabled());
            }
            g.single[i] = ls.length == 0 ? NO_PRODUCT : ls.length == 1 ? ls[0].product() : MANY;
            g.singleMask[i] = ls.length == 1 ? ls[0].enabled() : 0;
        }
        g.groupsClean = clean(tenant, rules, g.rule);
        return g;
    }

    /**
     * Whether no union of groups can fail a rule the fast path checks: the plans of all groups
     * together conflict nowhere (R13 conflicts are between two plans, so no subset of them
     * conflicts either), each group gives its own plans' prerequisites (so any union of groups
     * does, R14), no group's plan is prohibited in a usage location in use or in the tenant's
     * country (R15), and no group enables a uniqueness plan where proxy addresses are shared
     * (R16). Then a user without direct licences needs none of those checks.
     */
    private static boolean clean(Tenant tenant, RulePlans rules, long[] rule) {
        long all = 0;
        for (long r : rule) {
            if (rules.unmet(r) != 0) {
                return false;
            }
            all |= r;
        }
        if (rules.conflicts(all, 0)) {
            return false;
        }
        long prohibited = rules.prohibitedAt(org.licensim.core.directory.Dictionary.NULL);
        for (int c = 0, n = tenant.users().usageLocation().dictionary().size(); c < n; c++) {
            prohibited |= rules.prohibitedAt(c);
        }
        if ((all & prohibited) != 0) {
            return false;
        }
        return (all & rules.uniqueness()) == 0 || !tenant.users().sharesProxyAddresses();
    }

    /** How many groups there are (deleted ones included, with no products). */
    int size() {
        return rule.length;
    }
}
