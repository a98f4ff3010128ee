package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.EngineRun;
import org.licensim.core.engine.Summary;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.io.SnapshotWriter;
import org.licensim.core.io.StateCsvWriter;
import org.licensim.core.io.StateWriter;
import org.licensim.core.planning.HealthCheck;
import org.licensim.core.state.States;
import org.licensim.core.state.StoreFailure;
import org.licensim.core.state.StoreSession;
import org.licensim.core.state.StoreSource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code licensim resolve}: a snapshot, optionally a feed of events, to the resolved state. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = {"Resolves every user's licences, plans and error states from a tenant snapshot and, "
                + "optionally, a JSON Lines event feed applied in order; writes the resolved state (docs/FORMATS.md) "
                + "and prints a summary: users, seats per product, errors by kind.",
                "Example:", "  licensim resolve examples/contoso-small.json --events examples/contoso-small.events.jsonl "
                + "--out state.json"})
final class ResolveCommand implements Callable<Integer> {
    enum OnReject { fail, skip }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Tenant snapshot JSON.")
    Path snapshot;

    @Option(names = "--events", paramLabel = "EVENTS", description = "Events to apply after the snapshot (JSON Lines).")
    Path events;

    @Option(names = "--out", paramLabel = "STATE", description = "Write the resolved state here, replaced atomically: "
            + "Graph-shaped JSON, or with a .csv name one row per user, product and source (for big tenants and data "
            + "tools; docs/FORMATS.md).")
    Path out;

    @Option(names = "--out-snapshot", paramLabel = "SNAPSHOT",
            description = "Also write the tenant as it now is, with its resolved state, as a snapshot: resolving it "
                    + "later (with further events) continues exactly where this run stopped.")
    Path outSnapshot;

    @Option(names = "--on-reject", paramLabel = "fail|skip", defaultValue = "fail",
            description = "What a rejected event does (unknown id, refused by the rules): fail (default) stops with "
                    + "exit 1 and writes nothing; skip leaves the state unchanged for that event, goes on, and lists it.")
    OnReject onReject;

