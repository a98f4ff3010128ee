package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.licensim.core.io.SnapshotReader;
import org.licensim.core.planning.RulePreview;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code licensim preview-rule}: a dry run of a dynamic group's rule change. Changes nothing. */
@Command(name = "preview-rule", mixinStandardHelpOptions = true,
        description = {"Shows what changing a dynamic group's membership rule would do, without doing it: who would "
                + "join and leave, which licences they would gain or lose, seats per product before and after, and "
                + "sources that would go into error. The snapshot is not modified.",
                "Example:", "  licensim preview-rule examples/contoso-small.json --group b0000000-0000-4000-8000-0000000000a2 "
                + "--rule 'user.department -in [\"Engineering\",\"Finance\"]'"})
final class PreviewRuleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Tenant snapshot JSON (with or without state).")
    Path snapshot;

    @Option(names = "--group", required = true, paramLabel = "GROUP", description = "The group whose rule changes: its id or display name.")
    String group;

    @Option(names = "--rule", required = true, paramLabel = "RULE", description = "The new membership rule.")
    String rule;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "List at most N users per section (default ${DEFAULT-VALUE}); counts are always complete.")
    int limit;

    @Override
    public Integer call() {
        Main.requireNonNegative(spec, "--limit", limit);
        PrintWriter out = spec.commandLine().getOut();
        SnapshotReader reader = SnapshotReader.withDefaults();
        RulePreview p = RulePreview.of(() -> reader.read(snapshot), group, rule);
        out.printf("preview: group \"%s\"%n  rule now:  %s%n  new rule:  %s%n", p.group(),
                p.oldRule() == null ? "(none: an assigned group)" : p.oldRule(), p.newRule());
        section(out, "would join", p.joining(), Function.identity());
        section(out, "would leave", p.leaving(), Function.identity());
        section(out, "licences gained", p.gained(), c -> c.user() + " +" + c.product());
        section(out, "licences lost", p.lost(), c -> c.user() + " -" + c.product());
        section(out, "new errors", p.newErrors(), c -> c.user() + " " + c.product() + " " + c.detail());
        out.println("  seats (consumed before -> after, of capacity):");
        for (RulePreview.Seats s : p.seats()) {
            out.printf("    %-28s %,8d -> %,8d of %,8d%s%n", s.product(), s.before(), s.after(), s.capacity(),
                    s.after() == s.before() ? "" : String.format("  (%+,d)", s.after() - s.before()));
        }
        out.println("nothing was changed (dry run)");
        return 0;
    }

    private <T> void section(PrintWriter out, String title, List<T> items, Function<T, String> show) {
        section(out, title, items, show, limit);
    }

    /** A counted section of at most {@code limit} lines ("... and N more" after them); whatif and migrate use it too. */
    static <T> void section(PrintWriter out, String title, List<T> items, Function<T, String> show, int limit) {
        out.printf("  %s: %,d%n", title, items.size());
        for (int i = 0; i < items.size() && i < limit; i++) {
            out.println("    " + show.apply(items.get(i)));
        }
        if (items.size() > limit) {
            out.printf("    ... and %,d more%n", items.size() - limit);
        }
    }
}
