package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.io.StateWriter;
import org.licensim.server.GraphServer;
import org.licensim.server.ServeConfig;

class ServeCommandTest {
    static final Path CONTOSO = Path.of("..", "examples", "contoso-small.json");

    @Test
    @DisplayName("serve: bad arguments exit 1 with a message naming the value, before anything listens")
    void badArguments(@TempDir Path dir) {
        CliTest.Result both = CliTest.run("serve", CONTOSO.toString(), "--scenario", "small");
        assertEquals(1, both.code());
        assertTrue(both.err().contains("give a SNAPSHOT or --scenario, not both"), both.err());
        CliTest.Result missing = CliTest.run("serve", dir.resolve("nope.json").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("snapshot file not found: " + dir.resolve("nope.json")), missing.err());
        CliTest.Result port = CliTest.run("serve", CONTOSO.toString(), "--port", "70000");
        assertEquals(1, port.code());
        assertTrue(port.err().contains("--port 70000"), port.err());
        CliTest.Result logs = CliTest.run("serve", CONTOSO.toString(), "--store", dir.resolve("s").toString(),
                "--event-log", dir.resolve("e.jsonl").toString());
        assertEquals(1, logs.code());
        assertTrue(logs.err().contains("--event-log is for a server without --store"), logs.err());
        assertTrue(!Files.exists(dir.resolve("s")), "nothing written for a refused command");
    }

    @Test
    @DisplayName("R11 licensim resolve SNAPSHOT --events LOG reproduces the state the server reached")
    void resolveReplaysTheServersLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("events.jsonl");
        ServeConfig c = new ServeConfig();
        c.snapshot = Files.readAllBytes(CONTOSO);
        c.port = 0;
        c.eventLog = log;
        byte[] served;
        HttpClient http = HttpClient.newHttpClient();
        try (GraphServer s = GraphServer.start(c)) {
            String[][] requests = {
                {"POST", "/users/a1b2c3d4-0009-4000-8000-000000000009/assignLicense",
                    "{\"addLicenses\":[{\"skuId\":\"6fd2c87f-b296-42f0-b197-1e91e994b900\",\"disabledPlans\":[]}],\"removeLicenses\":[]}"},
                {"PATCH", "/users/a1b2c3d4-0004-4000-8000-000000000004", "{\"usageLocation\":\"NL\",\"department\":\"Sales\"}"},
                {"POST", "/groups/b0000000-0000-4000-8000-0000000000a1/assignLicense",
                    "{\"addLicenses\":[{\"skuId\":\"3d957427-ecdc-4df2-aacd-01cc9d519da8\"}],\"removeLicenses\":[]}"},
                {"DELETE", "/users/a1b2c3d4-0006-4000-8000-000000000006", null},
            };
            for (String[] r : requests) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + r[1]))
                        .method(r[0], r[2] == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(r[2]));
                if (r[2] != null) {
                    b.header("Content-Type", "application/json");
                }
                HttpResponse<String> a = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(2, a.statusCode() / 100, r[0] + " " + r[1] + ": " + a.body());
            }
            long until = System.nanoTime() + 60_000_000_000L;
            while (s.pendingGroupJobs() > 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(0, s.pendingGroupJobs());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StateWriter.write(s.engine(), out);
            served = out.toByteArray();
        }
        Path state = dir.resolve("state.json");
        CliTest.Result r = CliTest.run("resolve", CONTOSO.toString(), "--events", log.toString(), "--out", state.toString(),
                "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(4, Files.readAllLines(log).size(), "one event per accepted request");
        assertArrayEquals(served, Files.readAllBytes(state));
    }
}
