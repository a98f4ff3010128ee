package org.licensim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.licensim.core.directory.Tenant;
import org.licensim.core.io.SnapshotReader;

/**
 * Snapshot reading speed, whole process: reads one snapshot file {@code REPEATS} times in a
 * fresh JVM with the ordinary {@link SnapshotReader} and prints each read's time and MB/s (file
 * bytes over wall time, MB = 10^6 bytes). The first read is what {@code licensim resolve} pays
 * (its "read N ms": a cold JVM, the reader interpreted and compiled as it goes); the later
 * ones show the warm reader. As a program: {@code java $(cat core/target/classes/licensim-jvm.flags)
 * -cp bench/target/benchmarks.jar org.licensim.bench.SnapshotReadRun SNAPSHOT [REPEATS]}.
 */
public final class SnapshotReadRun {
    private SnapshotReadRun() {
    }

    /** Bytes the calling thread allocated so far (HotSpot's counter), or 0 where the JVM has none. */
    private static long allocated(java.lang.management.ThreadMXBean threads) {
        return threads instanceof com.sun.management.ThreadMXBean t ? t.getCurrentThreadAllocatedBytes() : 0;
    }

    /** CPU time of the whole process so far (every thread: the reader's, the collector's, the compiler's), or 0. */
    private static long processCpu(java.lang.management.OperatingSystemMXBean os) {
        return os instanceof com.sun.management.OperatingSystemMXBean o ? o.getProcessCpuTime() : 0;
    }

    /** How many collections ran so far. */
    private static int gcCount() {
        int n = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            n += (int) Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /** Total time of the collectors' collections so far. */
    private static long gcMillis() {
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    public static void main(String[] args) throws Exception {
        BenchArgs.main("SnapshotReadRun", "SnapshotReadRun SNAPSHOT [REPEATS (default 1)]", args, 1, 2,
                () -> run(BenchArgs.input("SNAPSHOT", args[0]), args.length > 1 ? BenchArgs.count("REPEATS", args[1]) : 1));
    }

    private static void run(Path file, int repeats) throws IOException {
        long bytes = Files.size(file);
        SnapshotReader reader = SnapshotReader.withDefaults();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        var heap = java.lang.management.ManagementFactory.getMemoryMXBean();
        for (int i = 1; i <= repeats; i++) {
            long gc0 = gcMillis();
            int gcs0 = gcCount();
            long used0 = heap.getHeapMemoryUsage().getUsed();
            long process0 = processCpu(os);
            long cpu0 = threads.getCurrentThreadCpuTime();
            long alloc0 = allocated(threads);
            long t0 = System.nanoTime();
            Tenant t = reader.read(file);
            long ns = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long alloc = allocated(threads) - alloc0;
            long process = processCpu(os) - process0;
            int gcs = gcCount() - gcs0;
            long grew = heap.getHeapMemoryUsage().getUsed() - used0;
            System.out.printf(Locale.ROOT, "read %d: %,d users, %,d memberships, %,.0f ms, %.1f MB/s (%s, %,d bytes); "
                    + "reading thread's CPU %,.0f ms, %,d MB allocated; process CPU %,.0f ms; %d collections, pauses %,d ms; "
                    + "heap %s %,d MB (used before: %,d MB)%n", i, t.users().liveCount(),
                    t.directory().membershipCount(), ns / 1e6, bytes / 1e6 / (ns / 1e9), file.getFileName(), bytes,
                    cpu / 1e6, alloc >> 20, process / 1e6, gcs, gcMillis() - gc0,
                    gcs == 0 ? "grew by (all threads' allocation)" : "grew by", grew >> 20, used0 >> 20);
        }
    }
}
