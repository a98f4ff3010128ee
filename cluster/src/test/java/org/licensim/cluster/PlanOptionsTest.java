package org.licensim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.simulator.capacity.CapacitySettings;
import org.licensim.simulator.capacity.CapacityPlanner;
import org.licensim.simulator.capacity.PlanOptions;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** licensim plan and the Spark job read a plan's options from one declaration, and plan --spark passes them on as given. */
class PlanOptionsTest {
    private static CommandLine cli() {
        CommandLine cl = new CommandLine(new org.licensim.cli.Main());
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl;
    }

    /** Every option of a command by its longest name, with its default (null when it has none). */
    private static Map<String, String> defaults(CommandSpec spec) {
        Map<String, String> out = new TreeMap<>();
        for (OptionSpec o : spec.options()) {
            out.put(o.longestName(), String.valueOf(o.defaultValue()));
        }
        return out;
    }

    @Test
    @DisplayName("every option licensim plan and the Spark job both take has the same default in both, and the plan's options are all in both")
    void sameDefaults() {
        Map<String, String> plan = defaults(cli().getSubcommands().get("plan").getCommandSpec());
        Map<String, String> job = defaults(new CommandLine(new PlanJob()).getCommandSpec());
        List<String> shared = new ArrayList<>();
        for (Map.Entry<String, String> o : job.entrySet()) {
            if (plan.containsKey(o.getKey())) {
                shared.add(o.getKey());
                assertEquals(plan.get(o.getKey()), o.getValue(), "the default of " + o.getKey());
            }
        }
        for (String name : List.of("--runs", "--max-runs", "--seed", "--horizon", "--percentile", "--users", "--day0",
                "--backtest", "--truths", "--lead-time", "--schedule", "--prices", "--inactive-days", "--quiet",
                "--start", "--churn", "--out")) {
            assertTrue(shared.contains(name), name + " is in both: " + shared);
        }
        assertEquals("14", plan.get("--lead-time"));
        assertEquals("auto", job.get("--runs"));
    }

    @Test
    @DisplayName("plan --spark hands the job the options it was given, and the job reads the same settings from them")
    void passedOn() {
        ParseResult parsed = cli().parseArgs("plan", "small", "--runs", "7", "--seed", "3", "--horizon", "30",
                "--percentile", "0.9", "--users", "500", "--day0", "drawn", "--backtest", "90", "--truths", "4",
                "--lead-time", "10", "--schedule", "quarter", "--prices", "prices.json", "--inactive-days", "60", "-q",
                "--max-runs", "50", "--threads", "2", "--spark", "local[2]").subcommand();
        PlanOptions given = (PlanOptions) parsed.commandSpec().mixins().get("options").userObject();
        List<String> args = given.args(parsed);
        assertEquals(List.of("--runs", "7", "--max-runs", "50", "--day0", "drawn", "--seed", "3", "--horizon", "30",
                "--percentile", "0.9", "--users", "500", "--truths", "4", "--lead-time", "10", "--schedule", "quarter",
                "--prices", "prices.json", "--inactive-days", "60", "--quiet", "--backtest"), args);

        PlanJob job = new PlanJob();
        List<String> jobArgs = new ArrayList<>(args);
        jobArgs.addAll(List.of("--out", "out", "small"));
        new CommandLine(job).parseArgs(jobArgs.toArray(String[]::new));
        CapacitySettings expected = new CapacitySettings(7, 0, 3L, 30, 0.9, 500, null, CapacityPlanner.Day0.drawn, true, 4,
                10, "quarter", 60);
        assertEquals(expected, given.settings(null, false));
        assertEquals(expected, job.options.settings(null, false));
        assertEquals("prices.json", job.options.prices());
        assertTrue(job.options.quiet());
    }

    @Test
    @DisplayName("--runs auto: plan adds runs by precision up to --max-runs, the job makes the first 20 and no more")
    void auto() {
        ParseResult parsed = cli().parseArgs("plan", "small").subcommand();
        PlanOptions plan = (PlanOptions) parsed.commandSpec().mixins().get("options").userObject();
        assertEquals(List.of(), plan.args(parsed));
        LocalDate start = LocalDate.of(2026, 1, 5);
        CapacitySettings byPrecision = plan.settings(start, true);
        assertEquals(20, byPrecision.runs());
        assertEquals(400, byPrecision.maxRuns());
        assertEquals(start, byPrecision.start());

        PlanJob job = new PlanJob();
        new CommandLine(job).parseArgs("--out", "out", "small");
        assertNotNull(job.options);
        CapacitySettings fixed = job.options.settings(start, false);
        assertEquals(20, fixed.runs());
        assertEquals(0, fixed.maxRuns());
        assertEquals(14, fixed.leadTime());
    }
}
