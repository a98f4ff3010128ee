package org.licensim.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.graph.GraphRequests;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.planning.Migration;
import org.licensim.core.planning.ProductSwitch;
import org.licensim.core.state.StateStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Graph batches licensim writes for a plan ({@code --apply FILE.json}), replayed against
 * {@code licensim serve} over loopback HTTP: every request answers 2xx and the served tenant ends
 * in the state the plan promised (the same as applying the plan's events to the snapshot).
 */
class GraphBatchReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PLANS = Path.of("../core/src/test/resources/plans");

    /** Each user's licence sources (product, source, state, enabled plans), without the time they changed. */
    private static Map<String, List<String>> sources(Engine e) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        int[] buf = new int[StateStore.MAX_ENTRIES * StateStore.ENTRY_INTS];
        for (int u = 0; u < e.tenant().users().size(); u++) {
            if (e.tenant().users().isDeleted(u)) {
                continue;
            }
            int n = e.store().read(u, buf);
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int at = i * StateStore.ENTRY_INTS;
                rows.add(e.tenant().subscriptions().product(buf[at + StateStore.PRODUCT]).skuPartNumber() + (StateStore.isDirect(buf[at + StateStore.SRC]) ? " direct" : " group " + e.tenant().groups().id(buf[at + StateStore.SRC]))
                        + " state " + buf[at + StateStore.STATE] + " mask " + buf[at + StateStore.MASK]);
            }
            rows.sort(null);
            out.put(e.tenant().users().id(u), rows);
        }
        return out;
    }

    private static Map<String, List<String>> replay(Path snapshot, List<Event> events) throws Exception {
        Tenant before = SnapshotReader.withDefaults().read(snapshot);
        JsonNode batches = GraphRequests.of(before, events).batchJson().get("batches");
        assertFalse(batches.isEmpty(), "the plan has requests");
        ServeConfig c = new ServeConfig();
        c.snapshot = Files.readAllBytes(snapshot);
        c.source = snapshot.toString();
        c.port = 0;
        try (GraphServer s = GraphServer.start(c)) {
            HttpClient http = HttpClient.newHttpClient();
            for (JsonNode b : batches) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/$batch"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                for (JsonNode resp : JSON.readTree(r.body()).get("responses")) {
                    int st = resp.get("status").asInt();
                    assertTrue(st >= 200 && st < 300, "request " + resp.get("id").asText() + " answered " + st + ": " + resp);
                }
            }
            // a group's licence change is a job Graph runs after answering 202: wait for the served tenant's jobs
            for (int i = 0; i < 6000 && s.pendingGroupJobs() > 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(0, s.pendingGroupJobs(), "group licence jobs still pending after a minute");
            return sources(s.engine()); // every request answered and every job run: nothing writes now
        }
    }

    private static Map<String, List<String>> applied(Path snapshot, List<Event> events) throws Exception {
        Engine e = Engine.builder(SnapshotReader.withDefaults().read(snapshot)).reconcile();
        for (Event ev : events) {
            e.apply(ev);
        }
        return sources(e);
    }

    @Test
    @DisplayName("R23 a migration's Graph batch replayed against licensim serve gives the state the plan promised")
    void migration() throws Exception {
        Path snap = PLANS.resolve("migration.json");
        Migration m = Migration.plan(() -> SnapshotReader.withDefaults().read(snap), List.of());
        assertEquals(2, m.remove().size());
        Map<String, List<String>> served = replay(snap, m.events());
        assertEquals(applied(snap, m.events()), served);
        for (Migration.Direct d : m.remove()) {
            assertTrue(served.get(d.user()).stream().noneMatch(r -> r.startsWith(d.product() + " direct")),
                    "the direct " + d.product() + " of " + d.user() + " is gone: " + served.get(d.user()));
            assertTrue(served.get(d.user()).stream().anyMatch(r -> r.startsWith(d.product() + " group")),
                    "and a group still gives it: " + served.get(d.user()));
        }
    }

    @Test
    @DisplayName("R23 a product switch's Graph batch replayed against licensim serve gives the state the plan promised")
    void productSwitch() throws Exception {
        Path snap = PLANS.resolve("switch.json");
        ProductSwitch p = ProductSwitch.plan(() -> SnapshotReader.withDefaults().read(snap), "g-support", "STANDARDPACK",
                "ENTERPRISEPACK", List.of());
        assertTrue(p.chosen().safe());
        Map<String, List<String>> served = replay(snap, p.chosen().steps());
        assertEquals(applied(snap, p.chosen().steps()), served);
        assertTrue(served.values().stream().flatMap(List::stream).anyMatch(r -> r.startsWith("ENTERPRISEPACK ")), served.toString());
        assertTrue(served.values().stream().flatMap(List::stream).noneMatch(r -> r.startsWith("STANDARDPACK ")), served.toString());
    }

    @Test
    @DisplayName("a reclaim list's Graph batch (a direct licence removed, a user taken out of a group) replayed against licensim serve frees the seats")
    void reclaim(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path snap = dir.resolve("tenant.json");
        org.licensim.core.graph.GraphImport.write(org.licensim.core.graph.GraphImport.read(Path.of("../examples/graph-export"),
                org.licensim.core.catalog.Catalog.loadDefault(), null, false), snap);
        Engine before = Engine.builder(SnapshotReader.withDefaults().read(snap)).reconcile();
        org.licensim.core.planning.Reclaim rc = org.licensim.core.planning.Reclaim.of(before, 90,
                java.time.Instant.parse("2026-12-01T00:00:00Z").getEpochSecond(), null, Map.of());
        assertEquals(2, rc.seats().size(), rc.toString());
        List<Event> changes = rc.events(java.time.Instant.parse("2026-12-01T00:00:00Z"), 1);
        Map<String, List<String>> served = replay(snap, changes);
        assertEquals(applied(snap, changes), served);
        for (org.licensim.core.planning.Reclaim.Seat seat : rc.seats()) {
            assertTrue(served.get(seat.userId()).stream().noneMatch(r -> r.startsWith(seat.sku() + " ")),
                    seat.userPrincipalName() + " holds no " + seat.sku() + " any more: " + served.get(seat.userId()));
        }
    }

    @Test
    @DisplayName("R2 a seat held through a memberOf group: the reclaim batch (leave the named group, save the rule again) replayed against licensim serve frees it")
    void reclaimThroughNesting(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path snap = dir.resolve("nested.json");
        java.nio.file.Files.writeString(snap, "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, "
                + "\"subscribedSkus\": [{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 5}}], "
                + "\"users\": [{\"id\": \"u1\", \"userPrincipalName\": \"megan.bowen@contoso.com\", \"accountEnabled\": false}, "
                + "{\"id\": \"u2\", \"userPrincipalName\": \"lee.gu@contoso.com\"}], \"groups\": [{\"id\": \"g-sales\", "
                + "\"displayName\": \"Sales\", \"securityEnabled\": true, \"members\": [\"u1\", \"u2\"]}, {\"id\": \"g-e3\", "
                + "\"displayName\": \"E3 for Sales and its teams\", \"securityEnabled\": true, \"membershipRule\": "
                + "\"user.memberof -any (group.objectId -in ['g-sales'])\"}], "
                + "\"assignments\": [{\"groupId\": \"g-e3\", \"skuId\": \"ENTERPRISEPACK\"}]}");
        Engine before = Engine.builder(SnapshotReader.withDefaults().read(snap)).reconcile();
        org.licensim.core.planning.Reclaim rc = org.licensim.core.planning.Reclaim.of(before, 90,
                java.time.Instant.parse("2026-12-01T00:00:00Z").getEpochSecond(), null, Map.of());
        List<Event> changes = rc.events(java.time.Instant.parse("2026-12-01T00:00:00Z"), 1);
        assertEquals(2, changes.size(), changes.toString());
        Map<String, List<String>> served = replay(snap, changes);
        assertEquals(applied(snap, changes), served);
        assertTrue(served.get("u1").stream().noneMatch(r -> r.startsWith("ENTERPRISEPACK ")), served.toString());
        assertTrue(served.get("u2").stream().anyMatch(r -> r.startsWith("ENTERPRISEPACK ")), "lee keeps E3: " + served);
    }
}
