package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.graph.GraphFidelity;
import org.licensim.core.graph.GraphImport;
import org.licensim.core.io.SnapshotReader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code licensim import-graph}: a Microsoft Graph export to a snapshot, checked against what Graph reported. */
@Command(name = "import-graph", mixinStandardHelpOptions = true,
        description = {"Builds a tenant snapshot from a Microsoft Graph export (the responses of GET /subscribedSkus, "
                + "/users, /groups, /groups/{id}/members and /organization saved as files, paged or not: docs/IMPORT.md), "
                + "then resolves it from scratch and lists every user whose licences licensim resolves differently "
                + "from what Graph reported, with the rules involved.",
                "Example:", "  licensim import-graph --dir export/ --out tenant.json"})
final class ImportGraphCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "EXPORT_DIR", description = "The export directory.")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "SNAPSHOT", description = "The snapshot to write (JSON).")
    Path out;

    @Option(names = "--country", paramLabel = "CC", description = "The directory's country (ISO 3166 alpha-2) when the "
            + "export has no organization.json; overrides it otherwise.")
    String country;

    @Option(names = "--with-state", description = "Keep Graph's licenseAssignmentStates in the snapshot, so that "
            + "resolving it continues from the tenant's real state (the check still resolves from scratch).")
    boolean withState;

    @Option(names = "--no-check", description = "Write the snapshot without the fidelity check.")
    boolean noCheck;

    @Option(names = "--fail-on-difference", description = "Exit 4 when the fidelity check finds a difference.")
    boolean failOnDifference;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "What stdout gets: table (default), csv (the fidelity check's disagreements, one row per "
                    + "source) or json (the import and the check as one object); with csv and json the import's lines "
                    + "go to stderr; docs/IMPORT.md.")
    Format format;

    @Override
    public Integer call() throws java.io.IOException {
        // the import's and the check's lines are for people: on stdout with the table, on stderr beside CSV or JSON
        Printer printer = new Printer(format, spec);
        PrintWriter o = printer.say();
        long t0 = System.nanoTime();
        GraphImport.Result r = GraphImport.read(dir, Catalog.loadDefault(), country, withState);
        GraphImport.write(r, out);
        o.printf("imported %s: %,d users, %,d groups (%,d memberships; %,d members that are not users or groups "
                + "skipped), %d products, %,d direct and %,d group assignments%n", dir, r.users(), r.groups(),
                r.memberships(), r.skippedMembers(), r.skus(), r.directAssignments(), r.groupAssignments());
        r.notes().forEach(n -> o.println("  note: " + n));
        o.printf("wrote %s (%,d ms)%n", out, (System.nanoTime() - t0) / 1_000_000);
        if (noCheck) {
            print(printer, r, List.of());
            return 0;
        }
        Tenant t;
        try {
            t = SnapshotReader.withDefaults().read(out);
        } catch (LicensimException e) {
            throw new LicensimException("the snapshot built from " + dir + " does not load (" + e.getMessage() + ")", e);
        }
        if (withState) {
            // the check resolves from scratch: read the snapshot again without the states
            t.setPriorStates(null, -1);
        }
        Engine e = org.licensim.core.planning.WhatIf.resolve(t);
        List<GraphFidelity.Disagreement> d = GraphFidelity.compare(e, r);
        long users = d.stream().map(GraphFidelity.Disagreement::userId).distinct().count();
        print(printer, r, d);
        if (d.isEmpty()) {
            o.printf("fidelity check: licensim resolves all %,d users as Graph reported them%n", r.users());
            return 0;
        }
        o.printf("fidelity check: %,d of %,d users resolve differently from what Graph reported (%,d sources):%n", users,
                r.users(), d.size());
        d.forEach(x -> o.println("  " + x));
        o.println("  (a snapshot has no history: under seat scarcity Graph's holders come from the tenant's past, "
                + "licensim's from the snapshot's R11 order; --with-state keeps Graph's states for what follows)");
        return failOnDifference ? 4 : 0;
    }

    /** The check's result: with csv its disagreements as rows, with json the import and the check as one object. */
    private void print(Printer printer, GraphImport.Result r, List<GraphFidelity.Disagreement> d) throws java.io.IOException {
        printer.print(lines -> { }, () -> {
            Table t = Table.of("userId", "userPrincipalName", "product", "source", "graph", "licensim", "rules");
            d.forEach(x -> t.row(x.userId(), x.upn(), x.product(), x.source(), x.graph(), x.licensim(), x.rules()));
            return t;
        }, () -> {
            var json = Printer.JSON;
            var root = json.createObjectNode();
            root.put("export", dir.toString());
            root.put("snapshot", out.toString());
            root.put("users", r.users());
            root.put("groups", r.groups());
            root.put("memberships", r.memberships());
            root.put("skippedMembers", r.skippedMembers());
            root.put("products", r.skus());
            root.put("directAssignments", r.directAssignments());
            root.put("groupAssignments", r.groupAssignments());
            root.set("notes", json.valueToTree(r.notes()));
            if (!noCheck) {
                var check = root.putObject("fidelityCheck");
                check.put("usersDiffering", d.stream().map(GraphFidelity.Disagreement::userId).distinct().count());
                check.set("disagreements", json.valueToTree(d));
            }
            return root;
        });
    }
}
