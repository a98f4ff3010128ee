package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;

import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.planning.HealthCheck;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code licensim check}: what needs an administrator's attention, as a nightly job asks it; exit 3 when anything does. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Resolves a tenant snapshot (and events) and lists what needs attention: products whose seats are "
                + "used at or over --threshold percent, groups with members in licence error, and products whose users "
                + "wait for a seat while seats are free (a group to reprocess). Exits 3 when it finds anything, 0 when "
                + "nothing, 1 on bad input: meant to run nightly (docs/CHECK.md).",
                "Example:", "  licensim check tenant.json --threshold 90"})
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Tenant snapshot JSON (from import-graph, or by hand).")
    Path snapshot;

    @Option(names = "--events", paramLabel = "EVENTS", description = "Events to apply first (JSON Lines).")
    Path events;

    @Option(names = "--on-reject", paramLabel = "fail|skip", defaultValue = "fail",
            description = "What an event of --events the rules refuse does (as in resolve): fail (default) stops with "
                    + "exit 1; skip leaves the state unchanged for that event, goes on, and says which were skipped.")
    ResolveCommand.OnReject onReject;

    @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "90",
            description = "Seats in use, in percent, from which a product is listed. Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(names = "--days", paramLabel = "DAYS", defaultValue = "30",
            description = "List subscriptions (the snapshot's subscriptions, from import-graph) whose next lifecycle date "
                    + "(renewal, trial end) is within DAYS days, or past. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "The time --days counts from (ISO 8601). Default: the time of the last event of --events, else the "
                    + "snapshot's evaluatedAt, else the clock.")
    String now;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "List at most N users in licence error in the table (then how many more); csv and json list "
                    + "every one. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (default), csv (one row per finding) or json (the findings as one object); columns "
                    + "and fields in docs/CHECK.md.")
    Format format;

    @Override
    public Integer call() throws Exception {
        if (!(threshold >= 0 && threshold <= 100)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--threshold must be a percentage from 0 to 100, got " + threshold);
        }
        Main.requireNonNegative(spec, "--limit", limit);
        if (days < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--days must be 0 or more, got " + days);
        }
        Resolved in = Resolved.of(spec, snapshot, events, now, onReject);
        Tenant t = in.tenant();
        Engine e = in.engine();
        long from = in.now();
        HealthCheck c = HealthCheck.of(e, threshold, days, from);
        Printer out = new Printer(format, spec);
        in.sayRejected(out.say());
        out.print(o -> print(o, c, new Names(t)), () -> csv(c, new Names(t)), () -> c);
        return c.clean() ? 0 : Main.REGRESSION;
    }

    private void print(PrintWriter o, HealthCheck c, Names names) {
        if (c.clean()) {
            o.printf(Locale.ROOT, "%s: nothing needs attention (no product at %s%% of its seats, no member in licence "
                    + "error, nobody waiting while seats are free, no subscription ending within %d days)%n", snapshot,
                    fmt(threshold), days);
            return;
        }
        o.printf("%s: %d %s attention%n", snapshot, count(c), count(c) == 1 ? "finding needs" : "findings need");
        for (HealthCheck.NearlyFull p : c.products()) {
            o.printf(Locale.ROOT, "  seats: %s %.1f%% in use, %,d of %,d%s%s%n", label(p.name(), p.sku()), p.percent(),
                    p.consumed(), p.capacity(), p.consumed() >= p.capacity() ? ": full" : String.format(Locale.ROOT,
                            ", %,d left", p.capacity() - p.consumed()), p.shortBy() > 0 ? String.format(Locale.ROOT,
                            ", short by %,d (%,d %s)", p.shortBy(), p.waiting(), p.waiting() == 1 ? "user waits"
                                    : "users wait") : "");
        }
        for (HealthCheck.GroupInError g : c.groups()) {
            // a group without a display name is named by its id alone (never "null")
            o.printf(Locale.ROOT, "  errors: group %s: %,d %s in licence error (%s)%n", names.group(g.id()), g.members(),
                    g.members() == 1 ? "member" : "members", join(g.byError(), "%,d"));
        }
        users(o, c);
        for (HealthCheck.Ending x : c.ending()) {
            // the subscription's id goes to CSV and JSON; here its product, kind and size tell it apart
            o.printf(Locale.ROOT, "  subscription: %s, %s of %,d licences, moves from %s to %s on %s (%s)%s%n",
                    label(x.name(), x.sku()), x.trial() ? "trial" : "subscription", x.licences(), x.status(), x.nextStatus(),
                    x.date().substring(0, 10), x.inDays() < 0 ? Printer.days(-x.inDays()) + " overdue" : x.inDays() == 0 ? "today"
                            : "in " + Printer.days(x.inDays()), x.usersOver() > 0
                            ? String.format(Locale.ROOT, ": without it %,d seats for %,d holders, %,d over", x.seatsAfter(),
                                    x.consumed(), x.usersOver())
                            : x.consumed() == 0 ? ": no user holds the product"
                            : String.format(Locale.ROOT, ": the other %,d seats cover its %,d holders", x.seatsAfter(),
                                    x.consumed()));
        }
        for (HealthCheck.WaitingWhileFree w : c.waiting()) {
            o.printf(Locale.ROOT, "  reprocess: %,d %s for %s while %,d %s free: reprocess %s (SPEC R18)%s%n",
                    w.users(), w.users() == 1 ? "user waits" : "users wait", label(w.name(), w.sku()), w.free(),
                    w.free() == 1 ? "seat is" : "seats are", w.groups().isEmpty() ? "the users with direct assignments"
                            : (w.groups().size() == 1 ? "group " : "groups ")
                            + String.join(", ", w.groups().stream().map(names::group).toList()),
                    w.shortBy() > 0 ? String.format(Locale.ROOT, "; short by %,d: the rest need seats", w.shortBy()) : "");
        }
    }

    /** A product as people read it: "Office 365 E3 (ENTERPRISEPACK)", the part number alone when it has no other name. */
    private static String label(String name, String sku) {
        return name == null || name.isBlank() || name.equalsIgnoreCase(sku) ? sku : name + " (" + sku + ")";
    }

    /**
     * The users in licence error, at most --limit, then how many more; then, once per kind of
     * error found, what to do about it.
     */
    private void users(PrintWriter o, HealthCheck c) {
        if (c.users().isEmpty()) {
            return;
        }
        int n = c.users().size();
        o.printf("  users in licence error: %,d %s%n", n, n == 1 ? "licence" : "licences");
        java.util.Map<String, String> todo = new java.util.LinkedHashMap<>();
        int shown = 0;
        for (HealthCheck.UserInError u : c.users()) {
            todo.putIfAbsent(u.error().equals("CountViolation") ? u.error() + " of " + label(u.product(), u.sku()) : u.error(),
                    u.action());
            if (shown++ < limit) {
                o.printf("    %s%s: %s from %s: %s %s%n", u.userPrincipalName() == null ? u.userId() : u.userPrincipalName(),
                        u.displayName() == null || u.displayName().isBlank() ? "" : " (" + u.displayName() + ")",
                        u.product() == null || u.product().isBlank() ? u.sku() : u.product() + " (" + u.sku() + ")",
                        u.source(), u.state(), u.error());
            }
        }
        if (n > limit) {
            o.printf("    ... and %,d more (--limit N shows more; --format csv lists every one)%n", n - limit);
        }
        todo.forEach((kind, action) -> o.printf("  what to do, %s: %s%n", kind, action));
    }

    /** One row per finding: what it is, what it is about (id and name), and its figures. */
    static Table csv(HealthCheck c, Names names) {
        Table t = Table.of("finding", "id", "name", "users", "consumed", "capacity", "free", "percent", "detail", "displayName", "sku",
                "groupId", "groupName", "action");
        for (HealthCheck.NearlyFull p : c.products()) {
            t.row("seats", p.sku(), p.name(), "", p.consumed(), p.capacity(), Math.max(0, p.capacity() - p.consumed()),
                    String.format(Locale.ROOT, "%.1f", p.percent()), (p.consumed() >= p.capacity() ? "full" : "")
                            + (p.shortBy() > 0 ? (p.consumed() >= p.capacity() ? "; " : "") + "short by " + p.shortBy()
                            : ""), "", p.sku(), "", "", "");
        }
        for (HealthCheck.GroupInError g : c.groups()) {
            t.row("errors", g.id(), g.displayName(), g.members(), "", "", "", "", join(g.byError(), "%d"), "", "", g.id(),
                    g.displayName(), "");
        }
        for (HealthCheck.WaitingWhileFree w : c.waiting()) {
            // the groups to reprocess by id and by name ("; " between several), and the action in words
            t.row("reprocess", w.sku(), w.name(), w.users(), "", "", w.free(), "", (w.groups().isEmpty()
                    ? "reprocess the users with direct assignments" : "reprocess " + String.join(", ", w.groups()))
                    + (w.shortBy() > 0 ? "; short by " + w.shortBy() : ""), "", w.sku(), String.join("; ", w.groups()),
                    String.join("; ", w.groups().stream().map(g -> Objects.requireNonNullElse(names.groupName(g), g)).toList()),
                    w.groups().isEmpty() ? "reprocess the users with direct assignments"
                            : "reprocess " + (w.groups().size() == 1 ? "group " : "groups ")
                            + String.join(", ", w.groups().stream().map(names::group).toList()));
        }
        for (HealthCheck.Ending x : c.ending()) {
            t.row("subscription", x.sku(), x.name(), x.usersOver(), x.consumed(), x.seats(), "", "",
                    (x.trial() ? "trial " : "") + x.subscriptionId() + ": " + x.status() + " -> " + x.nextStatus() + " on "
                            + x.date() + " (" + x.inDays() + " days), " + x.licences() + " licences, " + x.seatsAfter()
                            + " seats without them", "", x.sku(), "", "", "");
        }
        for (HealthCheck.UserInError u : c.users()) {
            t.row("user", u.userId(), u.userPrincipalName(), 1, "", "", "", "", u.state() + " " + u.error(),
                    u.displayName(), u.sku(), u.groupId(), u.groupName(), u.action());
        }
        return t;
    }

    private static int count(HealthCheck c) {
        return c.products().size() + c.groups().size() + c.waiting().size() + c.ending().size()
                + (int) c.users().stream().filter(u -> u.groupId() == null).count();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** "CountViolation 3, MutuallyExclusiveViolation 1". */
    /** "CountViolation 2,073, MutuallyExclusiveViolation 6": each count in {@code number}'s format. */
    static String join(java.util.Map<String, Integer> byError, String number) {
        StringBuilder sb = new StringBuilder();
        byError.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, number, v)));
        return sb.toString();
    }
}
