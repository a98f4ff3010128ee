package org.licensim.core.engine;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Directory;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.PlanMasks;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserData;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Rejection.Reason;
import org.licensim.core.engine.resolve.Entries;
import org.licensim.core.engine.resolve.MemberBuffer;
import org.licensim.core.engine.resolve.RulePlans;
import org.licensim.core.engine.resolve.SeatLedger;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.event.Event;
import org.licensim.core.rules.DynamicMembership;
import org.licensim.core.state.States;

/**
 * One handler per event type: validate (SPEC R22, through {@link Requests}; a refused event
 * changes nothing), change the directory, and re-resolve only the users the change touches,
 * each between {@link UserResolver#begin} and {@link UserResolver#end}.
 */
final class EventApplier {
    final Tenant tenant;
    final Users users;
    final Groups groups;
    final Directory dir;
    final Assignments asg;
    final Subscriptions subs;
    final PlanMasks masks;
    final RulePlans rules;
    final SeatLedger ledger;
    final UserResolver r;
    final DynamicMembership dynamic;
    final Requests req;
    /** SPEC R23, Graph's assignLicense on a user or a group. */
    final SimultaneousChange simultaneous;
    final MemberBuffer members = new MemberBuffer();
    /** Reads attribute changes without allocating per event. */
    final UserData.Changes changes = new UserData.Changes();
    int unitsSucceeded;
    int unitsFailed;
    /** Members of reprocessed groups left alone (their retry changes nothing), and those processed. */
    long reprocessSkipped;
    long reprocessProcessed;
    /** Whether the attribute change being applied moved the user into or out of a group. */
    boolean membershipMoved;

    EventApplier(Tenant tenant, RulePlans rules, SeatLedger ledger, UserResolver resolver, DynamicMembership dynamic) {
        this.tenant = tenant;
        this.users = tenant.users();
        this.groups = tenant.groups();
        this.dir = tenant.directory();
        this.asg = tenant.assignments();
        this.subs = tenant.subscriptions();
        this.masks = tenant.masks();
        this.rules = rules;
        this.ledger = ledger;
        this.r = resolver;
        this.dynamic = dynamic;
        this.req = new Requests(tenant, rules, ledger);
        this.simultaneous = new SimultaneousChange(tenant, rules, resolver, req,
                this::processGroupInTwo, this::end, this::checkLicenceCycles);
        dynamic.usePlans(this::planEnabled);
    }

