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

    private GroupTables(int n) {
        rule = new long[n];
        products = new int[n][];
        masks = new int[n][];
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
        }
        return g;
    }

    /** How many groups there are (deleted ones included, with no products). */
    int size() {
        return rule.length;
    }
}
