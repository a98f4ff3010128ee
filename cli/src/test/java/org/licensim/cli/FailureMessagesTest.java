package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.cli.CliTest.Result;
import org.licensim.core.ChildJvm;
import org.licensim.core.state.StoreHolder;

/**
 * Every failure class a user has met is one paragraph on stderr with what, where and what to
 * do, exit code 1 (2 for bad usage), and no stack trace unless asked for with --debug.
 */
class FailureMessagesTest {
    private static final String EXAMPLE = "../examples/contoso-small.json";

    private static Result run(String... args) {
        return CliTest.run(args);
    }

    /** Exit 1, one message starting "licensim: " that contains every one of {@code expected}, and no trace. */
    private static void fails(Result r, String... expected) {
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("licensim: "), r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "expected \"" + e + "\" in: " + r.err());
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in"), "no stack trace: " + r.err());
    }

    @Test
    @DisplayName("a JVM started without licensim's flags (java -jar alone) is told how to start it, not called a licensim bug")
    void jvmWithoutFlags() {
        Throwable t = new ExceptionInInitializerError(new java.lang.reflect.InaccessibleObjectException(
                "Unable to make protected final java.lang.Class java.lang.ClassLoader.defineClass() accessible: "
                        + "module java.base does not \"opens java.lang\" to unnamed module @69eee410"));
        String m = Failures.describe(t);
        assertEquals("the JVM was started without licensim's flags (module java.base does not \"opens java.lang\" to unnamed "
                + "module @69eee410); run it through the launcher, ./licensim ..., or give java the flags the build wrote: "
                + "java $(cat core/target/classes/licensim-jvm.flags) -jar cli/target/licensim.jar ...", m);
        assertTrue(Failures.describe(new IllegalStateException("x")).startsWith("internal error"));
    }

    @Test
    @DisplayName("R22 a snapshot with no users makes a store that state reads back (no NullPointerException)")
    void zeroUserStore(@TempDir Path tmp) throws Exception {
        Path snap = tmp.resolve("empty.json");
        Files.writeString(snap, "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": "
                + "[{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 5}}], \"users\": [], \"groups\": []}");
        Result r = run("resolve", snap.toString(), "--store", tmp.resolve("st").toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Result s = run("state", tmp.resolve("st").toString(), "--verify");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("users:              0"), s.out());
    }

    @Test
    @DisplayName("a flipped byte in state.cm is refused by state --verify naming the file, and refused again the same way")
    void flippedByteRefusedEveryTime(@TempDir Path tmp) throws Exception {
        Path st = tmp.resolve("st");
        assertEquals(0, run("resolve", EXAMPLE, "--events", "../examples/contoso-small.events.jsonl", "--store",
                st.toString(), "--quiet").code());
        Path file = st.resolve("state.cm");
        byte[] orig = Files.readAllBytes(file);
        // a value's bytes: search for the checksum-covered region by flipping until verify refuses
        String first = null;
        // the map file is allocated whole and mostly zeros: flip among the bytes that hold something
        int[] used = java.util.stream.IntStream.range(4096, orig.length).filter(i -> orig[i] != 0).toArray();
        for (int n = 0; n < used.length && n < 400 && first == null; n += 3) {
            int at = used[used.length - 1 - n];
            byte[] b = orig.clone();
            b[at] ^= 0x04;
            Files.write(file, b);
            Result r = run("state", st.toString(), "--verify");
            if (r.code() != 0) {
                fails(r, "state.cm");
                first = r.err();
                Result again = run("state", st.toString(), "--verify");
                fails(again, "state.cm");
                assertEquals(first, again.err(), "a failed open changes nothing: the next one says the same");
            }
        }
        assertTrue(first != null, "no flipped byte of a value was refused");
        Files.write(file, orig);
        assertEquals(0, run("state", st.toString(), "--verify").code());
    }

    @Test
    @DisplayName("a store held by another process: state and resolve --store are refused naming its pid; afterwards it opens")
    void busyStore(@TempDir Path tmp) throws Exception {
        Path st = tmp.resolve("st");
        assertEquals(0, run("resolve", EXAMPLE, "--store", st.toString(), "--quiet").code());
        Process holder = ChildJvm.start(ChildJvm.command(StoreHolder.class.getName(), List.of(), st.toString()));
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertTrue(out.readLine().startsWith("holding pid"));
        try {
            fails(run("state", st.toString()), "in use by another process (pid " + holder.pid(), "wait for that process");
            fails(run("resolve", EXAMPLE, "--store", st.toString(), "--quiet"), "pid " + holder.pid());
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(60, TimeUnit.SECONDS);
        }
        Result ok = run("state", st.toString());
        assertEquals(0, ok.code(), ok.err());
        assertFalse(ok.err().contains("not closed cleanly"), "the reader did not run recovery: " + ok.err());
    }

    @Test
    @DisplayName("a Graph export and a whatif change nested 100,000 levels deep get a message, not a NullPointerException")
    void deeplyNested(@TempDir Path tmp) throws Exception {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        Path export = tmp.resolve("export");
        Files.createDirectories(export);
        Files.writeString(export.resolve("subscribedSkus.json"), "{\"value\": " + deep + "}");
        fails(run("import-graph", "--dir", export.toString(), "--country", "NL", "--out", tmp.resolve("t.json").toString()),
                "subscribedSkus.json",
                "not valid JSON");
        fails(run("whatif", EXAMPLE, "--change", "{\"type\": " + deep + "}"), "--change 1", "not valid JSON");
        assertFalse(Files.exists(tmp.resolve("t.json")), "nothing half-written");
    }

    @Test
    @DisplayName("invalid UTF-8 in an events file names the file and the line")
    void invalidUtf8(@TempDir Path tmp) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("../examples/contoso-small.events.jsonl"));
        Path events = tmp.resolve("bad.jsonl");
        byte[] head = (lines.get(0) + "\n" + lines.get(1) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = "{\"seq\": 99, \"type\": \"Reprocess\", \"userId\": \"\u00e9\"}\n".getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 4] = (byte) 0xC3;
        bad[bad.length - 3] = (byte) 0x28; // 0xC3 0x28 is no UTF-8 character
        byte[] all = new byte[head.length + bad.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Files.write(events, all);
        fails(run("resolve", EXAMPLE, "--events", events.toString(), "--quiet"), events + ":3:", "not valid UTF-8");
        fails(run("validate", EXAMPLE, "--events", events.toString()), events + ":3:", "not valid UTF-8");
    }

    @Test
    @DisplayName("R15 a usage location that is no ISO 3166 country (\"XX\") is refused naming the value and where")
    void unknownCountry(@TempDir Path tmp) throws Exception {
        Path snap = tmp.resolve("xx.json");
        Files.writeString(snap, Files.readString(Path.of(EXAMPLE)).replaceFirst("\"usageLocation\": \"[A-Z]{2}\"",
                "\"usageLocation\": \"XX\""));
        Result r = run("validate", snap.toString());
        fails(r, "\"XX\" is not an ISO 3166 alpha-2 country code", "xx.json:");
    }

    @Test
    @DisplayName("whatif --limit -1 is bad usage (exit 2) naming the option and the value")
    void negativeLimit() {
        Result r = run("whatif", EXAMPLE, "--change", "{\"type\":\"Reprocess\",\"userId\":\"x\"}", "--limit", "-1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--limit must be 0 or more, got -1"), r.err());
    }

    @Test
    @DisplayName("an unexpected error is one paragraph pointing to --debug; with --debug the stack trace follows")
    void unexpectedErrors() {
        StringWriter plain = new StringWriter();
        assertEquals(1, Main.fail(new PrintWriter(plain), new IllegalStateException("boom"), false));
        assertTrue(plain.toString().startsWith("licensim: internal error (java.lang.IllegalStateException: boom)"),
                plain.toString());
        assertTrue(plain.toString().contains("run again with --debug"), plain.toString());
        assertFalse(plain.toString().contains("\tat "), plain.toString());
        StringWriter traced = new StringWriter();
        Main.fail(new PrintWriter(traced), new IllegalStateException("boom"), true);
        assertTrue(traced.toString().contains("\tat "), traced.toString());
        StringWriter oom = new StringWriter();
        Main.fail(new PrintWriter(oom), new OutOfMemoryError("Java heap space"), false);
        assertTrue(oom.toString().contains("LICENSIM_JAVA_OPTS=-Xmx"), oom.toString());
        StringWriter full = new StringWriter();
        Main.fail(new PrintWriter(full), new java.io.UncheckedIOException(new java.io.IOException("No space left on device")),
                false);
        assertTrue(full.toString().contains("No space left on device; free disk space"), full.toString());
        Result debug = run("--debug", "state", "/no/such/store");
        assertEquals(1, debug.code());
        assertTrue(debug.err().contains("no such store directory"), debug.err());
    }

    @Test
    @DisplayName("plan --start that is not a date: said in words (yyyy-mm-dd), exit 2, no java.time class names")
    void startThatIsNotADate() {
        for (String bad : new String[] {"2028-02-30", "2028-02-29T10:00:00+09:00", "31/01/2028"}) {
            Result r = run("plan", EXAMPLE, "--churn", "../examples/churn.json", "--start", bad, "--runs", "2", "--quiet");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("Invalid value for option '--start': '" + bad + "' is not a date: give yyyy-mm-dd"),
                    r.err());
            assertFalse(r.err().contains("java.time"), r.err());
        }
    }

    @Test
    @DisplayName("an --out folder of results that names an existing file is said as such, not as a file system error")
    void outFolderThatIsAFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("plan.json");
        Files.writeString(file, "{}");
        Path churn = tmp.resolve("churn.json");
        Files.writeString(churn, "{\"start\":\"2026-02-02\",\"days\":10,\"rates\":{\"hires\":\"0.1%\"}}");
        Result r = run("plan", EXAMPLE, "--churn", churn.toString(), "--runs", "2", "--quiet", "--out", file.toString());
        fails(r, file + ": is a file, where a directory was expected", "give a directory");
        assertFalse(r.err().contains("file system error"), r.err());
        assertEquals("{}", Files.readString(file), "the file is left as it was");
    }
}
