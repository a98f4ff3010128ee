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

    /**
     * One source of a held seat: direct ({@code groupId} null) or a group, and whether that group
     * is dynamic. For a group whose rule is a memberOf rule (section 4: Entra's way to license
     * the members of nested groups), {@code via} are the groups it names that the user is a
     * direct member of: the user holds the licence through them. A user who leaves a named group
     * stays in the memberOf group until its rule is modified (docs/SPEC-NOTES.md, memberOf), so
     * the seat is freed by leaving every one of them and then saving {@code rule} again.
     */
    public record Source(String groupId, String groupName, boolean dynamic, List<Via> via, String rule) {
        public Source(String groupId, String groupName, boolean dynamic) {
            this(groupId, groupName, dynamic, List.of(), null);
        }

        public boolean direct() {
            return groupId == null;
        }

        /** Whether changes licensim writes (leaving assigned groups, removing a direct licence) free this source. */
        public boolean reachable() {
            return !dynamic || (!via.isEmpty() && via.stream().noneMatch(Via::dynamic));
        }

        /** "direct", or "group \"NAME\"" (with "dynamic" for a rule-based group). */
        public String describe() {
            return direct() ? "direct" : (dynamic ? "dynamic group \"" : "group \"") + (groupName == null ? groupId : groupName)
                    + "\"";
        }
    }

    /** A group a memberOf rule names and the user is a direct member of; {@code dynamic} when its own members come from a rule. */
    public record Via(String groupId, String groupName, boolean dynamic) {
        /** "group \"NAME\"" (with "dynamic" for a rule-based group). */
        public String describe() {
            return (dynamic ? "dynamic group \"" : "group \"") + (groupName == null ? groupId : groupName) + "\"";
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
        Map<Integer, int[]> memberOf = new java.util.HashMap<>();
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
                        List<Via> via = StateStore.isDirect(src) ? List.of() : via(groups, memberOf, src, u);
                        sources.add(StateStore.isDirect(src) ? new Source(null, null, false)
                                : new Source(groups.id(src), groups.displayName(src), groups.isDynamic(src), via,
                                        via.isEmpty() ? null : groups.membershipRule(src)));
                    }
                    if (!held) {
                        continue;
                    }
                    Product p = subs.product(t);
                    Double price = monthly.get(p.skuPartNumber());
                    seats.add(new Seat(users.id(u), users.get(u, "userPrincipalName"), users.get(u, "displayName"),
                            disabled ? "disabled" : "inactive", last == Long.MIN_VALUE ? null : Instant.ofEpochSecond(last).toString(),
                            p.skuPartNumber(), p.skuId(), p.displayName(), List.copyOf(sources),
                            price == null ? null : price * 12, action(sources, disabled)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Reclaim(inactiveDays, now, users.hasSignInActivity(), currency, List.copyOf(seats));
    }

    /**
     * The groups group {@code g}'s memberOf rule names that user {@code u} is a direct member of
     * (empty for any other group); each group's rule is parsed once.
     */
    private static List<Via> via(Groups groups, Map<Integer, int[]> memberOf, int g, int u) {
        int[] named = memberOf.computeIfAbsent(g, k -> {
            String rule = groups.isDynamic(k) ? groups.membershipRule(k) : null;
            if (rule == null || groups.rulePaused(k)) { // a paused rule is not evaluated again when saved
                return new int[0];
            }
            try {
                if (org.licensim.core.rules.RuleParser.parse(rule) instanceof org.licensim.core.rules.Rule.MemberOf m) {
                    return m.groupIds().stream().mapToInt(groups::indexOf).filter(x -> x >= 0).toArray();
                }
            } catch (org.licensim.core.rules.RuleException e) {
                // a rule the tenant loaded parses; nothing to follow otherwise
            }
            return new int[0];
        });
        List<Via> out = new ArrayList<>();
        for (int x : named) {
            if (groups.userMembers(x).contains(u)) {
                out.add(new Via(groups.id(x), groups.displayName(x), groups.isDynamic(x)));
            }
        }
        return List.copyOf(out);
    }

    private static String action(List<Source> sources, boolean disabled) {
        List<String> steps = new ArrayList<>();
        for (Source s : sources) {
            if (s.direct()) {
                steps.add("remove the direct licence");
            } else if (!s.via().isEmpty()) {
                // a memberOf group: the user is in it through the groups its rule names, and leaves it by leaving them
                List<String> leave = new ArrayList<>();
                for (Via v : s.via()) {
                    leave.add(v.dynamic() ? "change " + v.describe() + "'s rule or the user's attributes" : "remove the user "
                            + "from " + v.describe());
                }
                steps.add(String.join(" and ", leave) + ", then save " + s.describe() + "'s memberOf rule again ("
                        + s.describe() + " takes its members from " + (s.via().size() == 1 ? "that group" : "those groups")
                        + ", and keeps one who leaves until its rule is modified; leaving takes every licence and access "
                        + (s.via().size() == 1 ? "that group gives" : "those groups give") + ")");
            } else if (s.dynamic() && disabled) {
                // the usual cure for every disabled account at once: the rule itself leaves them out
                steps.add("add -and (user.accountEnabled -eq true) to " + s.describe() + "'s rule, so that disabled "
                        + "accounts leave it (a rule-based group's members cannot be removed), or change the user's attributes");
            } else if (s.dynamic()) {
                steps.add("change " + s.describe() + "'s rule or the user's attributes (a rule-based group's members cannot "
                        + "be removed)");
            } else {
                steps.add("remove the user from " + s.describe() + " (it takes every licence and access the group gives)");
            }
        }
        return String.join("; ", steps);
    }

    /** What the seats cost a year, where priced. */
    public double perYear() {
        return seats.stream().filter(s -> s.perYear() != null).mapToDouble(Seat::perYear).sum();
    }

    /**
     * The changes that free the seats, in order: a direct licence removed, a user removed from an
     * assigned group (once per user and group, whatever the products), or, for a memberOf group,
     * from the assigned groups its rule names that hold the user, then that group's rule saved
     * again (once per group, at the end); other sources in dynamic groups have no such change and
     * are left out ({@link #unreachable}). They are numbered from {@code firstSeq}: the seq after
     * the last event the state applied, so that they continue its feed.
     */
    public List<Event> events(Instant time, long firstSeq) {
        List<Event> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        Map<String, String> resave = new java.util.LinkedHashMap<>();
        long seq = firstSeq;
        for (Seat s : seats) {
            for (Source src : s.sources()) {
                if (src.direct()) {
                    if (done.add("d " + s.userId() + " " + s.sku())) {
                        out.add(new Event.LicenseRemovedFromUser(seq++, time, s.userId(), s.sku()));
                    }
                } else if (!src.dynamic()) {
                    if (done.add("g " + s.userId() + " " + src.groupId())) {
                        out.add(new Event.MemberRemoved(seq++, time, src.groupId(), s.userId()));
                    }
                } else if (src.reachable()) {
                    for (Via v : src.via()) {
                        if (done.add("g " + s.userId() + " " + v.groupId())) {
                            out.add(new Event.MemberRemoved(seq++, time, v.groupId(), s.userId()));
                        }
                    }
                    resave.put(src.groupId(), src.rule());
                }
            }
        }
        // each memberOf group's rule saved once, after every member it should let go has left the groups it names
        for (Map.Entry<String, String> r : resave.entrySet()) {
            out.add(new Event.GroupRuleChanged(seq++, time, r.getKey(), r.getValue(), false));
        }
        return out;
    }

    /** Seats one of whose sources is a dynamic group that no written change empties: {@link #events} cannot free them. */
    public long unreachable() {
        return seats.stream().filter(s -> s.sources().stream().anyMatch(x -> !x.reachable())).count();
    }
}
