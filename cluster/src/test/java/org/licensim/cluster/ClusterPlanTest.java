package org.licensim.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.SparkConf;
import org.apache.spark.TaskKilled;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.io.SnapshotWriter;
import org.licensim.simulator.capacity.CapacitySettings;
import org.licensim.simulator.run.Simulation;
import org.licensim.simulator.scenario.Scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Spark job in local mode against {@code licensim plan} itself (the CLI, in this JVM): the
 * same tenant, churn, prices and seeds give the same plan.json bytes; a broken tenant among five
 * fails alone, named; a task attempt killed by Spark and run again changes nothing.
 */
class ClusterPlanTest {
    @TempDir
    static Path dir;
    static Path tenant;
    static Path churn;
    static Path prices;

    /** A tenant snapshot: the shipped 1,000-user scenario after {@code days} days, as resolve writes one. */
    static Path smallTenant(Path file, int days) {
        Catalog catalog = Catalog.loadDefault();
        Simulation sim = new Simulation(Scenarios.shipped("small", catalog).with(null, null, days), catalog);
        sim.run(null, null);
        SnapshotWriter.write(sim.engine(), file);
        return file;
    }

    @BeforeAll
    static void tenant() throws IOException {
        tenant = smallTenant(dir.resolve("contoso.json"), 45);
        churn = dir.resolve("churn.json");
        Files.writeString(churn, """
                {"start": "2027-01-04", "days": 90, "seed": 7,
                 "rates": {"hires": "0.5%", "leavers": "0.2%", "transfers": 0.5, "memberEdits": 0.2},
                 "segments": {"Sales": {"hires": "1%"}},
                 "purchases": [{"sku": "EMS", "date": "2027-02-03", "units": 25}]}
                """);
        prices = dir.resolve("prices.json");
        Files.writeString(prices, """
                {"currency": "EUR", "products": {"ENTERPRISEPACK": {"perMonth": 33.75}, "EMS": {"perYear": 130.8}}}
                """);
    }

    record Run(int code, String out, String err) {
    }

    static Run cluster(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = PlanJob.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        return new Run(code, o.toString(), e.toString());
    }

    static Run plan(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        List<String> all = new ArrayList<>(List.of("plan"));
        all.addAll(List.of(args));
        int code = org.licensim.cli.Main.run(new PrintWriter(o, true), new PrintWriter(e, true), all.toArray(String[]::new));
        return new Run(code, o.toString(), e.toString());
    }

    static final String[] OPTIONS = {"--runs", "8", "--backtest", "--truths", "3", "--lead-time", "14"};

