package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    static CliTest.Result run(String... args) {
        return CliTest.run(args);
    }

    @Test
    @DisplayName("simulate seat-crunch writes the results and says which product ran short and when")
    void seatCrunch(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("crunch");
        CliTest.Result r = run("simulate", "seat-crunch", "--out", out.toString(), "--events", "--state");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("short of seats: ENTERPRISEPACK from day "), r.out());
        assertTrue(r.err().contains("day 120/120"), "progress reaches the last day: " + r.err());
        for (String f : new String[] {"days.json", "days.csv", "summary.json", "timing.json", "snapshot.json",
            "events.jsonl", "state.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"sku\" : \"ENTERPRISEPACK\""));
        try (var s = Files.list(out)) {
            assertFalse(s.anyMatch(p -> p.toString().endsWith(".tmp")), "no temporary files left");
        }
        // the written log replays with resolve to the same state
        Path replayed = dir.resolve("replayed.json");
        CliTest.Result resolve = run("resolve", out.resolve("snapshot.json").toString(), "--events",
                out.resolve("events.jsonl").toString(), "--on-reject", "skip", "--out", replayed.toString(), "--quiet");
        assertEquals(0, resolve.code(), resolve.err());
        assertEquals(Files.readString(out.resolve("state.json")), Files.readString(replayed));
    }

    @Test
    @DisplayName("simulate --format csv prints a row per product as summary.json has it; --format json prints summary.json")
    void formats(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("crunch");
        CliTest.Result csv = run("simulate", "seat-crunch", "--users", "1000", "--days", "60", "--out", out.toString(),
                "--quiet", "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
        java.util.List<String> lines = csv.out().lines().toList();
        assertEquals("sku,product,seats,consumed,waiting,firstShortDate,firstShortDay,peakWaiting,peakWaitingDay",
                lines.get(0));
        assertEquals(summary.get("products").size() + 1, lines.size());
        for (int i = 0; i < summary.get("products").size(); i++) {
            var p = summary.get("products").get(i);
            String[] f = lines.get(i + 1).split(",", -1);
            assertEquals(p.get("sku").asText(), f[0]);
            assertEquals(p.get("name").asText(), f[1]);
            assertEquals(p.get("capacity").asText(), f[2]);
            assertEquals(p.get("consumed").asText(), f[3]);
            assertEquals(p.get("firstShortDay").isNull() ? "" : p.get("firstShortDay").asText(), f[6]);
        }
        assertEquals("Office 365 E3", summary.get("products").get(0).get("name").asText());
        CliTest.Result json = run("simulate", "seat-crunch", "--users", "1000", "--days", "60", "--out", out.toString(),
                "--quiet", "--format", "json");
        assertEquals(summary, new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()));
    }

    @Test
    @DisplayName("simulate refuses a non-empty directory that holds no licensim results, and writes nothing there")
    void refusesForeignDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("thesis.txt"), "precious");
        CliTest.Result r = run("simulate", "small", "--out", dir.toString(), "--quiet");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("is not empty and holds no earlier licensim results"), r.err());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    @DisplayName("simulate refuses to replace another scenario's results unless --force; the same scenario's are replaced")
    void refusesAnotherScenariosResults(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("results");
        assertEquals(0, run("simulate", "small", "--users", "300", "--days", "3", "--out", out.toString(), "--quiet").code());
        String small = Files.readString(out.resolve("summary.json"));
        CliTest.Result other = run("simulate", "seat-crunch", "--users", "300", "--days", "3", "--out", out.toString(),
                "--quiet");
        assertEquals(1, other.code());
        assertTrue(other.err().contains("holds the results of scenario \"small\"; give another --out for \"seat-crunch\", "
                + "or --force to replace them"), other.err());
        assertEquals(small, Files.readString(out.resolve("summary.json")), "nothing was replaced");
        assertEquals(0, run("simulate", "small", "--users", "300", "--days", "4", "--out", out.toString(), "--quiet").code(),
                "the same scenario run again replaces its own results");
        CliTest.Result forced = run("simulate", "seat-crunch", "--users", "300", "--days", "3", "--out", out.toString(),
                "--quiet", "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"scenario\" : \"seat-crunch\""));
    }

    @Test
    @DisplayName("simulate that fails while writing its results keeps the earlier results whole, none of its files moved in")
    void failedWriteKeepsEarlierResults(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("small");
        assertEquals(0, run("simulate", "small", "--users", "300", "--days", "3", "--out", out.toString(), "--quiet").code());
        String days = Files.readString(out.resolve("days.json"));
        String csv = Files.readString(out.resolve("days.csv"));
        String summary = Files.readString(out.resolve("summary.json"));
        // given: the third of the four result files cannot be replaced (a folder stands at its path)
        Files.delete(out.resolve("timing.json"));
        Files.createDirectory(out.resolve("timing.json"));
        // when: a longer run is written over them
        CliTest.Result r = run("simulate", "small", "--users", "300", "--days", "5", "--out", out.toString(), "--quiet");
        // then: refused, naming the path, and days.json and days.csv (written before timing.json) are the earlier run's
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("cannot write the timings to " + out.resolve("timing.json") + ": it is a directory"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(days, Files.readString(out.resolve("days.json")));
        assertEquals(csv, Files.readString(out.resolve("days.csv")));
        assertEquals(summary, Files.readString(out.resolve("summary.json")));
        try (var s = Files.list(out)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    @DisplayName("simulate with a bad scenario file or option exits 1 naming the problem; --list shows the shipped ones")
    void badInput(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\": \"x\"}");
        CliTest.Result r = run("simulate", bad.toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("$: missing users"), r.err());
        assertFalse(Files.exists(dir.resolve("o")), "nothing written for a scenario that does not read");
        CliTest.Result u = run("simulate", "small", "--users", "-3");
        assertEquals(1, u.code());
        assertTrue(u.err().contains("--users -3 is out of range"), u.err());
        CliTest.Result l = run("simulate", "--list");
        assertEquals(0, l.code());
        assertTrue(l.out().contains("seat-crunch") && l.out().contains("100,000 users"), l.out());
        CliTest.Result p = run("simulate", "--print-scenario", "small");
        assertTrue(p.out().contains("\"name\": \"small\""), p.out());
    }

    @Test
    @DisplayName("R10 simulate warns about products 95% full or more that have not run short, with the seats left")
    void nearlyFull() {
        var outcomes = java.util.List.of(
                new org.licensim.simulator.run.SimulationResult.ProductOutcome("EMS", -1, -1, 0, -1, 33_877, 34_000, 0),
                new org.licensim.simulator.run.SimulationResult.ProductOutcome("MCOPSTN1", -1, -1, 0, -1, 10_035, 12_000, 0),
                new org.licensim.simulator.run.SimulationResult.ProductOutcome("ENTERPRISEPACK", 40, 49, 1348, 99, 84_000, 84_000,
                        12));
        assertEquals("EMS 99.6% (33,877 of 34,000, 123 left)", SimulateCommand.nearlyFull(outcomes),
                "a full product with users waiting is reported as short, not as nearly full; 83.6% is not nearly full");
    }
}
