package org.licensim.cluster;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.licensim.core.LicensimException;
import org.licensim.simulator.capacity.CapacitySettings;
import org.licensim.simulator.capacity.PlanOptions;
import org.licensim.simulator.capacity.Prices;
import org.licensim.simulator.scenario.ChurnReader;
import org.licensim.simulator.scenario.Scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The Spark job's entry point, as {@code spark-submit --class org.licensim.cluster.PlanJob} runs
 * it: {@code licensim plan}'s options, for one tenant or many (docs/SCALE.md).
 */
@Command(name = "licensim-cluster plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"licensim plan on Apache Spark: one task per (tenant, seed) runs one simulation, one task per "
                + "tenant aggregates them into the plan.json licensim plan writes (byte for byte, for the same seeds). "
                + "Options as licensim plan's (docs/PLANNING.md); scale and submission: docs/SCALE.md.",
                "Examples:",
                "  spark-submit --master yarn --class org.licensim.cluster.PlanJob licensim-cluster.jar \\",
                "      --churn hdfs:///plans/churn.json --runs 200 --out hdfs:///plans/out hdfs:///plans/tenants/",
                "  java ... org.licensim.cluster.PlanJob --master local[2] default --runs 20 --out out/"})
public final class PlanJob implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "With --churn: tenant snapshots (from import-graph), or directories of them (every *.json "
                    + "file directly inside is a tenant). Without: shipped scenarios or scenario files.")
    List<String> inputs;

    @Option(names = "--churn", paramLabel = "FILE", description = "How the tenants change (docs/PLANNING.md, \"Churn "
            + "file\"); the inputs are then snapshots. The rates are the same for every tenant.")
    String churn;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the plans go: DIR/plan.json for "
            + "one input file, else DIR/<tenant>/plan.json and DIR/tenants.json (each tenant's outcome).")
    String out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: what spark-submit set, else "
            + "local[*]). local[N] runs on this machine with N threads; local[N,F] retries a failed task F - 1 times.")
    String master;

    @Option(names = "--start", paramLabel = "DATE", description = "Day 0 of a tenant plan (default: the churn file's, "
            + "else the snapshot's evaluatedAt).")
    LocalDate start;

    /** The plan's options, declared once for licensim plan and this job. */
    @CommandLine.Mixin
    PlanOptions options = new PlanOptions();

    @Option(names = "--spark-log", paramLabel = "LEVEL", defaultValue = "WARN",
            description = "Spark's own log level from start-up on. Default: ${DEFAULT-VALUE}.")
    String sparkLog;

    private PrintWriter err;
    private PrintWriter stdout;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** The command line's exit code: 0 when every plan was written, 1 when an input or a tenant failed, 2 bad usage. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean debug = List.of(args).contains("--debug");
        PlanJob job = new PlanJob();
        job.err = err;
        job.stdout = out;
        CommandLine cl = new CommandLine(job);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            err.println("licensim-cluster: " + (ex instanceof LicensimException ? ex.getMessage() : ex.toString()));
            if (debug) {
                ex.printStackTrace(err);
            } else if (!(ex instanceof LicensimException)) {
                err.println("(run again with --debug for the stack trace)");
            }
            err.flush();
            return 1;
        });
        int code = cl.execute(List.of(args).stream().filter(a -> !a.equals("--debug")).toArray(String[]::new));
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        // the job makes a fixed number of runs: --runs auto makes the first ones, without adding more by precision
        CapacitySettings settings = options.settings(start, false);
        String prices = options.prices();
        SparkConf conf = new SparkConf().setAppName("licensim plan");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        String m = conf.get("spark.master");
        if (m.startsWith("local")) {
            // this machine only: no web UI, and Spark's own sockets on loopback
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
        }
        Map<String, String> hadoop = new HashMap<>();
        for (scala.Tuple2<String, String> kv : conf.getAll()) {
            if (kv._1().startsWith("spark.hadoop.")) {
                hadoop.put(kv._1().substring("spark.hadoop.".length()), kv._2());
            }
        }
        Storage storage = new Storage(hadoop);
        byte[] churnBytes = churn == null ? null : storage.read(churn, "churn file");
        byte[] pricesBytes = prices == null ? null : storage.read(prices, "prices file");
        checkFiles(churnBytes, pricesBytes); // refused here, before any task, when they are wrong
        List<ClusterPlanner.Input> in = inputs(storage);
        boolean single = in.size() == 1 && inputs.size() == 1 && !storage.isDirectory(inputs.get(0));
        ClusterPlanner.Job job = ClusterPlanner.Job.of(in, settings, churnBytes, churn, pricesBytes, prices, storage,
                out, single, attempts(m, conf));
        long t0 = System.nanoTime();
        List<ClusterPlanner.TenantPlan> plans;
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel(sparkLog);
            progress(String.format(Locale.ROOT, "spark %s on %s: %d input%s, %d runs each%s", jsc.version(), m, in.size(),
                    in.size() == 1 ? "" : "s", settings.runs(), !settings.backtest() ? "" : " and " + settings.truths()
                    + " held-out runs"));
            plans = ClusterPlanner.run(jsc, job, this::progress);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return write(storage, plans, single, secs);
    }

    /**
     * The churn and prices files read as the tasks will read them: a wrong one is refused once,
     * naming the file and the place. A priced part number must be a product of the catalog
     * (each tenant then takes the prices of the products it has).
     */
    private void checkFiles(byte[] churnBytes, byte[] pricesBytes) {
        try {
            if (churnBytes != null) {
                new ChurnReader().read(new java.io.ByteArrayInputStream(churnBytes), churn);
            }
            if (pricesBytes != null) {
                List<String> skus = org.licensim.core.catalog.Catalog.loadDefault().products().stream()
                        .map(org.licensim.core.catalog.Product::skuPartNumber).toList();
                Prices.read(new java.io.ByteArrayInputStream(pricesBytes), options.prices(), skus);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The tenants (or scenarios) the arguments name, directories expanded, each name once. */
    private List<ClusterPlanner.Input> inputs(Storage storage) {
        List<ClusterPlanner.Input> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (String arg : inputs) {
            List<String> files;
            if (churn != null && storage.isDirectory(arg)) {
                files = storage.jsonFiles(arg);
                if (files.isEmpty()) {
                    throw new LicensimException("tenant directory " + arg + " has no .json snapshots in it");
                }
            } else {
                boolean shippedName = churn == null && Scenarios.NAMES.contains(arg);
                if (!shippedName && !storage.exists(arg)) {
                    throw new LicensimException((churn != null ? "tenant snapshot" : "scenario file") + " not found: "
                            + arg + (churn != null ? "" : " (or name a shipped scenario: "
                            + String.join(", ", Scenarios.NAMES) + ")"));
                }
                files = List.of(arg);
            }
            for (String f : files) {
                boolean shipped = churn == null && Scenarios.NAMES.contains(f) && !storage.exists(f);
                String name = shipped ? f : f.substring(f.lastIndexOf('/') + 1).replaceFirst("\\.json$", "");
                String before = seen.put(name, f);
                if (before != null) {
                    throw new LicensimException("two inputs are both named " + name + ": " + before + " and " + f
                            + "; their plans would go to the same place, so rename one or plan them apart");
                }
                out.add(new ClusterPlanner.Input(name, shipped ? null : f, churn != null));
            }
        }
        return out;
    }

    /** How many attempts Spark gives a task: local[N,F] says F (local[N] gives 1), a cluster spark.task.maxFailures. */
    static int attempts(String master, SparkConf conf) {
        Matcher lm = Pattern.compile("local\\[[^,\\]]+,\\s*(\\d+)\\]").matcher(master);
        if (lm.matches()) {
            return Math.max(1, Integer.parseInt(lm.group(1)));
        }
        if (master.startsWith("local")) {
            return 1;
        }
        return Math.max(1, conf.getInt("spark.task.maxFailures", 4));
    }

    private int write(Storage storage, List<ClusterPlanner.TenantPlan> plans, boolean single, double secs) {
        int failed = 0;
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = json.createObjectNode();
        index.put("schema", "licensim.tenants/1");
        ArrayNode list = index.putArray("tenants");
        for (ClusterPlanner.TenantPlan p : plans) {
            ObjectNode x = list.addObject();
            x.put("name", p.input().name());
            x.put("source", p.input().label());
            if (p.ok()) {
                x.put("plan", p.plan());
                x.putNull("error");
                stdout.printf(Locale.ROOT, "%s: wrote %s (%d runs)%n", p.input().name(), Storage.resolve(out, p.plan()),
                        p.runs());
            } else {
                failed++;
                x.putNull("plan");
                x.put("error", p.error());
                err.printf(Locale.ROOT, "licensim-cluster: tenant %s (%s) failed: %s%n", p.input().name(),
                        p.input().label(), p.error());
            }
        }
        if (!single) {
            try {
                storage.write(Storage.resolve(out, "tenants.json"), "the tenants' index",
                        json.writerWithDefaultPrettyPrinter().writeValueAsString(index).getBytes(StandardCharsets.UTF_8));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        progress(String.format(Locale.ROOT, "%d of %d plan%s written in %.1f s%s", plans.size() - failed, plans.size(),
                plans.size() == 1 ? "" : "s", secs, failed == 0 ? "" : "; " + failed + " failed (above"
                        + (single ? "" : ", and in tenants.json") + ")"));
        if (failed < plans.size()) {
            progress("licensim report " + (single ? out : Storage.resolve(out, "TENANT")) + " renders a plan as HTML");
        }
        return failed == 0 ? 0 : 1;
    }

    private void progress(String line) {
        if (!options.quiet()) {
            err.println("  " + line);
            err.flush();
        }
    }
}