    static String[] with(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    @DisplayName("a tenant planned on Spark (local[2], 8 seeds, backtest, prices) gives plan.json byte for byte as licensim plan")
    void sameBytesAsPlan() throws IOException {
        Path single = dir.resolve("single");
        Run p = plan(with(OPTIONS, tenant.toString(), "--churn", churn.toString(), "--prices", prices.toString(), "-q",
                "--out", single.toString()));
        assertEquals(0, p.code(), p.err());
        Path spark = dir.resolve("spark");
        Run c = cluster(with(OPTIONS, "--master", "local[2]", "--churn", churn.toString(), "--prices", prices.toString(),
                "--out", spark.toString(), tenant.toString()));
        assertEquals(0, c.code(), c.err());
        byte[] expected = Files.readAllBytes(single.resolve("plan.json"));
        byte[] actual = Files.readAllBytes(spark.resolve("plan.json"));
        assertArrayEquals(expected, actual, "plan.json from Spark differs from licensim plan's");
        JsonNode plan = new ObjectMapper().readTree(actual);
        assertEquals(8, plan.get("runs").asInt());
        assertEquals(8, plan.get("products").get(0).get("needByRun").size());
        assertEquals(3, plan.get("backtest").get("truthRuns").asInt());
        assertEquals("EUR", plan.get("procurement").get("currency").asText());
        assertTrue(c.err().contains("11 of 11 runs done"), c.err()); // 8 runs and 3 held-out runs
        // a synthetic scenario too, and with another seed the plan is another one
        Run ps = plan("small", "--runs", "8", "--horizon", "60", "--seed", "11", "-q", "--out", dir.resolve("s1").toString());
        Run cs = cluster("--master", "local[2]", "--runs", "8", "--horizon", "60", "--seed", "11", "-q",
                "--out", dir.resolve("s2").toString(), "small");
        assertEquals(0, ps.code(), ps.err());
        assertEquals(0, cs.code(), cs.err());
        assertArrayEquals(Files.readAllBytes(dir.resolve("s1/plan.json")), Files.readAllBytes(dir.resolve("s2/plan.json")));
        assertFalse(java.util.Arrays.equals(expected, Files.readAllBytes(dir.resolve("s2/plan.json"))));
    }

    @Test
    @DisplayName("five tenants with one broken file: four plans written, the broken one named with its file and line, exit 1")
    void oneBrokenTenant() throws IOException {
        Path tenants = dir.resolve("tenants");
        Files.createDirectories(tenants);
        for (String t : List.of("alpha", "bravo", "charlie", "delta")) {
            Files.copy(tenant, tenants.resolve(t + ".json"));
        }
        String text = Files.readString(tenant);
        Files.writeString(tenants.resolve("echo.json"), text.substring(0, text.length() / 2));
        Files.writeString(tenants.resolve("notes.txt"), "not a tenant");
        Path out = dir.resolve("many");
        Run c = cluster("--master", "local[2]", "--runs", "3", "--churn", churn.toString(), "--out", out.toString(),
                tenants.toString());
        assertEquals(1, c.code(), c.err());
        for (String t : List.of("alpha", "bravo", "charlie", "delta")) {
            JsonNode plan = new ObjectMapper().readTree(out.resolve(t + "/plan.json").toFile());
            assertEquals(t, plan.get("scenario").asText());
            assertEquals(3, plan.get("runs").asInt());
        }
        assertFalse(Files.exists(out.resolve("echo")));
        assertTrue(c.err().contains("tenant echo (" + tenants.resolve("echo.json") + ") failed"), c.err());
        assertTrue(c.err().contains("4 of 5 plans written"), c.err());
        JsonNode index = new ObjectMapper().readTree(out.resolve("tenants.json").toFile());
        assertEquals(5, index.get("tenants").size());
        JsonNode echo = index.get("tenants").get(4);
        assertEquals("echo", echo.get("name").asText());
        assertTrue(echo.get("plan").isNull());
        String why = echo.get("error").asText();
        assertTrue(why.contains(tenants.resolve("echo.json") + ":") && why.contains("malformed JSON"), why);
        assertEquals("alpha/plan.json", index.get("tenants").get(0).get("plan").asText());
        // the four good tenants hold the same data: their plans differ only in their names
        String alpha = Files.readString(out.resolve("alpha/plan.json"));
        assertEquals(alpha, Files.readString(out.resolve("delta/plan.json")).replace("\"delta\"", "\"alpha\""));
    }

    @Test
    @DisplayName("one price list for many tenants; a wrong churn or prices file is refused before any task, by file and place")
    void jobWideInputs() throws IOException {
        Path tenants = dir.resolve("two");
        Files.createDirectories(tenants);
        Files.copy(tenant, tenants.resolve("a.json"));
        Files.copy(tenant, tenants.resolve("b.json"));
        // E5 is in the catalog but neither tenant has it: it is left out of their plans, not refused
        Path list = dir.resolve("price-list.json");
        Files.writeString(list, "{\"currency\": \"USD\", \"products\": {\"ENTERPRISEPACK\": {\"perMonth\": 36}, "
                + "\"ENTERPRISEPREMIUM\": {\"perMonth\": 57}}}");
        Path out = dir.resolve("priced");
        Run c = cluster("--master", "local[2]", "--runs", "2", "--churn", churn.toString(), "--prices", list.toString(),
                "--out", out.toString(), tenants.toString());
        assertEquals(0, c.code(), c.err());
        JsonNode plan = new ObjectMapper().readTree(out.resolve("a/plan.json").toFile());
        assertEquals("USD", plan.get("procurement").get("currency").asText());
        assertEquals(36.0, plan.get("procurement").get("products").get(0).get("perMonth").asDouble());

        Path badChurn = dir.resolve("bad-churn.json");
        Files.writeString(badChurn, "{\"days\": 90, \"rates\": {");
        Path none = dir.resolve("none");
        Run b = cluster("--master", "local[2]", "--churn", badChurn.toString(), "--out", none.toString(), tenants.toString());
        assertEquals(1, b.code(), b.err());
        assertTrue(b.err().contains("churn file " + badChurn + " line 1") && b.err().contains("malformed JSON"), b.err());
        Path badPrices = dir.resolve("bad-prices.json");
        Files.writeString(badPrices, "{\"currency\": \"EUR\", \"products\": {\"ENTERPRISEPAK\": {\"perMonth\": 1}}}");
        Run p = cluster("--master", "local[2]", "--churn", churn.toString(), "--prices", badPrices.toString(), "--out",
                none.toString(), tenants.toString());
        assertEquals(1, p.code(), p.err());
        assertTrue(p.err().contains("prices file " + badPrices) && p.err().contains("$.products[\"ENTERPRISEPAK\"]: not a "
                + "product part number of the catalog"), p.err());
        assertFalse(b.err().contains("spark:") || p.err().contains("spark:"), "tasks ran for a job that was refused");
        assertFalse(Files.exists(none));
    }

    /** The tenant snapshot and a shipped scenario, planned together by the jobs below. */
    static ClusterPlanner.Job twoTenants(int runs, String out, int attempts) throws IOException {
        CapacitySettings settings = new CapacitySettings(runs, 0, null, 0, 0.95, null, null,
                org.licensim.simulator.capacity.CapacityPlanner.Day0.fixed, false, 10, 0, "month", 90);
        List<ClusterPlanner.Input> inputs = List.of(new ClusterPlanner.Input("contoso", tenant.toString(), true),
                new ClusterPlanner.Input("small", null, false));
        return ClusterPlanner.Job.of(inputs, settings, Files.readAllBytes(churn), churn.toString(), null, null,
                new Storage(Map.of()), dir.resolve(out).toString(), false, attempts);
    }

    /** Spark on this machine only: no UI, loopback. */
    static SparkConf local(String master) {
        return new SparkConf().setMaster(master).setAppName("licensim test").set("spark.ui.enabled", "false")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1");
    }

    /** Counts, from now on, the task attempts that end for {@code reason} (a kill, an exception). */
    static AtomicInteger ends(JavaSparkContext jsc, Class<?> reason) {
        AtomicInteger n = new AtomicInteger();
        jsc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (reason.isInstance(end.reason())) {
                    n.incrementAndGet();
                }
            }
        });
        return n;
    }

    @Test
    @DisplayName("a task attempt killed by Spark is run again and the plan is the same as without the kill")
    void killedTaskIsRetried() throws IOException {
        ClusterPlanner.Job job = twoTenants(6, "clean", 1);
        SparkConf conf = local("local[2]");
        AtomicInteger killed;
        List<ClusterPlanner.TenantPlan> clean;
        List<ClusterPlanner.TenantPlan> retried;
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("ERROR");
            clean = ClusterPlanner.run(jsc, job, line -> { });
            killed = ends(jsc, TaskKilled.class);
            // the first attempt of contoso's run 4 asks Spark to kill it, then waits for the kill
            retried = ClusterPlanner.run(jsc, job.withOut(dir.resolve("retried").toString()).withHook((input, truth,
                    index, ctx) -> {
                if (input.name().equals("contoso") && index == 4 && ctx.attemptNumber() == 0) {
                    org.apache.spark.SparkContext.getOrCreate().killTaskAttempt(ctx.taskAttemptId(), true,
                            "killed by the test");
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (System.nanoTime() < deadline) {
                        ctx.killTaskIfInterrupted();
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    throw new AssertionError("Spark did not kill the task within a minute");
                }
            }), line -> { });
        }
        assertEquals(1, killed.get(), "the kill did not happen");
        assertEquals(2, retried.size());
        for (int i = 0; i < 2; i++) {
            assertTrue(clean.get(i).ok() && retried.get(i).ok(), clean.get(i).error() + " / " + retried.get(i).error());
            String name = job.inputs().get(i).name();
            assertEquals(name + "/plan.json", retried.get(i).plan());
            assertArrayEquals(Files.readAllBytes(dir.resolve("clean").resolve(name + "/plan.json")),
                    Files.readAllBytes(dir.resolve("retried").resolve(name + "/plan.json")), name);
        }
        String json = Files.readString(dir.resolve("retried/contoso/plan.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"runs\" : 6"), json.substring(0, 300));
        try (var files = Files.list(dir.resolve("retried/contoso"))) {
            assertEquals(1, files.count(), "a temporary file was left beside the plan");
        }
    }

    @Test
    @DisplayName("an exception is retried by Spark (local[2,2]); one that persists fails its tenant on the last attempt, named, and the other is planned")
    void exceptionsAreRetriedThenBlamed() throws IOException {
        ClusterPlanner.Job job = twoTenants(4, "calm", 2);
        SparkConf conf = local("local[2,2]");
        AtomicInteger failedAttempts;
        List<ClusterPlanner.TenantPlan> calm;
        List<ClusterPlanner.TenantPlan> rough;
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("OFF");
            calm = ClusterPlanner.run(jsc, job, line -> { });
            failedAttempts = ends(jsc, org.apache.spark.ExceptionFailure.class);
            rough = ClusterPlanner.run(jsc, job.withOut(dir.resolve("rough").toString()).withHook((input, truth, index,
                    ctx) -> {
                if (input.name().equals("contoso") && index == 1 && ctx.attemptNumber() == 0) {
                    throw new IllegalStateException("the executor's disk went away");
                }
                if (input.name().equals("small") && index == 2) {
                    throw new IllegalStateException("this one never works");
                }
            }), line -> { });
        }
        assertTrue(calm.get(0).ok() && calm.get(1).ok());
        assertTrue(rough.get(0).ok(), rough.get(0).error());
        assertArrayEquals(Files.readAllBytes(dir.resolve("calm/contoso/plan.json")),
                Files.readAllBytes(dir.resolve("rough/contoso/plan.json")));
        assertFalse(rough.get(1).ok());
        assertEquals("failed after 2 attempts: java.lang.IllegalStateException: this one never works (1 of 4 runs failed)",
                rough.get(1).error());
        assertFalse(Files.exists(dir.resolve("rough/small")));
        assertEquals(2, failedAttempts.get(), "contoso's first attempt and small's first: the second of small is its failure");
    }
}
