package org.licensim.core.planning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.Summary;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;
import org.licensim.core.state.UserEntries;

/**
 * What an administrator should look at in a resolved tenant, the way a nightly job checks it
 * (Entra gives no alert for group-based licensing errors): products whose consumption is at or
 * over a threshold of their seats, groups with members in licence error (SPEC R17), and products
 * whose users wait for a seat while seats are free, so that a group must be reprocessed (R18).
 */
public record HealthCheck(double thresholdPercent, List<NearlyFull> products, List<GroupInError> groups,
                          List<WaitingWhileFree> waiting, int days, List<Ending> ending) {

    /**
     * A subscription whose lifecycle moves on within the days looked at (or already should have):
     * from {@code status} to {@code nextStatus} on {@code date}, {@code inDays} from now (negative:
     * overdue). {@code seatsAfter} is what the product would have without its licences, and
     * {@code usersOver} how many holders that leaves without a seat.
     */
    public record Ending(String subscriptionId, String sku, String name, boolean trial, String status, String nextStatus,
                         String date, long inDays, int licences, int consumed, int seats, int seatsAfter, int usersOver) {
    }

    /**
     * A product with {@code consumed} of {@code capacity} seats in use, at or over the threshold, and
     * {@code waiting} users waiting for a seat of it; {@code shortBy} the seats it lacks
     * ({@link Shortage}: holders plus waiting users beyond its seats; 0 when it is not short).
     */
    public record NearlyFull(String sku, String name, int consumed, int capacity, int waiting, int shortBy) {
        public double percent() {
            return capacity == 0 ? 100 : 100.0 * consumed / capacity;
        }
    }

    /** A licensed group with {@code members} members holding one of its sources in an error state, by error. */
    public record GroupInError(String id, String displayName, int members, Map<String, Integer> byError) {
    }

    /**
     * Users waiting for product {@code sku} while {@code free} seats of it are free; the groups to
     * reprocess. When more wait than are free the product is also short ({@link Shortage}) by
     * {@code shortBy}: a reprocess serves {@code free} of them and the rest need seats bought.
     */
    public record WaitingWhileFree(String sku, String name, int users, int free, int shortBy, List<String> groups) {
    }

    /** Whether nothing was found. */
    public boolean clean() {
        return products.isEmpty() && groups.isEmpty() && waiting.isEmpty() && ending.isEmpty();
    }

    /** The check without subscription dates (as before they were read). */
    public static HealthCheck of(Engine engine, double thresholdPercent) {
        return of(engine, thresholdPercent, -1, 0);
    }

    /**
     * Also lists the subscriptions whose next lifecycle date is within {@code days} days of
     * {@code nowEpochSeconds} or already past ({@code days} < 0: none).
     */
    public static HealthCheck of(Engine engine, double thresholdPercent, int days, long nowEpochSeconds) {
        Subscriptions subs = engine.tenant().subscriptions();
        Groups groups = engine.tenant().groups();
        Summary s = Summary.of(engine);
        List<NearlyFull> full = new ArrayList<>();
        for (int t = 0; t < subs.size(); t++) {
            int cap = s.capacity()[t];
            if (s.consumed()[t] > 0 && s.consumed()[t] * 100.0 >= thresholdPercent * cap) {
                full.add(new NearlyFull(s.products()[t], subs.product(t).displayName(), s.consumed()[t], cap,
                        s.usersWaiting()[t], Shortage.shortBy(s.consumed()[t], s.usersWaiting()[t], cap)));
            }
        }
        int[] members = new int[groups.size()];
        List<Map<String, Integer>> byError = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            byError.add(new TreeMap<>());
        }
        int[] seen = new int[groups.size()];
        int[] stamp = {0};
        try {
            UserEntries.forEach(engine.store(), engine.tenant().users(), (u, es, n) -> {
                stamp[0]++;
                for (int i = 0; i < n; i++) {
                    int at = i * StateStore.ENTRY_INTS;
                    int src = es[at + StateStore.SRC];
                    int state = es[at + StateStore.STATE];
                    if (StateStore.isDirect(src) || States.error(state) == States.NONE) {
                        continue;
                    }
                    byError.get(src).merge(States.errorName(state), 1, Integer::sum);
                    if (seen[src] != stamp[0]) {
                        seen[src] = stamp[0];
                        members[src]++;
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<GroupInError> inError = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            if (members[g] > 0) {
                inError.add(new GroupInError(groups.id(g), groups.displayName(g), members[g], byError.get(g)));
            }
        }
        return new HealthCheck(thresholdPercent, List.copyOf(full), List.copyOf(inError), waitingWhileFree(engine, s), days,
                days < 0 ? List.of() : ending(engine, s, days, nowEpochSeconds));
    }

    /** The subscriptions moving on within {@code days} days (or overdue), soonest first. */
    static List<Ending> ending(Engine engine, Summary s, int days, long now) {
        Subscriptions subs = engine.tenant().subscriptions();
        List<Ending> out = new ArrayList<>();
        for (org.licensim.core.directory.CommercialSubscription c : engine.tenant().commercialSubscriptions()) {
            if (c.nextLifecycle() == null || c.status().equals("Deleted") || c.nextLifecycle() > now + days * 86_400L) {
                continue;
            }
            int t = subs.indexOf(engine.tenant().catalog().findProduct(c.skuId()));
            int consumed = t < 0 ? 0 : s.consumed()[t];
            int seats = t < 0 ? 0 : s.capacity()[t];
            int after = Math.max(0, seats - c.totalLicenses());
            long in = Math.floorDiv(c.nextLifecycle() - now, 86_400L);
            out.add(new Ending(c.id(), c.skuPartNumber(), t < 0 ? c.skuPartNumber() : subs.product(t).displayName(),
                    c.isTrial(), c.status(), c.nextStatus(), java.time.Instant.ofEpochSecond(c.nextLifecycle()).toString(),
                    in, c.totalLicenses(), consumed, seats, after, Math.max(0, consumed - after)));
        }
        out.sort(java.util.Comparator.comparing(Ending::date));
        return List.copyOf(out);
    }

    /**
     * The products whose users wait for a seat while seats of them are free (SPEC R18: a failed
     * source is not retried by itself), with the groups to reprocess (ids, in group order);
     * {@code s} is the engine's summary. Reads the store only when some product has such users.
     */
    public static List<WaitingWhileFree> waitingWhileFree(Engine engine, Summary s) {
        Subscriptions subs = engine.tenant().subscriptions();
        Groups groups = engine.tenant().groups();
        List<WaitingWhileFree> waiting = new ArrayList<>();
        List<java.util.SortedSet<Integer>> waitingGroups = null;
        for (int t = 0; t < subs.size(); t++) {
            int free = s.capacity()[t] - s.consumed()[t];
            if (s.usersWaiting()[t] > 0 && free > 0) {
                if (waitingGroups == null) {
                    waitingGroups = Summary.waitingGroups(engine);
                }
                List<String> ids = new ArrayList<>();
                waitingGroups.get(t).forEach(g -> ids.add(groups.id(g)));
                waiting.add(new WaitingWhileFree(s.products()[t], subs.product(t).displayName(), s.usersWaiting()[t], free,
                        Shortage.shortBy(s.consumed()[t], s.usersWaiting()[t], s.capacity()[t]), List.copyOf(ids)));
            }
        }
        return List.copyOf(waiting);
    }
}
