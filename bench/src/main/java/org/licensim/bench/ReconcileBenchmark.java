package org.licensim.bench;

import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Full reconcile of a generated tenant by the engine and by its peers, same tenant, same run.
 * Each trial first checks that its resolver's result equals the engine's (an unequal peer
 * would make the comparison meaningless), then times {@link Resolver#resolve()} alone. On the
 * {@code scarce} shape the peers resolve a simpler problem (R1-R6, R10, R11: no conflicts,
 * usage locations or proxy uniqueness), so there they are timed beside the engine, not compared.
 *
 * <p>The fork pre-touches its heap: a reconcile allocates its output (about 200 MB at 1M users),
 * and without it every operation until the first collections would also pay the kernel's
 * first-touch page faults on fresh heap, which a long-running process pays once. Every
 * resolver runs with the same flags.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms12g", "-Xmx12g", "-XX:+AlwaysPreTouch"})
public class ReconcileBenchmark {
    @Param({"1000000"})
    int users;

    @Param({"manySmall", "fewBig", "scarce"})
    BenchTenant.Shape shape;

    @Param({"engine", "plainJdk", "duckdb"})
    Resolver.Kind resolver;

    private Resolver r;

    @Setup(Level.Trial)
    public void setUp() {
        BenchTenant t = BenchTenant.generate(users, shape);
        EngineResolver reference = new EngineResolver(t);
        reference.resolve();
        long expected = reference.fingerprint();
        reference = null;
        r = resolver.create(t);
        r.resolve();
        long actual = r.fingerprint();
        if (actual != expected && t.shape != BenchTenant.Shape.scarce) {
            throw new IllegalStateException(resolver + " resolved " + shape + "/" + users
                    + " differently from the engine: the comparison would not be honest");
        }
    }

    @Benchmark
    public Resolver reconcile() {
        r.resolve();
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        r.close();
    }
}