    /** Whether user {@code u} has catalog plan {@code plan} enabled on a licence it holds (licence-driven rules). */
    private boolean planEnabled(int u, int plan) {
        Entries es = u == r.openUser() ? r.current() : r.peek(u);
        for (int i = 0; i < es.size(); i++) {
            if (es.holds(i)) {
                int local = subs.product(es.product(i)).localPlan(plan);
                if (local >= 0 && masks.has(es.mask(i), local)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Ends a change that touched user {@code u}: processed as a whole (SPEC R18), then, while
     * licence-driven rules (section 4) move the user in or out of groups, those moves and the user
     * again, to a fixed point (cycles are refused when rules and licences are set), then written.
     */
    void end(int u) {
        r.settle(u);
        if (dynamic.licenceDriven()) {
            // the first round decides every licence-driven rule (the change itself may have moved what
            // any of them reads); later rounds only the rules reading a plan that moved since
            long decide = DynamicMembership.ALL_PLANS;
            for (int round = 0; round <= groups.size() && decide != 0; round++) {
                membershipMoved = false;
                tracked = u;
                planLast = dynamic.planState(tenant, u);
                planMoved = 0L;
                dynamic.licencesChanged(tenant, u, decide, oneUserSink);
                if (!membershipMoved) {
                    break;
                }
                r.settle(u);
                notePlans(u);
                decide = planMoved;
            }
            tracked = -1;
        }
        r.write(u);
    }

    /** The user {@link #end} settles against licence-driven rules (-1: none): its plans are followed. */
    private int tracked = -1;
    /** The tracked user's plan state (DynamicMembership.planState) when last looked at, and the bits that moved. */
    private long planLast;
    private long planMoved;

    /** Notes which plans the tracked user gained or lost since last looked at (every step that may move them). */
    private void notePlans(int u) {
        if (u == tracked) {
            long now = dynamic.planState(tenant, u);
            planMoved |= planLast ^ now;
            planLast = now;
        }
    }

    /** Section 4 after a snapshot's reconcile: every user settled against the licence-driven rules ({@link LicenceDrivenLoad}). */
    void settleLicenceDriven() {
        new LicenceDrivenLoad(tenant, r, dynamic).run();
    }

    /** Moves system.now of time-driven rules to {@code epochSeconds}: users whose membership flipped join or leave. */
    void advanceClock(long epochSeconds) {
        dynamic.advanceClock(tenant, epochSeconds, membershipSink);
    }

    /** The checks of a group's assignLicense, nothing changed ({@link Engine#checkGroupAssignLicense}). */
    void checkGroupAssignLicense(Event.AssignLicense e) {
        simultaneous.checkGroup(e);
    }

    /** The handlers of two families; the others are below. */
    private final UserEvents userEvents = new UserEvents(this);
    private final LicenceEvents licenceEvents = new LicenceEvents(this);

    void apply(Event e) {
        if (!onlyItsUsers(e.kind())) {
            r.othersMayHaveChanged();
        }
        e.accept(handlers);
    }

    /**
     * Whether an event of this kind changes what a retry of a user reads only through users it
     * processes (each between begin and end), free seats and proxy addresses: the changes of one
     * user, of one membership, of one direct licence, of units, a reprocess; a group's licences and
     * their plans (every member is processed: {@link #reresolveGroup}, {@link #processGroup}) and its
     * rule (the users it moves are processed; the others' memberships, which is what a retry
     * reads, do not change). The others (a group created or deleted, a group's assignLicense)
     * mark every user ({@link UserResolver#othersMayHaveChanged}).
     */
    private static boolean onlyItsUsers(Event.Kind k) {
        return switch (k) {
            case UserCreated, UserDeleted, UserAttributesChanged, MemberAdded, MemberRemoved, LicenseAssignedToUser,
                    LicenseRemovedFromUser, UnitsChanged, Reprocess, LicenseAssignedToGroup, LicenseRemovedFromGroup,
                    GroupDisabledPlansChanged, GroupRuleChanged -> true;
            default -> false;
        };
    }

    /** The handler of each event type. */
    private final Event.Handler<RuntimeException> handlers = new Event.Handler<>() {
        @Override
        public void on(Event.UserCreated e) {
            userEvents.userCreated(e);
        }

        @Override
        public void on(Event.UserDeleted e) {
            userEvents.userDeleted(e);
        }

        @Override
        public void on(Event.UserAttributesChanged e) {
            userEvents.attributesChanged(e);
        }

        @Override
        public void on(Event.MemberAdded e) {
            memberAdded(e);
        }

        @Override
        public void on(Event.MemberRemoved e) {
            memberRemoved(e);
        }

        @Override
        public void on(Event.GroupCreated e) {
            groupCreated(e);
        }

        @Override
        public void on(Event.GroupDeleted e) {
            groupDeleted(e);
        }

        @Override
        public void on(Event.GroupRuleChanged e) {
            ruleChanged(e);
        }

        @Override
        public void on(Event.LicenseAssignedToGroup e) {
            licenseAssignedToGroup(e);
        }

        @Override
        public void on(Event.LicenseRemovedFromGroup e) {
            licenseRemovedFromGroup(e);
        }

        @Override
        public void on(Event.GroupDisabledPlansChanged e) {
            groupPlansChanged(e);
        }

        @Override
        public void on(Event.LicenseAssignedToUser e) {
            licenceEvents.licenseAssignedToUser(e);
        }

        @Override
        public void on(Event.LicenseRemovedFromUser e) {
            licenceEvents.licenseRemovedFromUser(e);
        }

        @Override
        public void on(Event.AssignLicense e) {
            if (e.userId() != null) {
                simultaneous.onUser(e);
            } else {
                simultaneous.onGroup(e);
            }
        }

        @Override
        public void on(Event.UnitsChanged e) {
            licenceEvents.unitsChanged(e);
        }

        @Override
        public void on(Event.Reprocess e) {
            licenceEvents.reprocess(e);
        }
    };

    // ------------------------------------------------------------------ membership

    private void memberAdded(Event.MemberAdded e) {
        int g = req.group(e, e.groupId());
        checkManual(e, g);
        int u = users.indexOf(e.memberId());
        if (u < 0) {
            int nested = nestedGroup(e, e.memberId());
            if (nested == g) {
                throw Requests.reject(e, Reason.SELF_MEMBERSHIP, req.groupRef(g) + " cannot be a member of itself");
            }
            dir.addNestedGroup(g, nested);
            return;
        }
        if (!dir.addMember(g, u)) {
            return;
        }
        joined(g, u);
        dynamic.memberJoined(tenant, g, u, membershipSink);
    }

    /** The group a member id names when it is not a user; an id that is neither is refused. */
    private int nestedGroup(Event e, String memberId) {
        int nested = groups.indexOf(memberId);
        if (nested < 0) {
            throw req.unknownMember(e, memberId);
        }
        return nested;
    }

    private void joined(int g, int u) {
        if (asg.ofGroup(g).length == 0) {
            return;
        }
        r.begin(u);
        r.demandUnit(g);
        end(u);
    }

    private void memberRemoved(Event.MemberRemoved e) {
        int g = req.group(e, e.groupId());
        checkManual(e, g);
        int u = users.indexOf(e.memberId());
        if (u < 0) {
            dir.removeNestedGroup(g, nestedGroup(e, e.memberId()));
            return;
        }
        if (!dir.isMember(g, u)) {
            return;
        }
        dir.removeMember(g, u);
        left(g, u);
    }

    private void left(int g, int u) {
        if (asg.ofGroup(g).length == 0 && !r.peek(u).hasSource(g)) {
            return; // a group with no licences, and nothing held back from it: the user's licences do not change
        }
        r.begin(u);
        r.removeSource(u, g, -1, null);
        end(u);
    }

    private void checkManual(Event e, int g) {
        if (dynamic.managesMembers(tenant, g)) {
            throw Requests.reject(e, Reason.DYNAMIC_GROUP, req.groupRef(g)
                    + " is a dynamic group: its members come from its rule");
        }
    }

    /** Membership changes decided by the rules for any user: each resolved on its own. */
    final DynamicMembership.Sink membershipSink = new DynamicMembership.Sink() {
        @Override
        public void join(int group, int user) {
            if (dir.addMember(group, user)) {
                joined(group, user);
                dynamic.memberJoined(tenant, group, user, this);
            }
        }

        @Override
        public void leave(int group, int user) {
            if (dir.removeMember(group, user)) {
                left(group, user);
            }
        }
    };

    /** Membership changes of the one user whose state is open (between begin and end). */
    final DynamicMembership.Sink oneUserSink = new DynamicMembership.Sink() {
        @Override
        public void join(int group, int user) {
            if (dir.addMember(group, user)) {
                membershipMoved = true;
                if (asg.ofGroup(group).length > 0) {
                    r.demandUnit(group); // decided when the round settles the user (SPEC R18 order)
                }
                dynamic.memberJoined(tenant, group, user, this);
            }
        }

        @Override
        public void leave(int group, int user) {
            if (dir.removeMember(group, user)) {
                membershipMoved = true;
                r.removeSource(user, group, -1, null);
                notePlans(user);
            }
        }
    };

    // ------------------------------------------------------------------ groups

    private void groupCreated(Event.GroupCreated e) {
        req.checkNewId(e, e.groupId());
        req.checkRule(e, dynamic, e.groupId(), e.membershipRule());
        for (String m : e.members()) {
            if (users.indexOf(m) < 0 && groups.indexOf(m) < 0) {
                throw req.unknownMember(e, m);
            }
        }
        int g = groups.add(e.groupId(), e.displayName(), e.securityEnabled(), e.membershipRule(), e.paused());
        for (String m : e.members()) {
            int u = users.indexOf(m);
            if (u >= 0) {
                dir.addMember(g, u);
            } else {
                dir.addNestedGroup(g, groups.indexOf(m));
            }
        }
        if (e.membershipRule() != null) {
            dynamic.ruleChanged(tenant, g, membershipSink);
        }
    }

    private void groupDeleted(Event.GroupDeleted e) {
        int g = req.group(e, e.groupId());
        License[] ls = asg.ofGroup(g);
        if (ls.length > 0) {
            throw Requests.reject(e, Reason.GROUP_STILL_LICENSED, req.groupRef(g) + " still assigns "
                    + req.productNames(ls) + ": remove its licences before deleting it (SPEC R8)");
        }
        int held = firstUserWithEntriesOf(g);
        if (held >= 0) {
            throw Requests.reject(e, Reason.GROUP_STILL_LICENSED, req.groupRef(g)
                    + " still has a licence held back on " + req.userRef(held)
                    + " because other plans depend on it (DependencyViolation, SPEC R14): resolve that first");
        }
        int n = members.load(groups, g);
        for (int i = 0; i < n; i++) {
            dir.removeMember(g, members.user(i));
        }
        for (int other = 0; other < groups.size(); other++) {
            if (!groups.isDeleted(other)) {
                dir.removeNestedGroup(other, g);
            }
        }
        groups.delete(g);
    }

    /** The first user with an entry from group {@code g}, or -1 (a scan: group deletion is rare). */
    private int firstUserWithEntriesOf(int g) {
        for (int u = 0; u < users.size(); u++) {
            if (r.peek(u).hasSource(g)) {
                return u;
            }
        }
        return -1;
    }

    private void ruleChanged(Event.GroupRuleChanged e) {
        int g = req.group(e, e.groupId());
        req.checkRule(e, dynamic, e.groupId(), e.membershipRule());
        groups.setRule(g, e.membershipRule(), e.paused());
        dynamic.ruleChanged(tenant, g, membershipSink);
    }

    // ------------------------------------------------------------------ group licences

    private void licenseAssignedToGroup(Event.LicenseAssignedToGroup e) {
        if (!tenant.settings().groupLicensingEnabled()) {
            throw Requests.reject(e, Reason.GROUP_LICENSING_DISABLED, "group-based licensing is not enabled for tenant \""
                    + tenant.settings().id() + "\" (it needs a paid directory plan; SPEC R22)");
        }
        int g = req.group(e, e.groupId());
        if (!groups.securityEnabled(g)) {
            throw Requests.reject(e, Reason.NOT_SECURITY_GROUP, req.groupRef(g)
                    + " is not a security group: only security groups can be assigned products (SPEC R8)");
        }
        int t = req.product(e, e.skuId());
        if (asg.findGroupLicense(g, t) != null) {
            throw Requests.reject(e, Reason.ALREADY_ASSIGNED, req.groupRef(g) + " already assigns "
                    + req.name(t) + "; change its plans with GroupDisabledPlansChanged");
        }
        long[] disabled = req.disabledMask(e, t, e.disabledPlans());
        License l = new License(t, disabled, masks.internEnabled(subs, t, disabled), r.causeSeq());
        req.checkGroupPrerequisites(e, g, t, l.enabled());
        asg.putGroupLicense(g, l);
        checkLicenceCycles(e, g, () -> asg.removeGroupLicense(g, t));
        reresolveGroup(g);
    }

    /**
     * Section 4: after group {@code g}'s licences changed, licence-driven rules must still settle;
     * if they would not, {@code undo} restores the licences and the event is refused, naming the cycle.
     */
    void checkLicenceCycles(Event e, int g, Runnable undo) {
        if (!dynamic.licenceDriven()) {
            return;
        }
        try {
            dynamic.checkLicenceCycles(tenant, groups.id(g), null);
        } catch (LicensimException ex) {
            undo.run();
            throw Requests.reject(e, Reason.LICENCE_CYCLE, ex.getMessage());
        }
    }

    private void groupPlansChanged(Event.GroupDisabledPlansChanged e) {
        int g = req.group(e, e.groupId());
        int t = req.product(e, e.skuId());
        License was = req.assignedLicense(e, g, t);
        long[] disabled = req.disabledMask(e, t, e.disabledPlans());
        License l = new License(t, disabled, masks.internEnabled(subs, t, disabled), was.order());
        req.checkGroupPrerequisites(e, g, t, l.enabled());
        asg.putGroupLicense(g, l);
        checkLicenceCycles(e, g, () -> asg.putGroupLicense(g, was));
        reresolveGroup(g);
    }

    /** SPEC R7: every member's unit of group {@code g} is resolved again (R14 may keep the old plans). */
    private void reresolveGroup(int g) {
        processGroup(g, members.load(groups, g), (i, u) -> r.demandUnit(g));
    }

    private void licenseRemovedFromGroup(Event.LicenseRemovedFromGroup e) {
        int g = req.group(e, e.groupId());
        int t = req.product(e, e.skuId());
        License was = req.assignedLicense(e, g, t);
        long rest = 0; // R14 on the group: what stays must still satisfy its add-ons (SPEC R24: never a state to load)
        for (License l : asg.ofGroup(g)) {
            rest |= l.product() == t ? 0 : rules.ruleMask(l.enabled());
        }
        req.checkGroupPlans(e, g, rest);
        asg.removeGroupLicense(g, t);
        processGroup(g, members.load(groups, g), (i, u) -> r.removeSource(u, g, t, was));
    }

    /** One step of a group-wide operation, on the {@code i}-th of the users in {@link #members}. */
    interface MemberStep {
        void run(int i, int u);
    }

    /**
     * A group-wide operation (SPEC section 3 audit: framed by GroupProcessingStarted/Finished with
     * the members that succeeded and failed): {@code step} for each of the first {@code n} members.
     */
    void processGroup(int g, int n, MemberStep step) {
        processGroup(g, n, step, 0, 0);
    }

    /** {@link #processGroup(int, int, MemberStep)} of a group whose record already counts members not processed. */
    void processGroup(int g, int n, MemberStep step, int succeeded, int failed) {
        unitsSucceeded = succeeded;
        unitsFailed = failed;
        r.groupStarted(g);
        for (int i = 0; i < n; i++) {
            int u = members.user(i);
            r.begin(u);
            step.run(i, u);
            end(u);
            countMember(g);
        }
        r.groupFinished(g, unitsSucceeded, unitsFailed);
    }

    /**
     * A group-wide change that takes before it gives (SPEC R18, R23): {@code removal} for every
     * member, each written as it is, then {@code addition} for every member, each processed as a
     * whole; one GroupProcessingStarted/Finished around both.
     */
    void processGroupInTwo(int g, MemberStep removal, MemberStep addition) {
        int n = members.load(groups, g);
        unitsSucceeded = 0;
        unitsFailed = 0;
        r.groupStarted(g);
        for (int i = 0; i < n; i++) {
            int u = members.user(i);
            r.begin(u);
            removal.run(i, u);
            r.endUntouched(u);
        }
        for (int i = 0; i < n; i++) {
            int u = members.user(i);
            r.begin(u);
            addition.run(i, u);
            end(u);
            countMember(g);
        }
        r.groupFinished(g, unitsSucceeded, unitsFailed);
    }

    /** Counts the user just ended as succeeded or failed for group {@code g}'s processing record. */
    private void countMember(int g) {
        Entries cur = r.current();
        for (int i = 0; i < cur.size(); i++) {
            if (cur.src(i) == g && cur.state(i) != States.pack(States.ACTIVE, States.NONE)) {
                unitsFailed++;
                return;
            }
        }
        unitsSucceeded++;
    }

    /** SPEC R18 with autoReprocess: freed seats go to the oldest demands that failed for want of them. */
    void drainFailed() {
        licenceEvents.drainFailed();
    }
}
