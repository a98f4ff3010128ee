package org.licensim.core.engine.resolve;

import java.util.Arrays;

import org.licensim.core.directory.Users;
import org.licensim.core.state.States;

/**
 * What a reprocess's retry of each user would do (SPEC R18). A reprocess retries every failed
 * source of a member in R11 order. A retry can only come out differently when something it reads
 * changed since the user was last processed as a whole: the user's own sources, attributes and
 * held licences (every change to those touches the user: begin .. write), the tenant's rules and
 * groups (events that change them mark every user, {@link #othersMayHaveChanged}), free seats and
 * other users' proxy addresses (R10, R16: both are looked at again, they are cheap). So each user
 * written right after a whole settle (settle(), nothing after it) records the generation it was
 * settled in, which proxy collision its errors assume and whether one failed for want of a seat;
 * a reprocess skips a member whose record is of the current generation, whose collision is as
 * assumed and each of whose units that failed for a seat still finds a product it does not hold
 * without a free seat: settling it would fail every failed source again with the same error and
 * write nothing.
 */
final class RetryStamps {
    private static final int ANY = 0;
    private static final int NO_COLLISION = 1;
    private static final int COLLISION = 2;
    /** A unit failed for want of a seat (R10): it fails again only while one of its products has none free. */
    private static final int SEATS = 4;

    private final Users users;
    private final RulePlans rules;
    private final Seats seats;
    /** Per user: generation << 3 | what its errors assume (R16, seats), or 0 when unknown. */
    private int[] stamps = new int[0];
    private int generation = 1;

    RetryStamps(Users users, RulePlans rules, Seats seats) {
        this.users = users;
        this.rules = rules;
        this.seats = seats;
    }

    /** Every user's stamp is stale: something a retry of any user reads beyond its own data changed. */
    void othersMayHaveChanged() {
        if (++generation >= 1 << 28) {
            Arrays.fill(stamps, 0);
            generation = 1;
        }
    }

    /**
     * Whether processing user {@code u} as a whole now would change nothing: it was last written
     * right after a whole settle in this generation, every failed source failed then for a reason
     * only the user's own data decides (R15; R13 and R16 with the proxy collision it has now being
     * the one it had then), or for want of a seat that is still not free (R10). {@code stored}:
     * the user's entries as stored.
     */
    boolean changesNothing(int u, Entries stored) {
        if (u >= stamps.length) {
            return false;
        }
        int s = stamps[u];
        if (s >>> 3 != generation) {
            return false;
        }
        boolean asAssumed = switch (s & 3) {
            case ANY -> true;
            case NO_COLLISION -> !users.hasProxyCollision(u);
            case COLLISION -> users.hasProxyCollision(u);
            default -> false;
        };
        return asAssumed && ((s & SEATS) == 0 || stillNoSeat(stored));
    }

    /** Whether {@link #changesNothing} of {@code u} looks at free seats. */
    boolean dependsOnSeats(int u) {
        return u < stamps.length && (stamps[u] & SEATS) != 0;
    }

    /** Whether each unit of {@code es} in Error/CountViolation has a product it does not hold with no free seat now. */
    private boolean stillNoSeat(Entries es) {
        int count = States.pack(States.ERROR, States.COUNT_VIOLATION);
        for (int i = 0; i < es.size(); i++) {
            if (es.state(i) != count) {
                continue;
            }
            int src = es.src(i);
            boolean blocked = false;
            for (int j = 0; j < es.size() && !blocked; j++) {
                blocked = es.src(j) == src && !es.held(es.product(j)) && !seats.hasFreeSeat(es.product(j), es.key(j));
            }
            if (!blocked) {
                return false;
            }
        }
        return true;
    }

    /** Records {@code stamp} (from {@link #judge}, or 0: unknown) as user {@code u}'s. */
    void note(int u, int stamp) {
        if (u >= stamps.length) {
            if (stamp == 0) {
                return;
            }
            stamps = Arrays.copyOf(stamps, Math.max(u + 1, stamps.length + (stamps.length >> 1) + 16));
        }
        stamps[u] = stamp;
    }

    /**
     * The stamp of user {@code u}, whose entries {@code cur} were just settled as a whole by
     * {@code r}, or 0 when a retry could come out otherwise. Each failed unit is judged again
     * against the entries as they are now (a later unit's grant in the same settle may have
     * changed what it conflicts with), exactly as {@link UserResolver#processUnit} would: it must
     * fail with the error it holds.
     */
    int judge(int u, Entries cur, UserResolver r) {
        int assume = ANY;
        long prohibited = rules.prohibitedAt(users.usageLocationCode(u));
        for (int i = 0; i < cur.size(); i++) {
            int s = cur.state(i);
            if (States.holds(s)) {
                continue; // held: kept or settled by finish() from the user's own sources alone
            }
            if (States.state(s) != States.ERROR) {
                return 0;
            }
            int src = cur.src(i);
            long unit = unitRuleBits(cur, src);
            boolean isProhibited = (unit & prohibited) != 0;
            boolean checksR16 = !isProhibited && (unit & rules.uniqueness()) != 0;
            switch (States.error(s)) {
                case States.PROHIBITED_IN_USAGE_LOCATION_VIOLATION -> {
                    if (!isProhibited) {
                        return 0;
                    }
                }
                case States.UNIQUENESS_VIOLATION -> {
                    if (!checksR16 || !users.hasProxyCollision(u)) {
                        return 0;
                    }
                    assume |= COLLISION;
                }
                case States.MUTUALLY_EXCLUSIVE_VIOLATION -> {
                    if (isProhibited || !rules.conflicts(unit, r.unionActive(src))) {
                        return 0;
                    }
                    if (checksR16) {
                        if (users.hasProxyCollision(u)) {
                            return 0;
                        }
                        assume |= NO_COLLISION; // R16 is checked before R13 for this unit
                    }
                }
                case States.COUNT_VIOLATION -> {
                    // R15, R16 and R13 pass now as they passed then; the seats are looked at when asked
                    if (isProhibited || rules.conflicts(unit, r.unionActive(src))) {
                        return 0;
                    }
                    if (checksR16) {
                        if (users.hasProxyCollision(u)) {
                            return 0;
                        }
                        assume |= NO_COLLISION;
                    }
                    assume |= SEATS;
                }
                default -> {
                    return 0; // anything else may come out otherwise
                }
            }
        }
        return (assume & 3) == (COLLISION | NO_COLLISION) ? 0 : generation << 3 | assume;
    }

    /** Rule bits of every entry of unit {@code src} in {@code cur} (a failed unit's entries carry its demanded plans). */
    private long unitRuleBits(Entries cur, int src) {
        long bits = 0;
        for (int i = 0; i < cur.size(); i++) {
            if (cur.src(i) == src) {
                bits |= rules.ruleMask(cur.mask(i));
            }
        }
        return bits;
    }
}
