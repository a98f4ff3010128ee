package org.licensim.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged job jar as a cluster runs it: submitted through Spark's own {@code SparkSubmit}
 * (what {@code bin/spark-submit} starts) in a fresh JVM whose classpath is Spark's jars and
 * nothing of licensim's, so licensim's relocated libraries meet Spark's own copies.
 */
class SparkSubmitIT {
    @TempDir
    static Path dir;
    static Path tenant;
    static Path churn;
    static final Path JAR = Path.of(System.getProperty("licensim.cluster.jar", "target/licensim-cluster.jar"));

    @BeforeAll
    static void tenant() throws IOException {
        tenant = ClusterPlanTest.smallTenant(dir.resolve("fabrikam.json"), 30);
        churn = dir.resolve("churn.json");
        Files.writeString(churn, "{\"start\": \"2027-03-01\", \"days\": 60, \"rates\": {\"hires\": \"0.4%\", "
                + "\"leavers\": \"0.1%\"}}");
    }

    record Proc(int code, String out) {
    }

    static Proc submit(String... jobArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(System.getProperty("licensim.spark.jvm.flags", "").trim().split("\\s+")));
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(Files.readString(Path.of(System.getProperty("licensim.spark.classpath",
                "target/spark-classpath.txt"))).trim());
        cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--conf",
                "spark.ui.enabled=false", "--class", "org.licensim.cluster.PlanJob", JAR.toString()));
        cmd.addAll(List.of(jobArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Path log = dir.resolve("submit-" + System.nanoTime() + ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("spark-submit did not finish in 3 minutes:\n" + Files.readString(log));
        }
        return new Proc(p.exitValue(), Files.readString(log));
    }

    @Test
    @DisplayName("the job jar holds licensim and its relocated libraries, nothing of Spark's or under the original names; the CLI jar no Spark")
    void jarIsIsolated() throws IOException {
        try (ZipFile z = new ZipFile(JAR.toFile())) {
            List<String> names = z.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
            assertTrue(names.contains("org/licensim/cluster/PlanJob.class"));
            assertTrue(names.stream().anyMatch(n -> n.startsWith("org/licensim/shaded/jackson/databind/")));
            List<String> stray = names.stream().filter(n -> !n.startsWith("org/licensim/")).limit(5).toList();
            assertEquals(List.of(), stray, "classes outside org/licensim in the job jar");
        }
        assertTrue(Files.size(JAR) < 40L << 20, "the job jar grew to " + Files.size(JAR) + " bytes");
        // and the CLI's jar, built before this module, has nothing of Spark's
        Path cli = Path.of(System.getProperty("licensim.checkout", ".."), "cli", "target", "licensim.jar");
        try (ZipFile z = new ZipFile(cli.toFile())) {
            assertEquals(List.of(), z.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(n -> n.startsWith("org/apache/spark/") || n.startsWith("scala/")).limit(5).toList());
            assertTrue(z.getEntry("org/licensim/cli/Main.class") != null);
        }
    }

    @Test
    @DisplayName("spark-submit of the job jar in local mode writes the plan licensim plan writes, byte for byte")
    void submitted() throws Exception {
        Path expected = dir.resolve("plan");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = org.licensim.cli.Main.run(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err), "plan", tenant.toString(), "--churn", churn.toString(), "--runs", "4",
                "-q", "--out", expected.toString());
        assertEquals(0, code, err.toString());
        Path out = dir.resolve("submitted");
        Proc p = submit("--churn", churn.toString(), "--runs", "4", "--out", out.toString(), tenant.toString());
        assertEquals(0, p.code(), p.out());
        assertTrue(p.out().contains("4 of 4 runs done"), p.out());
        assertArrayEquals(Files.readAllBytes(expected.resolve("plan.json")), Files.readAllBytes(out.resolve("plan.json")));
    }

    @Test
    @DisplayName("licensim plan --spark local[2] submits the job and writes the plan licensim plan writes; bad uses are refused")
    void planSparkFromTheCli() throws Exception {
        String[] plan = {"plan", tenant.toString(), "--churn", churn.toString(), "--runs", "5", "--backtest",
                "--truths", "2", "-q", "--out"};
        java.io.StringWriter err = new java.io.StringWriter();
        Path here = dir.resolve("cli-here");
        Path spark = dir.resolve("cli-spark");
        assertEquals(0, cli(err, plan, here.toString()), err.toString());
        assertEquals(0, cli(err, plan, spark.toString(), "--spark", "local[2]"), err.toString());
        assertArrayEquals(Files.readAllBytes(here.resolve("plan.json")), Files.readAllBytes(spark.resolve("plan.json")));
        try (var left = Files.list(spark)) {
            assertEquals(List.of(spark.resolve("plan.json")), left.toList(), "Spark's scratch directory was left behind");
        }
        assertEquals(1, cli(err, plan, dir.resolve("t").toString(), "--spark", "local[2]", "--threads", "2"));
        assertTrue(err.toString().contains("--threads 2 with --spark"), err.toString());
        Path none = dir.resolve("cli-none");
        assertEquals(1, cli(err, new String[] {"plan", dir.resolve("missing.json").toString(), "--churn",
                churn.toString(), "-q", "--out"}, none.toString(), "--spark", "local[2]"));
        assertFalse(Files.exists(none), "a failed plan left its output directory");
    }

    static int cli(java.io.StringWriter err, String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return org.licensim.cli.Main.run(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err),
                all.toArray(String[]::new));
    }

    @Test
    @DisplayName("a missing churn file through spark-submit: one message naming it, exit 1, no stack trace")
    void badInput() throws Exception {
        Path missing = dir.resolve("no-such-churn.json");
        Proc p = submit("--churn", missing.toString(), "--out", dir.resolve("x").toString(), tenant.toString());
        assertEquals(1, p.code(), p.out());
        assertTrue(p.out().contains("licensim-cluster: churn file not found: " + missing), p.out());
        assertFalse(p.out().contains("\tat "), p.out());
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
