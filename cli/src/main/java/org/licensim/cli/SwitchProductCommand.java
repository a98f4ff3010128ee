package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.licensim.core.io.SnapshotReader;
import org.licensim.core.planning.ProductSwitch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code licensim switch-product}: the order of steps that moves a group from one product to another. */
@Command(name = "switch-product", mixinStandardHelpOptions = true,
        description = {"Plans changing a group's product (e.g. Office 365 E1 to E3, docs/PLANNING.md): simulates the "
                + "candidate orders of steps on a copy and picks the one that ends without errors and leaves members "
                + "without a service for the fewest steps (conflicting plans can never be held together, R13). "
                + "--apply writes its steps as events.",
                "Example:", "  licensim switch-product tenant.json --group g-support --from STANDARDPACK --to ENTERPRISEPACK"})
final class SwitchProductCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Tenant snapshot JSON.")
    Path snapshot;

    @Option(names = "--group", required = true, paramLabel = "GROUP", description = "The group whose product changes: its id or display name.")
    String group;

    @Option(names = "--from", required = true, paramLabel = "SKU", description = "The product the group assigns now.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "SKU", description = "The product it should assign.")
    String to;

    @Option(names = "--disabled-plans", paramLabel = "PLAN", split = ",",
            description = "Plans of the new product to keep disabled (ids or names, comma-separated).")
    List<String> disabled = List.of();

    @Option(names = "--apply", paramLabel = "FILE", description = "Write the chosen steps, by the name's ending: .jsonl an "
            + "event feed, .json Microsoft Graph JSON batches, .ps1 a Microsoft.Graph PowerShell script (-WhatIf runs it "
            + "dry). May be given more than once. Written only when the chosen order ends without errors.")
    List<Path> apply = new java.util.ArrayList<>();

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (default), csv (one row per order simulated) or json (every order with its steps and "
                    + "the members it fails); columns in docs/PLANNING.md.")
    Format format;

    @Override
    public Integer call() throws java.io.IOException {
        Apply.check(apply);
        SnapshotReader reader = SnapshotReader.withDefaults();
        ProductSwitch s = ProductSwitch.plan(() -> reader.read(snapshot), group, from, to, disabled);
        Printer out = new Printer(format, spec);
        out.print(o -> table(o, s, reader), () -> csv(s), () -> json(s));
        writeFeed(out.say(), s, reader);
        return s.chosen().safe() ? 0 : 1;
    }

    /** The orders simulated, the chosen one's steps, what members lose and the seats needed. */
    private void table(PrintWriter o, ProductSwitch s, SnapshotReader reader) {
        Names names = new Names(reader.read(snapshot));
        String to = names.productLabel(s.to());
        o.printf("switch group %s from %s to %s: %d orders simulated%n", names.group(s.group()), names.productLabel(s.from()),
                to, s.candidates().size());
        for (ProductSwitch.Candidate c : s.candidates()) {
            o.printf("  %s %s%n      members with a gap: %,d (%,d service-steps), losing a service %s has at the end: %,d, new errors "
                            + "on the way: %,d, at the end: %,d%s%n",
                    c == s.chosen() ? "*" : " ", c.name(), c.membersWithGap(), c.serviceGaps(), to, c.membersLosingService(),
                    c.errorsOnTheWay(), c.errorsAtEnd(), c.safe() ? "" : " (not safe)");
        }
        ProductSwitch.Candidate c = s.chosen();
        o.println("steps:");
        for (int i = 0; i < c.stepNames().size(); i++) {
            o.printf("  %d. %s%n", i + 1, c.stepNames().get(i));
        }
        if (!s.notInTarget().isEmpty()) {
            o.printf("members lose, whatever the order (%s lacks them): %s%n", to, names.plans(s.notInTarget()));
        }
        if (!c.failedMembers().isEmpty()) {
            o.printf("members who would lose service (their new licence fails, %,d):%n", c.failedMembers().size());
            for (String m : c.failedMembers().subList(0, Math.min(20, c.failedMembers().size()))) {
                o.printf("  %s%n", m);
            }
            if (c.failedMembers().size() > 20) {
                o.printf("  ... and %,d more (--format json lists every one)%n", c.failedMembers().size() - 20);
            }
        }
        o.printf("seats of %s in use at the peak: %,d%n", to, c.peakSeatsOfTarget());
        ProductSwitch.Candidate one = s.candidates().get(0);
        long short_ = one.failedMembers().stream().filter(m -> m.endsWith(" CountViolation")).count();
        if (short_ > 0) {
            o.printf("%s is %,d seats short for the one request: buy them (or free them) first and it leaves %s%n", to,
                    short_, short_ == one.failedMembers().size() ? "no member without the new licence"
                            : "only the members whose new licence fails for another reason");
        }
        if (!c.safe()) {
            o.println("no order ends without errors: fix them first (e.g. seats, usage locations), then plan again");
        }
    }

    /**
     * With --apply, the chosen order's steps in each file asked for, and a line per file on {@code o};
     * when no order ends without errors, nothing (a command that fails writes nothing) and a line saying so.
     */
    private void writeFeed(PrintWriter o, ProductSwitch s, SnapshotReader reader) throws java.io.IOException {
        if (apply.isEmpty()) {
            return;
        }
        ProductSwitch.Candidate c = s.chosen();
        if (!c.safe()) {
            o.printf("nothing written to %s: no order ends without errors%n",
                    String.join(", ", apply.stream().map(Path::toString).toList()));
            return;
        }
        org.licensim.core.directory.Tenant before = reader.read(snapshot);
        Names names = new Names(before);
        Apply.write(apply, before, c.steps(), "licensim switch-product: group " + names.group(s.group())
                + " from " + names.productLabel(s.from()) + " to " + names.productLabel(s.to()) + " (" + c.name() + ")", o);
    }

    /** csv: one row per order simulated. */
    private static Table csv(ProductSwitch s) {
        Table t = Table.of("order", "chosen", "membersWithGap", "serviceSteps", "membersLosingService", "errorsOnTheWay",
                "errorsAtEnd", "safe", "peakSeatsOfTarget", "steps");
        for (ProductSwitch.Candidate c : s.candidates()) {
            t.row(c.name(), c == s.chosen(), c.membersWithGap(), c.serviceGaps(), c.membersLosingService(),
                    c.errorsOnTheWay(), c.errorsAtEnd(), c.safe(), c.peakSeatsOfTarget(), String.join("; ", c.stepNames()));
        }
        return t;
    }

    /** json: the switch with every order, its steps and the members it fails. */
    private com.fasterxml.jackson.databind.node.ObjectNode json(ProductSwitch s) {
        var json = Printer.JSON;
        var root = json.createObjectNode();
        root.put("group", s.group());
        root.put("groupName", s.groupName());
        root.put("from", s.from());
        root.put("to", s.to());
        root.set("notInTarget", json.valueToTree(s.notInTarget()));
        var orders = root.putArray("orders");
        for (ProductSwitch.Candidate c : s.candidates()) {
            var x = orders.addObject();
            x.put("order", c.name());
            x.put("chosen", c == s.chosen());
            x.put("membersWithGap", c.membersWithGap());
            x.put("serviceSteps", c.serviceGaps());
            x.put("membersLosingService", c.membersLosingService());
            x.put("errorsOnTheWay", c.errorsOnTheWay());
            x.put("errorsAtEnd", c.errorsAtEnd());
            x.put("safe", c.safe());
            x.put("peakSeatsOfTarget", c.peakSeatsOfTarget());
            x.set("steps", json.valueToTree(c.stepNames()));
            x.set("failedMembers", json.valueToTree(c.failedMembers()));
        }
        return root;
    }
}
