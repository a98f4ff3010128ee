package org.licensim.simulator.capacity;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The options of a capacity plan, declared once: {@code licensim plan} and the Spark job
 * ({@code cluster}'s {@code PlanJob}) take them as a picocli mixin, so their names, defaults and
 * help cannot drift apart, and {@code plan --spark} hands the job the options it was given as
 * they were written ({@link #args}). What only one of them has (the inputs, where the plan goes,
 * {@code --threads}, {@code --master}) each declares itself.
 */
public final class PlanOptions {
    /** The command that mixes these options in: its parse errors and notes name it. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--runs", paramLabel = "N|auto", defaultValue = "auto",
            description = "Monte Carlo runs; auto (the default) starts from 20 and adds runs until every buy-by date's "
                    + "Monte Carlo error is under a day, up to --max-runs (the Spark job makes the first 20).")
    String runs;

    @Option(names = "--max-runs", paramLabel = "N", defaultValue = "400",
            description = "The most runs --runs auto makes. Default: ${DEFAULT-VALUE}.")
    int maxRuns;

    @Option(names = "--day0", paramLabel = "fixed|drawn", defaultValue = "fixed",
            description = "A synthetic scenario's day 0: fixed, the tenant the scenario's seed describes, the same in "
                    + "every run (default); drawn, a new tenant per run. A plan from a snapshot starts from the snapshot.")
    CapacityPlanner.Day0 day0;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the first run (default: the scenario's, or the "
            + "churn file's); the runs' seeds follow from it.")
    Long seed;

    @Option(names = "--horizon", paramLabel = "DAYS", defaultValue = "0",
            description = "Days to plan for (default: the scenario's own).")
    int horizon;

    @Option(names = "--percentile", paramLabel = "Q", defaultValue = "0.95",
            description = "Stay error-free in this share of runs. Default: ${DEFAULT-VALUE}.")
    double percentile;

    @Option(names = "--users", paramLabel = "N", description = "Replace the scenario's day-0 user count.")
    Integer users;

    boolean backtest;

    /**
     * {@code --backtest} is a flag now that held-out runs start from the plan's own day 0. Scripts
     * written for the split day it used to take ({@code --backtest 90}) keep working: the number is
     * accepted and the note says it no longer changes anything. Anything else after it is refused,
     * naming it, rather than read as the scenario.
     */
    @Option(names = "--backtest", arity = "0..1", fallbackValue = "", paramLabel = "DAYS",
            description = "Also score what the plan prints (dates, their interval, buy-by date, seats) against --truths "
                    + "held-out runs from the same day 0. (A split day after it, as earlier versions took, is "
                    + "accepted and ignored.)")
    void backtest(String days) {
        backtest = true;
        if (days.isEmpty()) {
            return;
        }
        if (!days.matches("[0-9]{1,5}")) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--backtest takes no value: \"" + days
                    + "\" is not a split day; give the scenario or snapshot before --backtest");
        }
        mixee.commandLine().getErr().printf("note: --backtest %s: the backtest no longer splits at a day; its held-out "
                + "runs start from the plan's day 0 (docs/PLANNING.md)%n", days);
    }

    @Option(names = "--truths", paramLabel = "N", defaultValue = "10",
            description = "Held-out runs for --backtest. Default: ${DEFAULT-VALUE}.")
    int truths;

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
    String prices;

    @Option(names = "--inactive-days", paramLabel = "N", defaultValue = "90",
            description = "A user not signed in for N days holds reclaimable seats (needs signInActivity in the export). "
                    + "Default: ${DEFAULT-VALUE}.")
    int inactiveDays;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr.")
    boolean quiet;

    /**
     * The settings these options give. {@code byPrecision}: whether {@code --runs auto} may add
     * runs up to {@code --max-runs}; without it, auto makes the first {@value CapacitySettings#FIRST_RUNS}
     * (or {@code --max-runs}, when fewer) and no more.
     */
    public CapacitySettings settings(LocalDate start, boolean byPrecision) {
        int first;
        int ceiling;
        if (runsByPrecision()) {
            first = Math.min(CapacitySettings.FIRST_RUNS, Math.max(1, maxRuns));
            ceiling = byPrecision ? maxRuns : 0;
        } else {
            try {
                first = Integer.parseInt(runs.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(mixee.commandLine(), "--runs " + runs
                        + ": give a number of runs, or auto");
            }
            ceiling = 0;
        }
        return new CapacitySettings(first, ceiling, seed, horizon, percentile, users, start, day0, backtest, truths,
                leadTime, period, inactiveDays);
    }

    /** Whether {@code --runs} is auto. */
    public boolean runsByPrecision() {
        return runs.equalsIgnoreCase("auto");
    }

    /** {@code --prices} as given (a path, or for the Spark job any URI its storage reads), or null. */
    public String prices() {
        return prices;
    }

    public boolean quiet() {
        return quiet;
    }

    /**
     * These options as the command line {@code parsed} gave them, in the order picocli lists them:
     * what {@code plan --spark} passes on to the job, which parses them with this same class.
     */
    public List<String> args(ParseResult parsed) {
        List<String> out = new ArrayList<>();
        CommandSpec mine = parsed.commandSpec().mixins().values().stream().filter(m -> m.userObject() == this).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("these options are not part of " + parsed.commandSpec().name()));
        for (OptionSpec o : mine.options()) {
            OptionSpec given = parsed.matchedOption(o.longestName());
            if (given == null) {
                continue;
            }
            out.add(o.longestName());
            // the split day --backtest still accepts is ignored: the job is not told it
            if (o.arity().max() > 0 && !o.longestName().equals("--backtest")) {
                given.originalStringValues().stream().filter(v -> !v.isEmpty()).forEach(out::add);
            }
        }
        return out;
    }
}
