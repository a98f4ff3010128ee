package org.licensim.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.HdrHistogram.Histogram;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.io.EventWriter;
import org.licensim.core.io.StateWriter;
import org.licensim.simulator.population.People;
import org.licensim.simulator.run.ResultsWriter;
import org.licensim.simulator.run.Simulation;
import org.licensim.simulator.run.SimulationResult;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.Scenarios;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code licensim simulate}: a scenario's months of churn replayed through the engine, day by day. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Generates a synthetic tenant and months of churn from a scenario (docs/SCENARIOS.md), replays "
                + "them through the engine on a simulated clock, and writes the day series (seats, errors, group "
                + "sizes, events) and a summary of which products run short and when.",
                "With no SCENARIO it runs the shipped default (100,000 users, 180 days).",
                "Examples:", "  licensim simulate", "  licensim simulate seat-crunch --out crunch",
                "  licensim simulate my-scenario.json --seed 7 --events"})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", defaultValue = Scenarios.DEFAULT,
            description = "A shipped scenario (default, small, enterprise, seat-crunch) or a scenario file; with "
                    + "--churn, --history or --audits, a tenant snapshot to start from. "
                    + "Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Results directory (created; earlier results of the same scenario are replaced, those of "
                    + "another scenario only with --force, any other non-empty directory is refused). "
                    + "Default: licensim-out/<scenario name>.")
    Path out;

    @picocli.CommandLine.Mixin
    TenantInputs tenant = new TenantInputs();

    @Option(names = "--force", description = "Replace the results of another scenario in the --out directory.")
    boolean force;

    @Option(names = "--seed", paramLabel = "N", description = "Replace the scenario's seed.")
    Long seed;

    @Option(names = "--users", paramLabel = "N", description = "Replace the scenario's day-0 user count "
            + "(seats and rates given as percentages scale with it).")
    Integer users;

    @Option(names = "--days", paramLabel = "N", description = "Replace the number of simulated days.")
    Integer days;

    @Option(names = "--events", description = "Also write snapshot.json and events.jsonl: the run as a snapshot and "
            + "event feed that `licensim resolve --on-reject skip` replays to the same state.")
    boolean writeEvents;

    @Option(names = "--state", description = "Also write state.json: every user's final licence state (docs/FORMATS.md).")
    boolean writeState;

    @Option(names = "--list", description = "List the shipped scenarios and exit.")
    boolean list;

    @Option(names = "--print-scenario", paramLabel = "NAME",
            description = "Print a shipped scenario's file (to copy and edit) and exit.")
    String print;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "What stdout gets: table (default: the summary), csv (one row per product; columns in "
                    + "docs/SCENARIOS.md) or json (summary.json itself). The results directory is written in every case.")
    Format format;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!list && print == null) {
            People.prepare(); // datafaker's name lists load while the catalog does
        }
        Catalog catalog = Catalog.loadDefault();
        if (list) {
            for (String name : Scenarios.NAMES) {
                Scenario s = Scenarios.shipped(name, catalog);
                o.printf("%-12s %,9d users, %3d days  %s%n", name, s.users(), s.days(), s.description());
            }
            return 0;
        }
        if (print != null) {
            if (!Scenarios.NAMES.contains(print)) {
                throw new LicensimException("no shipped scenario \"" + print + "\"; there are "
                        + String.join(", ", Scenarios.NAMES));
            }
            o.print(Scenarios.text(print));
            return 0;
        }
        checkOverride("--users", users, 0, 20_000_000);
        checkOverride("--days", days, 0, 3_650);
        Scenario s = tenant.scenario(scenario, catalog, users, days, err, quiet).with(seed, users, days);
        Path dir = out != null ? out : Path.of("licensim-out", s.name());
        boolean madeDir = ResultsWriter.prepare(dir, s.name(), force);
        if (!quiet) {
            err.printf("simulating \"%s\": %,d users, %d days from %s (seed %d) -> %s%n", s.name(), s.users(), s.days(),
                    s.start(), s.seed(), dir);
            err.flush();
        }
        SimulationResult r;
        // every file of the run is written beside its target and moved in only when all are complete: a run that fails
        // (a full disk, an interrupt) leaves earlier results whole, and removes the folder it made
        try (AtomicFile.Group files = new AtomicFile.Group()) {
            Simulation sim = new Simulation(s, catalog);
            Progress progress = quiet ? null : new Progress(err, System.console() != null);
            if (writeEvents) {
                files.write(dir.resolve("snapshot.json"), "the starting snapshot", f -> f.write(sim.initialSnapshot()));
                Path log = dir.resolve("events.jsonl");
                try (EventWriter w = new EventWriter(new BufferedOutputStream(files.open(log, "the event log"), 1 << 16))) {
                    r = sim.run(progress, w::write);
                } catch (IOException | java.io.UncheckedIOException x) { // a full disk: name the file it could not write
                    IOException cause = x instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) x;
                    throw new IOException("cannot write the event log " + log + ": " + cause.getMessage(), cause);
                }
            } else {
                r = sim.run(progress, null);
            }
            if (progress != null) {
                progress.done();
            }
            ResultsWriter.write(r, dir, files);
            if (writeState) {
                files.write(dir.resolve("state.json"), "the resolved state", f -> StateWriter.write(sim.engine(), f));
            }
            files.commit();
        } catch (RuntimeException | IOException | Error e) {
            if (madeDir) {
                try {
                    Files.deleteIfExists(dir); // only when empty: the group removed its temporary files
                } catch (IOException notEmpty) {
                    e.addSuppressed(notEmpty); // something else wrote there: leave it; the run's own error is the one to report
                }
            }
            throw e;
        }
        SimulationResult result = r;
        new Printer(format, o, err).print(x -> printSummary(x, result, dir, catalog), () -> csv(result),
                () -> new com.fasterxml.jackson.databind.util.RawValue(Files.readString(dir.resolve("summary.json"))));
        return 0;
    }

    /** csv: one row per product (docs/SCENARIOS.md). */
    private static Table csv(SimulationResult r) {
        Table t = Table.of("sku", "product", "seats", "consumed", "waiting", "firstShortDate", "firstShortDay",
                "peakWaiting", "peakWaitingDay");
        for (int i = 0; i < r.outcomes().size(); i++) {
            SimulationResult.ProductOutcome p = r.outcomes().get(i);
            t.row(p.sku(), r.productNames().get(i), p.capacityAtEnd(), p.consumedAtEnd(), p.waitingAtEnd(),
                    p.ranShort() ? r.scenario().start().plusDays(p.firstShortDay()) : "", p.ranShort() ? p.firstShortDay() : "",
                    p.peakWaiting(), p.peakWaiting() == 0 ? "" : p.peakWaitingDay());
        }
        return t;
    }

    private void checkOverride(String name, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new LicensimException(name + " " + value + " is out of range: " + min + " to " + max);
        }
    }

    private void printSummary(PrintWriter o, SimulationResult r, Path dir, Catalog catalog) {
        Scenario s = r.scenario();
        double secs = r.wallNanos() / 1e9;
        long events = r.totalEvents() + r.totalRejected();
        Histogram all = r.allLatency();
        o.printf("simulated \"%s\": %,d users on day 0, %,d on day %d; %d days from %s, seed %d%n", s.name(), s.users(),
                r.days().get(r.days().size() - 1).users(), s.days(), s.days(), s.start(), s.seed());
        o.printf("  %,d events in %.1f s (%,.0f events/s; %.1f s of it in the engine); engine per event p50 %.1f us, "
                + "p99 %.1f us, max %.1f ms%n", events, secs, events / Math.max(secs, 1e-9), r.engineNanos() / 1e9,
                all.getValueAtPercentile(50) / 1e3,
                all.getValueAtPercentile(99) / 1e3, all.getMaxValue() / 1e6);
        Table t = new Table().indent("  ").left("product", 22).right("seats", 10).right("consumed", 10)
                .left("first short of seats", 24).left("peak waiting", 22).right("waiting", 10).left("name", 0).gap(2);
        for (SimulationResult.ProductOutcome p : r.outcomes()) {
            t.row(p.sku(), p.capacityAtEnd(), p.consumedAtEnd(), p.ranShort() ? dayText(s, p.firstShortDay()) : "never",
                    p.peakWaiting() == 0 ? "-" : String.format("%,d on day %d", p.peakWaiting(), p.peakWaitingDay()),
                    p.waitingAtEnd(), displayName(catalog, p.sku()));
        }
        t.print(o);
        StringBuilder ranShort = new StringBuilder();
        for (SimulationResult.ProductOutcome p : r.outcomes()) {
            if (p.ranShort()) {
                ranShort.append(ranShort.length() == 0 ? "" : "; ").append(p.sku()).append(" from ")
                        .append(dayText(s, p.firstShortDay()))
                        .append(p.waitingAtEnd() == 0 ? " (cleared by the end)"
                                : String.format(" (%,d still waiting at the end)", p.waitingAtEnd()));
            }
        }
        o.printf("  short of seats: %s%n", ranShort.length() == 0 ? "no product" : ranShort);
        String full = nearlyFull(r.outcomes());
        if (!full.isEmpty()) {
            o.printf("  nearly full at the end (%s%% or more of the seats in use): %s%n", fmtPercent(NEARLY_FULL), full);
        }
        o.printf("  licence errors at the end (sources): %s%n",
                ResolveCommand.errorsByKind(r.days().get(r.days().size() - 1).errors()));
        if (!r.rejections().isEmpty()) {
            o.printf("  %,d events refused by the rules (state unchanged), by kind:%n", r.totalRejected());
            r.rejections().stream().sorted((a, b) -> Long.compare(b.count(), a.count())).limit(5)
                    .forEach(x -> o.printf("    %,7d  %s, e.g. %s%n", x.count(), x.reason(), x.example()));
            if (r.rejections().size() > 5) {
                o.printf("    ... %d more kinds in summary.json%n", r.rejections().size() - 5);
            }
        }
        o.printf("results: %s (days.json, days.csv, summary.json, timing.json%s%s)%n", dir,
                writeEvents ? ", snapshot.json, events.jsonl" : "", writeState ? ", state.json" : "");
    }

    /** The product's name as portals show it ("Office 365 E3"), or "" when the part number names none or several. */
    private static String displayName(Catalog catalog, String sku) {
        try {
            var p = catalog.findProduct(sku);
            return p == null ? "" : p.displayName();
        } catch (LicensimException ambiguous) {
            return "";
        }
    }

    /** Share of a product's seats in use from which the summary warns, before it runs short. */
    static final double NEARLY_FULL = 0.95;

    /** Products not short at the end whose consumption is at least {@link #NEARLY_FULL} of their seats, with what is left. */
    static String nearlyFull(java.util.List<SimulationResult.ProductOutcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        for (SimulationResult.ProductOutcome p : outcomes) {
            int cap = p.capacityAtEnd();
            if (cap > 0 && p.waitingAtEnd() == 0 && p.consumedAtEnd() < cap && p.consumedAtEnd() >= NEARLY_FULL * cap) {
                sb.append(sb.length() == 0 ? "" : "; ").append(String.format(java.util.Locale.ROOT, "%s %.1f%% (%,d of %,d, "
                        + "%,d left)", p.sku(), 100.0 * p.consumedAtEnd() / cap, p.consumedAtEnd(), cap,
                        cap - p.consumedAtEnd()));
            }
        }
        return sb.toString();
    }

    private static String fmtPercent(double share) {
        return String.valueOf(Math.round(share * 100));
    }

    private static String dayText(Scenario s, int day) {
        return "day " + day + " (" + s.start().plusDays(day) + ")";
    }

    /** Days done, events/s and time left, on one line redrawn in place (or a line per 10% when not a terminal). */
    static final class Progress implements Simulation.Listener {
        private final PrintWriter err;
        private final boolean terminal;
        private long lastDraw;
        private long day0Nanos = -1;
        private int lastTenth = -1;

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public void dayDone(int day, int days, long events, long elapsed) {
            if (day == 0) {
                day0Nanos = elapsed;
            }
            long now = System.nanoTime();
            int tenth = days == 0 ? 10 : day * 10 / days;
            boolean draw = terminal ? now - lastDraw > 200_000_000L || day == days : tenth != lastTenth;
            if (!draw) {
                return;
            }
            lastDraw = now;
            lastTenth = tenth;
            double secs = elapsed / 1e9;
            String eta = "";
            if (day > 0 && day < days) {
                double perDay = (elapsed - day0Nanos) / 1e9 / day;
                eta = String.format("  ETA %ds", Math.round(perDay * (days - day)));
            }
            int width = 30;
            int filled = days == 0 ? width : day * width / days;
            String bar = "#".repeat(filled) + ".".repeat(width - filled);
            String line = String.format("  [%s] day %d/%d  %,d events  %,.0f events/s%s", bar, day, days, events,
                    events / Math.max(secs, 1e-9), eta);
            if (terminal) {
                err.print("\r" + line + "   ");
            } else {
                err.println(line);
            }
            err.flush();
        }

        @Override
        public void working(int day, int days, long events, long elapsed) {
            long now = System.nanoTime();
            if (now - lastDraw < (terminal ? 200_000_000L : 10_000_000_000L)) {
                return;
            }
            lastDraw = now;
            String line = String.format("  day %d/%d in progress%s: %,d events  %,.0f events/s", day, days,
                    day == 0 ? " (day 0 creates the existing staff)" : "", events, events / Math.max(elapsed / 1e9, 1e-9));
            if (terminal) {
                err.print("\r" + line + "   ");
            } else {
                err.println(line);
            }
            err.flush();
        }

        void done() {
            if (terminal) {
                err.println();
                err.flush();
            }
        }
    }
}
