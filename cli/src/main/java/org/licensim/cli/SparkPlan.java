package org.licensim.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.licensim.core.LicensimException;

/**
 * {@code licensim plan --spark MASTER}: the same plan made by the cluster module's Spark job,
 * submitted through Spark's own {@code SparkSubmit} in a child JVM (the CLI jar has no Spark in
 * it). The job jar and Spark's classpath come from this checkout's build ({@code cluster/} and
 * {@code spark-runtime/}, which the launcher builds when it sees {@code --spark}). Spark's
 * scratch files go to a directory inside the plan's output directory, removed afterwards.
 */
final class SparkPlan {
    static final String JOB = "org.licensim.cluster.PlanJob";

    private SparkPlan() {
    }

    /** Runs the job with {@code jobArgs} on {@code master}, writing to {@code out}; the job's exit code. */
    static int run(String master, List<String> jobArgs, Path out) throws IOException, InterruptedException {
        Path root = BenchCommand.checkout();
        Path jar = root.resolve(Path.of("cluster", "target", "licensim-cluster.jar"));
        Path classpath = root.resolve(Path.of("spark-runtime", "target", "spark-classpath.txt"));
        Path flags = root.resolve(Path.of("cluster", "target", "classes", "licensim-spark-jvm.flags"));
        for (Path p : List.of(jar, classpath, flags)) {
            if (!Files.isRegularFile(p)) {
                throw new LicensimException("--spark needs the cluster module built (" + p + " is missing): run "
                        + "./licensim plan ... --spark " + master + ", which builds it, or mvn -B -DskipTests package; "
                        + "on a cluster, submit cluster/target/licensim-cluster.jar with spark-submit (docs/SCALE.md)");
            }
        }
        boolean made = !Files.exists(out);
        Files.createDirectories(out);
        Path scratch = Files.createTempDirectory(out, ".spark-");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(BenchCommand.jvmFlags());
        cmd.addAll(List.of(Files.readString(flags).trim().split("\\s+")));
        cmd.add("-Djava.io.tmpdir=" + scratch);
        Path log4j = root.resolve(Path.of("cluster", "src", "main", "config", "log4j2-local.properties"));
        if (Files.isRegularFile(log4j)) {
            cmd.add("-Dlog4j2.configurationFile=" + log4j);
        }
        cmd.add("-Xmx" + Runtime.getRuntime().maxMemory() / (1 << 20) + "m"); // the heap this JVM was given
        cmd.addAll(List.of("-cp", Files.readString(classpath).trim(), "org.apache.spark.deploy.SparkSubmit",
                "--master", master, "--class", JOB, jar.toString()));
        cmd.addAll(jobArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("SPARK_LOCAL_DIRS", scratch.toString());
        if (master.startsWith("local")) {
            pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
        }
        try {
            return pb.start().waitFor() == 0 ? 0 : Main.INPUT_ERROR;
        } finally {
            delete(scratch);
            if (made) {
                try (Stream<Path> left = Files.list(out)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(out); // nothing written: leave no trace
                    }
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
