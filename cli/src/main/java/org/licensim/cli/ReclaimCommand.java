package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.planning.Reclaim;
import org.licensim.simulator.capacity.Prices;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code licensim reclaim}: the accounts holding seats they do not use, and the changes that free them. */
@Command(name = "reclaim", mixinStandardHelpOptions = true,
        description = {"Lists the seats held by disabled accounts and by users not signed in for --inactive-days days "
                + "(signInActivity, from import-graph): user, product, where the licence comes from (direct, or the group "
                + "to leave) and the money it frees with --prices; --apply writes the changes that free them as licensim "
                + "events (.jsonl), Microsoft Graph JSON batches (.json) or a Microsoft.Graph PowerShell script (.ps1). "
                + "The capacity plan counts these seats; this is the list behind the count (docs/PLANNING.md).",
                "Example:", "  licensim reclaim tenant.json --inactive-days 90 --prices prices.json --apply reclaim.ps1"})
final class ReclaimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Tenant snapshot JSON (from import-graph).")
    Path snapshot;

    @Option(names = "--events", paramLabel = "EVENTS", description = "Events to apply first (JSON Lines).")
    Path events;

    @Option(names = "--on-reject", paramLabel = "fail|skip", defaultValue = "fail",
            description = "What an event of --events the rules refuse does (as in resolve): fail (default) stops with "
                    + "exit 1; skip leaves the state unchanged for that event, goes on, and says which were skipped.")
    ResolveCommand.OnReject onReject;

    @Option(names = "--inactive-days", paramLabel = "DAYS", defaultValue = "90",
            description = "An enabled user whose last sign-in is older than this counts as inactive. Default: ${DEFAULT-VALUE}.")
    int inactiveDays;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "The time --inactive-days counts back from, and the time of the changes --apply writes (ISO 8601). "
                    + "Default: the time of the last event of --events, else the snapshot's evaluatedAt, else the clock.")
    String now;

    @Option(names = "--prices", paramLabel = "PRICES", description = "What a seat costs (docs/PLANNING.md): the money "
            + "each seat frees a year.")
    Path prices;

    @Option(names = "--apply", paramLabel = "FILE", description = "Write the changes that free the seats, by the name's "
            + "ending: .jsonl licensim events, .json Microsoft Graph JSON batches, .ps1 a Microsoft.Graph PowerShell script "
            + "(-WhatIf runs it dry). May be given more than once.")
    List<Path> apply = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "List at most N seats in the table "
            + "(csv and json list every one). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (default), csv (one row per user and product) or json (one object); columns in "
                    + "docs/PLANNING.md.")
    Format format;

    @Override
    public Integer call() throws Exception {
        Main.requireNonNegative(spec, "--limit", limit);
        Main.requireNonNegative(spec, "--inactive-days", inactiveDays);
        Apply.check(apply);
        Resolved in = Resolved.of(spec, snapshot, events, now, onReject);
        Tenant t = in.tenant();
        Engine e = in.engine();
        long from = in.now();
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < e.tenant().subscriptions().size(); i++) {
            skus.add(e.tenant().subscriptions().product(i).skuPartNumber());
        }
        Prices priced = prices == null ? null : Prices.read(prices, skus, Main.catalogProduct(e.tenant().catalog()));
        Reclaim rc = Reclaim.of(e, inactiveDays, from, priced == null ? null : priced.currency(),
                priced == null ? Map.of() : priced.perMonth());
        Printer out = new Printer(format, spec);
        in.sayRejected(out.say());
        out.print(o -> table(o, rc), () -> csv(rc), () -> rc);
        if (!apply.isEmpty()) {
            PrintWriter say = out.say();
            List<Event> changes = rc.events(java.time.Instant.ofEpochSecond(from), Math.max(1, e.lastAppliedSeq() + 1));
            if (changes.isEmpty()) {
                say.printf("nothing written to %s: no change frees a seat%s%n", String.join(", ",
                        apply.stream().map(Path::toString).toList()), rc.unreachable() > 0 ? " (the sources are dynamic groups)" : "");
            } else {
                Apply.write(apply, t, changes, "licensim reclaim " + snapshot + ": " + rc.seats().size()
                        + " seats held by disabled or inactive accounts", say);
                if (rc.unreachable() > 0) {
                    say.printf("  %,d seats come from dynamic groups too: no change in the files frees them (change the rule "
                            + "or the users' attributes)%n", rc.unreachable());
                }
            }
        }
        out.say().flush();
        return 0;
    }

    /** csv: one row per user and product (docs/PLANNING.md). */
    private static Table csv(Reclaim rc) {
        Table t = Table.of("userId", "userPrincipalName", "displayName", "reason", "lastSignIn", "sku", "skuId", "product",
                "sources", "perYear", "action");
        for (Reclaim.Seat s : rc.seats()) {
            t.row(s.userId(), s.userPrincipalName(), s.displayName(), s.reason(), s.lastSignIn(), s.sku(), s.skuId(),
                    s.product(), String.join("; ", s.sources().stream().map(Reclaim.Source::describe).toList()),
                    s.perYear() == null ? "" : String.format(Locale.ROOT, "%.2f", s.perYear()), s.action());
        }
        return t;
    }

    private void table(PrintWriter o, Reclaim rc) {
        String cur = rc.currency();
        o.printf(Locale.ROOT, "%s: %,d %s held by disabled accounts or users not signed in for %d days%s%n", snapshot,
                rc.seats().size(), rc.seats().size() == 1 ? "seat" : "seats", rc.inactiveDays(),
                rc.signInActivity() ? "" : " (the snapshot has no signInActivity: only disabled accounts are listed)");
        int shown = 0;
        for (Reclaim.Seat s : rc.seats()) {
            if (shown++ >= limit) {
                break;
            }
            o.printf(Locale.ROOT, "  %s%s, %s%s: %s from %s%s%n", s.userPrincipalName() == null ? s.userId() : s.userPrincipalName(),
                    s.displayName() == null || s.displayName().isBlank() ? "" : " (" + s.displayName() + ")",
                    s.reason(), s.lastSignIn() == null ? "" : " (last sign-in " + s.lastSignIn().substring(0, 10) + ")",
                    s.product() == null || s.product().isBlank() ? s.sku() : s.product() + " (" + s.sku() + ")",
                    String.join(" and ", s.sources().stream().map(Reclaim.Source::describe).toList()),
                    s.perYear() == null ? "" : ", " + Printer.money(s.perYear(), cur) + " a year");
            o.printf("      to free it: %s%n", s.action());
        }
        if (rc.seats().size() > limit) {
            o.printf("  ... and %,d more (--limit N shows more; --format csv lists every one)%n", rc.seats().size() - limit);
        }
        if (cur != null) {
            o.printf("reclaiming them frees %s a year%n", Printer.money(rc.perYear(), cur));
        }
    }
}
