package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.simulator.capacity.Backtest;
import org.licensim.simulator.capacity.CapacityPlan;
import org.licensim.simulator.capacity.CapacityPlanWriter;
import org.licensim.simulator.capacity.CapacityPlanner;
import org.licensim.simulator.capacity.CapacitySettings;
import org.licensim.simulator.capacity.Prices;
import org.licensim.simulator.capacity.Procurement;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.Scenarios;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code licensim plan}: Monte Carlo capacity planning over a scenario's churn. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Runs a scenario's churn N times with different seeds (on every core) and tells, per product, "
                + "how many seats to buy and by when to stay error-free at a percentile, and how many seats no run "
                + "ever needed (docs/PLANNING.md). With --backtest, also checks the planner on held-out runs.",
                "Examples:", "  licensim plan --runs 20", "  licensim plan seat-crunch --runs 40 --horizon 120 --backtest 60"})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", defaultValue = Scenarios.DEFAULT,
            description = "A shipped scenario or a scenario file; with --churn, --history or --audits, a tenant snapshot "
                    + "(from import-graph) to plan from. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "20", description = "Monte Carlo runs. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the first run (default: the scenario's, or the "
            + "churn file's); the runs' seeds follow from it.")
    Long seed;

    @picocli.CommandLine.Mixin
    TenantInputs tenant = new TenantInputs();

    @Option(names = "--horizon", paramLabel = "DAYS", defaultValue = "0",
            description = "Days to plan for (default: the scenario's own).")
    int horizon;

    @Option(names = "--percentile", paramLabel = "Q", defaultValue = "0.95",
            description = "Stay error-free in this share of runs. Default: ${DEFAULT-VALUE}.")
    double percentile;

    @Option(names = "--users", paramLabel = "N", description = "Replace the scenario's day-0 user count.")
    Integer users;

    @Option(names = "--threads", paramLabel = "N", description = "Runs at once (default: one per core).")
    Integer threads;

    @Option(names = "--backtest", paramLabel = "SPLIT_DAY",
            description = "Also forecast held-out runs from their days up to SPLIT_DAY and score the forecast.")
    Integer backtest;

    @Option(names = "--truths", paramLabel = "N", defaultValue = "10",
            description = "Held-out runs for --backtest. Default: ${DEFAULT-VALUE}.")
    int truths;

    @Option(names = "--out", paramLabel = "DIR", description = "Where plan.json goes. Default: licensim-out/plan-<scenario>.")
    Path out;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "What stdout gets: table (default: the advice, products by name), csv (one row per product; "
                    + "columns in docs/PLANNING.md) or json (plan.json itself). plan.json is written in every case.")
    Format format;

    @Option(names = "--lead-time", paramLabel = "DAYS", defaultValue = "14",
            description = "Days from ordering seats to having them (an approval and a purchase order; a reseller's "
                    + "order); the schedule's order-by dates are this much before the need. Default: ${DEFAULT-VALUE}.")
    int leadTime;

    @Option(names = "--schedule", paramLabel = "month|quarter", defaultValue = "month",
            description = "Purchase schedule periods. Default: ${DEFAULT-VALUE}.")
    String period;

    @Option(names = "--prices", paramLabel = "FILE",
            description = "Seat prices ({\"currency\": \"EUR\", \"products\": {\"ENTERPRISEPACK\": {\"perMonth\": 33.75}}}): "
                    + "adds cost and savings.")
    Path prices;

    @Option(names = "--inactive-days", paramLabel = "N", defaultValue = "90",
            description = "A user not signed in for N days holds reclaimable seats (needs signInActivity in the export). "
                    + "Default: ${DEFAULT-VALUE}.")
    int inactiveDays;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr.")
    boolean quiet;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Make the plan with the Spark job instead (module cluster; docs/SCALE.md): local[N] runs it "
                    + "here on N cores. The same seeds give the same plan.json.")
    String spark;

    @Override
    public Integer call() throws Exception {
        if (spark != null) {
            return onSpark();
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Catalog catalog = Catalog.loadDefault();
        CapacitySettings settings = new CapacitySettings(runs, seed, horizon, percentile, users, tenant.start, backtest, truths,
                leadTime, period, inactiveDays);
        Scenario s = settings.apply(tenant.scenario(scenario, catalog, users, horizon > 0 ? horizon : null, err, quiet));
        int th = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        java.util.function.Consumer<String> progress = Main.progress(err, quiet);
        Prices priced = prices == null ? null
                : Prices.read(prices, s.products().stream().map(Scenario.ProductSpec::sku).toList());
        long t0 = System.nanoTime();
        List<CapacityPlanner.Run> planRuns = CapacityPlanner.simulate(s, catalog, settings.planSeeds(s), th, "plan", progress);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        List<CapacityPlanner.Run> truthRuns = backtest == null ? List.of()
                : CapacityPlanner.simulate(s, catalog, settings.truthSeeds(s), th, "backtest: held-out runs", progress);
        CapacitySettings.Result result = settings.result(s, catalog, planRuns, truthRuns, priced, millis);
        CapacityPlan plan = result.plan();
        Procurement proc = result.procurement();
        Backtest bt = result.backtest();
        Path dir = out != null ? out : Path.of("licensim-out", "plan-" + s.name());
        Files.createDirectories(dir);
        CapacityPlanWriter.write(plan, proc, bt, dir.resolve("plan.json"));
        int pct = (int) Math.round(percentile * 100);
        if (format == Format.json) {
            o.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(CapacityPlanWriter.json(plan, proc, bt)));
            return 0;
        }
        if (format == Format.csv) {
            Csv.row(o, "sku", "product", "seatsDay0", "seatsEnd", "runsShort", "runs", "extraP50", "extraP" + pct,
                    "extraMax", "buy", "buyByDate", "buyByDay", "firstShortDayMedian", "releasable");
            for (int t = 0; t < plan.products().size(); t++) {
                CapacityPlan.ProductNeed p = plan.products().get(t);
                Csv.row(o, p.sku(), plan.productNames().get(t), p.capacityStart(), p.capacityEnd(), p.runsShort(),
                        p.runs(), p.needP50(), p.needAtPercentile(), p.needMax(), p.buy(),
                        p.buyByDay() < 0 ? "" : p.buyByDate(), p.buyByDay() < 0 ? "" : p.buyByDay(),
                        p.firstShortMedian() < 0 ? "" : p.firstShortMedian(), p.releasable());
            }
            return 0;
        }
        o.printf(Locale.ROOT, "plan for %s: %,d users, %d days from %s, %d runs (%,d ms)%n", s.name(), s.users(),
                plan.horizon(), s.start(), runs, plan.millis());
        o.printf("  %-22s %9s %9s %11s %11s %8s %-26s %10s%n", "product", "seats d0", "short in", "extra p50",
                "extra p" + pct, "buy", "first by", "releasable");
        for (CapacityPlan.ProductNeed p : plan.products()) {
            // buy and its first date are the purchase schedule's, the one plan the advice and the schedule give
            Procurement.ProductAdvice a = proc.products().stream().filter(x -> x.sku().equals(p.sku())).findFirst()
                    .orElse(null);
            int buy = a == null ? 0 : a.buy();
            String by = buy == 0 ? "-" : a.schedule().get(0).neededBy() + " (day "
                    + java.time.temporal.ChronoUnit.DAYS.between(s.start(), a.schedule().get(0).neededBy()) + ")";
            o.printf(Locale.ROOT, "  %-22s %,9d %4d of %-2d %,11d %,11d %,8d %-26s %,10d%n", p.sku(), p.capacityStart(),
                    p.runsShort(), p.runs(), p.needP50(), p.needAtPercentile(), buy, by, p.releasable());
        }
        o.println("advice:");
        boolean any = false;
        for (CapacityPlan.ProductNeed p : plan.products()) {
            String buy = headline(p, proc, pct);
            if (buy != null) {
                any = true;
                o.println(buy);
            }
        }
        for (CapacityPlan.ProductNeed p : plan.products()) {
            if (p.releasable() > 0 && p.runsShort() == 0) {
                any = true;
                o.printf(Locale.ROOT, "  %s: %,d of %,d seats were never needed in any run; they could be released%n",
                        named(plan, p), p.releasable(), p.capacityStart());
            }
        }
        if (!any) {
            o.println("  nothing to buy or release");
        }
        PlanAdvice.print(o, plan, proc, plan.scenario().base() == null ? null : scenario);
        if (bt != null) {
            int[] errs = bt.dayErrors();
            o.printf(Locale.ROOT, "backtest: %d held-out runs, split at day %d: the truth stayed within the p%d "
                    + "forecast in %.0f%% of %d contested product-runs; first short day off by median %s days, mean "
                    + "%.1f (%d rows), %d rows where only one side ran short%n", bt.truths(), bt.split(), pct,
                    100 * bt.hitRate(), bt.contested(), errs.length == 0 ? "n/a" : Integer.toString(errs[errs.length / 2]),
                    bt.meanDayError(), errs.length, bt.shortnessMismatches());
            o.printf(Locale.ROOT, "  growth-driven shortages (%d product-runs not already short at the split; %d were, "
                    + "reported apart): first short day within 3 days in %.0f%% of %d, the truth within the p%d forecast "
                    + "in %.0f%%%n", bt.growthContested(), bt.alreadyShort(), 100 * bt.growthWithin(3), bt.growthDated(),
                    pct, 100 * bt.growthHitRate());
            for (CapacityPlan.ProductNeed p : plan.products()) {
                double[] g = bt.growthOf(p.sku(), 3);
                if (g[3] > 0) {
                    o.printf(Locale.ROOT, "    %-22s within 3 days %3.0f%% of %2.0f, within p%d %3.0f%% of %2.0f%n", p.sku(),
                            100 * g[0], g[1], pct, 100 * g[2], g[3]);
                }
            }
        }
        o.printf("wrote %s%n", dir.resolve("plan.json"));
        return 0;
    }

    /** The same plan through the Spark job, with this command's options translated to the job's. */
    private int onSpark() throws Exception {
        if (tenant.history != null || tenant.audits != null || tenant.writeChurn != null) {
            throw new LicensimException("--spark plans a tenant with a churn file: fit the rates first (licensim plan "
                    + scenario + " --history/--audits ... --write-churn churn.json), then plan with --churn churn.json "
                    + "--spark " + spark);
        }
        if (threads != null) {
            throw new LicensimException("--threads " + threads + " with --spark: the master says how many run at once, "
                    + "e.g. --spark local[" + threads + "]");
        }
        if (format != Format.table) {
            throw new LicensimException("--format " + format + " with --spark: the Spark job writes plan.json and "
                    + "prints where; read plan.json, or plan without --spark");
        }
        String name = tenant.churn != null ? Path.of(scenario).getFileName().toString().replaceFirst("\\.json$", "")
                : Scenarios.load(scenario, Catalog.loadDefault(), null).name();
        Path dir = out != null ? out : Path.of("licensim-out", "plan-" + name);
        List<String> a = new java.util.ArrayList<>(List.of("--runs", Integer.toString(runs), "--horizon",
                Integer.toString(horizon), "--percentile", Double.toString(percentile), "--truths", Integer.toString(truths),
                "--lead-time", Integer.toString(leadTime), "--schedule", period, "--inactive-days",
                Integer.toString(inactiveDays), "--out", dir.toString()));
        if (seed != null) {
            a.addAll(List.of("--seed", seed.toString()));
        }
        if (users != null) {
            a.addAll(List.of("--users", users.toString()));
        }
        if (backtest != null) {
            a.addAll(List.of("--backtest", backtest.toString()));
        }
        if (prices != null) {
            a.addAll(List.of("--prices", prices.toString()));
        }
        if (tenant.churn != null) {
            a.addAll(List.of("--churn", tenant.churn.toString()));
        }
        if (tenant.start != null) {
            a.addAll(List.of("--start", tenant.start.toString()));
        }
        if (quiet) {
            a.add("--quiet");
        }
        a.add(scenario);
        return SparkPlan.run(spark, a, dir);
    }

    /** "Office 365 E3 (ENTERPRISEPACK)": the display name with the part number. */
    /**
     * The advice line for a product, made from its purchase schedule, so the headline and the
     * schedule are the same numbers: "buy 4 seats of X to stay error-free in 95% of runs: 2 by
     * DATE (order by DATE), 1 by DATE, ..."; null when the schedule buys nothing.
     */
    static String headline(CapacityPlan.ProductNeed p, Procurement proc, int pct) {
        Procurement.ProductAdvice a = proc.products().stream().filter(x -> x.sku().equals(p.sku())).findFirst().orElse(null);
        if (a == null || a.buy() == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  buy %,d seat%s of %s to stay error-free in %d%% "
                + "of runs:", a.buy(), a.buy() == 1 ? "" : "s", a.name().equals(a.sku()) ? a.sku() : a.name() + " (" + a.sku()
                + ")", pct));
        for (int i = 0; i < a.schedule().size(); i++) {
            Procurement.Purchase x = a.schedule().get(i);
            sb.append(i == 0 ? " " : ", ").append(String.format(Locale.ROOT, "%,d by %s (order %s)", x.units(), x.neededBy(),
                    x.late() ? "now: the lead time has passed" : "by " + x.orderBy()));
        }
        sb.append(String.format(Locale.ROOT, " (short in %d of %d runs; %s)", p.runsShort(), p.runs(),
                p.firstShortMedian() < 0 ? "most runs never short" : "median first short day " + p.firstShortMedian()));
        return sb.toString();
    }

    private static String named(CapacityPlan plan, CapacityPlan.ProductNeed p) {
        String name = plan.productNames().get(plan.products().indexOf(p));
        return name.equals(p.sku()) ? p.sku() : name + " (" + p.sku() + ")";
    }
}
