package org.licensim.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the suite in one of its profiles and writes, to a results directory, the JMH JSON, a
 * description of the machine and JVM, and the targets table (measured value, peers, met or
 * missed). {@code licensim bench} starts this; {@code java -jar benchmarks.jar} is JMH's own
 * command line for running single benchmarks with JMH's options.
 */
public final class BenchMain {
    /** How much of the suite, how long and how big. */
    public enum Profile {
        /** Every benchmark once on a tiny tenant, in this JVM: CI's check that none rots. */
        smoke,
        /** 1M users, the manySmall and scarce shapes, short iterations: about twenty minutes. */
        quick,
        /** Every shape at 100k, 1M and 10M users, longer iterations, two forks. */
        full
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Profile profile = Profile.quick;
        Path out = Path.of("licensim-out", "bench");
        String include = ".*";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--profile" -> profile = Profile.valueOf(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--include" -> include = args[++i];
                default -> {
                    System.err.println("licensim bench: unknown argument " + args[i]
                            + " (use --profile smoke|quick|full, --out DIR, --include REGEX)");
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(out);
        Collection<RunResult> results = run(profile, include, out.resolve("jmh.json"));
        Files.writeString(out.resolve("machine.json"), machine(profile), StandardCharsets.UTF_8);
        String table = Targets.table(results);
        Files.writeString(out.resolve("targets.md"), table, StandardCharsets.UTF_8);
        PrintStream o = System.out;
        o.println();
        o.print(table);
        o.println("results: " + out + " (jmh.json, machine.json, targets.md)");
    }

