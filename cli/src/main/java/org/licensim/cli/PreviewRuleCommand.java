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


    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (default: users by userPrincipalName), csv (one row per finding, every row, columns "
                    + "in docs/PLANNING.md) or json (one object).")
    Format format;

    @Override
    public Integer call() throws java.io.IOException {
        Main.requireNonNegative(spec, "--limit", limit);
        SnapshotReader reader = SnapshotReader.withDefaults();
        org.licensim.core.directory.Tenant probe = reader.read(snapshot);
        RulePreview p = RulePreview.of(() -> reader.read(snapshot), group, rule);
        Names names = new Names(probe);
        new Printer(format, spec).print(o -> table(o, p, names), () -> csv(p, names), () -> json(p, names));
        return 0;
    }

    /** Who joins and leaves, what they gain and lose, at most --limit lines a section; then the seats and warnings. */
    private void table(PrintWriter out, RulePreview p, Names names) {
        out.printf("preview: group %s%n  rule now:  %s%n  new rule:  %s%n", names.group(p.group()),
                p.oldRule() == null ? "(none: an assigned group)" : p.oldRule(), p.newRule());
        section(out, "would join", p.joining(), names::user);
        section(out, "would leave", p.leaving(), names::user);
        section(out, "licences gained", p.gained(), c -> names.user(c.user()) + " gains " + names.productLabel(c.product()));
        section(out, "licences lost", p.lost(), c -> names.user(c.user()) + " loses " + names.productLabel(c.product()));
        section(out, "new errors", p.newErrors(), c -> names.user(c.user()) + ", " + names.productLabel(c.product()) + ": "
                + c.detail());
        Table seats = seats();
        for (RulePreview.Seats s : p.seats()) {
            seats.row(names.productLabel(s.product()), s.before(), "->", s.after(), "of", s.capacity(),
                    s.after() == s.before() ? "" : String.format("  (%+,d)", s.after() - s.before()));
        }
        out.println("  seats (consumed before -> after, of capacity):");
        seats.print(out);
        p.warnings().forEach(w -> out.printf("  warning: %s%n", w));
        out.println("nothing was changed (dry run)");
    }

    /** One row per finding: section,userId,userPrincipalName,product,productName,detail,before,after,capacity,groupId,group. */
    private static Table csv(RulePreview p, Names n) {
        Table out = Table.of("section", "userId", "userPrincipalName", "product", "productName", "detail", "before", "after",
                "capacity", "groupId", "group");
        p.joining().forEach(u -> out.row("joins", u, n.upn(u), null, null, null, null, null, null, p.group(),
                n.groupName(p.group())));
        p.leaving().forEach(u -> out.row("leaves", u, n.upn(u), null, null, null, null, null, null, p.group(),
                n.groupName(p.group())));
        for (var section : List.of(java.util.Map.entry("gained", p.gained()), java.util.Map.entry("lost", p.lost()),
                java.util.Map.entry("newError", p.newErrors()))) {
            for (RulePreview.Change c : section.getValue()) {
                out.row(section.getKey(), c.user(), n.upn(c.user()), c.product(), n.product(c.product()), c.detail(),
                        null, null, null, c.group(), c.group() == null ? null : n.groupName(c.group()));
            }
        }
        p.warnings().forEach(w -> out.row("warning", null, null, null, null, w, null, null, null, null, null));
        for (RulePreview.Seats s : p.seats()) {
            out.row("seats", null, null, s.product(), n.product(s.product()),
                    s.after() > s.capacity() ? "over capacity" : null, s.before(), s.after(), s.capacity(), null, null);
        }
        return out;
    }

    /** The same findings as one JSON object, every list complete, with names beside the ids. */
    private static com.fasterxml.jackson.databind.node.ObjectNode json(RulePreview p, Names n) {
        com.fasterxml.jackson.databind.ObjectMapper m = Printer.JSON;
        var root = m.createObjectNode().put("group", p.group()).put("groupName", n.groupName(p.group()))
                .put("rule", p.oldRule()).put("newRule", p.newRule());
        for (var section : List.of(java.util.Map.entry("joining", p.joining()), java.util.Map.entry("leaving", p.leaving()))) {
            var arr = root.putArray(section.getKey());
            section.getValue().forEach(u -> arr.addObject().put("userId", u).put("userPrincipalName", n.upn(u)));
        }
        for (var section : List.of(java.util.Map.entry("gained", p.gained()), java.util.Map.entry("lost", p.lost()),
                java.util.Map.entry("newErrors", p.newErrors()))) {
            var arr = root.putArray(section.getKey());
            for (RulePreview.Change c : section.getValue()) {
                var o = arr.addObject().put("userId", c.user()).put("userPrincipalName", n.upn(c.user()))
                        .put("product", c.product()).put("productName", n.product(c.product())).put("detail", c.detail());
                if (c.group() != null) {
                    o.put("groupId", c.group()).put("group", n.groupName(c.group()));
                }
            }
        }
        var warnings = root.putArray("warnings");
        p.warnings().forEach(warnings::add);
        var seats = root.putArray("seats");
        for (RulePreview.Seats s : p.seats()) {
            seats.addObject().put("product", s.product()).put("productName", n.product(s.product())).put("before", s.before())
                    .put("after", s.after()).put("capacity", s.capacity()).put("overCapacity", s.after() > s.capacity());
        }
        return root;
    }

    private <T> void section(PrintWriter out, String title, List<T> items, Function<T, String> show) {
        section(out, title, items, show, limit);
    }

    /**
     * The seats section of preview-rule and whatif, a row per product: its name, seats consumed
     * before -> after, of capacity, then what to note (the change, over capacity).
     */
    static Table seats() {
        return new Table().indent("    ").noHeader().left("product", 28).right("before", 8).left("arrow", 0)
                .right("after", 8).left("of", 0).right("capacity", 8).left("note", 0).gap(0);
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
