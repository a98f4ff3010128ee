package org.licensim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.licensim.core.engine.Engine;
import org.licensim.core.engine.EngineRun;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.state.ChronicleStateStore;
import org.licensim.core.state.StoreSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The persisted store at scale (issue 5): generates a bench tenant of N users, reconciles it into
 * a new store, closes it, and opens it again with every checksum verified. Prints and writes
 * (to {@code DIR/../store-scale.json}) the times, the heap in use after a full GC with the tenant
 * loaded, and the store's bytes on disk (its off-heap footprint), per user. Not a JMH benchmark:
 * one run of a one-off job, timed with the wall clock, as an administrator would see it.
 *
 * <p>Usage: {@code java <licensim-jvm.flags> -Xmx4g -cp bench/target/benchmarks.jar
 * org.licensim.bench.StoreScaleRun USERS DIR} ({@code ./licensim bench --store-scale USERS} runs it).
 */
public final class StoreScaleRun {
    private StoreScaleRun() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs.main("StoreScaleRun", "StoreScaleRun USERS DIR (DIR must not exist)", args, 2, 2, () -> {
            Path dir = Path.of(args[1]);
            if (java.nio.file.Files.exists(dir)) {
                throw new BenchArgs.Bad("DIR " + dir + " exists; give a folder that does not");
            }
            run(BenchArgs.count("USERS", args[0]), dir);
        });
    }

    private static void run(int users, Path dir) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("users", users);
        out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        long t0 = System.nanoTime();
        BenchTenant bench = BenchTenant.generate(users, BenchTenant.Shape.fewBig);
        long t1 = System.nanoTime();
        out.put("generateAndLoadMs", (t1 - t0) / 1_000_000);
        System.out.printf("tenant of %,d users generated and loaded in %,d ms%n", users, (t1 - t0) / 1_000_000);
        long heapTenant;
        try (EngineRun s = Engine.builder(bench.tenant).persisted(dir, StoreSource.described("bench tenant fewBig " + users),
                System.out::println)) {
            long t2 = System.nanoTime();
            out.put("reconcileIntoStoreMs", (t2 - t1) / 1_000_000);
            out.put("reconcilePath", s.engine().reconcilePath().description());
            heapTenant = heapAfterGc();
            out.put("heapUsedAfterGcBytes", heapTenant);
            out.put("storeValues", s.persisted().orElseThrow().store().entries());
            out.put("storeFileBytes", s.persisted().orElseThrow().store().offHeapBytes());
            System.out.printf("reconciled into %s in %,d ms (%s); %,d values%n", dir, (t2 - t1) / 1_000_000,
                    s.engine().reconcilePath(), s.persisted().orElseThrow().store().entries());
        }
        long t3 = System.nanoTime();
        long entries;
        try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
            entries = st.entries();
        }
        long t4 = System.nanoTime();
        try (ChronicleStateStore st = ChronicleStateStore.open(dir, false)) {
            entries = Math.min(entries, st.entries());
        }
        long t5 = System.nanoTime();
        out.put("openVerifyAllMs", (t4 - t3) / 1_000_000);
        out.put("openQuickMs", (t5 - t4) / 1_000_000);
        long files = (long) out.get("storeFileBytes");
        out.put("heapBytesPerUser", heapTenant / (double) users);
        out.put("storeFileBytesPerUser", files / (double) users);
        System.out.printf("heap in use after GC (tenant, engine, no state): %,d MB = %.0f B/user%n", heapTenant >> 20,
                heapTenant / (double) users);
        System.out.printf("store files: %,d MB = %.0f B/user (%,d values)%n", files >> 20, files / (double) users, entries);
        System.out.printf("reopen with every checksum verified: %,d ms; reopen with counts only: %,d ms%n",
                (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000);
        Path json = dir.toAbsolutePath().getParent().resolve("store-scale.json");
        AtomicFile.write(json, "store scale result",
                o -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(o, out));
        System.out.println("wrote " + json);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return h.getUsed();
    }
}
