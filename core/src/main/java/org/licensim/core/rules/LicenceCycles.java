package org.licensim.core.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Tenant;

/**
 * The dependency graph of licence-driven groups and its cycles: group B depends on group A when
 * A's licences give a plan B's {@code user.assignedPlans} rule reads; the dependency is negated
 * when B reads that plan under a {@code -not} (gaining it can take a user out of B).
 *
 * <p>Section 4: a cycle with a negated dependency can flip membership back and forth and never
 * settle: refused, named. A cycle of plain dependencies only adds (a group whose rule reads a plan
 * its own licence gives, or groups feeding each other): Entra accepts it and it settles, its
 * members keeping themselves in; {@link #additive} names it so that tools can warn.
 */
final class LicenceCycles {
    private LicenceCycles() {
    }

    /** The licence-driven groups with the plans each reads, and those it reads negated. */
    private record Graph(Map<Integer, int[]> reads, Map<Integer, int[]> negated, Map<Integer, java.util.Set<Integer>> gives) {
        boolean edge(int a, int b) {
            return any(reads.get(b), gives.get(a));
        }

        boolean negatedEdge(int a, int b) {
            return any(negated.get(b), gives.get(a));
        }

        private static boolean any(int[] plans, java.util.Set<Integer> given) {
            for (int p : plans) {
                if (given.contains(p)) {
                    return true;
                }
            }
            return false;
        }

        /** A shortest path of dependencies from {@code from} to {@code to} (both included), or null. */
        List<Integer> path(int from, int to) {
            Map<Integer, Integer> parent = new TreeMap<>();
            java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
            queue.add(from);
            parent.put(from, from);
            while (!queue.isEmpty()) {
                int x = queue.poll();
                if (x == to) {
                    List<Integer> p = new ArrayList<>();
                    for (int y = to; ; y = parent.get(y)) {
                        p.add(0, y);
                        if (y == from) {
                            return p;
                        }
                    }
                }
                for (int b : reads.keySet()) {
                    if (!parent.containsKey(b) && edge(x, b)) {
                        parent.put(b, x);
                        queue.add(b);
                    }
                }
            }
            return null;
        }
    }

    private static Graph graph(Tenant tenant, long[] clock, String changed, String rule) {
        Groups groups = tenant.groups();
        Map<Integer, int[]> reads = new TreeMap<>();
        Map<Integer, int[]> negated = new TreeMap<>();
        for (int g = 0; g < groups.size(); g++) {
            if (groups.isDeleted(g)) {
                continue;
            }
            String text = groups.id(g).equals(changed) && rule != null ? rule
                    : groups.isDynamic(g) ? groups.membershipRule(g) : null;
            if (text == null || !text.toLowerCase(java.util.Locale.ROOT).contains("assignedplans")) {
                continue;
            }
            CompiledRule r = CompiledRule.compile(text, tenant.directory(), clock, tenant.catalog(), PlanSource.NONE);
            if (r.licencePlans().length > 0) {
                reads.put(g, r.licencePlans());
                negated.put(g, r.negatedLicencePlans());
            }
        }
        Map<Integer, java.util.Set<Integer>> gives = new java.util.HashMap<>();
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
        return new Graph(reads, negated, gives);
    }

    private static String names(Groups groups, List<Integer> cycle) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cycle.size(); i++) {
            sb.append(i > 0 ? " -> " : "").append('"').append(groups.nameOf(cycle.get(i))).append('"');
        }
        return sb.toString();
    }

    /**
     * Refuses a cycle that could never settle: one through a negated dependency (A's licence gives
     * a plan B reads under {@code -not}, and B leads back to A). {@code changed} with {@code rule}
     * is checked as if it had that rule (null: its current one).
     */
    static void check(Tenant tenant, long[] clock, String changed, String rule) {
        Graph g = graph(tenant, clock, changed, rule);
        for (int a : g.reads.keySet()) {
            for (int b : g.reads.keySet()) {
                if (!g.negatedEdge(a, b)) {
                    continue;
                }
                List<Integer> back = g.path(b, a);
                if (back != null) {
                    List<Integer> cycle = new ArrayList<>();
                    cycle.add(a);
                    cycle.addAll(back);
                    if (a == b) {
                        cycle = List.of(a, a);
                    }
                    throw new LicensimException("licence-driven rules would never settle: " + names(tenant.groups(), cycle)
                            + " (each group's licences give a plan the next one's user.assignedPlans rule reads, and \""
                            + tenant.groups().nameOf(b) + "\" reads it under -not, so members would flip in and out); "
                            + "break the cycle");
                }
            }
        }
    }

    /**
     * The cycles that only add (section 4: accepted), one message per group on one, in group
     * order: its members keep themselves in, since the licence that let them in keeps them there.
     */
    static List<String> additive(Tenant tenant, long[] clock, String changed, String rule) {
        Graph g = graph(tenant, clock, changed, rule);
        List<String> out = new ArrayList<>();
        for (int a : g.reads.keySet()) {
            List<Integer> cycle = null;
            for (int b : g.reads.keySet()) {
                if (g.edge(a, b)) {
                    List<Integer> back = g.path(b, a);
                    if (back != null && (cycle == null || back.size() + 1 < cycle.size())) {
                        cycle = new ArrayList<>();
                        cycle.add(a);
                        cycle.addAll(a == b ? List.of(a) : back);
                    }
                }
            }
            if (cycle != null) {
                out.add("group \"" + tenant.groups().nameOf(a) + "\" is on a licence-driven cycle that only adds ("
                        + names(tenant.groups(), cycle) + "): it settles, but a member it let in keeps itself in with "
                        + "the licence the cycle gives, even after the plan that let it in goes elsewhere");
            }
        }
        return out;
    }
}
