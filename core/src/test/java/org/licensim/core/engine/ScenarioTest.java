package org.licensim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.licensim.core.LicensimException;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenarios from the public Entra docs, one directory each under
 * {@code src/test/resources/scenarios}: {@code snapshot.json}, optional {@code events.jsonl},
 * and {@code expected.json} naming the rules, the sources of each user listed
 * ({@code SKU|group-or-direct|state|error}, in order), seats, plans that must be enabled or
 * disabled, members with errors per group, and every rejection expected (any other fails). An
 * optional {@code after} block checks the state after the event with that seq (0: the snapshot);
 * an optional {@code alwaysEnabled} list names services users must never be without; with
 * {@code "dynamicRules": true} dynamic groups follow their rules (else their listed members).
 */
class ScenarioTest {
    static final Path DIR = Path.of("src", "test", "resources", "scenarios");

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(DIR)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(dirs.size() >= 8, "the scenarios of the engine issue are missing from " + DIR.toAbsolutePath());
        return dirs.stream().map(d -> {
            JsonNode exp = read(d.resolve("expected.json"));
            return DynamicTest.dynamicTest(exp.get("rules").asText() + " " + exp.get("title").asText()
                    + " [" + d.getFileName() + "]", () -> run(d, exp));
        });
    }

    static JsonNode read(Path p) {
        try {
            return Harness.JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void run(Path dir, JsonNode exp) throws IOException {
        Harness h = Harness.of(dir.resolve("snapshot.json"), exp.path("dynamicRules").asBoolean(false));
        JsonNode after = exp.get("after");
        if (after != null && after.get("seq").asLong() == 0) {
            check(h, after, "after the snapshot");
        }
        neverWithout(h, exp, "after the snapshot");
        List<String> rejected = new ArrayList<>();
        Path events = dir.resolve("events.jsonl");
        if (Files.exists(events)) {
            try (EventReader r = EventReader.open(events)) {
                for (Event e = r.next(); e != null; e = r.next()) {
                    try {
                        h.engine.apply(e);
                    } catch (LicensimException ex) {
                        rejected.add(e.seq() + ": " + ex.getMessage());
                    }
                    if (after != null && after.get("seq").asLong() == e.seq()) {
                        check(h, after, "after event " + e.seq());
                    }
                    neverWithout(h, exp, "after event " + e.seq());
                }
            }
        }
        List<String> expectedRejections = new ArrayList<>();
        if (exp.has("rejections")) {
            for (JsonNode r : exp.get("rejections")) {
                expectedRejections.add(r.get("seq").asText());
                String got = rejected.stream().filter(x -> x.startsWith(r.get("seq").asText() + ": ")).findFirst()
                        .orElse(null);
                assertTrue(got != null, "event " + r.get("seq") + " should have been rejected; rejections: " + rejected);
                assertTrue(got.contains(r.get("contains").asText()), "rejection of event " + r.get("seq")
                        + " should say \"" + r.get("contains").asText() + "\", said: " + got);
            }
        }
        for (String r : rejected) {
            assertTrue(expectedRejections.contains(r.substring(0, r.indexOf(':'))), "unexpected rejection " + r);
        }
        check(h, exp, "at the end");
    }

    /**
     * {@code alwaysEnabled}: {@code [{"users": [...], "anyOf": [plans]}]}, a service each user must
     * have enabled from some product after the snapshot and after every event (no loss of service).
     */
    static void neverWithout(Harness h, JsonNode exp, String when) {
        if (!exp.has("alwaysEnabled")) {
            return;
        }
        for (JsonNode rule : exp.get("alwaysEnabled")) {
            for (JsonNode u : rule.get("users")) {
                List<String> enabled = new ArrayList<>();
                for (int t = 0; t < h.tenant.subscriptions().size(); t++) {
                    enabled.addAll(h.enabledPlans(u.asText(), h.tenant.subscriptions().product(t).skuPartNumber()));
                }
                boolean any = false;
                for (JsonNode p : rule.get("anyOf")) {
                    any |= enabled.contains(p.asText());
                }
                assertTrue(any, u.asText() + " has none of " + rule.get("anyOf") + " enabled " + when + ": a loss of service; "
                        + "sources " + h.sources(u.asText()));
            }
        }
    }

    static void check(Harness h, JsonNode exp, String when) {
        if (exp.has("consumed")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = exp.get("consumed").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> c = it.next();
                assertEquals(c.getValue().asInt(), h.consumed(c.getKey()), "consumedUnits of " + c.getKey() + " " + when);
            }
        }
        if (exp.has("users")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = exp.get("users").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> u = it.next();
                JsonNode ue = u.getValue();
                if (ue.has("sources")) {
                    List<String> want = new ArrayList<>();
                    ue.get("sources").forEach(s -> want.add(s.asText()));
                    assertEquals(want, h.sources(u.getKey()), "sources of " + u.getKey() + " " + when);
                }
                if (ue.has("plans")) {
                    for (Iterator<Map.Entry<String, JsonNode>> ps = ue.get("plans").fields(); ps.hasNext();) {
                        Map.Entry<String, JsonNode> p = ps.next();
                        List<String> enabled = h.enabledPlans(u.getKey(), p.getKey());
                        if (p.getValue().has("enabled")) {
                            p.getValue().get("enabled").forEach(n -> assertTrue(enabled.contains(n.asText()),
                                    n.asText() + " should be enabled for " + u.getKey() + " " + when + "; enabled: " + enabled));
                        }
                        if (p.getValue().has("disabled")) {
                            p.getValue().get("disabled").forEach(n -> assertTrue(!enabled.contains(n.asText()),
                                    n.asText() + " should be disabled for " + u.getKey() + " " + when));
                        }
                    }
                }
            }
        }
        if (exp.has("groupsWithErrors")) {
            JsonNode state = h.state();
            for (Iterator<Map.Entry<String, JsonNode>> it = exp.get("groupsWithErrors").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> g = it.next();
                List<String> want = new ArrayList<>();
                g.getValue().forEach(m -> want.add(m.asText()));
                List<String> got = null;
                for (JsonNode gs : state.get("groups")) {
                    if (gs.get("id").asText().equals(g.getKey())) {
                        got = new ArrayList<>();
                        for (JsonNode m : gs.get("membersWithLicenseErrors")) {
                            got.add(m.asText());
                        }
                    }
                }
                assertEquals(want, got, "members with licence errors of group " + g.getKey() + " " + when);
            }
        }
    }
}
