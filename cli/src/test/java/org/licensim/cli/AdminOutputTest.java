package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.cli.CliTest.Result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Output an administrator acts on: commands refused clearly, output files written whole or not at all, Graph requests. */
class AdminOutputTest {
    private static final String SWITCH = "../core/src/test/resources/plans/switch.json";
    private static final String MIGRATION = "../core/src/test/resources/plans/migration.json";

    private static Result run(String... args) {
        return CliTest.run(args);
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).sorted().toList();
        }
    }

    @Test
    @DisplayName("An unknown command is refused with exit 2 even with --help, with a suggestion for a near miss")
    void unknownCommand() {
        Result help = run("no-such-command", "--help");
        assertEquals(2, help.code(), help.out());
        assertEquals("", help.out(), "no top-level usage");
        assertTrue(help.err().startsWith("licensim: unknown command \"no-such-command\"; the commands are simulate, "), help.err());
        Result typo = run("simulte");
        assertEquals(2, typo.code());
        assertTrue(typo.err().startsWith("licensim: unknown command \"simulte\" (did you mean simulate?)"), typo.err());
        Result known = run("check", "--help");
        assertEquals(0, known.code());
        assertTrue(known.out().startsWith("Usage: licensim check"), known.out());
    }

    @Test
    @DisplayName("--out of resolve and import-graph, and --apply, create missing parent folders")
    void missingFolders(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("a/b/state.json");
        Result r = run("resolve", "../examples/contoso-small.json", "--out", state.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(state) > 1000);
        Path snap = dir.resolve("c/d/tenant.json");
        Result i = run("import-graph", "--dir", "../core/src/test/resources/graph/contoso-export", "--out", snap.toString());
        assertEquals(0, i.code(), i.err());
        assertTrue(Files.readString(snap).contains("\"subscribedSkus\""));
        Path feed = dir.resolve("e/f/migration.jsonl");
        Result m = run("migrate", MIGRATION, "--apply", feed.toString());
        assertEquals(0, m.code(), m.err());
        assertEquals(2, Files.readAllLines(feed).size());
    }

    @Test
    @DisplayName("switch-product --apply writes nothing when no order ends without errors (exit 1), and says so")
    void switchFailsWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("new/steps.json");
        Result r = run("switch-product", "../examples/contoso-small.json", "--group", "Sales - Office 365 E3", "--from",
                "ENTERPRISEPACK", "--to", "STANDARDPACK", "--apply", out.toString(), "--apply", dir.resolve("steps.ps1").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("nothing written to " + out + ", " + dir.resolve("steps.ps1")
                + ": no order ends without errors"), r.out());
        assertEquals(List.of(), files(dir));
    }

    @Test
    @DisplayName("--apply with another ending, or onto a symbolic link, is refused before any work and writes nothing")
    void applyRefused(@TempDir Path dir) throws Exception {
        Result bad = run("migrate", MIGRATION, "--apply", dir.resolve("changes.txt").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--apply " + dir.resolve("changes.txt") + ": the name must end in .jsonl (licensim "
                + "events), .json (Microsoft Graph JSON batches) or .ps1"), bad.err());
        assertEquals("", bad.out(), "refused before the plan is made");
        Path target = dir.resolve("real.json");
        Files.writeString(target, "mine");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), target);
        Result l = run("switch-product", SWITCH, "--group", "g-support", "--from", "STANDARDPACK", "--to", "ENTERPRISEPACK",
                "--apply", link.toString());
        assertEquals(1, l.code());
        assertTrue(l.err().contains(link + ": it is a symbolic link"), l.err());
        assertEquals("mine", Files.readString(target));
    }

    @Test
    @DisplayName("migrate and switch-product --apply write Graph $batch files and a PowerShell script for the same changes")
    void graphOutputs(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path batch = dir.resolve("migration.json");
        Path script = dir.resolve("migration.ps1");
        Result m = run("migrate", MIGRATION, "--apply", batch.toString(), "--apply", script.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("wrote " + batch + " (2 Graph requests in 1 batch"), m.out());
        JsonNode reqs = json.readTree(batch.toFile()).get("batches").get(0).get("requests");
        assertEquals(2, reqs.size());
        assertEquals("/users/u2/assignLicense", reqs.get(0).get("url").asText());
        assertEquals("{\"addLicenses\":[],\"removeLicenses\":[\"6fd2c87f-b296-42f0-b197-1e91e994b900\"]}",
                reqs.get(0).get("body").toString());
        assertEquals("[\"1\"]", reqs.get(1).get("dependsOn").toString());
        String ps = Files.readString(script);
        assertEquals(2, ps.lines().filter(l -> l.strip().startsWith("Set-MgUserLicense -UserId ")).count(), ps);

        Path sw = dir.resolve("switch.json");
        Result s = run("switch-product", SWITCH, "--group", "g-support", "--from", "STANDARDPACK", "--to", "ENTERPRISEPACK",
                "--apply", sw.toString(), "--format", "json");
        assertEquals(0, s.code(), s.err());
        JsonNode one = json.readTree(sw.toFile()).get("batches").get(0).get("requests").get(0);
        assertEquals("POST /groups/g-support/assignLicense", one.get("method").asText() + " " + one.get("url").asText());
        assertEquals("{\"addLicenses\":[{\"disabledPlans\":[],\"skuId\":\"6fd2c87f-b296-42f0-b197-1e91e994b900\"}],"
                + "\"removeLicenses\":[\"18181a46-0d4e-45cd-891e-60aabd171b4e\"]}", one.get("body").toString());
        assertFalse(s.out().contains("wrote"), "with --format json, stdout is the JSON alone");
        json.readTree(s.out());
    }
}
