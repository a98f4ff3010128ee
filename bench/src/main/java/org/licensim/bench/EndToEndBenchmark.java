package org.licensim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.licensim.core.engine.Engine;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.io.StateCsvWriter;
import org.licensim.core.io.StateWriter;
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
 * Snapshot file to resolved-state file, as {@code licensim resolve SNAPSHOT --out STATE} does it,
 * beside DuckDB doing the same from the same file ({@link DuckDbEndToEnd}: read_json, the joins
 * and window, one JSON line per user): what a user waits for besides JVM start-up. The snapshot
 * is a bench tenant without dynamic groups (the SQL peer evaluates no rules), written once per
 * trial to a temporary file. {@code resolver=licensim} writes Graph's shape (what {@code --out
 * state.json} writes), {@code licensimCsv} one row per user, product and source ({@code --out
 * state.csv}), {@code duckdb} its JSON lines. On the {@code scarce} shape DuckDB resolves the
 * simpler problem it always does (no conflicts, usage locations or proxy uniqueness).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
public class EndToEndBenchmark {
    @Param({"100000"})
    int users;

    @Param({"manySmall", "scarce"})
    BenchTenant.Shape shape;

    @Param({"licensim", "licensimCsv", "duckdb"})
    String resolver;

    private Path dir;
    private Path snapshot;
    private Path out;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("licensim-e2e");
        snapshot = dir.resolve("snapshot.json");
        BenchTenant.writeSnapshot(users, shape, snapshot);
        out = dir.resolve(resolver.equals("licensimCsv") ? "state.csv" : "state.json");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public long resolve() throws IOException {
        if (resolver.equals("duckdb")) {
            DuckDbEndToEnd.run(snapshot, out);
        } else {
            Engine e = Engine.builder(SnapshotReader.withDefaults().read(snapshot)).reconcile();
            if (resolver.equals("licensimCsv")) {
                StateCsvWriter.write(e, out);
            } else {
                StateWriter.write(e, out);
            }
        }
        return Files.size(out);
    }
}
