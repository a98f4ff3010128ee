package org.licensim.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.ChildJvm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code --store}: a 2xx answer means committed. A server in a child JVM takes concurrent writes
 * and is killed with SIGKILL while they are in flight; restarted on the same store, it has every
 * acknowledged change, no change that was never sent, and finishes the group job it had accepted.
 */
class DurabilityTest {
    static final String EMS = GraphSdkTest.EMS;
    static final String WAVE2 = "c0000000-0000-4000-8000-000000000002";
    static final int USERS = 400;
    static final int WAVE = 100;

    private static Process start(Path store, Path snapshot, Path portFile) throws Exception {
        Files.deleteIfExists(portFile);
        Process p = ChildJvm.start(ChildJvm.command("org.licensim.server.ServeChild", List.of("-Xmx512m"),
                store.toString(), snapshot.toString(), "40", portFile.toString()));
        ChildJvm.Seen seen = ChildJvm.read(p, "READY", System.nanoTime() + 120_000_000_000L);
        assertEquals("READY", seen.last(), seen.all());
        return p;
    }

    @Test
    @DisplayName("--store: after kill -9 mid-write and a restart with the same arguments, every acknowledged change is there and nothing else")
    void acknowledgedWritesSurviveKill(@TempDir Path dir) throws Exception {
        Path snapshot = dir.resolve("tenant.json");
        Files.write(snapshot, ServerFixture.syntheticTenant(USERS, WAVE));
        Path store = dir.resolve("store");
        Path portFile = dir.resolve("port");
        Process child = start(store, snapshot, portFile);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + Files.readString(portFile) + "/v1.0";
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        Set<Integer> sent = ConcurrentHashMap.newKeySet();
        // the group job first: acknowledged with 202, processed at 40 members a second
        HttpResponse<String> job = http.send(HttpRequest.newBuilder(URI.create(base + "/groups/" + WAVE2 + "/assignLicense"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"addLicenses\":[{\"skuId\":\"" + EMS + "\",\"disabledPlans\":[]}],\"removeLicenses\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, job.statusCode(), job.body());
        AtomicInteger next = new AtomicInteger(WAVE); // users outside Wave 2: one change each
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Thread t = new Thread(() -> {
                while (true) {
                    int i = next.getAndIncrement();
                    if (i >= USERS) {
                        return;
                    }
                    String id = ServerFixture.userId(i);
                    HttpRequest req = i % 2 == 0
                            ? HttpRequest.newBuilder(URI.create(base + "/users/" + id)).header("Content-Type", "application/json")
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"jobTitle\":\"t" + i + "\"}")).build()
                            : HttpRequest.newBuilder(URI.create(base + "/users/" + id + "/assignLicense"))
                                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"addLicenses\":[{\"skuId\":\"" + EMS + "\"}],\"removeLicenses\":[]}")).build();
                    sent.add(i);
                    try {
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() / 100 == 2) {
                            acked.add(i);
                        } else {
                            throw new AssertionError("user " + i + ": " + r.statusCode() + " " + r.body());
                        }
                    } catch (java.io.IOException e) {
                        return; // the server is gone
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        long until = System.nanoTime() + 120_000_000_000L;
        while (acked.size() < 100 && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        assertTrue(acked.size() >= 100, "only " + acked.size() + " writes acknowledged in 2 minutes");
        child.destroyForcibly(); // SIGKILL, writes in flight
        child.waitFor();
        for (Thread t : writers) {
            t.join(30_000);
        }
        assertTrue(acked.size() >= 100 && acked.size() < USERS - WAVE, "killed mid-run: " + acked.size() + " acknowledged");

        Process again = start(store, snapshot, portFile);
        try {
            String base2 = "http://127.0.0.1:" + Files.readString(portFile) + "/v1.0";
            int changed = 0;
            for (int i = WAVE; i < USERS; i++) {
                JsonNode u = ServerFixture.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base2 + "/users/"
                        + ServerFixture.userId(i) + "?$select=id,jobTitle,licenseAssignmentStates")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                boolean has = i % 2 == 0 ? !u.get("jobTitle").isNull()
                        : u.get("licenseAssignmentStates").toString().contains(EMS);
                if (acked.contains(i)) {
                    assertTrue(has, "acknowledged change of user " + i + " lost");
                }
                if (!sent.contains(i)) {
                    assertTrue(!has, "user " + i + " changed though nothing was sent for it");
                }
                if (i % 2 == 0 && has) {
                    assertEquals("t" + i, u.get("jobTitle").asText());
                }
                changed += has ? 1 : 0;
            }
            assertTrue(changed >= acked.size() && changed <= sent.size(), changed + " changed, " + acked.size()
                    + " acknowledged, " + sent.size() + " sent");
            // one event per change that is there, and the group's: nothing doubled, nothing invented
            long events = Files.readAllLines(store.resolve("events.jsonl")).size();
            // the group job, accepted before the kill, is finished after the restart
            long deadline = System.nanoTime() + 120_000_000_000L;
            String state;
            do {
                JsonNode g = ServerFixture.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base2 + "/groups/"
                        + WAVE2 + "?$select=licenseProcessingState,assignedLicenses")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                state = g.get("licenseProcessingState").get("state").asText();
                Thread.sleep(20);
            } while (!state.equals("ProcessingComplete") && System.nanoTime() < deadline);
            assertEquals("ProcessingComplete", state);
            JsonNode member = ServerFixture.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base2 + "/users/"
                    + ServerFixture.userId(0) + "?$select=licenseAssignmentStates")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(member.toString().contains(WAVE2), "Wave 2's EMS reached its members: " + member);
            long after = Files.readAllLines(store.resolve("events.jsonl")).size();
            assertTrue(events == changed || events == changed + 1, events + " events for " + changed + " changes");
            assertEquals(changed + 1, after, "the group's event once");
        } finally {
            again.destroyForcibly();
            again.waitFor();
        }
    }
}
