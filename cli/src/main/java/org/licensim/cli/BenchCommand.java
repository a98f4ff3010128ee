package org.licensim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.licensim.core.LicensimException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code licensim bench}: runs the JMH suite from {@code bench/target/benchmarks.jar} in a JVM
 * of its own (with the JVM flags from the one place that holds them), so that the CLI's jar
 * does not carry JMH and the 80 MB DuckDB driver.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs the JMH benchmark suite: full reconcile of the engine beside its peers (a plain-JDK "
                + "implementation and DuckDB), per-event latency percentiles, rule evaluation; writes JMH JSON, a "
                + "machine description and the targets table (met / missed) to a results directory.",
                "Profiles: quick (default; 1M users, minutes), full (100k/1M/10M users, both policy shapes, "
                        + "two forks; an hour or more), smoke (every benchmark once on a tiny tenant).",
                "One benchmark with JMH's own options: java -jar bench/target/benchmarks.jar -h"})
final class BenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    enum Profile { smoke, quick, full }

    @Option(names = "--profile", defaultValue = "quick", paramLabel = "quick|full|smoke",
            description = "How much to run. Default: ${DEFAULT-VALUE}.")
    Profile profile;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "licensim-out/bench",
            description = "Results directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--include", paramLabel = "REGEX", description = "Only benchmarks matching this JMH regex, "
            + "e.g. ReconcileBenchmark or EventBenchmark.member.")
    String include;

    @Option(names = "--store-scale", paramLabel = "USERS",
            description = "Instead of JMH: generate a tenant of USERS users, reconcile it into a new persisted store "
                    + "under --out with a 4 GiB heap, reopen it, and report times, heap and store bytes per user "
                    + "(store-scale.json). 10000000 takes about a minute and 2 GB of disk while it runs; the store is "
                    + "removed afterwards unless --keep-store.")
    Integer storeScale;

    @Option(names = "--keep-store", description = "With --store-scale: keep the store directory it made (about 200 bytes "
            + "per user) instead of removing it once measured.")
    boolean keepStore;

    @Option(names = "--benchmarks-jar", paramLabel = "JAR", description = "The benchmarks jar "
            + "(default: bench/target/benchmarks.jar next to this build).")
    Path jar;

    @Override
    public Integer call() throws Exception {
        Path benchmarks = jar != null ? jar : defaultJar();
        if (!Files.isRegularFile(benchmarks)) {
            throw new LicensimException("benchmarks jar not found: " + benchmarks
                    + " (build it with mvn -B -DskipTests package, or name it with --benchmarks-jar)");
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent() && !Files.exists(out.resolve("machine.json"))) {
                    throw new LicensimException("results directory " + out + " is not empty and holds no earlier "
                            + "benchmark results (machine.json); name a new or empty directory with --out");
                }
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags());
        if (storeScale != null) {
            if (storeScale < 1) {
                throw new LicensimException("--store-scale " + storeScale + ": give a user count of at least 1");
            }
            Path store = out.resolve("store-" + storeScale);
            if (Files.exists(store)) {
                throw new LicensimException(store + " exists: remove it or give another --out");
            }
            cmd.addAll(List.of("-Xmx4g", "-cp", benchmarks.toString(), "org.licensim.bench.StoreScaleRun",
                    storeScale.toString(), store.toString()));
            Files.createDirectories(out);
            java.io.PrintWriter err = spec.commandLine().getErr();
            err.printf("licensim: --store-scale %,d writes a store of about %,d MB under %s%s%n", storeScale,
                    Math.max(1, storeScale * 200L >> 20), store, keepStore ? " and keeps it (--keep-store)"
                            : "; it is removed once measured (--keep-store keeps it)");
            err.flush();
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            int code = p.waitFor();
            if (!keepStore && Files.exists(store)) {
                long bytes;
                try (Stream<Path> s = Files.walk(store)) {
                    bytes = s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                }
                org.licensim.core.files.Trees.delete(store);
                err.printf("licensim: removed %s (%,d MB); the figures are in %s%n", store, bytes >> 20,
                        out.resolve("store-scale.json"));
            }
            return code == 0 ? 0 : Main.INPUT_ERROR;
        }
        // the smoke profile runs in this JVM; quick and full fork JVMs that set their own heap
        cmd.add(profile == Profile.smoke ? "-Xmx4g" : "-Xmx1g");
        cmd.addAll(List.of("-cp", benchmarks.toString(), "org.licensim.bench.BenchMain", "--profile", profile.name(),
                "--out", out.toString()));
        if (include != null) {
            cmd.addAll(List.of("--include", include));
        }
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        return p.waitFor() == 0 ? 0 : Main.INPUT_ERROR;
    }

    private static Path defaultJar() {
        return checkout().resolve(Path.of("bench", "target", "benchmarks.jar"));
    }

    /**
     * The checkout this CLI was built in: cli/target/licensim.jar (or cli/target/classes) -> the
     * root; the system property {@code licensim.checkout} names it when the CLI runs from elsewhere
     * (a test of another module, whose CLI classes come from the local Maven repository).
     */
    static Path checkout() {
        String given = System.getProperty("licensim.checkout");
        if (given != null && !given.isBlank()) {
            return Path.of(given).toAbsolutePath().normalize();
        }
        try {
            Path self = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self.toAbsolutePath().getParent().getParent().getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JVM flags of core's resource, the one list the launcher, tests and benchmarks share. */
    static List<String> jvmFlags() throws IOException {
        try (InputStream in = BenchCommand.class.getResourceAsStream("/licensim-jvm.flags")) {
            if (in == null) {
                throw new LicensimException("licensim-jvm.flags is missing from the build");
            }
            String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+"));
        }
    }
}
