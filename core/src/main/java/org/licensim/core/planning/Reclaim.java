package org.licensim.core.planning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;
import org.licensim.core.state.UserEntries;

/**
 * The reclaim list: the seats held by accounts that do not use them, one row per user and
 * product, with where the licence comes from (a group's licence goes only when the user leaves
 * the group) and the money it frees. An account counts when it is disabled, or enabled and its
 * last sign-in ({@code signInActivity}) is more than {@code inactiveDays} days before
 * {@code now}; an account that never signed in, or a tenant exported without sign-in activity,
 * is not counted inactive (the same rule as the capacity plan's reclaim figures).
 */
public record Reclaim(int inactiveDays, long now, boolean signInActivity, String currency, List<Seat> seats) {

    /** One source of a held seat: direct ({@code groupId} null) or a group, and whether that group is dynamic. */
    public record Source(String groupId, String groupName, boolean dynamic) {
        public boolean direct() {
            return groupId == null;
        }

        /** "direct", or "group \"NAME\"" (with "dynamic" for a rule-based group). */
        public String describe() {
            return direct() ? "direct" : (dynamic ? "dynamic group \"" : "group \"") + (groupName == null ? groupId : groupName)
                    + "\"";
        }
    }

    /**
     * A seat of {@code sku} held by a user who does not use it: {@code reason} is "disabled" or
     * "inactive"; {@code lastSignIn} an ISO instant or null; {@code perYear} what the seat costs
     * a year (null without a price); {@code action} what frees it.
     */
    public record Seat(String userId, String userPrincipalName, String displayName, String reason, String lastSignIn,
                       String sku, String skuId, String product, List<Source> sources, Double perYear, String action) {
    }

    /**
     * The reclaim list of a resolved tenant; {@code monthly} maps a part number to its price a
     * month ({@code currency}; empty: no money figures).
     */
    public static Reclaim of(Engine engine, int inactiveDays, long now, String currency, Map<String, Double> monthly) {
        Users users = engine.tenant().users();
        Groups groups = engine.tenant().groups();
        Subscriptions subs = engine.tenant().subscriptions();
        long cutoff = now - inactiveDays * 86_400L;
        List<Seat> seats = new ArrayList<>();
        try {
            UserEntries.forEach(engine.store(), users, (u, es, count) -> {
                boolean disabled = !users.accountEnabled(u);
                long last = users.lastSignIn(u);
                boolean inactive = !disabled && last != Long.MIN_VALUE && last < cutoff;
                if (!disabled && !inactive) {
                    return;
                }
                for (int t = 0; t < subs.size(); t++) {
                    List<Source> sources = new ArrayList<>();
                    boolean held = false;
                    for (int i = 0; i < count; i++) {
                        int at = i * StateStore.ENTRY_INTS;
                        if (es[at + StateStore.PRODUCT] != t) {
                            continue;
                        }
                        held |= States.holds(es[at + StateStore.STATE]);
                        int src = es[at + StateStore.SRC];
                        sources.add(StateStore.isDirect(src) ? new Source(null, null, false)
                                : new Source(groups.id(src), groups.displayName(src), groups.isDynamic(src)));
                    }
                    if (!held) {
                        continue;
                    }
                    Product p = subs.product(t);
                    Double price = monthly.get(p.skuPartNumber());
                    seats.add(new Seat(users.id(u), users.get(u, "userPrincipalName"), users.get(u, "displayName"),
                            disabled ? "disabled" : "inactive", last == Long.MIN_VALUE ? null : Instant.ofEpochSecond(last).toString(),
                            p.skuPartNumber(), p.skuId(), p.displayName(), List.copyOf(sources),
                            price == null ? null : price * 12, action(sources)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Reclaim(inactiveDays, now, users.hasSignInActivity(), currency, List.copyOf(seats));
    }

    private static String action(List<Source> sources) {
        List<String> steps = new ArrayList<>();
        for (Source s : sources) {
            steps.add(s.direct() ? "remove the direct licence" : s.dynamic() ? "change " + s.describe() + "'s rule or the "
                    + "user's attributes (a rule-based group's members cannot be removed)" : "remove the user from " + s.describe()
                    + " (it takes every licence and access the group gives)");
        }
        return String.join("; ", steps);
    }

    /** What the seats cost a year, where priced. */
    public double perYear() {
        return seats.stream().filter(s -> s.perYear() != null).mapToDouble(Seat::perYear).sum();
    }

    /**
     * The changes that free the seats, in order: a direct licence removed, a user removed from an
     * assigned group (once per user and group, whatever the products); sources in dynamic groups
     * have no such change and are left out ({@link #unreachable}).
     */
    public List<Event> events(Instant time) {
        List<Event> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        long seq = 1;
        for (Seat s : seats) {
            for (Source src : s.sources()) {
                if (src.direct()) {
                    if (done.add("d " + s.userId() + " " + s.sku())) {
                        out.add(new Event.LicenseRemovedFromUser(seq++, time, s.userId(), s.sku()));
                    }
                } else if (!src.dynamic() && done.add("g " + s.userId() + " " + src.groupId())) {
                    out.add(new Event.MemberRemoved(seq++, time, src.groupId(), s.userId()));
                }
            }
        }
        return out;
    }

    /** Seats one of whose sources is a dynamic group: {@link #events} cannot free them. */
    public long unreachable() {
        return seats.stream().filter(s -> s.sources().stream().anyMatch(Source::dynamic)).count();
    }
}
