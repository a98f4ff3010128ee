package org.licensim.core.engine;

import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Rejection.Reason;
import org.licensim.core.engine.reconcile.ReconcilePath;
import org.licensim.core.engine.reconcile.Reconciler;
import org.licensim.core.engine.reconcile.ShortSeats;
import org.licensim.core.engine.resolve.RulePlans;
import org.licensim.core.engine.resolve.SeatLedger;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.event.Event;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.rules.DynamicMembership;
import org.licensim.core.state.StateStore;

/**
 * The resolver's facade. {@link #reconcile()} resolves a freshly loaded tenant in SPEC R11 order;
 * {@link #apply(Event)} validates one event (SPEC R22: a refused event throws a
 * {@link Rejection} and changes nothing), changes the directory, re-resolves only the users it
 * affects and appends their changes to the feed. Build one with {@link #builder(Tenant)}.
 *
 * <p>The work is done one room away: {@link UserResolver} resolves one user at a time (the rules
 * per unit), {@link EventApplier} has a handler per event type, {@link Requests} the checks and
 * their words, {@link Reconciler} the full reconcile and its seat strategies.
 */
public final class Engine {
    private static final long MAX_SEQ = Event.MAX_SEQ;

    private final Tenant tenant;
    private final ChangeFeed feed;
    private final SeatLedger ledger;
    private final UserResolver resolver;
    private final EventApplier events;
    private final Reconciler reconciler;
    private final DynamicMembership dynamic;

    private long lastSeq = -1;
    private ReconcilePath reconcilePath;
    private ShortSeats shortSeats = ShortSeats.DEMAND;
    private int reconcileThreads;

    /** An engine over {@code tenant} writing to {@code store} (empty, for {@link #reconcile()}); see {@link EngineBuilder}. */
    Engine(Tenant tenant, StateStore store, ChangeFeed feed, DynamicMembership dynamic) {
        this.tenant = tenant;
        this.feed = feed;
        RulePlans rules = new RulePlans(tenant);
        this.ledger = new SeatLedger(tenant.subscriptions());
        this.resolver = new UserResolver(tenant, rules, ledger, store, feed);
        this.events = new EventApplier(tenant, rules, ledger, resolver, dynamic);
        this.reconciler = new Reconciler(tenant, rules, ledger, resolver);
        this.dynamic = dynamic;
    }

    /**
     * system.now of the tenant's time-driven rules (epoch seconds: the time of the last event,
     * or the snapshot's), or {@link Long#MIN_VALUE} when its membership has no clock.
     */
    public long systemNow() {
        return dynamic.now();
    }

    /** Whether some dynamic group's rule compares a date with system.now (its members change with time). */
    public boolean timeDriven() {
        return dynamic.timeDriven();
    }

    /** Starts building an engine over {@code tenant}: the one way every caller assembles one. */
    public static EngineBuilder builder(Tenant tenant) {
        return new EngineBuilder(tenant);
    }

    public Tenant tenant() {
        return tenant;
    }

    public StateStore store() {
        return resolver.store();
    }

    /**
     * Continues on {@code other}, which must hold exactly the state of the current store (a
     * persisted store that a catch-up run has just been compared with); the current store is
     * not closed.
     */
    public void useStore(StateStore other) {
        resolver.othersMayHaveChanged();
        resolver.useStore(other);
    }

    public ChangeFeed feed() {
        return feed;
    }

    /** Whether the last event's changes were diffed into the feed (not when the feed is disabled). */
    boolean diffedFeed() {
        return resolver.recordsFeed();
    }

    /** Users holding product {@code t} (SPEC R3: one per user, however many sources). */
    public int consumed(int t) {
        return ledger.consumed(t);
    }

    /** Sequence number of the last event applied, or -1. */
    public long lastAppliedSeq() {
        return lastSeq;
    }

    /**
     * Resolves every demand of the loaded tenant into an empty store, in SPEC R11 order: direct
     * assignments in snapshot order, then each group in snapshot order with its members in user
     * order. A snapshot is the starting state, so it appends nothing to the change feed.
     */
    public void reconcile() {
        if (store().users() > 0) {
            throw new IllegalStateException("reconcile() needs an empty state store");
        }
        resolver.othersMayHaveChanged(); // the store is written by the reconcile, not user by user
        resolver.recordFeed(false);
        resolver.startSnapshot();
        reconcilePath = reconciler.reconcile(shortSeats, reconcileThreads);
        events.settleLicenceDriven(); // section 4: licence-driven groups, once licences are known
        lastSeq = tenant.lastAppliedSeq();
        ledger.clearFreed();
        resolver.recordFeed(true);
        store().commit(lastSeq);
    }

    /**
     * Members of reprocessed groups (SPEC R18) so far: {skipped, processed}. Skipped are those not
     * all Active whose retry would change nothing (each failed source would fail again as it
     * failed: {@link org.licensim.core.engine.resolve.UserResolver#retryChangesNothing}); for tests
     * that must show both kinds met, and for profiles.
     */
    public long[] reprocessedMembers() {
        return new long[] {events.reprocessSkipped, events.reprocessProcessed};
    }

    /** How the last {@link #reconcile()} settled its seats; null before the first. */
    public ReconcilePath reconcilePath() {
        return reconcilePath;
    }

    /** Chooses how a reconcile settles short seats (for tests and benchmarks; each chain ends in the R11 pass). */
    public void setShortSeats(ShortSeats strategy) {
        this.shortSeats = strategy;
    }

    /** Workers for the parallel phase of {@link #reconcile()}; 0 (the default) means one per core for large tenants. */
    public void setReconcileThreads(int threads) {
        this.reconcileThreads = threads;
    }

    /**
     * Checks a group's {@code assignLicense} ({@link Event.AssignLicense} with a groupId) as
     * {@link #apply} would, and changes nothing: a refusal throws the same {@link Rejection}. For a
     * caller that accepts such a request now and applies it later (Entra processes group licences
     * in the background, but refuses a request it can never do at once); its seq is not checked.
     */
    public void checkGroupAssignLicense(Event.AssignLicense e) {
        if (e.groupId() == null) {
            throw new IllegalArgumentException("not a group's assignLicense: " + e);
        }
        events.checkGroupAssignLicense(e);
    }

    /**
     * Applies one event. A refused event (unknown id, a request the rules refuse) throws a
     * {@link Rejection} naming the value, and nothing changes.
     */
    public void apply(Event e) {
        if (e.seq() <= lastSeq) {
            throw Requests.reject(e, Reason.SEQ_OUT_OF_ORDER, "seq " + e.seq()
                    + " is not after the last applied event's seq " + lastSeq);
        }
        if (e.seq() > MAX_SEQ) {
            throw Requests.reject(e, Reason.SEQ_OUT_OF_ORDER, "seq " + e.seq() + " is above the supported maximum "
                    + MAX_SEQ);
        }
        resolver.startEvent(e.seq(), StateStore.seconds(e.time()));
        resolver.recordFeed(true);
        ledger.clearFreed();
        // time-driven rules (section 4): what the time since the last event changed comes first, under this seq
        events.advanceClock(e.time().getEpochSecond());
        events.apply(e);
        lastSeq = e.seq();
        if (tenant.settings().autoReprocess()) {
            events.drainFailed();
        }
        store().commit(lastSeq);
    }
}
