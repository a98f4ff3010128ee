package org.licensim.core.engine;

import java.util.List;
import java.util.TreeMap;

import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Dictionary;
import org.licensim.core.engine.Rejection.Reason;
import org.licensim.core.engine.resolve.Entries;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.event.Event;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * The handlers of a user's direct licences and of seats (units changed, reprocess, and the drain
 * of freed seats with autoReprocess), for {@link EventApplier}.
 */
final class LicenceEvents {
    private final EventApplier a;

    LicenceEvents(EventApplier a) {
        this.a = a;
    }

    void licenseAssignedToUser(Event.LicenseAssignedToUser e) {
        int u = a.req.user(e, e.userId());
        int t = a.req.product(e, e.skuId());
        if (a.asg.findDirect(u, t) != null) {
            // SPEC R23: a product the user already holds directly gets these disabled plans, as assignLicense does
            a.simultaneous.onUser(e, e.userId(), List.of(new Event.AddedLicense(e.skuId(), e.disabledPlans())), List.of());
            return;
        }
        if (a.users.usageLocationCode(u) == Dictionary.NULL) {
            throw Requests.reject(e, Reason.NO_USAGE_LOCATION, a.req.userRef(u)
                    + " has no usageLocation: a licence cannot be assigned directly until one is set (SPEC R15)");
        }
        long[] disabled = a.req.disabledMask(e, t, e.disabledPlans());
        License l = new License(t, disabled, a.masks.internEnabled(a.subs, t, disabled), a.r.causeSeq());
        a.r.begin(u);
        long unit = a.rules.ruleMask(l.enabled());
        long missing = a.rules.unmet(a.r.unionActive(Integer.MIN_VALUE) | unit) & unit;
        if (missing != 0) {
            throw Requests.reject(e, Reason.DEPENDENCY_VIOLATION, "cannot assign " + a.req.name(t) + " to "
                    + a.req.userRef(u) + ": " + a.req.describeUnmet(missing) + " (DependencyViolation, SPEC R14)");
        }
        a.asg.putDirect(u, l);
        a.r.demandUnit(StateStore.direct(t));
        a.r.settle(u); // SPEC R18: the user's older failed demands come first, in one order with this one
        int error = a.r.failedWith(StateStore.direct(t), t);
        if (error != States.NONE) {
            a.asg.removeDirect(u, t);
            a.r.rollback();
            throw a.req.assignmentFailed(e, u, t, error);
        }
        a.end(u);
    }

    void licenseRemovedFromUser(Event.LicenseRemovedFromUser e) {
        int u = a.req.user(e, e.userId());
        int t = a.req.product(e, e.skuId());
        if (a.asg.findDirect(u, t) == null) {
            StringBuilder from = new StringBuilder();
            for (int g : a.dir.groupsOf(u)) { // a rejection's message: allocation does not matter here
                if (a.asg.findGroupLicense(g, t) != null) {
                    from.append(from.length() == 0 ? "" : ", ").append('"').append(a.groups.nameOf(g)).append('"');
                }
            }
            throw Requests.reject(e, Reason.NOT_ASSIGNED, a.req.userRef(u) + " has no direct assignment of "
                    + a.req.name(t) + (from.length() > 0 ? "; it is inherited from group " + from
                    + " and can only be removed there (SPEC R8)" : ""));
        }
        int src = StateStore.direct(t);
        a.r.begin(u);
        long all = a.r.unionActive(Integer.MIN_VALUE);
        long introduced = a.rules.unmet(a.r.unionActive(src)) & ~a.rules.unmet(all);
        if (introduced != 0) {
            throw Requests.reject(e, Reason.DEPENDENCY_VIOLATION, "cannot remove " + a.req.name(t) + " from "
                    + a.req.userRef(u) + ": other plans depend on it: " + a.req.describeUnmet(introduced)
                    + " (DependencyViolation, SPEC R14)");
        }
        a.asg.removeDirect(u, t);
        a.r.removeSource(u, src, -1, null);
        a.end(u);
    }

