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

    /** Total time of the collectors' collections so far. */
    private static long gcMillis() {
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: SnapshotReadRun SNAPSHOT [REPEATS (default 1)]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        long bytes = Files.size(file);
        SnapshotReader reader = SnapshotReader.withDefaults();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 1; i <= repeats; i++) {
            long gc0 = gcMillis();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long alloc0 = allocated(threads);
            long t0 = System.nanoTime();
            Tenant t = reader.read(file);
            long ns = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long alloc = allocated(threads) - alloc0;
            System.out.printf(Locale.ROOT, "read %d: %,d users, %,d memberships, %,.0f ms, %.1f MB/s (%s, %,d bytes); "
                    + "reading thread's CPU %,.0f ms, %,d MB allocated, collector pauses %,d ms%n", i, t.users().liveCount(),
                    t.directory().membershipCount(), ns / 1e6, bytes / 1e6 / (ns / 1e9), file.getFileName(), bytes,
                    cpu / 1e6, alloc >> 20, gcMillis() - gc0);
        }
    }
}
