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
                          List<WaitingWhileFree> waiting, int days, List<Ending> ending, List<UserInError> users) {

    /**
     * One licence source of one user in an error state: who ({@code userId}, {@code userPrincipalName},
     * {@code displayName}), which product ({@code sku} part number, {@code skuId}, {@code product} name),
     * where it comes from ({@code groupId} and {@code groupName}, both null for a direct assignment),
     * its {@code state} and {@code error} as Graph names them, and {@code action}: what to do.
     */
    public record UserInError(String userId, String userPrincipalName, String displayName, String sku, String skuId,
                              String product, String groupId, String groupName, String state, String error, String action) {
        /** "direct" or "group NAME". */
        public String source() {
            return groupId == null ? "direct" : "group " + (groupName == null ? groupId : "\"" + groupName + "\"");
        }
    }

    /**
     * What an administrator does about a source in {@code error} (a States code) for a product
     * with {@code free} seats free now and, for a seat error, whether it comes from a group.
     */
    public static String action(int error, int free, boolean group, String product) {
        return switch (error) {
            case States.COUNT_VIOLATION -> free > 0
                    ? "reprocess " + (group ? "the group" : "the user") + ": " + String.format(java.util.Locale.ROOT, "%,d", free)
                            + (free == 1 ? " seat" : " seats") + " of "
                            + product + (free == 1 ? " is" : " are") + " free now"
                    : "buy seats of " + product + " or free one (licensim reclaim lists the seats of disabled and inactive "
                            + "accounts), then reprocess";
            case States.MUTUALLY_EXCLUSIVE_VIOLATION -> "remove the conflicting licence: another product the user holds has a "
                    + "plan that cannot be held with this one (or disable that plan in one of the two assignments)";
            case States.DEPENDENCY_VIOLATION -> "assign the prerequisite plan first (a product that includes it), or "
                    + "disable the plan that needs it";
            case States.PROHIBITED_IN_USAGE_LOCATION_VIOLATION -> "set the user's usage location to a country where every "
                    + "enabled plan is offered (or disable the plan not offered there), then reprocess";
            case States.UNIQUENESS_VIOLATION -> "fix the duplicate proxy address (another object uses one of this user's "
                    + "proxyAddresses), then reprocess";
            default -> "look the user up in the admin center (Licences), fix the cause it names, then reprocess";
        };
    }

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
        return products.isEmpty() && groups.isEmpty() && waiting.isEmpty() && ending.isEmpty() && users.isEmpty();
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
        org.licensim.core.directory.Users us = engine.tenant().users();
        List<UserInError> users = new ArrayList<>();
        try {
            UserEntries.forEach(engine.store(), engine.tenant().users(), (u, es, n) -> {
                stamp[0]++;
                for (int i = 0; i < n; i++) {
                    int at = i * StateStore.ENTRY_INTS;
                    int src = es[at + StateStore.SRC];
                    int state = es[at + StateStore.STATE];
                    if (States.error(state) == States.NONE) {
                        continue;
                    }
                    int t = es[at + StateStore.PRODUCT];
                    org.licensim.core.catalog.Product p = subs.product(t);
                    boolean direct = StateStore.isDirect(src);
                    String name = p.displayName() == null || p.displayName().isBlank() ? p.skuPartNumber()
                            : p.displayName() + " (" + p.skuPartNumber() + ")";
                    users.add(new UserInError(us.id(u), us.get(u, "userPrincipalName"), us.get(u, "displayName"),
                            p.skuPartNumber(), p.skuId(), p.displayName(), direct ? null : groups.id(src),
                            direct ? null : groups.displayName(src), States.stateName(state), States.errorName(state),
                            action(States.error(state), s.capacity()[t] - s.consumed()[t], !direct, name)));
                    if (direct) {
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
                days < 0 ? List.of() : ending(engine, s, days, nowEpochSeconds), List.copyOf(users));
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
            // calendar days between the UTC dates, the date printed beside it: at 23:30 a date of tomorrow 00:00
            // is "in 1 day", not "today", and noon of the day after a date is "1 day overdue", not "today"
            long in = java.time.temporal.ChronoUnit.DAYS.between(
                    java.time.LocalDate.ofInstant(java.time.Instant.ofEpochSecond(now), java.time.ZoneOffset.UTC),
                    java.time.LocalDate.ofInstant(java.time.Instant.ofEpochSecond(c.nextLifecycle()), java.time.ZoneOffset.UTC));
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