    void unitsChanged(Event.UnitsChanged e) {
        int t = a.req.product(e, e.skuId());
        int before = a.subs.units(t).capacity();
        a.subs.setUnits(t, e.prepaidUnits());
        if (e.prepaidUnits().capacity() > before) {
            a.ledger.markFreed(t);
        }
    }

    /**
     * SPEC R18: a reprocess touches the user, or every member of the group, so each is processed
     * as a whole ({@link UserResolver#settle}). Members with nothing to retry or settle (every
     * entry Active) would not change, so only the others are visited, in R11 order of their
     * oldest failed demand (Error; a held ActiveWithError source is not a demand, so members with
     * only those come last, in user order).
     */
    void reprocess(Event.Reprocess e) {
        if (e.userId() != null) {
            int u = a.req.user(e, e.userId());
            a.r.begin(u);
            a.end(u);
            return;
        }
        int g = a.req.group(e, e.groupId());
        int n = 0;
        // only members with a source not Active have anything to retry: a tallied store (a
        // simulation's) knows them, so a group of thousands is not read member by member
        var tally = a.r.store().totals();
        int m = tally.isPresent()
                ? a.members.load(org.roaringbitmap.RoaringBitmap.and(a.groups.userMembers(g), tally.get().usersNotAllActive()))
                : a.members.load(a.groups, g);
        int active = States.pack(States.ACTIVE, States.NONE);
        // a member whose retry would fail every failed source again as it failed (UserResolver#retryChangesNothing)
        // is not processed; it is counted in the group's record as processing it would count it
        boolean skip = !a.dynamic.licenceDriven();
        int skippedSucceeded = 0;
        int skippedFailed = 0;
        for (int i = 0; i < m; i++) {
            int u = a.members.user(i);
            Entries es = a.r.peek(u);
            long oldestFailed = Long.MAX_VALUE;
            boolean any = false;
            boolean groupFailed = false;
            for (int j = 0; j < es.size(); j++) {
                any |= es.state(j) != active;
                groupFailed |= es.src(j) == g && es.state(j) != active;
                if (es.failed(j)) {
                    oldestFailed = Math.min(oldestFailed, es.key(j));
                }
            }
            if (!any) {
                continue;
            }
            if (skip && a.r.retryChangesNothing(u)) {
                if (groupFailed) {
                    skippedFailed++;
                } else {
                    skippedSucceeded++;
                }
                continue;
            }
            a.members.set(n++, u, oldestFailed); // only held-back (ActiveWithError) sources: no demand, after the rest
        }
        a.members.sortByKey(n);
        a.reprocessSkipped += skippedSucceeded + skippedFailed;
        a.reprocessProcessed += n;
        a.processGroup(g, n, (i, u) -> { }, skippedSucceeded, skippedFailed);
    }

    /** SPEC R18 with autoReprocess: freed seats go to the oldest demands that failed for want of them. */
    void drainFailed() {
        for (int t = 0; t < a.subs.size(); t++) {
            if (!a.ledger.takeFreed(t) || a.ledger.waiting(t).isEmpty()) {
                continue;
            }
            // a cursor in key order up to the last demand waiting now: a retried demand that fails
            // again stays waiting under its own key, behind the cursor, so it is not retried twice;
            // walking the tree instead of copying it keeps a drain proportional to the seats freed
            TreeMap<Long, Long> waiting = a.ledger.waiting(t);
            long last = waiting.lastKey();
            Long key = waiting.firstKey();
            while (key != null && key <= last && a.ledger.hasFreeSeat(t)) {
                long who = waiting.get(key);
                int u = (int) (who >>> 32);
                int src = (int) who;
                a.r.begin(u);
                a.r.processUnit(u, src, key);
                a.end(u);
                key = waiting.higherKey(key);
            }
        }
    }
}
