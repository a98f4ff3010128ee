package org.licensim.core.engine;

import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Dictionary;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.PlanMasks;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Rejection.Reason;
import org.licensim.core.engine.resolve.RulePlans;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.event.Event;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * SPEC R23: Graph's {@code assignLicense(addLicenses, removeLicenses)}, on a user (atomic) or on a
 * group (the removals for every member, then the group's unit per member), judged on the state
 * after both. {@link EventApplier} hands it the event and the way to run a step for every member.
 */
final class SimultaneousChange {
    /**
     * Runs {@code removal} for every member of a group, each written as it is, and then
     * {@code addition} for every member, each processed as a whole (SPEC R18, R23), framed as one
     * group-wide operation (GroupProcessingStarted/Finished).
     */
    interface EveryMember {
        void run(int g, EventApplier.MemberStep removal, EventApplier.MemberStep addition);
    }

    private final Tenant tenant;
    private final Users users;
    private final Groups groups;
    private final Assignments asg;
    private final Subscriptions subs;
    private final PlanMasks masks;
    private final RulePlans rules;
    private final UserResolver r;
    private final Requests req;
    private final EveryMember everyMember;
    /** Ends a touched user's change (EventApplier's: R18, licence-driven rules, write). */
    private final java.util.function.IntConsumer end;
    /** Refuses (after undoing) a licence change of a group that licence-driven rules could not settle on. */
    private final CycleCheck cycles;

    /** EventApplier's check of licence-driven cycles after group {@code g}'s licences changed. */
    interface CycleCheck {
        void check(Event e, int g, Runnable undo);
    }

    SimultaneousChange(Tenant tenant, RulePlans rules, UserResolver resolver, Requests req, EveryMember everyMember,
                       java.util.function.IntConsumer end, CycleCheck cycles) {
        this.tenant = tenant;
        this.users = tenant.users();
        this.groups = tenant.groups();
        this.asg = tenant.assignments();
        this.subs = tenant.subscriptions();
        this.masks = tenant.masks();
        this.rules = rules;
        this.r = resolver;
        this.req = req;
        this.everyMember = everyMember;
        this.end = end;
        this.cycles = cycles;
    }

    /** The products of a request's removeLicenses, each named once and not also added. */
    private int[] removals(Event e, java.util.List<String> removes) {
        int[] ts = new int[removes.size()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = req.product(e, removes.get(i));
            for (int j = 0; j < i; j++) {
                if (ts[j] == ts[i]) {
                    throw Requests.reject(e, Reason.ADDED_AND_REMOVED, req.name(ts[i]) + " is listed twice in removeLicenses");
                }
            }
        }
        return ts;
    }

    /** The products of a request's addLicenses, checked against each other and the removals. */
    private int[] additions(Event e, java.util.List<Event.AddedLicense> adds, int[] removed) {
        int[] ts = new int[adds.size()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = req.product(e, adds.get(i).skuId());
            for (int j = 0; j < i; j++) {
                if (ts[j] == ts[i]) {
                    throw Requests.reject(e, Reason.ADDED_AND_REMOVED, req.name(ts[i]) + " is listed twice in addLicenses");
                }
            }
            for (int t : removed) {
                if (t == ts[i]) {
                    throw Requests.reject(e, Reason.ADDED_AND_REMOVED, req.name(t) + " is both in addLicenses and in "
                            + "removeLicenses: a request adds or removes a product, not both");
                }
            }
        }
        return ts;
    }

    /**
     * SPEC R23 on a user: the direct removals and additions happen together and are judged on the
     * state after both; if any part fails, nothing changes and the refusal says why. Adding a
     * product the user already has directly sets its disabled plans (Graph's behaviour).
     */
    void onUser(Event.AssignLicense e) {
        onUser(e, e.userId(), e.addLicenses(), e.removeLicenses());
    }

    /**
     * {@link #onUser(Event.AssignLicense)} for any request of that shape ({@code LicenseAssignedToUser}
     * of a product the user already holds directly is one addition that sets its disabled plans).
     */
    void onUser(Event e, String userId, java.util.List<Event.AddedLicense> adds, java.util.List<String> removes) {
        int u = req.user(e, userId);
        int[] removed = removals(e, removes);
        int[] added = additions(e, adds, removed);
        License[] was = new License[removed.length];
        for (int i = 0; i < removed.length; i++) {
            was[i] = asg.findDirect(u, removed[i]);
            if (was[i] == null) {
                throw Requests.reject(e, Reason.NOT_ASSIGNED, req.userRef(u) + " has no direct assignment of "
                        + req.name(removed[i]) + " to remove");
            }
        }
        if (added.length > 0 && users.usageLocationCode(u) == Dictionary.NULL) {
            throw Requests.reject(e, Reason.NO_USAGE_LOCATION, req.userRef(u)
                    + " has no usageLocation: a licence cannot be assigned directly until one is set (SPEC R15)");
        }
        License[] replaced = new License[added.length];
        License[] now = new License[added.length];
        long incoming = 0;
        for (int i = 0; i < added.length; i++) {
            int t = added[i];
            replaced[i] = asg.findDirect(u, t);
            long[] disabled = req.disabledMask(e, t, adds.get(i).disabledPlans());
            now[i] = new License(t, disabled, masks.internEnabled(subs, t, disabled),
                    replaced[i] != null ? replaced[i].order() : r.causeSeq());
            incoming |= rules.ruleMask(now[i].enabled());
        }
        r.begin(u);
        long before = rules.unmet(r.unionActive(Integer.MIN_VALUE));
        try {
            for (int i = 0; i < removed.length; i++) {
                asg.removeDirect(u, removed[i]);
                r.removeSource(u, StateStore.direct(removed[i]), -1, null, incoming);
                if (r.stillHolds(StateStore.direct(removed[i]))) {
                    throw Requests.reject(e, Reason.DEPENDENCY_VIOLATION, "cannot remove " + req.name(removed[i])
                            + " from " + req.userRef(u) + ": other plans depend on it: "
                            + req.describeUnmet(rules.unmet(r.unionActive(StateStore.direct(removed[i])) | incoming)
                            & ~before) + " (DependencyViolation, SPEC R14)");
                }
            }
            for (int i = 0; i < added.length; i++) {
                asg.putDirect(u, now[i]);
                r.demandUnit(StateStore.direct(added[i]));
            }
            r.settle(u); // SPEC R18: the additions in one R11 order with the user's older failed demands
            for (int i = 0; i < added.length; i++) {
                int error = r.failedWith(StateStore.direct(added[i]), added[i]);
                if (error != States.NONE) {
                    throw req.assignmentFailed(e, u, added[i], error);
                }
            }
            long missing = rules.unmet(r.unionActive(Integer.MIN_VALUE)) & ~before;
            if (missing != 0) {
                throw Requests.reject(e, Reason.DEPENDENCY_VIOLATION, "cannot change the licences of "
                        + req.userRef(u) + ": " + req.describeUnmet(missing) + " (DependencyViolation, SPEC R14)");
            }
        } catch (Rejection refused) {
            for (int i = 0; i < added.length; i++) {
                if (replaced[i] != null) {
                    asg.putDirect(u, replaced[i]);
                } else {
                    asg.removeDirect(u, added[i]);
                }
            }
            for (int i = 0; i < removed.length; i++) {
                asg.putDirect(u, was[i]);
            }
            r.rollback();
            throw refused;
        }
        end.accept(u);
    }

    /**
     * SPEC R23 on a group: the group's removals happen for every member, then the group's unit
     * with its additions is processed per member (R10-R16), both judged on the state after the
     * request. A member for whom the unit fails (seats run out) loses the removed licence and
     * holds the new one in Error: the loss of service a preview shows before it is made.
     */
    /** A group's assignLicense checked and its new licences made, nothing changed yet. */
    private record GroupChange(int g, int[] removed, int[] added, License[] was, License[] now, long incoming) {
    }

    /**
     * Checks group assignLicense {@code e} as {@link #onGroup} would, without changing the tenant:
     * a refusal throws the same {@link Rejection} (for a caller that accepts the request now and
     * processes it later, as Entra's group licensing does).
     */
    void checkGroup(Event.AssignLicense e) {
        prepareGroup(e);
    }

    private GroupChange prepareGroup(Event.AssignLicense e) {
        int g = req.group(e, e.groupId());
        int[] removed = removals(e, e.removeLicenses());
        int[] added = additions(e, e.addLicenses(), removed);
        if (added.length > 0 && !tenant.settings().groupLicensingEnabled()) {
            throw Requests.reject(e, Reason.GROUP_LICENSING_DISABLED, "group-based licensing is not enabled for tenant \""
                    + tenant.settings().id() + "\" (it needs a paid directory plan; SPEC R22)");
        }
        if (added.length > 0 && !groups.securityEnabled(g)) {
            throw Requests.reject(e, Reason.NOT_SECURITY_GROUP, req.groupRef(g)
                    + " is not a security group: only security groups can be assigned products (SPEC R8)");
        }
        License[] was = new License[removed.length];
        for (int i = 0; i < removed.length; i++) {
            was[i] = req.assignedLicense(e, g, removed[i]);
        }
        License[] now = new License[added.length];
        long incoming = 0;
        for (int i = 0; i < added.length; i++) {
            int t = added[i];
            License existing = asg.findGroupLicense(g, t);
            long[] disabled = req.disabledMask(e, t, e.addLicenses().get(i).disabledPlans());
            now[i] = new License(t, disabled, masks.internEnabled(subs, t, disabled),
                    existing != null ? existing.order() : r.causeSeq());
            incoming |= rules.ruleMask(now[i].enabled());
        }
        long union = incoming;
        for (License l : asg.ofGroup(g)) {
            if (!contains(removed, l.product()) && !contains(added, l.product())) {
                union |= rules.ruleMask(l.enabled());
            }
        }
        req.checkGroupPlans(e, g, union);
        return new GroupChange(g, removed, added, was, now, incoming);
    }

    void onGroup(Event.AssignLicense e) {
        GroupChange c = prepareGroup(e);
        int g = c.g();
        int[] removed = c.removed();
        int[] added = c.added();
        License[] was = c.was();
        License[] now = c.now();
        long incoming = c.incoming();
        java.util.List<License> before = java.util.List.of(asg.ofGroup(g));
        for (int t : removed) {
            asg.removeGroupLicense(g, t);
        }
        for (License l : now) {
            asg.putGroupLicense(g, l);
        }
        cycles.check(e, g, () -> {
            for (License l : asg.ofGroup(g)) {
                asg.removeGroupLicense(g, l.product());
            }
            for (License l : before) {
                asg.putGroupLicense(g, l);
            }
        });
        long arriving = incoming;
        // SPEC R23, R18: the removals for every member first, so the seats they free serve the additions
        everyMember.run(g, (i, u) -> {
            for (int k = 0; k < removed.length; k++) {
                r.removeSource(u, g, removed[k], was[k], arriving);
            }
        }, (i, u) -> {
            if (added.length > 0) {
                r.demandUnit(g); // products the group keeps keep their keys; an added one is a new demand (R11)
            }
        });
    }

    private static boolean contains(int[] ts, int t) {
        for (int x : ts) {
            if (x == t) {
                return true;
            }
        }
        return false;
    }
}
