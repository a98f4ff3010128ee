package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.licensim.core.event.Event;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.EventWriter;
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

    @Option(names = "--apply", paramLabel = "EVENTS", description = "Write the policy and the removals as an event feed "
            + "(JSON Lines) to apply with licensim resolve.")
    Path apply;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "List at most N per section.")
    int limit;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (default: users by userPrincipalName, at most --limit per list), csv (one row per direct "
                    + "assignment, every one) or json (one object); columns in docs/PLANNING.md.")
    Format format;

    @Override
    public Integer call() throws Exception {
        Main.requireNonNegative(spec, "--limit", limit);
        PrintWriter o = spec.commandLine().getOut();
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
        Names names = new Names(reader.read(snapshot));
        if (format != Format.table) {
            print(o, m, names);
            writeFeed(o, m, format == Format.table);
            return 0;
        }
        o.printf("migration plan for %s%s%n", snapshot, policy == null ? "" : " under the policy in " + policy);
        o.printf("  remove (inherited sources enable every plan): %d%n", m.remove().size());
        m.remove().stream().limit(limit).forEach(d -> o.printf("    %s %s%n", names.user(d.user()), d.product()));
        more(o, m.remove().size());
        o.printf("  keep: %d%n", m.keep().size());
        m.keep().stream().limit(limit).forEach(d -> o.printf("    %s %s: %s%s%n", names.user(d.user()), d.product(), d.reason(),
                d.plansLost().isEmpty() ? "" : " (would lose " + String.join(", ", d.plansLost()) + ")"));
        more(o, m.keep().size());
        o.printf("  order: %d policy events, then %d removals; checked on a copy: no user loses a plan or gains an error%n",
                m.policy().size(), m.remove().size());
        writeFeed(o, m, true);
        return 0;
    }

    /** With --apply, the feed of policy events then removals; {@code say}: and a line saying so. */
    private void writeFeed(PrintWriter o, Migration m, boolean say) {
        if (apply != null) {
            AtomicFile.write(apply, "event feed", out -> {
                EventWriter w = new EventWriter(out);
                for (Event e : m.events()) {
                    w.write(e);
                }
                w.flush();
            });
            (say ? o : spec.commandLine().getErr()).printf("wrote %s (%d events; licensim resolve %s --events %s)%n", apply,
                    m.events().size(), snapshot, apply);
        }
    }

    /** csv: one row per direct assignment (removed or kept); json: the plan as one object. */
    private void print(PrintWriter o, Migration m, Names names) throws java.io.IOException {
        if (format == Format.csv) {
            Csv.row(o, "action", "userId", "userPrincipalName", "sku", "product", "reason", "plansLost");
            for (Migration.Direct d : m.remove()) {
                Csv.row(o, "remove", d.user(), names.upn(d.user()), d.product(), names.product(d.product()), d.reason(),
                        String.join(" ", d.plansLost()));
            }
            for (Migration.Direct d : m.keep()) {
                Csv.row(o, "keep", d.user(), names.upn(d.user()), d.product(), names.product(d.product()), d.reason(),
                        String.join(" ", d.plansLost()));
            }
            return;
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
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
        o.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private void more(PrintWriter o, int n) {
        if (n > limit) {
            o.printf("    ... and %d more%n", n - limit);
        }
    }
}
