package org.licensim.core.planning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.PlanRules;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * The docs' "change licenses for users in a group" (e.g. Office 365 E1 to E3): the order of
 * steps that moves a group's members from one product to another losing as little service on
 * the way as the rules allow. The first candidate is the docs' own: one assignLicense request
 * that removes the old product and adds the new together (SPEC R23), safe for every member
 * whose new licence can be granted; the members for whom it cannot are named. A service is a plan together with the plans it conflicts with
 * (R13 makes SharePoint Plan 1 and Plan 2 alternatives of one service: they can never be
 * enabled together, so swapping them always leaves a moment without SharePoint). Candidate
 * orders are simulated step by step on a fresh copy; the one chosen ends with every member
 * keeping every service and no error, then has the fewest (member, step, service) gaps on the
 * way, then the fewest errors and steps. What every candidate did is reported.
 */
/**
 * @param group the group's id
 * @param groupName its display name, or null
 * @param from the old product's part number
 * @param to the new product's part number
 */
public record ProductSwitch(String group, String groupName, String from, String to, List<String> notInTarget,
                            List<Candidate> candidates, Candidate chosen) {

    /**
     * One order of steps and what simulating it showed; errors count those the steps raised (a
     * member's errors from before are not theirs); {@code failedMembers} are the members whose new
     * licence from the group ends in Error ("user: PRODUCT error", by userPrincipalName where known).
     */
    public record Candidate(String name, List<Event> steps, List<String> stepNames, int membersLosingService,
                            int membersWithGap, long serviceGaps, int errorsOnTheWay, int errorsAtEnd,
                            int peakSeatsOfTarget, String firstLoss, List<String> failedMembers) {
        /** Every member ends without a source in error (services the new product lacks are lost whatever the order). */
        public boolean safe() {
            return errorsAtEnd == 0;
        }
    }

    public static ProductSwitch plan(Supplier<Tenant> load, String group, String fromSku, String toSku,
                                     List<String> toDisabled) {
        Tenant t = load.get();
        int g = t.groups().resolve(group);
        String groupId = t.groups().id(g);
        Product from = product(t, fromSku);
        Product to = product(t, toSku);
        int fromT = t.subscriptions().indexOf(from);
        if (t.assignments().findGroupLicense(g, fromT) == null) {
            throw new LicensimException("group \"" + t.groups().nameOf(g) + "\" does not assign " + from.label());
        }
        if (t.assignments().findGroupLicense(g, t.subscriptions().indexOf(to)) != null) {
            throw new LicensimException("group \"" + t.groups().nameOf(g) + "\" already assigns " + to.label());
        }
        // the target's plans that conflict with a plan the old product has enabled for the group
        long[] fromEnabled = t.masks().copy(t.assignments().findGroupLicense(g, fromT).enabled());
        Set<Integer> fromPlans = new HashSet<>();
        for (int k = 0; k < from.plans().length; k++) {
            if ((fromEnabled[k >>> 6] & (1L << k)) != 0) {
                fromPlans.add(from.plans()[k]);
            }
        }
        List<String> conflicting = new ArrayList<>();
        for (int k = 0; k < to.plans().length; k++) {
            int plan = to.plans()[k];
            for (PlanRules.Conflict c : t.planRules().conflicts()) {
                if ((c.planA() == plan && fromPlans.contains(c.planB())) || (c.planB() == plan && fromPlans.contains(c.planA()))) {
                    String id = t.catalog().plan(plan).servicePlanId();
                    if (!conflicting.contains(id) && !toDisabled.contains(id)) {
                        conflicting.add(id);
                    }
                }
            }
        }
        List<String> stagedDisabled = new ArrayList<>(toDisabled);
        stagedDisabled.addAll(conflicting);
        long seq = Math.max(0, t.lastAppliedSeq() + 1);
        Instant when = WhatIf.clock(t); // no time of its own: time-driven rules keep their clock
        // services of the old assignment that the new one does not give, whatever the order
        int[] family = families(t);
        Set<Integer> toFamilies = new HashSet<>();
        for (int k = 0; k < to.plans().length; k++) {
            if (!toDisabled.contains(t.catalog().plan(to.plans()[k]).servicePlanId())
                    && !toDisabled.contains(t.catalog().plan(to.plans()[k]).servicePlanName())) {
                toFamilies.add(family[to.plans()[k]]);
            }
        }
        List<String> missing = new ArrayList<>();
        Set<Integer> unavoidable = new HashSet<>();
        for (int plan : fromPlans) {
            if (!toFamilies.contains(family[plan])) {
                missing.add(t.catalog().plan(plan).servicePlanName());
                unavoidable.add(family[plan]);
            }
        }
        List<Candidate> cs = new ArrayList<>();
        // SPEC R23: Graph's assignLicense on the group, the docs' way to switch "so that users do not lose access"
        cs.add(simulate(load, g, to, unavoidable, "one request: remove the old product and add the new together", List.of(
                new Event.AssignLicense(seq, when, null, groupId, List.of(new Event.AddedLicense(to.skuId(), toDisabled)),
                        List.of(from.skuId()))),
                List.of("remove " + from.label() + " and add " + to.label() + " in one request "
                        + "(assignLicense)")));
        cs.add(simulate(load, g, to, unavoidable, "assign the new product, then remove the old", List.of(
                new Event.LicenseAssignedToGroup(seq, when, groupId, to.skuId(), toDisabled),
                new Event.LicenseRemovedFromGroup(seq + 1, when, groupId, from.skuId())),
                List.of("assign " + to.label(), "remove " + from.label())));
        cs.add(simulate(load, g, to, unavoidable, "remove the old product, then assign the new", List.of(
                new Event.LicenseRemovedFromGroup(seq, when, groupId, from.skuId()),
                new Event.LicenseAssignedToGroup(seq + 1, when, groupId, to.skuId(), toDisabled)),
                List.of("remove " + from.label(), "assign " + to.label())));
        cs.add(simulate(load, g, to, unavoidable, "assign the new product, remove the old, reprocess the group", List.of(
                new Event.LicenseAssignedToGroup(seq, when, groupId, to.skuId(), toDisabled),
                new Event.LicenseRemovedFromGroup(seq + 1, when, groupId, from.skuId()),
                new Event.Reprocess(seq + 2, when, null, groupId)),
                List.of("assign " + to.label(), "remove " + from.label(), "reprocess the group")));
        if (!conflicting.isEmpty()) {
            cs.add(simulate(load, g, to, unavoidable, "assign the new product without its conflicting plans, remove the old, "
                    + "then enable them", List.of(
                    new Event.LicenseAssignedToGroup(seq, when, groupId, to.skuId(), stagedDisabled),
                    new Event.LicenseRemovedFromGroup(seq + 1, when, groupId, from.skuId()),
                    new Event.GroupDisabledPlansChanged(seq + 2, when, groupId, to.skuId(), toDisabled)),
                    List.of("assign " + to.label() + " with " + conflicting.size() + " conflicting plans disabled",
                            "remove " + from.label(), "enable the " + conflicting.size() + " plans in "
                                    + to.label())));
        }
        Candidate best = null;
        for (Candidate c : cs) {
            if (best == null || better(c, best)) {
                best = c;
            }
        }
        java.util.Collections.sort(missing);
        String display = t.groups().displayName(g);
        return new ProductSwitch(groupId, display == null || display.isBlank() ? null : display, from.skuPartNumber(),
                to.skuPartNumber(), List.copyOf(missing), List.copyOf(cs), best);
    }

    private static boolean better(Candidate c, Candidate best) {
        if (c.safe() != best.safe()) {
            return c.safe();
        }
        if (c.membersLosingService() != best.membersLosingService()) {
            return c.membersLosingService() < best.membersLosingService();
        }
        if (c.serviceGaps() != best.serviceGaps()) {
            return c.serviceGaps() < best.serviceGaps();
        }
        if (c.errorsOnTheWay() + c.errorsAtEnd() != best.errorsOnTheWay() + best.errorsAtEnd()) {
            return c.errorsOnTheWay() + c.errorsAtEnd() < best.errorsOnTheWay() + best.errorsAtEnd();
        }
        return c.steps().size() < best.steps().size();
    }

    private static Product product(Tenant t, String sku) {
        Product p = t.catalog().findProduct(sku);
        if (p == null || t.subscriptions().indexOf(p) < 0) {
            java.util.List<String> held = new java.util.ArrayList<>();
            for (int i = 0; i < t.subscriptions().size(); i++) {
                held.add(t.subscriptions().product(i).skuPartNumber());
            }
            List<String> close = org.licensim.core.catalog.NearMiss.among(sku, held, 3);
            throw new LicensimException("product \"" + sku + "\" is not among the tenant's subscribedSkus ("
                    + String.join(", ", held) + ")" + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?"));
        }
        return p;
    }

    /** Runs the steps on a fresh copy, recording per member the services held before, at each step and at the end. */
    private static Candidate simulate(Supplier<Tenant> load, int g, Product to, Set<Integer> unavoidable, String name,
                                      List<Event> steps,
                                      List<String> stepNames) {
        Tenant t = load.get();
        Engine e = WhatIf.engine(t);
        int[] members = t.groups().userMembers(g).toArray();
        int[] family = families(t);
        List<Set<Integer>> before = new ArrayList<>();
        int[] errorsBefore = new int[members.length];
        for (int i = 0; i < members.length; i++) {
            before.add(services(e, members[i], family));
            errorsBefore[i] = errors(e, members[i]);
        }
        List<List<Set<Integer>>> during = new ArrayList<>();
        int errorsOnTheWay = 0;
        int peak = 0;
        int toT = t.subscriptions().indexOf(to);
        for (int s = 0; s < steps.size(); s++) {
            try {
                e.apply(steps.get(s));
            } catch (LicensimException ex) {
                throw new LicensimException("step " + (s + 1) + " of \"" + name + "\" is refused: " + ex.getMessage(), ex);
            }
            List<Set<Integer>> now = new ArrayList<>();
            for (int i = 0; i < members.length; i++) {
                now.add(services(e, members[i], family));
                if (s < steps.size() - 1) {
                    errorsOnTheWay += Math.max(0, errors(e, members[i]) - errorsBefore[i]);
                }
            }
            during.add(now);
            peak = Math.max(peak, e.consumed(toT));
        }
        // errors the switch made: a member's errors from before (another product's usage location, say) are not its doing
        int errorsAtEnd = 0;
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            int u = members[i];
            errorsAtEnd += Math.max(0, errors(e, u) - errorsBefore[i]);
            String newLicence = errorOf(e, u, g, toT);
            if (newLicence != null) {
                String upn = t.users().get(u, "userPrincipalName");
                failed.add((upn != null ? upn : t.users().id(u)) + ": " + newLicence);
            }
        }
        int losing = 0;
        int withGap = 0;
        long gaps = 0;
        String first = null;
        List<Set<Integer>> end = during.get(during.size() - 1);
        for (int i = 0; i < members.length; i++) {
            Set<Integer> kept = new HashSet<>(before.get(i));
            kept.retainAll(end.get(i));
            Set<Integer> lostHere = new HashSet<>(before.get(i));
            lostHere.removeAll(end.get(i));
            lostHere.removeAll(unavoidable); // the new product's missing services are lost whatever the order
            if (!lostHere.isEmpty()) {
                losing++;
                first = first == null ? t.users().id(members[i]) : first;
            }
            long mine = 0;
            for (int s = 0; s < during.size() - 1; s++) {
                for (int service : kept) {
                    mine += during.get(s).get(i).contains(service) ? 0 : 1;
                }
            }
            gaps += mine;
            withGap += mine > 0 ? 1 : 0;
        }
        return new Candidate(name, steps, stepNames, losing, withGap, gaps, errorsOnTheWay, errorsAtEnd, peak, first,
                List.copyOf(failed));
    }

    /**
     * Each catalog plan's service: plans that conflict (R13) are one service, and so are plans
     * whose friendly names differ only in a trailing parenthesis ("Exchange Online (Plan 1)" and
     * "(Plan 2)", "Microsoft Forms (Plan E1)" and "(Plan E3)"): the editions of one service.
     */
    private static int[] families(Tenant t) {
        int[] parent = new int[t.catalog().planCount()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        java.util.Map<String, Integer> byName = new java.util.HashMap<>();
        for (int i = 0; i < parent.length; i++) {
            String f = t.catalog().plan(i).friendlyName();
            if (f == null || f.isBlank()) {
                continue;
            }
            String base = f.replaceAll("\\s*\\([^)]*\\)\\s*$", "").trim().toLowerCase(java.util.Locale.ROOT);
            Integer other = byName.putIfAbsent(base, i);
            if (other != null) {
                int a = find(parent, other);
                int b = find(parent, i);
                parent[Math.max(a, b)] = Math.min(a, b);
            }
        }
        for (PlanRules.Conflict c : t.planRules().conflicts()) {
            int a = find(parent, c.planA());
            int b = find(parent, c.planB());
            parent[Math.max(a, b)] = Math.min(a, b);
        }
        for (int i = 0; i < parent.length; i++) {
            parent[i] = find(parent, i);
        }
        return parent;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    /** The services a user has enabled, over every product held. */
    private static Set<Integer> services(Engine e, int u, int[] family) {
        Set<Integer> s = new HashSet<>();
        int[] es = WhatIf.entries(e, u);
        Tenant t = e.tenant();
        for (int i = 0; i < es.length / StateStore.ENTRY_INTS; i++) {
            int at = i * StateStore.ENTRY_INTS;
            if (States.holds(es[at + StateStore.STATE])) {
                Product p = t.subscriptions().product(es[at + StateStore.PRODUCT]);
                for (int k = 0; k < p.plans().length; k++) {
                    if (t.masks().has(es[at + StateStore.MASK], k)) {
                        s.add(family[p.plans()[k]]);
                    }
                }
            }
        }
        return s;
    }

    /** "PRODUCT Kind" when the user's source {@code g} of product {@code t} (the new licence) is in Error, else null. */
    private static String errorOf(Engine e, int u, int g, int t) {
        int[] es = WhatIf.entries(e, u);
        for (int i = 0; i < es.length / StateStore.ENTRY_INTS; i++) {
            int at = i * StateStore.ENTRY_INTS;
            int st = es[at + StateStore.STATE];
            if (es[at + StateStore.SRC] == g && es[at + StateStore.PRODUCT] == t && States.state(st) == States.ERROR) {
                return e.tenant().subscriptions().product(t).label() + " " + States.errorName(st);
            }
        }
        return null;
    }

    private static int errors(Engine e, int u) {
        int n = 0;
        int[] es = WhatIf.entries(e, u);
        for (int i = 0; i < es.length / StateStore.ENTRY_INTS; i++) {
            n += States.state(es[i * StateStore.ENTRY_INTS + StateStore.STATE]) == States.ERROR ? 1 : 0;
        }
        return n;
    }
}
