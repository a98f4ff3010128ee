package org.licensim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The full reconcile of a generated bench tenant, repeated in one JVM, with the CPU its Java
 * threads spent beside the wall time: on a busy machine the wall time of a reconcile on both
 * cores says more about the other processes than about the reconcile, while the CPU it takes
 * moves far less. Builds the tenant as {@link ReconcileBenchmark} does, reconciles it
 * {@code WARMUP} times untimed and {@code REPEATS} times timed (a collection before each), and
 * prints the median, min and max of both, the path taken and the state's fingerprint (to compare
 * two builds' results). The CPU is the sum over live Java threads (the common pool's workers
 * and the caller), so it leaves out the collector's and the compiler's threads. As a program:
 * {@code java $(cat core/target/classes/licensim-jvm.flags) -Xms6g -Xmx6g -cp
 * bench/target/benchmarks.jar org.licensim.bench.ReconcileRun USERS SHAPE [REPEATS [WARMUP]]}.
 */
public final class ReconcileRun {
    private ReconcileRun() {
    }

    /** CPU time of every live Java thread so far, in nanoseconds. */
    private static long threadsCpu(ThreadMXBean threads) {
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            sum += Math.max(0, cpu);
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        BenchArgs.main("ReconcileRun", "ReconcileRun USERS manySmall|fewBig|scarce [REPEATS (default 15) [WARMUP (default 5)]]",
                args, 2, 4, () -> run(BenchArgs.count("USERS", args[0]),
                        BenchArgs.choice("SHAPE", args[1], BenchTenant.Shape.class),
                        args.length > 2 ? BenchArgs.count("REPEATS", args[2]) : 15,
                        args.length > 3 ? BenchArgs.whole("WARMUP", args[3]) : 5));
    }

    private static void run(int users, BenchTenant.Shape shape, int repeats, int warmup) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        EngineResolver r = new EngineResolver(BenchTenant.generate(users, shape));
        double[] wall = new double[repeats];
        double[] cpu = new double[repeats];
        for (int i = 0; i < warmup + repeats; i++) {
            System.gc();
            long cpu0 = threadsCpu(threads);
            long t0 = System.nanoTime();
            r.resolve();
            long ns = System.nanoTime() - t0;
            long used = threadsCpu(threads) - cpu0;
            if (i >= warmup) {
                wall[i - warmup] = ns / 1e6;
                cpu[i - warmup] = used / 1e6;
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%s %,d users, %d reconciles (%s): wall median %.1f ms (%.1f-%.1f), "
                + "Java threads' CPU median %.1f ms (%.1f-%.1f); fingerprint %d%n", shape, users, repeats,
                r.engine().reconcilePath(), wall[repeats / 2], wall[0], wall[repeats - 1], cpu[repeats / 2], cpu[0],
                cpu[repeats - 1], r.fingerprint());
    }
}