    /** Runs the benchmarks of a profile; JSON results go to {@code json} (null: none). */
    public static Collection<RunResult> run(Profile profile, String include, Path json) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder().include(include).shouldFailOnError(true);
        switch (profile) {
            case smoke -> o.forks(0).warmupIterations(0).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(50)).param("users", "3000").param("rules", "50")
                    .param("shape", "manySmall", "fewBig", "scarce");
            case quick -> o.warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5)
                    .measurementTime(TimeValue.seconds(2)).param("users", "1000000").param("shape", "manySmall", "scarce")
                    .addProfiler(GCProfiler.class);
            case full -> o.forks(2).warmupIterations(5).warmupTime(TimeValue.seconds(2)).measurementIterations(10)
                    .measurementTime(TimeValue.seconds(2)).param("users", "100000", "1000000", "10000000")
                    .addProfiler(GCProfiler.class);
        }
        if (json != null) {
            o.resultFormat(ResultFormatType.JSON).result(json.toString());
        }
        // the smoke profile's iterations are 50 ms: one line per benchmark with JMH's time to go says enough
        return profile == Profile.smoke ? new Runner(o.build(), new ProgressFormat(System.err)).run()
                : new Runner(o.build()).run();
    }

    static String machine(Profile profile) {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, """
                {
                  "profile": "%s",
                  "when": "%s",
                  "java": "%s",
                  "vm": "%s %s",
                  "os": "%s %s %s",
                  "processors": %d,
                  "maxHeapBytesOfRunner": %d
                }
                """, profile, Instant.now(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), rt.availableProcessors(), rt.maxMemory());
    }

    /** The targets of the benchmark issue, each with its measured value, the peers' and met / missed. */
    static final class Targets {
        private Targets() {
        }

        static String table(Collection<RunResult> results) {
            StringBuilder sb = new StringBuilder("| target | measured | peers | verdict |\n| --- | --- | --- | --- |\n");
            for (RunResult r : results) {
                BenchmarkParams p = r.getParams();
                if (!p.getBenchmark().endsWith("reconcile") || !"engine".equals(p.getParam("resolver"))) {
                    continue;
                }
                double engine = r.getPrimaryResult().getScore();
                String users = p.getParam("users");
                String shape = p.getParam("shape");
                List<String> peers = new ArrayList<>();
                boolean allTwenty = true;
                for (RunResult q : results) {
                    BenchmarkParams qp = q.getParams();
                    if (qp.getBenchmark().equals(p.getBenchmark()) && users.equals(qp.getParam("users"))
                            && shape.equals(qp.getParam("shape")) && !"engine".equals(qp.getParam("resolver"))) {
                        double ratio = q.getPrimaryResult().getScore() / engine;
                        peers.add(String.format(Locale.ROOT, "%s %s (engine %.1fx %s)", qp.getParam("resolver"),
                                score(q.getPrimaryResult()), ratio >= 1 ? ratio : 1 / ratio,
                                ratio >= 1 ? "faster" : "slower"));
                        allTwenty &= ratio >= 20;
                    }
                }
                double floor = Double.NaN;
                for (RunResult q : results) {
                    BenchmarkParams qp = q.getParams();
                    if (qp.getBenchmark().endsWith("MemoryFloorBenchmark.stream") && users.equals(qp.getParam("users"))
                            && shape.equals(qp.getParam("shape"))) {
                        floor = q.getPrimaryResult().getScore();
                        peers.add(String.format(Locale.ROOT, "memory floor %s (engine %.1fx the floor)",
                                score(q.getPrimaryResult()), engine / floor));
                    }
                }
                for (RunResult q : results) {
                    BenchmarkParams qp = q.getParams();
                    if ("scarce".equals(shape) && qp.getBenchmark().equals(p.getBenchmark())
                            && users.equals(qp.getParam("users")) && "manySmall".equals(qp.getParam("shape"))
                            && "engine".equals(qp.getParam("resolver"))) {
                        double clean = q.getPrimaryResult().getScore();
                        peers.add(String.format(Locale.ROOT, "clean manySmall %s (scarce %.1fx clean: %s (<= 3x))",
                                score(q.getPrimaryResult()), engine / clean, engine <= 3 * clean ? "met" : "missed"));
                    }
                }
                boolean oneMillion = "1000000".equals(users);
                String verdict = oneMillion ? (engine <= 90 ? "met" : "missed") + " (<= 90 ms)"
                        + (peers.isEmpty() ? "" : ", " + (allTwenty ? "met" : "missed") + " (>= 20x each peer)")
                        + (Double.isNaN(floor) ? "" : ", " + (engine <= 3 * floor ? "met" : "missed") + " (<= 3x the floor)")
                        : "no target at this size";
                double usersPerSecond = Double.parseDouble(users) / (engine / 1e3);
                sb.append(String.format(Locale.ROOT, "| full reconcile, %s users, %s | %s (%.1f M users/s) | %s | %s |%n",
                        users, shape, score(r.getPrimaryResult()), usersPerSecond / 1e6, String.join("; ", peers),
                        verdict));
            }
            double membershipEvent = Double.NaN;
            double attributeEvent = Double.NaN;
            for (RunResult r : results) {
                if (r.getParams().getBenchmark().endsWith(".eventObject")) {
                    double b = bytesPerOp(r);
                    if ("membership".equals(r.getParams().getParam("kind"))) {
                        membershipEvent = b;
                    } else {
                        attributeEvent = b;
                    }
                }
            }
            for (RunResult r : results) {
                String b = r.getParams().getBenchmark();
                String name = b.substring(b.lastIndexOf('.') + 1);
                Result<?> primary = r.getPrimaryResult();
                String alloc = allocation(r);
                switch (name) {
                    case "memberAdded", "memberRemoved" -> sb.append(row("membership change (" + name + ") p99",
                            r, 99, 10, "us", alloc + engineBytes(r, membershipEvent)));
                    case "attributeChange" -> sb.append(row("attribute change, " + r.getParams().getParam("rules")
                            + " rules, p99", r, 99, "500".equals(r.getParams().getParam("rules")) ? 20 : -1, "us",
                            alloc + engineBytes(r, attributeEvent)));
                    case "eventObject" -> sb.append(String.format(Locale.ROOT, "| baseline: building one %s event | %s |"
                            + " | no target (subtracted above) |%n", r.getParams().getParam("kind"), alloc));
                    case "groupProductEdit60k" -> sb.append(row("product edit on a 60,000-user group p50", r, 50, 50,
                            "ms", alloc));
                    case "directAssign", "seatPurchaseAutoReprocess" -> sb.append(row(name + " p99", r, 99, -1, "us",
                            alloc));
                    case "evaluateAllRules" -> {
                        double secs = primary.getScore() / 1e3;
                        double evals = Double.parseDouble(r.getParams().getParam("rules"))
                                * Double.parseDouble(r.getParams().getParam("users")) / secs;
                        sb.append(String.format(Locale.ROOT, "| %s rules x %s users, every membership decided | %s (%.0f M rule-user pairs/s) | "
                                + "| %s (< 2 s) |%n", r.getParams().getParam("rules"), r.getParams().getParam("users"),
                                score(primary), evals / 1e6, secs < 2 ? "met" : "missed"));
                    }
                    case "memberToggle" -> sb.append(row("persistence: membership event on the " + r.getParams()
                            .getParam("store") + " store", r, 99, -1, "us", alloc));
                    case "reconcile" -> {
                        if (b.contains("StoreBenchmark")) {
                            sb.append(String.format(Locale.ROOT, "| persistence: reconcile %s users into a new %s store | %s "
                                    + "| | no target |%n", r.getParams().getParam("users"), r.getParams().getParam("store"),
                                    score(primary)));
                        }
                    }
                    case "dayBoundary" -> sb.append(String.format(Locale.ROOT, "| day boundary, \"hired in the last 30 "
                            + "days\" group, %s users (about %s flips) | %s | | proportional to the flips: compare with "
                            + "the rule over every user below |%n", r.getParams().getParam("users"),
                            Math.round(2 * Double.parseDouble(r.getParams().getParam("users")) / BenchTenant.HIRE_DAYS),
                            score(primary)));
                    case "evaluateEveryone" -> sb.append(String.format(Locale.ROOT,
                            "| the same rule over all %s users (no index) | %s | | no target |%n",
                            r.getParams().getParam("users"), score(primary)));
                    case "parseAndCompileRules" -> sb.append(String.format(Locale.ROOT,
                            "| parse + compile %s rules | %s | | no target |%n", r.getParams().getParam("rules"),
                            score(primary)));
                    default -> {
                    }
                }
            }
            sb.append("| <= 256 bytes per user at 10M users | measured by StoreScaleRun (./licensim bench --store-scale), "
                    + "not by JMH: see docs/BENCHMARKS.md | | not judged here |\n");
            return sb.toString();
        }

        private static String row(String what, RunResult r, double pct, double limit, String unit, String alloc) {
            double v = r.getPrimaryResult().getStatistics().getPercentile(pct);
            double p50 = r.getPrimaryResult().getStatistics().getPercentile(50);
            double p99 = r.getPrimaryResult().getStatistics().getPercentile(99);
            double p999 = r.getPrimaryResult().getStatistics().getPercentile(99.9);
            String verdict = limit < 0 ? "no target" : (v < limit ? "met" : "missed") + " (< " + fmt(limit) + " " + unit + ")";
            String zero = alloc.contains(" B/op beyond the event object")
                    ? alloc.contains(", 0 B/op beyond") ? "; 0 B/op in the engine met" : "; 0 B/op in the engine missed"
                    : alloc.startsWith("0 B") || alloc.startsWith("n/a") ? "" : "; 0 B/op missed";
            return String.format(Locale.ROOT, "| %s | p50 %s, p99 %s, p99.9 %s %s; %s | | %s%s |%n", what, fmt(p50),
                    fmt(p99), fmt(p999), unit, alloc, verdict, zero);
        }

        /** B/op from -prof gc, or NaN when the run had no GC profiler. */
        private static double bytesPerOp(RunResult r) {
            for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    return e.getValue().getScore();
                }
            }
            return Double.NaN;
        }

        /** ", N B/op in the engine" when the event's own B/op was measured in the same run (eventObject). */
        private static String engineBytes(RunResult r, double event) {
            double all = bytesPerOp(r);
            if (Double.isNaN(all) || Double.isNaN(event)) {
                return "";
            }
            return String.format(Locale.ROOT, ", %.0f B/op beyond the event object", Math.max(0, all - event));
        }

        private static String allocation(RunResult r) {
            for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    return String.format(Locale.ROOT, "%.0f B/op allocated", e.getValue().getScore());
                }
            }
            return "n/a B/op (run with -prof gc)";
        }

        static String score(Result<?> r) {
            double err = r.getScoreError();
            return Double.isNaN(err) ? fmt(r.getScore()) + " " + r.getScoreUnit()
                    : fmt(r.getScore()) + " ± " + fmt(err) + " " + r.getScoreUnit();
        }

        static String fmt(double v) {
            return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                    : String.format(Locale.ROOT, "%.2f", v);
        }
    }
}