    @Option(names = "--store", paramLabel = "DIR",
            description = "Keep the resolved state in a persisted store directory (off the Java heap, crash safe; "
                    + "docs/STORE.md). A new directory is created and reconciled; an existing store is resumed: the "
                    + "same snapshot and events are read again up to the store's last applied event, checked against "
                    + "it, and the events after it are applied to it.")
    Path store;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "What stdout gets: table (default: the summary), csv (one row per product) or json (the "
                    + "summary as one object); columns and fields in docs/FORMATS.md.")
    Format format;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr.")
    boolean quiet;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "system.now of time-driven membership rules when the snapshot is loaded (ISO 8601, e.g. "
                    + "2026-03-01T00:00:00Z). Default: the snapshot's evaluatedAt, else the current time. Each event "
                    + "then moves it to the event's time.")
    String now;

    /** Whether some live group's rule compares a date with system.now. */
    private static boolean timeDriven(Tenant t) {
        for (int g = 0; g < t.groups().size(); g++) {
            String rule = t.groups().isDeleted(g) ? null : t.groups().membershipRule(g);
            if (rule != null && rule.toLowerCase(java.util.Locale.ROOT).contains("system.now")) {
                return true;
            }
        }
        return false;
    }

    private org.licensim.core.engine.EngineBuilder builder(Tenant tenant) {
        org.licensim.core.engine.EngineBuilder b = Engine.builder(tenant);
        if (now != null) {
            Long at = org.licensim.core.rules.RuleParser.instantOrNull(now);
            if (at == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--now " + now
                        + ": expected an ISO 8601 instant such as 2026-03-01T00:00:00Z or a date such as 2026-03-01");
            }
            b.now(java.time.Instant.ofEpochSecond(at));
        }
        return b;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        refuseOutputs();
        long t0 = System.nanoTime();
        Tenant tenant = SnapshotReader.withDefaults().read(snapshot);
        long t1 = System.nanoTime();
        EngineRun run;
        if (store != null) {
            if (now == null && tenant.evaluatedAt() == null && timeDriven(tenant)) {
                // the store is checked against a replay when resumed: system.now at load must be the same then
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), snapshot + " has time-driven "
                        + "membership rules (system.now) and no evaluatedAt: give --now, so that resuming the store "
                        + "later evaluates them at the same time as this run");
            }
            run = builder(tenant).persisted(store, StoreSource.ofFile(snapshot), Main.progress(err, quiet));
        } else {
            run = builder(tenant).run();
        }
        try (run) {
            return run(o, err, run, t0, t1);
        }
    }

    private boolean csvOut() {
        return out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
    }

    /**
     * Refuses, before any reading, output paths the writing at the end would refuse (a folder, a
     * link), and the state and the snapshot named as one file: a big tenant's work is not done for
     * nothing, and neither file is written.
     */
    private void refuseOutputs() {
        if (out != null) {
            AtomicFile.refuseUnwritable(out, csvOut() ? "resolved state (CSV)" : "resolved state");
        }
        if (outSnapshot != null) {
            AtomicFile.refuseUnwritable(outSnapshot, "snapshot");
        }
        if (out != null && outSnapshot != null && out.toAbsolutePath().normalize().equals(outSnapshot.toAbsolutePath().normalize())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--out and --out-snapshot both name "
                    + out + ": the state and the snapshot are two files; give two paths");
        }
    }

    /**
     * Records the absolute paths of the snapshot and events in the store directory
     * ({@link StateCommand#INPUTS}), so {@code licensim state DIR --user UPN} finds users by name
     * without being told where the inputs are. Written after the commit: a killed build has none.
     */
    private void recordInputs() {
        com.fasterxml.jackson.databind.node.ObjectNode n = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        n.put("snapshot", snapshot.toAbsolutePath().normalize().toString());
        if (events == null) {
            n.putNull("events");
        } else {
            n.put("events", events.toAbsolutePath().normalize().toString());
        }
        org.licensim.core.files.AtomicFile.write(store.resolve(StateCommand.INPUTS), "the store's inputs record",
                out -> new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, n));
    }

    private Integer run(PrintWriter o, PrintWriter err, EngineRun run, long t0, long t1) throws Exception {
        Engine engine = run.engine();
        StoreSession session = run.persisted().orElse(null);
        long t2 = System.nanoTime();
        long applied = 0;
        List<String> rejected = new ArrayList<>();
        long rejectedCount = 0;
        if (events != null) {
            long lastReport = System.nanoTime();
            try (EventReader r = EventReader.open(events)) {
                for (Event e = r.next(); e != null; e = r.next()) {
                    try {
                        run.apply(e);
                        applied++;
                    } catch (StoreFailure ex) {
                        // never a rejected event, whatever --on-reject says: the store is at its last commit
                        throw new LicensimException(events + ":" + r.line() + ": event seq " + e.seq()
                                + ": the store failed, the run stops: " + ex.getMessage(), ex);
                    } catch (LicensimException ex) {
                        if (onReject == OnReject.fail) {
                            throw new LicensimException(events + ":" + r.line() + ": " + ex.getMessage()
                                    + (session == null ? " (nothing was written" : " (the store holds the state after "
                                    + "event seq " + engine.lastAppliedSeq() + "; no other file was written")
                                    + "; --on-reject skip goes on past rejected events)");
                        }
                        rejectedCount++;
                        if (rejected.size() < 20) {
                            rejected.add(events + ":" + r.line() + ": " + ex.getMessage());
                        }
                    }
                    long now = System.nanoTime();
                    if (!quiet && now - lastReport > 2_000_000_000L) {
                        double secs = (now - t2) / 1e9;
                        err.printf("  %,d events applied (%,.0f events/s)%n", applied, applied / secs);
                        err.flush();
                        lastReport = now;
                    }
                }
            }
        }
        run.finish();
        if (session != null) {
            recordInputs();
        }
        long t3 = System.nanoTime();
        // the summary's pass over the state runs beside the writing (a core is free while the file system
        // takes the file); only where the store's reads may run at once
        java.util.concurrent.FutureTask<Summary> summary = new java.util.concurrent.FutureTask<>(() -> Summary.of(engine));
        if ((out != null || outSnapshot != null) && engine.store().concurrentReads()) {
            Thread t = new Thread(summary, "licensim-summary");
            t.setDaemon(true);
            t.start();
        }
        // the state and the snapshot are one result: both are written beside their targets and moved
        // in together, so a failure while writing the second (a full disk) leaves both as they were
        try (AtomicFile.Group files = new AtomicFile.Group()) {
            if (out != null) {
                if (csvOut()) {
                    files.write(out, "resolved state (CSV)", w -> StateCsvWriter.write(engine, w));
                } else {
                    files.write(out, "resolved state", w -> StateWriter.write(engine, w));
                }
            }
            if (outSnapshot != null) {
                files.write(outSnapshot, "snapshot", w -> SnapshotWriter.write(engine, w));
            }
            files.commit();
        }
        long t4 = System.nanoTime();
        summary.run(); // nothing when it ran beside the writing
        Summary s = summaryOf(summary);
        List<ProductRow> products = ProductRow.of(engine, s);
        long appliedCount = applied;
        long rejectedTotal = rejectedCount;
        new Printer(format, o, err).print(x -> table(x, run, session, s, products, appliedCount, rejected, rejectedTotal,
                t0, t1, t2, t3, t4), () -> csv(products), () -> summaryJson(engine, s, products, appliedCount, rejectedTotal));
        return 0;
    }

    /** The summary the task made, or its failure as it was thrown. */
    private static Summary summaryOf(java.util.concurrent.FutureTask<Summary> summary) throws Exception {
        try {
            return summary.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e.getCause();
        }
    }

    /** A product's line of the summary: its seats, what is left, and its users in error. */
    record ProductRow(String sku, String name, int consumed, int available, int capacity, int usersInError) {
        static List<ProductRow> of(Engine engine, Summary s) {
            List<ProductRow> rows = new ArrayList<>();
            for (int t = 0; t < s.products().length; t++) {
                rows.add(new ProductRow(s.products()[t], engine.tenant().subscriptions().product(t).displayName(),
                        s.consumed()[t], Math.max(0, s.capacity()[t] - s.consumed()[t]), s.capacity()[t],
                        s.usersInError()[t]));
            }
            return rows;
        }
    }

    /** csv: one row per product (docs/FORMATS.md). */
    private static Table csv(List<ProductRow> products) {
        Table t = Table.of("sku", "product", "consumed", "available", "capacity", "usersInError");
        products.forEach(p -> t.row(p.sku(), p.name(), p.consumed(), p.available(), p.capacity(), p.usersInError()));
        return t;
    }

    private void table(PrintWriter o, EngineRun run, StoreSession session, Summary s, List<ProductRow> products,
            long applied, List<String> rejected, long rejectedCount, long t0, long t1, long t2, long t3, long t4) {
        Engine engine = run.engine();
        o.printf("resolved %s%s: %,d users%n", snapshot, events == null ? "" : " + " + events, s.users());
        o.printf("  read %,d ms, reconcile %,d ms%s%s%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                events == null ? "" : String.format(", %,d %s in %,d ms (%,.0f events/s)", applied, applied == 1 ? "event" : "events",
                        (t3 - t2) / 1_000_000, applied / Math.max(1e-9, (t3 - t2) / 1e9)),
                out == null && outSnapshot == null ? "" : String.format(", write %,d ms", (t4 - t3) / 1_000_000));
        Table t = new Table().indent("  ").left("product", 28).right("consumed", 10).right("available", 10)
                .right("capacity", 10).right("in error", 10).left("name", 0).gap(2);
        products.forEach(p -> t.row(p.sku(), p.consumed(), p.available(), p.capacity(), p.usersInError(), p.name()));
        t.print(o);
        o.printf("  sources in error: %s%n", errorsByKind(s.sourcesByError()));
        reprocessHints(o, engine, s);
        if (rejectedCount > 0) {
            o.printf("  %,d %s%n", rejectedCount, rejectedCount == 1 ? "event rejected (state unchanged for it):"
                    : "events rejected (state unchanged for each):");
            rejected.forEach(x -> o.println("    " + x));
            if (rejectedCount > rejected.size()) {
                o.printf("    ... and %,d more%n", rejectedCount - rejected.size());
            }
        }
        if (session != null) {
            o.printf("store %s: %s, state after event seq %d (%,d values, %,d MB of map files)%n", store,
                    session.created() ? "created" : "resumed after seq " + session.resumedAfter() + ", "
                            + String.format("%,d", run.replayed()) + " events read again",
                    engine.lastAppliedSeq(), session.store().entries(), session.store().offHeapBytes() >> 20);
        }
        if (out != null) {
            o.printf("wrote %s%n", out);
        }
        if (outSnapshot != null) {
            long seq = engine.lastAppliedSeq();
            o.printf("wrote %s (snapshot with state, %s)%n", outSnapshot,
                    seq < 0 ? "no event applied yet" : "last event seq " + seq);
        }
    }

    /** The summary as one JSON object (docs/FORMATS.md, "resolve --format json"). */
    private com.fasterxml.jackson.databind.node.ObjectNode summaryJson(Engine engine, Summary s, List<ProductRow> products,
            long applied, long rejectedCount) {
        var json = Printer.JSON;
        var root = json.createObjectNode();
        root.put("snapshot", snapshot.toString());
        if (events != null) {
            root.put("events", events.toString());
        }
        root.put("users", s.users());
        root.put("lastAppliedSeq", engine.lastAppliedSeq());
        root.put("eventsApplied", applied);
        root.put("eventsRejected", rejectedCount);
        root.set("products", json.valueToTree(products));
        var errors = root.putObject("sourcesInError");
        long[] byKind = s.sourcesByError();
        for (int k = 1; k < byKind.length; k++) {
            if (byKind[k] > 0) {
                errors.put(States.errorNameOf(k), byKind[k]);
            }
        }
        root.set("waitingWhileSeatsAreFree", json.valueToTree(HealthCheck.waitingWhileFree(engine, s)));
        return root;
    }

    /**
     * SPEC R18: users who wait for a product while seats of it are free wait for a reprocess,
     * which Entra does not do by itself; say which groups to reprocess.
     */
    static void reprocessHints(PrintWriter o, Engine engine, Summary s) {
        Names named = new Names(engine.tenant());
        for (HealthCheck.WaitingWhileFree w : HealthCheck.waitingWhileFree(engine, s)) {
            List<String> names = new ArrayList<>();
            for (String id : w.groups()) {
                names.add(named.group(id));
            }
            o.printf("  note: %,d %s for %s while %,d %s free; their sources failed when seats ran out and are "
                    + "retried only when their user is touched (SPEC R18): reprocess %s%n", w.users(),
                    w.users() == 1 ? "user waits" : "users wait", named.productLabel(w.sku()), w.free(),
                    w.free() == 1 ? "seat is" : "seats are", names.isEmpty() ? "the users with the direct assignments"
                            : (names.size() == 1 ? "group " : "groups ") + String.join(", ", names));
        }
    }

    /** "CountViolation 12, UniquenessViolation 3" from counts indexed by error code, or "none". */
    static String errorsByKind(long[] byKind) {
        StringBuilder errors = new StringBuilder();
        for (int k = 1; k < byKind.length; k++) {
            if (byKind[k] > 0) {
                errors.append(errors.length() == 0 ? "" : ", ").append(States.errorNameOf(k)).append(' ')
                        .append(String.format("%,d", byKind[k]));
            }
        }
        return errors.length() == 0 ? "none" : errors.toString();
    }
}
