package org.licensim.core.planning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * The docs' "migrate individually licensed users to group-based licensing": with the target
 * group policy in place, which direct assignments can go without anyone losing a service plan,
 * which would lose plans (and which), and the events that do it in an order that never leaves a
 * user without a service: the policy first, then (once its sources are active) the removals.
 * The plan is checked before it is returned: all its events are applied to a fresh copy and no
 * user may end with a plan fewer or a new error; a user who would is moved to "keep".
 */
public record Migration(List<Event> policy, List<Direct> remove, List<Direct> keep, List<Event> events) {

    /** A direct assignment and what the plan says of it. */
    public record Direct(String user, String product, String reason, List<String> plansLost) {
    }

    /** Plans the migration of {@code load}'s tenant under {@code policy} (group assignment events; may be empty). */
    public static Migration plan(Supplier<Tenant> load, List<Event> policy) {
        Tenant t = load.get();
        Engine e = WhatIf.engine(t);
        for (int i = 0; i < policy.size(); i++) {
            try {
                e.apply(policy.get(i));
            } catch (LicensimException ex) {
                throw new LicensimException("policy event " + (i + 1) + " (" + policy.get(i).type() + ") is refused: "
                        + ex.getMessage(), ex);
            }
        }
        Set<String> excluded = new java.util.HashSet<>();
        for (int round = 0; round < 5; round++) {
            List<Direct> remove = new ArrayList<>();
            List<Direct> keep = new ArrayList<>();
            List<Event> removals = new ArrayList<>();
            long seq = Math.max(0, e.lastAppliedSeq() + 1);
            Assignments asg = t.assignments();
            for (int u = 0; u < t.users().size(); u++) {
                if (t.users().isDeleted(u)) {
                    continue;
                }
                int[] es = WhatIf.entries(e, u);
                List<String> mine = new ArrayList<>();
                for (Assignments.License d : asg.directOf(u)) {
                    Product p = t.subscriptions().product(d.product());
                    String user = t.users().id(u);
                    long[] group = WhatIf.union(e, es, d.product(), true);
                    if (group == null) {
                        keep.add(new Direct(user, p.skuPartNumber(), groupReason(e, es, d.product()), List.of()));
                        continue;
                    }
                    long[] direct = t.masks().copy(d.enabled());
                    List<String> lost = new ArrayList<>();
                    int[] plans = p.plans();
                    for (int k = 0; k < plans.length; k++) {
                        long bit = 1L << k;
                        if ((direct[k >>> 6] & bit) != 0 && (group[k >>> 6] & bit) == 0) {
                            lost.add(t.catalog().plan(plans[k]).servicePlanName());
                        }
                    }
                    if (!lost.isEmpty()) {
                        keep.add(new Direct(user, p.skuPartNumber(), "the groups do not enable every plan the direct "
                                + "assignment does", List.copyOf(lost)));
                    } else if (excluded.contains(user)) {
                        keep.add(new Direct(user, p.skuPartNumber(), "removing it changed the user's state when the "
                                + "whole plan was checked", List.of()));
                    } else {
                        remove.add(new Direct(user, p.skuPartNumber(), "inherited sources enable every plan it enables",
                                List.of()));
                        mine.add(p.skuId());
                    }
                }
                if (!mine.isEmpty()) {
                    // one request per user (Graph's assignLicense, SPEC R23): its directs go together or not at all
                    removals.add(new Event.AssignLicense(seq++, WhatIf.clock(t), t.users().id(u), null, List.of(),
                            List.copyOf(mine)));
                }
            }
            List<Event> all = new ArrayList<>(policy);
            all.addAll(removals);
            String bad = check(load, all, policy.size(), excluded);
            if (bad == null) {
                return new Migration(List.copyOf(policy), remove, keep, List.copyOf(all));
            }
        }
        throw new LicensimException("could not find a migration that keeps every user's plans after 5 rounds");
    }

    private static String groupReason(Engine e, int[] es, int t) {
        for (int i = 0; i < es.length / StateStore.ENTRY_INTS; i++) {
            int at = i * StateStore.ENTRY_INTS;
            if (es[at + StateStore.PRODUCT] == t && !StateStore.isDirect(es[at + StateStore.SRC])) {
                int st = es[at + StateStore.STATE];
                return "its group source is " + States.stateName(st) + "/" + States.errorName(st);
            }
        }
        return "no group assigns the product to this user";
    }

    /**
     * Applies {@code events} to a fresh copy and compares each user's enabled plans and errors
     * with the state after the policy alone; returns null when nobody loses anything, else adds
     * the users who would (all their removals are then kept) to {@code excluded} and says who.
     */
    private static String check(Supplier<Tenant> load, List<Event> events, int policyCount, Set<String> excluded) {
        Tenant ta = load.get();
        Tenant tb = load.get();
        Engine a = WhatIf.engine(ta);
        Engine b = WhatIf.engine(tb);
        for (int i = 0; i < policyCount; i++) {
            a.apply(events.get(i));
        }
        for (Event ev : events) {
            b.apply(ev);
        }
        String first = null;
        for (int u = 0; u < tb.users().size(); u++) {
            if (tb.users().isDeleted(u)) {
                continue;
            }
            int[] ea = WhatIf.entries(a, u);
            int[] eb = WhatIf.entries(b, u);
            for (int t = 0; t < tb.subscriptions().size(); t++) {
                long[] before = WhatIf.enabled(a, ea, t);
                long[] after = WhatIf.enabled(b, eb, t);
                boolean hurt = before != null && (after == null || !covers(after, before));
                for (int i = 0; i < eb.length / StateStore.ENTRY_INTS && !hurt; i++) {
                    int at = i * StateStore.ENTRY_INTS;
                    hurt = eb[at + StateStore.PRODUCT] == t && States.state(eb[at + StateStore.STATE]) == States.ERROR
                            && !WhatIf.sameState(ea, eb, at);
                }
                if (hurt) {
                    String key = tb.users().id(u);
                    excluded.add(key);
                    first = first == null ? key + " (" + tb.subscriptions().product(t).skuPartNumber() + ")" : first;
                }
            }
        }
        return first;
    }

    private static boolean covers(long[] big, long[] small) {
        for (int w = 0; w < small.length; w++) {
            if ((small[w] & ~big[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Products the plan touches, for a summary. */
    public Set<String> products() {
        Set<String> s = new TreeSet<>();
        remove.forEach(d -> s.add(d.product()));
        keep.forEach(d -> s.add(d.product()));
        return s;
    }
}
