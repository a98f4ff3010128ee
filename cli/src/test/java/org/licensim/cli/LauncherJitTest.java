package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of JIT (first compiler only for small inputs), asked through
 * LICENSIM_PRINT_JIT, which prints the choice and exits before building or running anything.
 */
class LauncherJitTest {
    static final Path LAUNCHER = Path.of("../licensim");

    /** The launcher's exit code and output (stdout, then stderr) for these arguments and LICENSIM_JIT. */
    static String[] jit(String mode, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LICENSIM_PRINT_JIT", "1");
        if (mode != null) {
            pb.environment().put("LICENSIM_JIT", mode);
        } else {
            pb.environment().remove("LICENSIM_JIT");
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new String[] {Integer.toString(p.waitFor()), out, err};
    }

    /** The launcher's exit code and output for these arguments, LICENSIM_GC and LICENSIM_JAVA_OPTS, asked through LICENSIM_PRINT_GC. */
    static String[] gc(String mode, String javaOpts, String... args) throws IOException, InterruptedException {
        // a kernel without huge pages and a machine of 24 GB, whatever this one has
        return gc(mode, javaOpts, Path.of("no-such-file"), 24L << 20, args);
    }

    /** As {@link #gc(String, String, String...)}, with the kernel's huge-page setting read from {@code thp} and {@code memoryKb} of memory. */
    static String[] gc(String mode, String javaOpts, Path thp, long memoryKb, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LICENSIM_PRINT_GC", "1");
        pb.environment().put("LICENSIM_THP_FILE", thp.toString());
        pb.environment().put("LICENSIM_MEMORY_KB", Long.toString(memoryKb));
        pb.environment().remove("LICENSIM_GC");
        pb.environment().remove("LICENSIM_JAVA_OPTS");
        if (mode != null) {
            pb.environment().put("LICENSIM_GC", mode);
        }
        if (javaOpts != null) {
            pb.environment().put("LICENSIM_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new String[] {Integer.toString(p.waitFor()), out, err};
    }

    static Path sized(Path dir, String name, long bytes) throws IOException {
        Path f = dir.resolve(name);
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(bytes); // sparse: the launcher only asks the size
        }
        return f;
    }

    @Test
    @DisplayName("small inputs, simulate and plan get the first compiler only; big inputs, bench and serve the default; LICENSIM_JIT decides when set")
    void jitFollowsTheInputs(@TempDir Path dir) throws Exception {
        String quick = "-XX:TieredStopAtLevel=1";
        Path small = sized(dir, "small.json", 13_000_000);
        Path big = sized(dir, "big.json", 300_000_000);
        Path half = sized(dir, "half.json", 140_000_000);
        assertTrue(Files.isRegularFile(LAUNCHER), "the launcher is at the repository's root");
        assertEquals(quick, jit(null, "resolve", small.toString())[1]);
        assertEquals("", jit(null, "resolve", big.toString())[1]);
        // inputs add up: two files of 140 MB are a big input
        assertEquals(quick, jit(null, "resolve", half.toString())[1]);
        assertEquals("", jit(null, "resolve", half.toString(), "--events", half.toString())[1]);
        // an old output, however big, is not an input
        assertEquals(quick, jit(null, "resolve", small.toString(), "--out", big.toString())[1]);
        assertEquals(quick, jit(null, "catalog", "--product", "ENTERPRISEPACK")[1]);
        // a directory (a store) counts by what it holds: real bytes, so a small one is written
        Path store = Files.createDirectories(dir.resolve("store"));
        Files.write(store.resolve("users.dat"), new byte[1 << 20]);
        assertEquals(quick, jit(null, "state", store.toString())[1]);
        Files.write(store.resolve("states.dat"), new byte[260 << 20]);
        assertEquals("", jit(null, "state", store.toString(), "--user", "u1")[1]);
        assertEquals(quick, jit(null, "simulate")[1]);
        assertEquals("", jit("full", "simulate", "enterprise")[1]);
        assertEquals(quick, jit("quick", "simulate", "enterprise")[1]);
        assertEquals(quick, jit(null, "plan", big.toString(), "--churn", small.toString())[1]);
        assertEquals("", jit(null, "serve", "--scenario", "small")[1]);
        assertEquals("", jit(null, "bench", "--profile", "smoke")[1]);
        assertEquals("", jit("full", "resolve", small.toString())[1]);
        assertEquals("", jit("full", "simulate")[1]);
        String[] bad = jit("fast", "resolve", small.toString());
        assertEquals("1", bad[0]);
        assertEquals("licensim: LICENSIM_JIT must be auto, quick, lean or full, not \"fast\"", bad[2]);
    }

    @Test
    @DisplayName("a simulation of 500,000 day-0 users or more gets the second compiler with shallow inlining; smaller ones the first compiler only")
    void bigSimulationsGetTheLeanSecondCompiler(@TempDir Path dir) throws Exception {
        String quick = "-XX:TieredStopAtLevel=1";
        String lean = "-XX:MaxInlineLevel=4 -XX:FreqInlineSize=40 -XX:InlineSmallCode=400";
        // shipped scenarios by name: enterprise has a million users, the default 100,000, small 1,000
        assertEquals(lean, jit(null, "simulate", "enterprise", "--out", "x", "-q")[1]);
        assertEquals(lean, jit(null, "simulate", "--out", "x", "enterprise")[1]);
        assertEquals(quick, jit(null, "simulate", "small", "--seed", "3")[1]);
        assertEquals(quick, jit(null, "simulate", "--days", "900000")[1]);
        // --users replaces the scenario's count, either way
        assertEquals(quick, jit(null, "simulate", "enterprise", "--users", "1000")[1]);
        assertEquals(lean, jit(null, "simulate", "--users", "2000000")[1]);
        assertEquals(lean, jit(null, "simulate", "small", "--users=500000")[1]);
        assertEquals(quick, jit(null, "simulate", "small", "--users=499999")[1]);
        // a scenario file counts by its own "users"; a snapshot (users a list) is not a big simulation
        Path big = dir.resolve("big.json");
        Files.writeString(big, "{\n  \"name\": \"big\",\n  \"users\": 800000,\n  \"days\": 30\n}\n");
        assertEquals(lean, jit(null, "simulate", big.toString())[1]);
        Path snapshot = dir.resolve("snapshot.json");
        Files.writeString(snapshot, "{\"tenant\": {\"id\": \"t\"}, \"users\": [{\"id\": \"u1\"}]}\n");
        assertEquals(quick, jit(null, "simulate", snapshot.toString(), "--churn", "churn.csv")[1]);
        assertEquals(lean, jit("lean", "resolve", snapshot.toString())[1]);
    }

    @Test
    @DisplayName("resolve, simulate and plan run with the parallel collector (simulate promoting at the first collection); serve, bench and the rest keep G1; LICENSIM_GC decides; a collector in LICENSIM_JAVA_OPTS wins")
    void collectorFollowsTheCommand() throws Exception {
        String parallel = "-XX:+UseParallelGC -XX:InitialRAMPercentage=8";
        assertEquals(parallel, gc(null, null, "resolve", "snapshot.json", "--out", "state.json")[1]);
        // a simulation's survivors are its tenant, kept to the end: promoted at the first collection
        assertEquals(parallel + " -XX:MaxTenuringThreshold=0", gc(null, null, "simulate", "default", "-q")[1]);
        assertEquals(parallel + " -XX:MaxTenuringThreshold=0", gc("parallel", null, "simulate")[1]);
        assertEquals("", gc("g1", null, "simulate")[1]);
        assertEquals(parallel, gc(null, null, "plan", "seat-crunch", "--runs", "100")[1]);
        assertEquals("", gc(null, null, "serve", "snapshot.json")[1]);
        assertEquals("", gc(null, null, "bench", "--profile", "smoke")[1]);
        assertEquals("", gc(null, null, "catalog", "--product", "ENTERPRISEPACK")[1]);
        assertEquals("", gc("g1", null, "resolve", "snapshot.json")[1]);
        assertEquals(parallel, gc("parallel", null, "serve", "snapshot.json")[1]);
        // the user's own collector, and only a collector, replaces the choice
        assertEquals("", gc(null, "-Xmx8g -XX:+UseG1GC", "resolve", "snapshot.json")[1]);
        assertEquals("", gc("parallel", "-XX:+UseZGC", "resolve", "snapshot.json")[1]);
        assertEquals(parallel, gc(null, "-Xmx8g", "resolve", "snapshot.json")[1]);
        String[] bad = gc("zgc", null, "resolve", "snapshot.json");
        assertEquals("1", bad[0]);
        assertEquals("licensim: LICENSIM_GC must be auto, parallel or g1, not \"zgc\"", bad[2]);
    }

    @Test
    @DisplayName("the batch commands ask for transparent huge pages where the kernel gives them on request; a simulation of 500,000 day-0 users or more gets a young generation that holds its run, unless the user sizes the heap or the machine is too small")
    void hugePagesAndTheSimulationsYoungGeneration(@TempDir Path dir) throws Exception {
        String parallel = "-XX:+UseParallelGC -XX:InitialRAMPercentage=8";
        String simulate = parallel + " -XX:MaxTenuringThreshold=0";
        String thp = " -XX:+UseTransparentHugePages";
        Path madvise = dir.resolve("madvise");
        Files.writeString(madvise, "always [madvise] never\n");
        Path always = dir.resolve("always");
        Files.writeString(always, "[always] madvise never\n");
        Path never = dir.resolve("never");
        Files.writeString(never, "always madvise [never]\n");
        long gb24 = 24L << 20;
        assertEquals(parallel + thp, gc(null, null, madvise, gb24, "resolve", "snapshot.json")[1]);
        assertEquals(parallel + thp, gc(null, null, always, gb24, "plan", "seat-crunch")[1]);
        assertEquals(parallel, gc(null, null, never, gb24, "resolve", "snapshot.json")[1]);
        assertEquals("", gc(null, null, madvise, gb24, "serve", "snapshot.json")[1]);
        // simulate enterprise: a million day-0 users, 5 KB each
        String young = " -XX:MaxRAMPercentage=50 -Xmn5000m";
        assertEquals(simulate + thp + young, gc(null, null, madvise, gb24, "simulate", "enterprise", "-q")[1]);
        assertEquals(simulate + young, gc(null, null, never, gb24, "simulate", "enterprise")[1]);
        assertEquals(simulate + " -XX:MaxRAMPercentage=50 -Xmn2500m",
                gc(null, null, never, gb24, "simulate", "--users", "500000")[1]);
        assertEquals(simulate, gc(null, null, never, gb24, "simulate", "--users", "499999")[1]);
        assertEquals(simulate, gc(null, null, never, gb24, "simulate", "default")[1]);
        // at most a quarter of the memory: 5,000 MB needs 20,000 MB
        assertEquals(simulate + young, gc(null, null, never, 5000L * 4 * 1024, "simulate", "enterprise")[1]);
        assertEquals(simulate, gc(null, null, never, 5000L * 4 * 1024 - 1, "simulate", "enterprise")[1]);
        assertEquals(simulate, gc(null, null, never, 16L << 20, "simulate", "enterprise")[1]);
        // the user's heap sizes win, and only heap sizes
        for (String given : List.of("-Xmx8g", "-Xmn2g", "-Xms4g", "-XX:MaxRAMPercentage=70", "-XX:MaxNewSize=3g", "-XX:NewRatio=1")) {
            assertEquals(simulate, gc(null, given, never, gb24, "simulate", "enterprise")[1], given);
        }
        assertEquals(simulate + young, gc(null, "-Xlog:gc", never, gb24, "simulate", "enterprise")[1]);
        assertEquals("", gc("g1", null, madvise, gb24, "simulate", "enterprise")[1]);
    }
}
