package org.licensim.core.engine.resolve;

import java.util.Arrays;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Directory;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * Resolves one user at a time, on the user's entries copied into scratch arrays, so processing
 * a user allocates nothing. A <em>unit</em> is one source of one user: a direct assignment (one
 * product) or a group (all of the group's products together, SPEC R12).
 *
 * <ul>
 *   <li>{@link #processUnit} grants or fails a unit as it is demanded now: usage location (R15),
 *       proxy uniqueness (R16), conflicts (R13), then seats for products the user does not hold
 *       yet (R10); a failure puts every product of the unit in Error.</li>
 *   <li>{@link #removeSource} takes a unit (or one product of it) away, honouring R14 (a
 *       dependent plan keeps it) and R16a (converted to direct).</li>
 *   <li>{@link #finish} settles what a change left pending and derives ActiveWithError.</li>
 * </ul>
 *
 * <p>Events use it between {@link #begin} and {@link #end}, which read the user from the store
 * and write it back with the feed diff and the waiting-seat index; a reconcile worker has one
 * of its own with the worker's seat policy ({@link #UserResolver(UserResolver, Seats)}).
 */
public final class UserResolver {
    private final Tenant tenant;
    private final Users users;
    private final Groups groups;
    private final Directory dir;
    private final Assignments asg;
    private final RulePlans rules;
    private final Seats seats;
    private final SeatLedger ledger;
    private final FeedDiff feed;
    private StateStore store;
    private boolean recordFeed;

    private final Entries cur = new Entries(16);
    private final Entries old = new Entries(16);
    /** What the unit being processed demands: products, their masks, whether each was held, their keys. */
    private final UnitDemand d;
    private final TouchOrder touch = new TouchOrder();
    /** What a reprocess's retry of each user would do (SPEC R18): {@link RetryStamps}. */
    private final RetryStamps retries;

    private long causeSeq = -1;
    private int now = StateStore.NO_TIME;
    private int minted;

    /** The resolver of an engine: seats from the tenant's ledger, changes to {@code feed}. */
    public UserResolver(Tenant tenant, RulePlans rules, SeatLedger ledger, StateStore store, ChangeFeed feed) {
        this.tenant = tenant;
        this.users = tenant.users();
        this.groups = tenant.groups();
        this.dir = tenant.directory();
        this.asg = tenant.assignments();
        this.rules = rules;
        this.seats = ledger;
        this.ledger = ledger;
        this.store = store;
        this.feed = new FeedDiff(feed, tenant.subscriptions(), tenant.masks());
        this.d = new UnitDemand(tenant);
        this.retries = new RetryStamps(users, rules, seats);
    }

    /**
     * A reconcile worker's resolver: shares the tenant (read only), the rules, the ledger's
     * waiting index and the store with {@code parent}; has its own scratch and {@code seats};
     * records no feed.
     */
    public UserResolver(UserResolver parent, Seats seats) {
        this.tenant = parent.tenant;
        this.users = parent.users;
        this.groups = parent.groups;
        this.dir = parent.dir;
        this.asg = parent.asg;
        this.rules = parent.rules;
        this.seats = seats;
        this.ledger = parent.ledger;
        this.store = parent.store;
        this.feed = null;
        this.recordFeed = false;
        this.d = new UnitDemand(tenant);
        this.retries = new RetryStamps(users, rules, seats);
    }

    public StateStore store() {
        return store;
    }

    public void useStore(StateStore other) {
        this.store = other;
    }

    /**
     * Whether {@link #end} appends the user's changes to the feed (off during a reconcile). A
     * disabled feed is not diffed at all: comparing each user's entries before and after for a
     * feed that drops every change was about 4% of simulate enterprise's engine thread.
     */
    public void recordFeed(boolean on) {
        this.recordFeed = on && feed != null && feed.recording();
    }

    /** Whether the changes that follow are diffed into the feed. */
    public boolean recordsFeed() {
        return recordFeed;
    }

    /** The changes that follow are caused by event {@code seq} at {@code now} (StateStore TIME seconds). */
    public void startEvent(long seq, int now) {
        this.causeSeq = seq;
        this.now = now;
        this.minted = 0;
    }

    /** The changes that follow come from a snapshot: no cause, no time. */
    public void startSnapshot() {
        startEvent(-1, StateStore.NO_TIME);
    }

    public long causeSeq() {
        return causeSeq;
    }

    /** The R11 key of the next demand the current event creates. */
    public long newEventKey() {
        return StateStore.eventKey(causeSeq, minted++);
    }

    /** The entries of the user between {@link #begin} and {@link #end}. */
    public Entries current() {
        return cur;
    }

    /** User {@code u}'s stored entries, outside begin/end (the view is reused by the next call). */
    public Entries peek(int u) {
        old.readFrom(store, u);
        return old;
    }

    // ------------------------------------------------------------------ one user's change

    /** The user between {@link #begin} and {@link #write} (or {@link #rollback}), or -1. */
    public int openUser() {
        return openUser;
    }

    private int openUser = -1;

    public void begin(int u) {
        openUser = u;
        settled = false;
        int n = store.count(u);
        if (n > StateStore.MAX_ENTRIES) {
            throw new LicensimException("user \"" + users.nameOf(u) + "\" has " + n + " licence sources, more than the "
                    + StateStore.MAX_ENTRIES + " supported");
        }
        cur.ensure(n + 8);
        cur.readFrom(store, u);
        old.copyFrom(cur);
    }

    /**
     * Ends a change that touched the user's licensing: the user is processed as a whole
     * ({@link #settle}) and written back ({@link #write}).
     */
    public void end(int u) {
        settle(u);
        write(u);
    }

    /**
     * Ends a change that did not touch the user's licensing (an attribute no rule reads and no
     * check uses): what it left pending is settled ({@link #finish}), failed sources are not retried.
     */
    public void endUntouched(int u) {
        finish(u);
        write(u);
    }

    /**
     * SPEC R18, a user processed as a whole: after the change, held entries are settled
     * ({@link #finish}), then the units the change demanded ({@link #demandUnit}) and every failed
     * unit are decided in one R11 order, oldest demand first ({@link TouchOrder}), against the
     * state the change left (held sources stay held: a source that now fails because of an
     * earlier grant keeps its Error, the engine never takes a licence away to make room), and
     * what those grants made possible is settled again.
     */
    public void settle(int u) {
        finish(u);
        if (touch.anyDemanded() || hasFailed()) {
            for (int src = touch.next(cur); src != Integer.MIN_VALUE; src = touch.next(cur)) {
                if (touch.demandedKey(src) >= 0 && blockedBySwitch(u, src)) {
                    continue; // R14: switching the held unit would strand a dependent plan; it keeps what it has
                }
                processUnit(u, src, touch.chosenKey());
            }
            finish(u);
        }
        touch.clear();
        settled = true;
    }

    /**
     * Unit {@code src} of the open user is demanded by the change (a new source, or one whose
     * products or plans changed): {@link #settle} decides it in R11 order with the failed ones; a
     * product it has no entry of yet takes a new key of the current event (SPEC R11).
     */
    public void demandUnit(int src) {
        settled = false;
        touch.demand(src, newEventKey());
    }

    private boolean hasFailed() {
        for (int i = 0; i < cur.size(); i++) {
            if (cur.failed(i)) {
                return true;
            }
        }
        return false;
    }

    /** Writes the user back as it is: the store, the waiting-seat index, the feed diff. */
    public void write(int u) {
        boolean begun = openUser == u;
        openUser = -1;
        touch.clear();
        noteRetry(u, begun && settled);
        settled = false;
        // a user whose entries came out as they went in (a reprocess retrying what fails again,
        // most of a weekly reprocess of a big group) has nothing to store and no waiting demand moved
        if (!begun || u >= store.users() || !cur.sameAs(old)) {
            cur.writeTo(store, u);
            indexWaiting(u);
        }
        if (recordFeed) {
            feed.diff(u, old, cur, causeSeq, now);
        }
    }

    /**
     * Undoes everything since {@link #begin} for a refused request: the ledger gets back the seats
     * taken or released, the scratch its entries; nothing is written.
     */
    public void rollback() {
        if (openUser >= 0) {
            noteRetry(openUser, false);
        }
        openUser = -1;
        settled = false;
        touch.clear();
        for (int i = 0; i < cur.size(); i++) {
            int t = cur.product(i);
            if (cur.holds(i) && cur.firstHolder(i, t) && !old.held(t)) {
                seats.release(t);
            }
        }
        for (int i = 0; i < old.size(); i++) {
            int t = old.product(i);
            if (old.holds(i) && old.firstHolder(i, t) && !cur.held(t)) {
                seats.take(t);
            }
        }
        cur.copyFrom(old);
    }

    /** The error of the open user's entry (src, t) when it failed, else {@link States#NONE} (a request's outcome). */
    public int failedWith(int src, int t) {
        int st = cur.stateOf(src, t);
        return States.state(st) == States.ERROR ? States.error(st) : States.NONE;
    }

    /** Whether source {@code src} still holds a product (a removal R14 kept back). */
    public boolean stillHolds(int src) {
        for (int i = 0; i < cur.size(); i++) {
            if (cur.src(i) == src && cur.holds(i)) {
                return true;
            }
        }
        return false;
    }

    /** Frees every seat the user holds and drops all its entries (SPEC R20; between begin and write). */
    public void releaseAll() {
        settled = false;
        for (int i = 0; i < cur.size(); i++) {
            int t = cur.product(i);
            if (cur.holds(i) && cur.firstHolder(i, t)) {
                seats.release(t);
            }
        }
        cur.clear();
    }

    /** Forgets the previous user's scratch (a reconcile worker resolving users straight from the directory). */
    public void clear() {
        settled = false;
        cur.clear();
        old.clear();
    }

    public void groupStarted(int g) {
        if (recordFeed) {
            feed.groupStarted(g, causeSeq, now);
        }
    }

    public void groupFinished(int g, int succeeded, int failed) {
        if (recordFeed) {
            feed.groupFinished(g, succeeded, failed, causeSeq, now);
        }
    }

    /** Keeps the ledger's waiting demands equal to the sources in Error/CountViolation (auto-reprocess only). */
    private void indexWaiting(int u) {
        if (tenant.settings().autoReprocess()) {
            ledger.reindex(u, old, cur);
        }
    }

    /** Adds a freshly stored user's Error/CountViolation entries to the waiting index (a reconcile's result). */
    public void indexWaiting(int u, int[] es, int count) {
        indexWaiting(u, es, 0, count);
    }

    /** {@link #indexWaiting(int, int[], int)} of {@code count} entries from int {@code offset} of {@code es}. */
    public void indexWaiting(int u, int[] es, int offset, int count) {
        if (tenant.settings().autoReprocess()) {
            ledger.index(u, es, offset, count);
        }
    }

    // ------------------------------------------------------------------ the rules, per unit

    /** One user's units in its own R11 order through the full rules (a reconcile, from the directory). */
    public void resolveUnits(int u, License[] ds, int[] gs, int gn) {
        if (ds.length > 0) {
            License[] sorted = ds.length == 1 ? ds : ds.clone();
            if (sorted.length > 1) {
                Arrays.sort(sorted, (a, b) -> Long.compare(a.order(), b.order()));
            }
            for (License l : sorted) {
                processUnit(u, StateStore.direct(l.product()), l.order());
            }
        }
        for (int gi = 0; gi < gn; gi++) {
            int g = gs[gi];
            if (asg.ofGroup(g).length > 0) {
                processUnit(u, g, StateStore.snapshotGroupKey(g, u));
            }
        }
        finish(u);
    }

    /**
     * Grants or fails unit {@code src} of user {@code u} as it is demanded now, checking SPEC R15,
     * R16, R13 and R10 in that order; returns the error (NONE when granted). A failure puts every
     * product of the unit in Error (R12), which takes away any product the unit alone gave.
     */
    public int processUnit(int u, int src, long newKey) {
        settled = false;
        int n = d.of(u, src);
        if (n == 0) {
            return States.NONE;
        }
        long unit = 0;
        for (int i = 0; i < n; i++) {
            unit |= rules.ruleMask(d.mask[i]);
        }
        long others = unionActive(src);
        // SPEC R11: each product keeps the key of the demand that created it; one the unit has no entry of is new
        for (int i = 0; i < n; i++) {
            int at = cur.find(src, d.prod[i]);
            d.key[i] = at >= 0 ? cur.key(at) : newKey;
        }
        int error = States.NONE;
        if ((unit & rules.prohibitedAt(users.usageLocationCode(u))) != 0) {
            error = States.PROHIBITED_IN_USAGE_LOCATION_VIOLATION;
        } else if ((unit & rules.uniqueness()) != 0 && users.hasProxyCollision(u)) {
            error = States.UNIQUENESS_VIOLATION;
        } else if (rules.conflicts(unit, others)) {
            error = States.MUTUALLY_EXCLUSIVE_VIOLATION;
        } else {
            for (int i = 0; i < n; i++) {
                if (!cur.held(d.prod[i]) && !seats.hasFreeSeat(d.prod[i], d.key[i])) {
                    error = States.COUNT_VIOLATION;
                    break;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            d.held[i] = cur.held(d.prod[i]);
        }
        int state = error == States.NONE ? States.pack(States.ACTIVE, States.NONE) : States.pack(States.ERROR, error);
        for (int i = 0; i < n; i++) {
            cur.put(src, d.prod[i], d.mask[i], state, d.key[i], now);
        }
        for (int i = 0; i < n; i++) {
            boolean held = cur.held(d.prod[i]);
            if (held && !d.held[i]) {
                seats.take(d.prod[i]);
            } else if (!held && d.held[i]) {
                seats.release(d.prod[i]);
            }
        }
        return error;
    }

    /**
     * Takes source {@code src} (only its product {@code onlyT}, or all when -1) away from user {@code u}.
     * Failed entries just go. Held ones go unless that would leave a plan without its prerequisite:
     * then, for a product removed from a group while a direct add-on depends on it, the licence is
     * converted to a direct one (R16a); otherwise the source stays, ActiveWithError (R14).
     */
    public void removeSource(int u, int src, int onlyT, License convertFrom) {
        removeSource(u, src, onlyT, convertFrom, 0L);
    }

    /**
     * {@link #removeSource(int, int, int, License)} within a request that also adds plans
     * ({@code incoming}, rule bits): R14 is judged on the state after both (SPEC R23).
     */
    public void removeSource(int u, int src, int onlyT, License convertFrom, long incoming) {
        settled = false;
        for (int i = cur.size() - 1; i >= 0; i--) {
            if (cur.src(i) == src && (onlyT < 0 || cur.product(i) == onlyT) && !cur.holds(i)) {
                cur.remove(i);
            }
        }
        long all = unionActive(Integer.MIN_VALUE);
        long after = incoming;
        for (int i = 0; i < cur.size(); i++) {
            boolean going = cur.src(i) == src && (onlyT < 0 || cur.product(i) == onlyT);
            if (!going && cur.holds(i)) {
                after |= rules.ruleMask(cur.mask(i));
            }
        }
        long introduced = rules.unmet(after) & ~rules.unmet(all);
        if (introduced == 0) {
            for (int i = cur.size() - 1; i >= 0; i--) {
                if (cur.src(i) == src && (onlyT < 0 || cur.product(i) == onlyT)) {
                    int t = cur.product(i);
                    cur.remove(i);
                    if (!cur.held(t)) {
                        seats.release(t);
                    }
                }
            }
            return;
        }
        // R16a converts to a direct licence, which needs a usage location (R15, R24): without one, R14 holds it back
        if (convertFrom != null && (introduced & unionDirect()) != 0 && asg.findDirect(u, convertFrom.product()) == null
                && users.usageLocationCode(u) != org.licensim.core.directory.Dictionary.NULL) {
            int t = convertFrom.product();
            int at = cur.find(src, t);
            if (at >= 0) {
                asg.putDirect(u, new License(t, convertFrom.disabled(), convertFrom.enabled(), causeSeq));
                int mask = cur.mask(at);
                cur.remove(at);
                cur.put(StateStore.direct(t), t, mask, States.pack(States.ACTIVE, States.NONE), newEventKey(), now);
            }
        }
        // otherwise the held entries stay; finish() marks them ActiveWithError / DependencyViolation
    }

    /** Whether switching unit {@code src} to its current demand now would strand a dependent plan (R14). */
    public boolean blockedBySwitch(int u, int src) {
        boolean active = false;
        for (int i = 0; i < cur.size(); i++) {
            if (cur.src(i) == src && cur.holds(i)) {
                active = true;
                break;
            }
        }
        if (!active) {
            return false;
        }
        int n = d.of(u, src);
        long after = 0;
        for (int i = 0; i < n; i++) {
            after |= rules.ruleMask(d.mask[i]);
        }
        // the unit's entries for products it still demands switch to the new masks; anything else
        // (other sources, and this unit's held-back entries for products it no longer demands) stays
        for (int i = 0; i < cur.size(); i++) {
            if (!cur.holds(i)) {
                continue;
            }
            boolean switching = false;
            if (cur.src(i) == src) {
                for (int k = 0; k < n; k++) {
                    switching |= d.prod[k] == cur.product(i);
                }
            }
            if (!switching) {
                after |= rules.ruleMask(cur.mask(i));
            }
        }
        long all = unionActive(Integer.MIN_VALUE);
        return (rules.unmet(after) & ~rules.unmet(all)) != 0;
    }

    /**
     * Settles user {@code u} after a change: held entries whose demand is gone or changed are
     * removed or switched once R14 allows it (the dependent plan went, or another source now
     * gives the prerequisite); failed entries whose demand is gone are dropped; then every held
     * entry is Active, or ActiveWithError/DependencyViolation when R14 keeps it or it enables a
     * plan whose prerequisite is missing.
     */
    public void finish(int u) {
        settled = false;
        finishFixed = false;
        for (int pass = 0; pass < 64; pass++) {
            boolean changed = false;
            for (int i = 0; i < cur.size() && !changed; i++) {
                int src = cur.src(i);
                int t = cur.product(i);
                int want = d.maskOf(u, src, t);
                if (!cur.holds(i)) {
                    if (want < 0) {
                        cur.remove(i);
                        changed = true;
                    }
                    continue;
                }
                if (want == cur.mask(i) || (want >= 0 && touch.demandedKey(src) >= 0)) {
                    continue; // a unit the change demands is switched in settle's R11 order, not here
                }
                long all = unionActive(Integer.MIN_VALUE);
                long after = want >= 0 ? rules.ruleMask(want) : 0;
                for (int j = 0; j < cur.size(); j++) {
                    if (j != i && cur.holds(j)) {
                        after |= rules.ruleMask(cur.mask(j));
                    }
                }
                if ((rules.unmet(after) & ~rules.unmet(all)) != 0) {
                    continue;
                }
                if (want < 0) {
                    cur.remove(i);
                    if (!cur.held(t)) {
                        seats.release(t);
                    }
                } else {
                    processUnit(u, src, cur.key(i));
                }
                changed = true;
            }
            if (!changed) {
                finishFixed = true;
                break;
            }
        }
        long unmet = rules.unmet(unionActive(Integer.MIN_VALUE));
        for (int i = 0; i < cur.size(); i++) {
            int s = cur.state(i);
            if (!States.holds(s)) {
                continue;
            }
            int want = d.maskOf(u, cur.src(i), cur.product(i));
            boolean kept = want != cur.mask(i);
            boolean stranded = (rules.ruleMask(cur.mask(i)) & unmet) != 0;
            int desired = kept || stranded ? States.pack(States.ACTIVE_WITH_ERROR, States.DEPENDENCY_VIOLATION)
                    : States.pack(States.ACTIVE, States.NONE);
            if (desired != s) {
                cur.setState(i, desired, now);
            }
        }
    }

    /** Rule bits of every held entry except those of {@code exceptSrc} ({@link Integer#MIN_VALUE}: all). */
    public long unionActive(int exceptSrc) {
        long r = 0;
        for (int i = 0; i < cur.size(); i++) {
            if (cur.src(i) != exceptSrc && cur.holds(i)) {
                r |= rules.ruleMask(cur.mask(i));
            }
        }
        return r;
    }

    private long unionDirect() {
        long r = 0;
        for (int i = 0; i < cur.size(); i++) {
            if (StateStore.isDirect(cur.src(i)) && cur.holds(i)) {
                r |= rules.ruleMask(cur.mask(i));
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ what a retry could change

    /** Whether the open user's last step was a whole {@link #settle} (reset by every other step). */
    private boolean settled;
    /** Whether the last {@link #finish} stopped because nothing changed (not at its pass limit). */
    private boolean finishFixed;

    /**
     * Something a retry of any user reads beyond the user's own data changed (the tenant's rules, a
     * group's licences or plans, a new state store): no user's last settle tells what a retry does.
     */
    public void othersMayHaveChanged() {
        retries.othersMayHaveChanged();
    }

    /**
     * Whether processing user {@code u} as a whole now (begin, settle, write) would change nothing
     * ({@link RetryStamps#changesNothing}); {@code stored}: the user's entries as stored ({@link #peek}).
     */
    public boolean retryChangesNothing(int u, Entries stored) {
        return retries.changesNothing(u, stored);
    }

    /**
     * Whether {@link #retryChangesNothing} of {@code u} looks at free seats, which the members
     * processed before it in the same reprocess may take or free: it must then be asked in turn.
     */
    public boolean retryDependsOnSeats(int u) {
        return retries.dependsOnSeats(u);
    }

    /** Records what a retry of {@code u} would do, from its entries as written now (whole: after a settle that reached a fixed point). */
    private void noteRetry(int u, boolean whole) {
        retries.note(u, whole && finishFixed ? retries.judge(u, cur, this) : 0);
    }

    /** The tenant's products (for callers that size per-product scratch). */
    public Subscriptions subscriptions() {
        return tenant.subscriptions();
    }
}
