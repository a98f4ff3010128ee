package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.planning.Migration;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code licensim migrate}: which direct assignments group-based licensing makes redundant, and the events to remove them. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Plans the move from direct to group-based licensing (docs/PLANNING.md): with the snapshot's "
                + "groups, plus an optional target policy (group assignment events), lists the direct assignments that "
                + "inherited sources fully cover (safe to remove), the ones that would lose plans (with the plans), and "
                + "writes the events in a safe order with --apply. The plan is checked by applying it to a copy.",
                "Example:", "  licensim migrate tenant.json --policy policy.jsonl --apply migration.jsonl"})
final class MigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Tenant snapshot JSON.")
    Path snapshot;

    @Option(names = "--policy", paramLabel = "EVENTS", description = "Group assignment events that set up the target "
            + "policy (JSON Lines, applied before any removal).")
    Path policy;

    @Option(names = "--apply", paramLabel = "FILE", description = "Write the policy and the removals, in their safe order, "
            + "by the name's ending: .jsonl an event feed for licensim resolve, .json Microsoft Graph JSON batches, .ps1 a "
            + "Microsoft.Graph PowerShell script (-WhatIf runs it dry). May be given more than once (docs/FORMATS.md).")
    List<Path> apply = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "List at most N per section.")
    int limit;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (default: users by userPrincipalName, at most --limit per list), csv (one row per direct "
                    + "assignment, every one) or json (one object); columns in docs/PLANNING.md.")
    Format format;

    @Override
    public Integer call() throws Exception {
        Main.requireNonNegative(spec, "--limit", limit);
        Apply.check(apply);
        List<Event> events = new ArrayList<>();
        if (policy != null) {
            try (EventReader r = EventReader.open(policy)) {
                for (Event e = r.next(); e != null; e = r.next()) {
                    events.add(e);
                }
            }
        }
        SnapshotReader reader = SnapshotReader.withDefaults();
        Migration m = Migration.plan(() -> reader.read(snapshot), events);
        org.licensim.core.directory.Tenant before = reader.read(snapshot);
        Names names = new Names(before);
        Printer out = new Printer(format, spec);
        out.print(o -> table(o, m, names), () -> csv(m, names), () -> json(m, names));
        writeFeed(out.say(), m, before);
        return 0;
    }

    /** Users by userPrincipalName, at most --limit per list, and the order the changes go in. */
    private void table(PrintWriter o, Migration m, Names names) {
        o.printf("migration plan for %s%s%n", snapshot, policy == null ? "" : " under the policy in " + policy);
        o.printf("  remove (inherited sources enable every plan): %,d%n", m.remove().size());
        m.remove().stream().limit(limit).forEach(d -> o.printf("    %s, %s%n", names.user(d.user()),
                names.productLabel(d.product())));
        more(o, m.remove().size());
        o.printf("  keep: %,d%n", m.keep().size());
        m.keep().stream().limit(limit).forEach(d -> o.printf("    %s, %s: %s%s%n", names.user(d.user()),
                names.productLabel(d.product()), d.reason(),
                d.plansLost().isEmpty() ? "" : " (would lose " + names.plans(d.plansLost()) + ")"));
        more(o, m.keep().size());
        o.printf("  order: %,d policy events, then %,d removals; checked on a copy: no user loses a plan or gains an error%n",
                m.policy().size(), m.remove().size());
    }

    /** With --apply, the policy events then the removals in each file asked for, and a line per file on {@code say}. */
    private void writeFeed(PrintWriter say, Migration m, org.licensim.core.directory.Tenant before) {
        if (!apply.isEmpty() && m.events().isEmpty()) {
            // empty request files would only look like work done
            say.printf("nothing written to %s: no change to make (no direct licence is covered by a group%s)%n",
                    String.join(", ", apply.stream().map(Path::toString).toList()),
                    policy == null ? "; --policy adds the group assignments that would cover them" : "");
        } else if (!apply.isEmpty()) {
            Apply.write(apply, before, m.events(), "licensim migrate " + snapshot + ": " + m.policy().size()
                    + " policy changes, then " + m.remove().size() + " direct licences removed", say);
            apply.stream().filter(f -> f.toString().endsWith(".jsonl")).findFirst()
                    .ifPresent(f -> say.printf("  (try the feed: licensim resolve %s --events %s)%n", snapshot, f));
        }
    }

    /** csv: one row per direct assignment, removed or kept. */
    private static Table csv(Migration m, Names names) {
        Table t = Table.of("action", "userId", "userPrincipalName", "sku", "product", "reason", "plansLost");
        for (String action : new String[] {"remove", "keep"}) {
            for (Migration.Direct d : action.equals("remove") ? m.remove() : m.keep()) {
                t.row(action, d.user(), names.upn(d.user()), d.product(), names.product(d.product()), d.reason(),
                        String.join(" ", d.plansLost()));
            }
        }
        return t;
    }

    /** json: the plan as one object. */
    private com.fasterxml.jackson.databind.node.ObjectNode json(Migration m, Names names) {
        var json = Printer.JSON;
        var root = json.createObjectNode();
        root.put("snapshot", snapshot.toString());
        root.put("policyEvents", m.policy().size());
        for (String list : new String[] {"remove", "keep"}) {
            var a = root.putArray(list);
            for (Migration.Direct d : list.equals("remove") ? m.remove() : m.keep()) {
                var x = a.addObject();
                x.put("userId", d.user());
                x.put("userPrincipalName", names.upn(d.user()));
                x.put("sku", d.product());
                x.put("product", names.product(d.product()));
                x.put("reason", d.reason());
                x.set("plansLost", json.valueToTree(d.plansLost()));
            }
        }
        return root;
    }

    private void more(PrintWriter o, int n) {
        if (n > limit) {
            o.printf("    ... and %,d more%n", n - limit);
        }
    }
}
