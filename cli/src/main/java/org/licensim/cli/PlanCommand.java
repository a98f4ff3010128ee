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
import org.licensim.simulator.capacity.PlanOptions;
import org.licensim.simulator.capacity.Prices;
import org.licensim.simulator.capacity.Procurement;
import org.licensim.simulator.population.People;
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
                + "ever needed (docs/PLANNING.md), each with its Monte Carlo error. By default it adds runs until every "
                + "buy-by date is known to within a day. With --backtest, also scores what it printed against held-out "
                + "runs from the same start.",
                "Examples:", "  licensim plan", "  licensim plan seat-crunch --runs 40 --horizon 120 --backtest",
                "  licensim plan tenant.json --churn churn.json --backtest --truths 40"})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", defaultValue = Scenarios.DEFAULT,
            description = "A shipped scenario or a scenario file; with --churn, --history or --audits, a tenant snapshot "
                    + "(from import-graph) to plan from. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @picocli.CommandLine.Mixin
    PlanOptions options = new PlanOptions();

    @picocli.CommandLine.Mixin
    TenantInputs tenant = new TenantInputs();

    @Option(names = "--threads", paramLabel = "N", description = "Runs at once (default: one per core).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Where plan.json goes. Default: licensim-out/plan-<scenario>.")
    Path out;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "What stdout gets: table (default: the advice, products by name), csv (one row per product; "
                    + "columns in docs/PLANNING.md) or json (plan.json itself). plan.json is written in every case.")
    Format format;

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
        People.prepare(); // datafaker's name lists load while the catalog does
        Catalog catalog = Catalog.loadDefault();
        CapacitySettings settings = options.settings(tenant.start, true);
        boolean quiet = options.quiet();
        Scenario s = settings.apply(tenant.scenario(scenario, catalog, settings.users(),
                settings.horizon() > 0 ? settings.horizon() : null, err, quiet));
        int th = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        java.util.function.Consumer<String> progress = Main.progress(err, quiet);
        Prices priced = options.prices() == null ? null
                : Prices.read(Path.of(options.prices()), s.products().stream().map(Scenario.ProductSpec::sku).toList(),
                        Main.catalogProduct(catalog));
        long t0 = System.nanoTime();
        List<CapacityPlanner.Run> planRuns = settings.runs(s, catalog, th, progress);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        List<CapacityPlanner.Run> truthRuns = !settings.backtest() ? List.of()
                : CapacityPlanner.simulate(s, catalog, settings.truthSeeds(s), th, "backtest: held-out runs", progress,
                        settings.day0());
        CapacitySettings.Result result = settings.result(s, catalog, planRuns, truthRuns, priced, millis);
        CapacityPlan plan = result.plan();
        Procurement proc = result.procurement();
        Backtest bt = result.backtest();
        Path dir = out != null ? out : Path.of("licensim-out", "plan-" + s.name());
        Files.createDirectories(dir);
        CapacityPlanWriter.write(plan, proc, bt, dir.resolve("plan.json"));
        int pct = (int) Math.round(settings.percentile() * 100);
        new Printer(format, o, err).print(x -> table(x, s, plan, proc, bt, pct, dir), () -> csv(plan, pct),
                () -> CapacityPlanWriter.json(plan, proc, bt));
        return 0;
    }

    /** csv: one row per product (docs/PLANNING.md). */
    private static Table csv(CapacityPlan plan, int pct) {
        Table t = Table.of("sku", "product", "seatsDay0", "seatsEnd", "runsShort", "runs", "extraP50", "extraP" + pct,
                "extraMax", "buy", "buyByDate", "buyByDay", "firstShortDayMedian", "releasable", "buyLow", "buyHigh",
                "buyByDayError", "firstShortDayMedianError", "firstShortDayLate");
        for (int i = 0; i < plan.products().size(); i++) {
            CapacityPlan.ProductNeed p = plan.products().get(i);
            CapacityPlan.MonteCarlo mc = p.mc();
            t.row(p.sku(), plan.productNames().get(i), p.capacityStart(), p.capacityEnd(), p.runsShort(),
                    p.runs(), p.needP50(), p.needAtPercentile(), p.needMax(), p.buy(),
                    p.buyByDay() < 0 ? "" : p.buyByDate(), p.buyByDay() < 0 ? "" : p.buyByDay(),
                    p.firstShortMedian() < 0 ? "" : p.firstShortMedian(), p.releasable(), mc.buy().low(),
                    mc.buy().high(), p.buyByDay() < 0 ? "" : error(mc.buyBy()),
                    p.firstShortMedian() < 0 ? "" : error(mc.median()),
                    p.firstShortLate() < 0 ? "" : p.firstShortLate());
        }
        return t;
    }

    /** The products' table, the advice, the purchase schedule and the backtest, for people. */
    private void table(PrintWriter o, Scenario s, CapacityPlan plan, Procurement proc, Backtest bt, int pct, Path dir) {
        o.printf(Locale.ROOT, "plan for %s: %,d users, %d days from %s (day 0 %s), %d runs%s (%,d ms)%n", s.name(),
                s.users(), plan.horizon(), s.start(), plan.day0() == CapacityPlanner.Day0.fixed ? "fixed" : "drawn per run",
                plan.runs(), plan.maxRuns() > 0 ? " chosen by precision (at most " + plan.maxRuns() + ")" : "",
                plan.millis());
        Table t = new Table().indent("  ").left("product", 22).right("seats d0", 9).right("short in", 9)
                .right("extra p50", 11).left("buy p" + pct + " (95% CI)", 17).left("first by (Monte Carlo error)", 35)
                .left("releasable", 0);
        for (CapacityPlan.ProductNeed p : plan.products()) {
            // buy and its first date are the purchase schedule's, the one plan the advice and the schedule give (the
            // schedule's total is the pQ need and its first date the buy-by day, whose Monte Carlo error is shown)
            Procurement.ProductAdvice a = proc.products().stream().filter(x -> x.sku().equals(p.sku())).findFirst()
                    .orElse(null);
            int buy = a == null ? 0 : a.buy();
            CapacityPlan.MonteCarlo mc = p.mc();
            String by = buy == 0 ? "-" : a.schedule().get(0).neededBy() + " (day "
                    + java.time.temporal.ChronoUnit.DAYS.between(s.start(), a.schedule().get(0).neededBy()) + ") "
                    + pm(mc.buyBy());
            t.row(p.sku(), p.capacityStart(), p.runsShort() + " of " + p.runs(), p.needP50(), buy == 0 ? "0"
                    : String.format(Locale.ROOT, "%,d (%,d-%,d)", buy, mc.buy().low(), mc.buy().high()), by, p.releasable());
        }
        t.print(o);
        o.println("advice:");
        boolean any = false;
        for (CapacityPlan.ProductNeed p : plan.products()) {
            String buy = headline(p, proc, pct);
            if (buy != null) {
                any = true;
                o.println(buy);
                if (p.buy() > 0) {
                    o.printf(Locale.ROOT, "    Monte Carlo: the first date +-%s, the seats %,d-%,d (95%%); first short %s "
                            + "%s (median), %s to %s at p%d-p%d%n", pm(p.mc().buyBy()).substring(2), p.mc().buy().low(),
                            p.mc().buy().high(), p.firstShortMedian() < 0 ? "never" : "day " + p.firstShortMedian(),
                            pm(p.mc().median()), "day " + p.firstShortEarly(), p.firstShortLate() < 0 ? "never"
                                    : "day " + p.firstShortLate(), 100 - pct, pct);
                }
            }
        }
        for (CapacityPlan.ProductNeed p : plan.products()) {
            if (p.releasable() > 0 && p.runsShort() == 0) {
                any = true;
                o.printf(Locale.ROOT, "  %s: %,d of %,d seats stay unused every day in %d%% of runs (95%% CI %,d-%,d); "
                        + "they could be released%n", named(plan, p), p.releasable(), p.capacityStart(), pct,
                        p.mc().releasable().low(), p.mc().releasable().high());
            }
        }
        if (!any) {
            o.println("  nothing to buy or release");
        }
        PlanAdvice.print(o, plan, proc, plan.scenario().base() == null ? null : scenario);
        if (bt != null) {
            printBacktest(o, plan, bt, pct);
        }
        o.printf("wrote %s%n", dir.resolve("plan.json"));
    }

    /** "+-0.8 d", or "unbounded" when the interval reaches "never short". */
    static String pm(org.licensim.simulator.capacity.Precision p) {
        return p.unbounded() ? "+-? (may be never)" : String.format(Locale.ROOT, "+-%.1f d", p.error());
    }

    private static String error(org.licensim.simulator.capacity.Precision p) {
        return p.unbounded() ? "" : String.format(Locale.ROOT, "%.2f", p.error());
    }

    /** The backtest's rates per product and overall, each beside the best a forecast can do. */
    private static void printBacktest(PrintWriter o, CapacityPlan plan, Backtest bt, int pct) {
        Backtest.Bound b = bt.bound();
        o.printf(Locale.ROOT, "backtest: %d held-out runs %s, scored on what the plan printed (rate, then the best a "
                + "forecast can do):%n", bt.truths(), plan.day0() == CapacityPlanner.Day0.fixed ? "from the same day 0"
                : "each from a day 0 drawn like the plan's");
        Table t = new Table().indent("  ").left("product", 22).left("first short in p" + (100 - pct) + "-p" + pct, 22)
                .left("median within 3 days", 22).left("buy-by date in time", 22).left("seats enough", 22);
        for (CapacityPlan.ProductNeed p : plan.products()) {
            Backtest.Score x = bt.score(p.sku());
            t.row(p.sku(), rate(x.dateCovered(), b.dateCovered()), x.datedRows() == 0 ? "- (never short)"
                    : rate(x.within3Days(), b.within3Days().get(p.sku())) + " of " + x.datedRows(),
                    rate(x.boughtInTime(), b.boughtInTime()), rate(x.enough(), b.enough()));
        }
        Backtest.Score all = bt.score(null);
        t.row("all (" + all.rows() + " rows)", rate(all.dateCovered(), b.dateCovered()), Double.isNaN(all.within3Days())
                ? "-" : String.format(Locale.ROOT, "%.0f%% of %d", 100 * all.within3Days(), all.datedRows()),
                rate(all.boughtInTime(), b.boughtInTime()), rate(all.enough(), b.enough()));
        t.print(o);
    }

    private static String rate(double r, double best) {
        return Double.isNaN(r) ? "-" : Double.isNaN(best) ? String.format(Locale.ROOT, "%.0f%%", 100 * r)
                : String.format(Locale.ROOT, "%.0f%% (%.0f%%)", 100 * r, 100 * best);
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
        options.settings(tenant.start, false); // refused here, as without --spark, when an option is wrong
        // the job takes the plan's options from the same declaration (PlanOptions): they go on as given
        List<String> a = new java.util.ArrayList<>(options.args(spec.commandLine().getParseResult()));
        a.addAll(List.of("--out", dir.toString()));
        if (tenant.churn != null) {
            a.addAll(List.of("--churn", tenant.churn.toString()));
        }
        if (tenant.start != null) {
            a.addAll(List.of("--start", tenant.start.toString()));
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
