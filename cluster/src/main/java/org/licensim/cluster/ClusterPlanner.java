package org.licensim.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.simulator.capacity.CapacityPlanWriter;
import org.licensim.simulator.capacity.CapacityPlanner;
import org.licensim.simulator.capacity.CapacitySettings;
import org.licensim.simulator.capacity.Prices;
import org.licensim.simulator.scenario.ChurnReader;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.ScenarioReader;
import org.licensim.simulator.scenario.Scenarios;
import org.licensim.simulator.scenario.TenantChurn;

import scala.Tuple2;

/**
 * {@code licensim plan} on Spark: one task per (tenant, seed) runs one simulation, then one task
 * per tenant aggregates its runs into {@code plan.json} through the same {@link CapacitySettings} the
 * single-machine command uses, so the same seeds give the same bytes.
 *
 * <p>A run is a pure function of the tenant's file, the churn file, the settings and its seed,
 * so Spark may run a task again (a lost executor, a speculative copy, a kill) and get the same
 * run. A tenant whose input is wrong (a malformed snapshot, a churn file that does not fit it)
 * fails alone: its tasks return the reason instead of throwing, and every other tenant's plan is
 * still made. Other exceptions are thrown for Spark to retry, except on the last attempt Spark
 * allows, where they too become the tenant's failure.
 */
public final class ClusterPlanner {
    private ClusterPlanner() {
    }

    /** One tenant snapshot (with the churn file) or synthetic scenario (a shipped name: no path) to plan. */
    public record Input(String name, String path, boolean snapshot) implements Serializable {
        private static final long serialVersionUID = 1L;

        String label() {
            return path == null ? name : path;
        }
    }

    /** Test seam: called in the task before each run (a test uses it to kill a task attempt). */
    public interface TaskHook extends Serializable {
        TaskHook NONE = (input, truth, index, context) -> { };

        void beforeRun(Input input, boolean truth, int index, TaskContext context);
    }

    /**
     * A planning job: the inputs, the settings {@code plan} takes, the churn and prices files'
     * bytes (read once on the driver; null when not given), and how many attempts Spark gives a task.
     */
    public record Job(String id, List<Input> inputs, CapacitySettings settings, byte[] churn, String churnName,
                      byte[] prices, String pricesName, Storage storage, String out, boolean single, int attempts,
                      TaskHook hook) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Job {
            inputs = List.copyOf(inputs);
            if (inputs.isEmpty()) {
                throw new LicensimException("nothing to plan: give a tenant snapshot, a directory of them, or a scenario");
            }
            if (single && inputs.size() != 1) {
                throw new IllegalArgumentException("one plan.json for " + inputs.size() + " inputs");
            }
        }

        /**
         * A job writing to {@code out}: {@code out/plan.json} when {@code single} (one input file, as
         * {@code plan --out} writes), else {@code out/<tenant>/plan.json}.
         */
        static Job of(List<Input> inputs, CapacitySettings settings, byte[] churn, String churnName, byte[] prices,
                      String pricesName, Storage storage, String out, boolean single, int attempts) {
            return new Job(UUID.randomUUID().toString(), inputs, settings, churn, churnName, prices, pricesName,
                    storage, out, single, attempts, TaskHook.NONE);
        }

        public Job withHook(TaskHook h) {
            return new Job(id, inputs, settings, churn, churnName, prices, pricesName, storage, out, single, attempts,
                    h);
        }

        public Job withOut(String dir) {
            return new Job(UUID.randomUUID().toString(), inputs, settings, churn, churnName, prices, pricesName,
                    storage, dir, single, attempts, hook);
        }

