package org.licensim.core.planning;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Product;
import org.licensim.core.catalog.ServicePlan;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.Rejection;
import org.licensim.core.event.Event;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * What a change would do to a tenant, without doing it: two copies of the tenant are resolved,
 * the change (one or more events in the feed's format) is applied to one, and the two are
 * compared user by user: group memberships that change, products gained and lost, service
 * plans enabled and disabled on products kept, licences that change kind (inherited converted
 * to direct, SPEC R16a), sources newly in error, seats per product; and, after the change, the
 * products whose users wait for a seat while seats are free (SPEC R18: a reprocess frees them).
 */
public record WhatIf(List<Event> changes, List<Membership> memberships, List<Change> gained, List<Change> lost,
                     List<Change> plansChanged, List<Change> kindChanged, List<Change> newErrors, List<Seats> seats,
                     List<HealthCheck.WaitingWhileFree> waitingAfter) {

    /** A user joining or leaving a group. */
    public record Membership(String group, String user, boolean joins) {
    }

    /**
     * A user (id) and a product (part number), with a detail in words people read (service plans
     * by Microsoft's friendly name, groups by display name) and the ids it names, for CSV and JSON.
     *
     * @param group the id of the group the detail names (a licence's source), or null
     * @param plansOn service plans switched on
     * @param plansOff service plans switched off
     */
    public record Change(String user, String product, String detail, String group, List<ServicePlan> plansOn,
                         List<ServicePlan> plansOff) {
        public Change(String user, String product, String detail) {
            this(user, product, detail, null, List.of(), List.of());
        }
    }

    public record Seats(String product, int before, int after, int capacity) {
        public int delta() {
            return after - before;
        }
    }

    /**
     * @param load loads a fresh copy of the tenant on each call (nothing is shared between the
     *             resolved copy before and the one the change is applied to)
     * @param changes the events to apply in order; a refused one is a {@link LicensimException}
     *                naming it and the reason
     */
    public static WhatIf of(Supplier<Tenant> load, List<Event> changes) {
        Tenant before = load.get();
        Tenant after = load.get();
        Engine a = engine(before);
        Engine b = engine(after);
        for (int i = 0; i < changes.size(); i++) {
            try {
                b.apply(changes.get(i));
            } catch (LicensimException e) {
                // named by its place among the changes: a change given without a seq has none to show
                throw new LicensimException("change " + (i + 1) + " (" + changes.get(i).type() + ") would be refused: "
                        + (e instanceof Rejection r ? r.detail() : e.getMessage()) + "; nothing was changed", e);
            }
        }
        List<Membership> memberships = new ArrayList<>();
        List<Change> gained = new ArrayList<>();
        List<Change> lost = new ArrayList<>();
        List<Change> plans = new ArrayList<>();
        List<Change> errors = new ArrayList<>();
        List<Change> kinds = new ArrayList<>();
        int products = after.subscriptions().size();
        for (int g = 0; g < after.groups().size(); g++) {
            boolean existed = g < before.groups().size() && !before.groups().isDeleted(g);
            org.roaringbitmap.RoaringBitmap was = existed ? before.groups().userMembers(g)
                    : new org.roaringbitmap.RoaringBitmap();
            org.roaringbitmap.RoaringBitmap is = after.groups().isDeleted(g) ? new org.roaringbitmap.RoaringBitmap()
                    : after.groups().userMembers(g);
            for (int u : org.roaringbitmap.RoaringBitmap.xor(was, is)) {
                memberships.add(new Membership(after.groups().id(g), after.users().id(u), is.contains(u)));
            }
        }
        for (int u = 0; u < after.users().size(); u++) {
            String id = after.users().id(u);
            int[] ea = u < before.users().size() ? entries(a, u) : new int[0];
            int[] eb = after.users().isDeleted(u) ? new int[0] : entries(b, u);
            for (int t = 0; t < products; t++) {
                Product p = after.subscriptions().product(t);
                long[] had = enabled(a, ea, t);
                long[] has = enabled(b, eb, t);
                if (has != null && had == null) {
                    gained.add(new Change(id, p.skuPartNumber(), null));
                } else if (had != null && has == null) {
                    lost.add(new Change(id, p.skuPartNumber(), null));
                } else if (had != null && !java.util.Arrays.equals(had, has)) {
                    plans.add(planChange(after, id, p, had, has));
                }
                if (had != null && has != null && !holdsDirect(ea, t) && holdsDirect(eb, t)) {
                    int from = inheritedFrom(ea, t);
                    if (from >= 0 && inheritedFrom(eb, t) < 0) {
                        kinds.add(new Change(id, p.skuPartNumber(), "inherited from group \"" + after.groups().nameOf(from)
                                + "\" -> direct (R16a: a direct add-on depends on it)", after.groups().id(from),
                                List.of(), List.of()));
                    }
                }
            }
            for (int i = 0; i < eb.length / StateStore.ENTRY_INTS; i++) {
                int at = i * StateStore.ENTRY_INTS;
                int state = eb[at + StateStore.STATE];
                if (state != States.pack(States.ACTIVE, States.NONE) && !sameState(ea, eb, at)) {
                    int src = eb[at + StateStore.SRC];
                    boolean direct = StateStore.isDirect(src);
                    errors.add(new Change(id, after.subscriptions().product(eb[at + StateStore.PRODUCT]).skuPartNumber(),
                            States.stateName(state) + "/" + States.errorName(state) + (direct
                                    ? " (direct)" : " (group \"" + after.groups().nameOf(src) + "\")"),
                            direct ? null : after.groups().id(src), List.of(), List.of()));
                }
            }
        }
        List<Seats> seats = new ArrayList<>();
        for (int t = 0; t < products; t++) {
            seats.add(new Seats(after.subscriptions().product(t).skuPartNumber(), a.consumed(t), b.consumed(t),
                    after.subscriptions().units(t).capacity()));
        }
        // SPEC R18: seats bought do not reach sources that already failed; say who still waits after the changes
        List<HealthCheck.WaitingWhileFree> waiting = HealthCheck.waitingWhileFree(b, org.licensim.core.engine.Summary.of(b));
        return new WhatIf(List.copyOf(changes), memberships, gained, lost, plans, kinds, errors, seats, waiting);
    }

    /** A tenant resolved from scratch on the heap (its rules applied), the way every planner starts. */
    public static Engine resolve(Tenant t) {
        return engine(t);
    }

    static Engine engine(Tenant t) {
        return Engine.builder(t).now(clock(t)).reconcile();
    }

    private static final java.time.Instant RUN_STARTED = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    /**
     * system.now for a planner's copies of a tenant and for the changes it tries (SPEC section 4):
     * the snapshot's evaluatedAt, else the moment this run started, the same for every copy, so that
     * a change given without a time does not move time-driven rules' clock.
     */
    public static java.time.Instant clock(Tenant t) {
        return t.evaluatedAt() != null ? java.time.Instant.ofEpochSecond(t.evaluatedAt()) : RUN_STARTED;
    }

    static int[] entries(Engine e, int u) {
        int[] es = new int[e.store().count(u) * StateStore.ENTRY_INTS];
        e.store().read(u, es);
        return es;
    }

    /** The plans of product {@code t} the user has enabled (union of holding sources, R4), or null when not held. */
    static long[] enabled(Engine e, int[] es, int t) {
        return union(e, es, t, false);
    }

    /**
     * The union of the enabled plans of product {@code t} over the user's holding sources (only
     * the group sources in state Active/None when {@code activeGroupsOnly}), or null when none.
     */
    static long[] union(Engine e, int[] es, int t, boolean activeGroupsOnly) {
        long[] union = null;
        for (int i = 0; i < es.length / StateStore.ENTRY_INTS; i++) {
            int at = i * StateStore.ENTRY_INTS;
            int st = es[at + StateStore.STATE];
            boolean counts = activeGroupsOnly ? !StateStore.isDirect(es[at + StateStore.SRC])
                    && st == States.pack(States.ACTIVE, States.NONE) : States.holds(st);
            if (es[at + StateStore.PRODUCT] == t && counts) {
                long[] m = e.tenant().masks().copy(es[at + StateStore.MASK]);
                if (union == null) {
                    union = m;
                } else {
                    for (int w = 0; w < m.length; w++) {
                        union[w] |= m[w];
                    }
                }
            }
        }
        return union;
    }

    /**
     * The plans of product {@code p} switched on and off between {@code had} and {@code has}: the
     * detail by Microsoft's friendly names ("switched off: Microsoft 365 Apps for enterprise
     * (OFFICESUBSCRIPTION)"), the plans themselves beside it.
     */
    static Change planChange(Tenant t, String user, Product p, long[] had, long[] has) {
        List<ServicePlan> on = new ArrayList<>();
        List<ServicePlan> off = new ArrayList<>();
        StringBuilder onWords = new StringBuilder();
        StringBuilder offWords = new StringBuilder();
        int[] plans = p.plans();
        for (int k = 0; k < plans.length; k++) {
            boolean x = (had[k >>> 6] & (1L << k)) != 0;
            boolean y = (has[k >>> 6] & (1L << k)) != 0;
            if (x != y) {
                ServicePlan sp = t.catalog().plan(plans[k]);
                (y ? on : off).add(sp);
                StringBuilder w = y ? onWords : offWords;
                w.append(w.length() == 0 ? "" : ", ").append(sp.label());
            }
        }
        String detail = (on.isEmpty() ? "" : "switched on: " + onWords) + (!on.isEmpty() && !off.isEmpty() ? "; " : "")
                + (off.isEmpty() ? "" : "switched off: " + offWords);
        return new Change(user, p.skuPartNumber(), detail, null, List.copyOf(on), List.copyOf(off));
    }

    private static boolean holdsDirect(int[] es, int t) {
        for (int i = 0; i < es.length / StateStore.ENTRY_INTS; i++) {
            int at = i * StateStore.ENTRY_INTS;
            if (es[at + StateStore.PRODUCT] == t && StateStore.isDirect(es[at + StateStore.SRC])
                    && States.holds(es[at + StateStore.STATE])) {
                return true;
            }
        }
        return false;
    }

    /** The first group (index) the user holds product {@code product} from, or -1. */
    private static int inheritedFrom(int[] es, int product) {
        for (int i = 0; i < es.length / StateStore.ENTRY_INTS; i++) {
            int at = i * StateStore.ENTRY_INTS;
            if (es[at + StateStore.PRODUCT] == product && !StateStore.isDirect(es[at + StateStore.SRC])
                    && States.holds(es[at + StateStore.STATE])) {
                return es[at + StateStore.SRC];
            }
        }
        return -1;
    }

    /** Whether the same source (source and product) was already in the same state before. */
    static boolean sameState(int[] ea, int[] eb, int at) {
        for (int i = 0; i < ea.length / StateStore.ENTRY_INTS; i++) {
            int b = i * StateStore.ENTRY_INTS;
            if (ea[b + StateStore.SRC] == eb[at + StateStore.SRC] && ea[b + StateStore.PRODUCT] == eb[at + StateStore.PRODUCT]) {
                return ea[b + StateStore.STATE] == eb[at + StateStore.STATE];
            }
        }
        return false;
    }
}
