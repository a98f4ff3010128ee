package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.rules.RuleMembership;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code licensim validate}: loads a snapshot (and optionally an event feed) and reports counts or every problem. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Loads a tenant snapshot and reports what it holds, or every problem found in it "
                + "(file:line:column, JSON path, the bad value). Exits 1 when there is any problem.",
                "Example:", "  licensim validate examples/contoso-small.json --events examples/contoso-small.events.jsonl"})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Tenant snapshot JSON (docs/FORMATS.md).")
    Path snapshot;

    @Option(names = "--events", paramLabel = "EVENTS", description = "Also check this JSON Lines event feed.")
    Path events;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        Tenant t = SnapshotReader.withDefaults().read(snapshot);
        long millis = (System.nanoTime() - started) / 1_000_000;
        // the events are checked before anything is printed: a run that exits 1 never says "valid" first
        long eventCount = events == null ? -1 : EventReader.check(events, t.lastAppliedSeq());
        Groups groups = t.groups();
        int dynamic = 0;
        int licensed = 0;
        for (int g = 0; g < groups.size(); g++) {
            dynamic += groups.isDynamic(g) ? 1 : 0;
            licensed += t.assignments().ofGroup(g).length > 0 ? 1 : 0;
        }
        out.printf("%s: valid (read in %d ms)%n", snapshot, millis);
        out.printf("  tenant          %s (default country %s, group licensing %s, auto-reprocess %s)%n",
                t.settings().id(), t.settings().defaultCountry(), t.settings().groupLicensingEnabled() ? "on" : "off",
                t.settings().autoReprocess() ? "on" : "off");
        out.printf("  users           %,d%n", t.users().liveCount());
        out.printf("  groups          %,d (%,d dynamic, %,d with licences)%n", groups.size(), dynamic, licensed);
        out.printf("  memberships     %,d%n", t.directory().membershipCount());
        out.printf("  assignments     %,d to groups, %,d direct%n", t.assignments().groupLicenseCount(),
                t.assignments().directCount());
        Subscriptions subs = t.subscriptions();
        out.printf("  products        %d%n", subs.size());
        for (int p = 0; p < subs.size(); p++) {
            Subscriptions.PrepaidUnits u = subs.units(p);
            out.printf("    %-28s enabled %,d, warning %,d, suspended %,d, lockedOut %,d%n",
                    subs.product(p).skuPartNumber(), u.enabled(), u.warning(), u.suspended(), u.lockedOut());
        }
        out.printf("  plan rules      %d conflicts, %d prerequisites, %d prohibitions, %d uniqueness plans%n",
                t.planRules().conflicts().size(), t.planRules().prerequisites().size(),
                t.planRules().prohibitions().size(), t.planRules().uniquenessPlans().length);
        // section 4: cycles of licence-driven groups that only add are accepted, but their members keep themselves in
        for (String warning : new RuleMembership().additiveCycles(t, null, null)) {
            out.printf("  warning: %s%n", warning);
        }
        if (events != null) {
            out.printf("%s: valid, %,d events%n", events, eventCount);
        }
        return 0;
    }
}
