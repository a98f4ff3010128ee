package org.licensim.bench;

import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.licensim.core.directory.Directory;
import org.licensim.core.engine.Engine;
import org.licensim.core.state.StateStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The memory-bandwidth floor of a full reconcile: the least any program could spend moving the
 * bytes {@link ReconcileBenchmark}'s engine must move, with none of its decisions. Set up on the
 * same tenant, it counts what a reconcile reads (every user's group list, one int per
 * membership, and a word per user for the user's own fields) and writes (the resolved entries,
 * {@link StateStore#ENTRY_INTS} ints each, and the per-user index, three ints per user with
 * entries), then each operation streams that many bytes on as many threads as the reconcile
 * uses: one sequential read of a flat array, and a freshly allocated output filled front to
 * back (a reconcile's output is new too, so both pay the JVM's zeroing of it).
 *
 * <p>Reading flat arrays in order is the best case: the engine reads per-user arrays scattered
 * over the heap. The ratio {@code reconcile / floor} (in {@link BenchMain}'s targets table) is
 * therefore how far the engine is from a bound it cannot reach, not from a rival.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms12g", "-Xmx12g", "-XX:+AlwaysPreTouch"})
public class MemoryFloorBenchmark {
    @Param({"1000000"})
    int users;

    @Param({"manySmall", "fewBig", "scarce"})
    BenchTenant.Shape shape;

    /** What the reconcile reads, as one flat array. */
    private int[] source;
    /** How many ints the reconcile writes. */
    private long outputInts;
    private int threads;

    @Setup(Level.Trial)
    public void setUp() {
        BenchTenant t = BenchTenant.generate(users, shape);
        EngineResolver reference = new EngineResolver(t);
        reference.resolve();
        Engine engine = reference.engine();
        Directory dir = t.tenant.directory();
        StateStore store = engine.store();
        long memberships = 0;
        long entries = 0;
        long listed = 0;
        for (int u = 0; u < t.users; u++) {
            memberships += dir.groupCount(u);
            int c = store.count(u);
            entries += c;
            listed += c > 0 ? 1 : 0;
        }
        long readInts = memberships + t.users;
        if (readInts > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException(users + " users read more than one array holds");
        }
        source = new int[(int) readInts];
        for (int i = 0; i < source.length; i++) {
            source[i] = i * 0x9E3779B9;
        }
        outputInts = entries * StateStore.ENTRY_INTS + listed * 3;
        threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), t.users / 4096 + 1));
    }

    /** Reads {@link #source} and writes {@link #outputInts} fresh ints, split over the reconcile's threads. */
    @Benchmark
    public long stream() {
        return IntStream.range(0, threads).parallel().mapToLong(this::share).sum();
    }

    /** Worker {@code w}'s share: a sum over its part of the source, then its part of the output written in order. */
    private long share(int w) {
        int readFrom = (int) ((long) source.length * w / threads);
        int readTo = (int) ((long) source.length * (w + 1) / threads);
        int sum = 0;
        for (int i = readFrom; i < readTo; i++) {
            sum += source[i];
        }
        long writeFrom = outputInts * w / threads;
        long writeTo = outputInts * (w + 1) / threads;
        int[] out = new int[(int) (writeTo - writeFrom)];
        for (int i = 0; i < out.length; i++) {
            out[i] = sum + i;
        }
        return out.length == 0 ? sum : sum + out[out.length - 1];
    }
}
