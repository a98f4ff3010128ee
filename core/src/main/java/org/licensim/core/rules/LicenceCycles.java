package org.licensim.core.rules;

import java.util.List;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Tenant;

/**
 * The dependency graph of licence-driven groups and the search for a cycle in it: group B
 * depends on group A when A's licences give a plan B's {@code user.assignedPlans} rule reads.
 */
final class LicenceCycles {
    private LicenceCycles() {
    }

    /**
     * Section 4: licence-driven rules must settle. A group whose rule reads a plan that another
     * licence-driven group's licences give depends on it; a cycle of such dependencies (A's
     * licence puts users in B, whose licence moves them in or out of A, or A on itself) could
     * never settle, so it is refused, named. {@code changed} with {@code rule} is checked as if
     * it had that rule (null: its current one).
     */
    static void check(Tenant tenant, long[] clock, String changed, String rule) {
        Groups groups = tenant.groups();
        java.util.Map<Integer, int[]> reads = new java.util.TreeMap<>();
        for (int g = 0; g < groups.size(); g++) {
            if (groups.isDeleted(g)) {
                continue;
            }
            String text = groups.id(g).equals(changed) && rule != null ? rule
                    : groups.isDynamic(g) ? groups.membershipRule(g) : null;
            if (text == null || !text.toLowerCase(java.util.Locale.ROOT).contains("assignedplans")) {
                continue;
            }
            int[] r = CompiledRule.compile(text, tenant.directory(), clock, tenant.catalog(), PlanSource.NONE).licencePlans();
            if (r.length > 0) {
                reads.put(g, r);
            }
        }
        if (reads.isEmpty()) {
            return;
        }
        java.util.Map<Integer, java.util.Set<Integer>> gives = new java.util.HashMap<>();
        for (int g : reads.keySet()) {
            java.util.Set<Integer> mine = new java.util.HashSet<>();
            for (org.licensim.core.directory.Assignments.License l : tenant.assignments().ofGroup(g)) {
                int[] ps = tenant.subscriptions().product(l.product()).plans();
                for (int k = 0; k < ps.length; k++) {
                    if (tenant.masks().has(l.enabled(), k)) {
                        mine.add(ps[k]);
                    }
                }
            }
            gives.put(g, mine);
        }
        // depth-first search for a cycle among the licence-driven groups
        java.util.Map<Integer, Integer> state = new java.util.HashMap<>();
        java.util.Deque<Integer> path = new java.util.ArrayDeque<>();
        for (int g : reads.keySet()) {
            List<Integer> cycle = cycleFrom(g, reads, gives, state, path);
            if (cycle != null) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < cycle.size(); i++) {
                    sb.append(i > 0 ? " -> " : "").append('"').append(groups.id(cycle.get(i))).append('"');
                }
                throw new LicensimException("licence-driven rules would never settle: " + sb + " (each group's licences "
                        + "give a plan the next one's user.assignedPlans rule reads); break the cycle");
            }
        }
    }

    private static List<Integer> cycleFrom(int g, java.util.Map<Integer, int[]> reads,
                                           java.util.Map<Integer, java.util.Set<Integer>> gives,
                                           java.util.Map<Integer, Integer> state, java.util.Deque<Integer> path) {
        Integer st = state.get(g);
        if (st != null && st == 2) {
            return null;
        }
        if (st != null && st == 1) {
            List<Integer> cycle = new java.util.ArrayList<>();
            boolean in = false;
            for (java.util.Iterator<Integer> it = path.descendingIterator(); it.hasNext();) {
                int x = it.next();
                in |= x == g;
                if (in) {
                    cycle.add(x);
                }
            }
            cycle.add(g);
            return cycle;
        }
        state.put(g, 1);
        path.push(g);
        for (var b : reads.entrySet()) {
            boolean edge = false;
            for (int p : b.getValue()) {
                edge |= gives.get(g).contains(p);
            }
            if (edge) {
                List<Integer> c = cycleFrom(b.getKey(), reads, gives, state, path);
                if (c != null) {
                    return c;
                }
            }
        }
        path.pop();
        state.put(g, 2);
        return null;
    }

}