        /** Where a tenant's plan goes, relative to {@link #out}. */
        String planPath(Input in) {
            return single ? "plan.json" : in.name() + "/plan.json";
        }
    }

    /** One Spark task's work: run {@code index} of the plan's runs, or of the backtest's held-out runs. */
    record Work(int input, boolean truth, int index) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** What a task returns: the run, or why the tenant cannot be planned. */
    record Piece(int input, boolean truth, int index, CapacityPlanner.Run run, String error, long nanos)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * A tenant's outcome: where its {@code plan.json} was written (relative to the job's output
     * directory), or the reason it failed. The plan is written by the task that made it, so no
     * plan travels to the driver, however many tenants there are.
     */
    public record TenantPlan(Input input, String plan, String error, int runs)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        public boolean ok() {
            return error == null;
        }
    }

    /** Runs the job on {@code jsc}; the plans in the order of the job's inputs. */
    public static List<TenantPlan> run(JavaSparkContext jsc, Job job, Consumer<String> progress) {
        List<Work> work = new ArrayList<>();
        CapacitySettings st = job.settings();
        for (int i = 0; i < job.inputs().size(); i++) {
            for (int r = 0; r < st.runs(); r++) {
                work.add(new Work(i, false, r));
            }
            for (int r = 0; st.backtest() && r < st.truths(); r++) {
                work.add(new Work(i, true, r));
            }
        }
        Progress listener = new Progress(work.size(), progress);
        jsc.sc().addSparkListener(listener);
        try {
            JavaPairRDD<Integer, Piece> pieces = jsc.parallelize(work, work.size())
                    .mapToPair(w -> new Tuple2<>(w.input(), simulate(job, w)));
            List<Tuple2<Integer, TenantPlan>> plans = pieces.groupByKey(Math.max(1, job.inputs().size()))
                    .mapToPair(g -> new Tuple2<>(g._1(), aggregate(job, g._1(), g._2())))
                    .collect();
            TenantPlan[] out = new TenantPlan[job.inputs().size()];
            for (Tuple2<Integer, TenantPlan> p : plans) {
                out[p._1()] = p._2();
            }
            return List.of(out);
        } finally {
            jsc.sc().removeSparkListener(listener);
        }
    }

    /** A task: one run of one tenant. */
    static Piece simulate(Job job, Work w) {
        Input in = job.inputs().get(w.input());
        TaskContext ctx = TaskContext.get();
        long t0 = System.nanoTime();
        try {
            job.hook().beforeRun(in, w.truth(), w.index(), ctx);
            Scenario s = scenario(job, w.input());
            List<Long> seeds = w.truth() ? job.settings().truthSeeds(s) : job.settings().planSeeds(s);
            CapacityPlanner.Run run = job.settings().run(s, Tasks.catalog(), seeds.get(w.index()));
            return new Piece(w.input(), w.truth(), w.index(), run, null, System.nanoTime() - t0);
        } catch (LicensimException e) {
            return new Piece(w.input(), w.truth(), w.index(), null, e.getMessage(), 0);
        } catch (RuntimeException e) {
            return new Piece(w.input(), w.truth(), w.index(), null, lastAttempt(job, ctx, e), 0);
        }
    }

    /** A task: a tenant's runs, sorted, made into its plan. */
    static TenantPlan aggregate(Job job, int input, Iterable<Piece> all) {
        Input in = job.inputs().get(input);
        List<Piece> pieces = new ArrayList<>();
        all.forEach(pieces::add);
        pieces.sort(Comparator.comparing(Piece::truth).thenComparingInt(Piece::index));
        long nanos = pieces.stream().mapToLong(Piece::nanos).sum();
        List<String> errors = pieces.stream().map(Piece::error).filter(e -> e != null).distinct().toList();
        if (!errors.isEmpty()) {
            long failed = pieces.stream().filter(p -> p.error() != null).count();
            return new TenantPlan(in, null, String.join("; ", errors) + (failed == pieces.size() ? ""
                    : " (" + failed + " of " + pieces.size() + " runs failed)"), 0);
        }
        try {
            Scenario s = scenario(job, input);
            List<CapacityPlanner.Run> runs = pieces.stream().filter(p -> !p.truth()).map(Piece::run).toList();
            List<CapacityPlanner.Run> truths = pieces.stream().filter(Piece::truth).map(Piece::run).toList();
            Prices prices = null;
            if (job.prices() != null) {
                // one price list for every tenant: the products this tenant lacks are left out
                prices = Prices.read(new ByteArrayInputStream(job.prices()), job.pricesName(),
                        s.products().stream().map(Scenario.ProductSpec::sku).toList(), true);
            }
            CapacitySettings.Result r = job.settings().result(s, Tasks.catalog(), runs, truths, prices, nanos / 1_000_000);
            String file = job.planPath(in);
            job.storage().write(Storage.resolve(job.out(), file), "plan", CapacityPlanWriter.bytes(r.json()));
            return new TenantPlan(in, file, null, runs.size());
        } catch (LicensimException e) {
            return new TenantPlan(in, null, e.getMessage(), 0);
        } catch (IOException e) {
            return new TenantPlan(in, null, "cannot read " + job.pricesName() + ": " + e.getMessage(), 0);
        } catch (RuntimeException e) {
            return new TenantPlan(in, null, lastAttempt(job, TaskContext.get(), e), 0);
        }
    }

    /**
     * An unexpected exception is thrown again for Spark to retry the task, unless this is the last
     * attempt Spark allows: then it is the tenant's failure, so the other tenants' plans are made.
     */
    private static String lastAttempt(Job job, TaskContext ctx, RuntimeException e) {
        if (e instanceof org.apache.spark.TaskKilledException || (ctx != null && ctx.isInterrupted())) {
            throw e; // a kill (a speculative copy, a cancelled job) is Spark's to handle, never the tenant's failure
        }
        if (ctx != null && ctx.attemptNumber() + 1 < job.attempts()) {
            throw e;
        }
        return "failed after " + job.attempts() + " attempt" + (job.attempts() == 1 ? "" : "s") + ": " + e;
    }

    /** The scenario a tenant's runs simulate, made once per executor JVM and job (the few most recent kept). */
    static Scenario scenario(Job job, int input) {
        String key = job.id() + "/" + input;
        Scenario s = Tasks.cached(key);
        if (s == null) {
            s = build(job, job.inputs().get(input));
            Tasks.cache(key, s);
        }
        return s;
    }

    private static Scenario build(Job job, Input in) {
        Catalog catalog = Tasks.catalog();
        try {
            if (in.snapshot()) {
                byte[] bytes = job.storage().read(in.path(), "tenant snapshot");
                TenantChurn churn = new ChurnReader().read(new ByteArrayInputStream(job.churn()), job.churnName());
                return job.settings().tenant(bytes, in.path(), churn);
            }
            if (in.path() == null) {
                return job.settings().apply(Scenarios.shipped(in.name(), catalog));
            }
            byte[] bytes = job.storage().read(in.path(), "scenario file");
            return job.settings().apply(new ScenarioReader(catalog).read(new ByteArrayInputStream(bytes), in.path()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Per executor JVM: the catalog, and the scenarios of the tenants it ran last. */
    static final class Tasks {
        private static final int KEEP = 2;
        private static volatile Catalog catalog;
        private static final Map<String, Scenario> RECENT = new LinkedHashMap<>(4, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Scenario> e) {
                return size() > KEEP;
            }
        };

        private Tasks() {
        }

        static Catalog catalog() {
            Catalog c = catalog;
            if (c == null) {
                synchronized (Tasks.class) {
                    if (catalog == null) {
                        catalog = Catalog.loadDefault();
                    }
                    c = catalog;
                }
            }
            return c;
        }

        static synchronized Scenario cached(String key) {
            return RECENT.get(key);
        }

        static synchronized void cache(String key, Scenario s) {
            RECENT.put(key, s);
        }
    }

    /** Progress on the driver: runs done of all, every 5% or 5 seconds, with the time so far. */
    private static final class Progress extends SparkListener {
        private final int total;
        private final Consumer<String> out;
        private final long t0 = System.nanoTime();
        private int done;
        private long last;

        Progress(int total, Consumer<String> out) {
            this.total = total;
            this.out = out;
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
            if (!end.taskType().equals("ShuffleMapTask") || !end.taskInfo().successful()) {
                return;
            }
            done++;
            long now = System.nanoTime();
            if (done == total || done % Math.max(1, total / 20) == 0 || now - last > 5_000_000_000L) {
                last = now;
                double s = (now - t0) / 1e9;
                out.accept(String.format(java.util.Locale.ROOT, "spark: %d of %d runs done, %.1f s so far%s", done,
                        total, s, done == total ? "" : String.format(java.util.Locale.ROOT, ", about %.0f s to go",
                                s / done * (total - done))));
            }
        }
    }
}
