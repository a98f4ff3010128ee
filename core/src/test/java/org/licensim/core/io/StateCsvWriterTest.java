package org.licensim.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The compact CSV output says exactly what the Graph-shaped state says, one row per licenseAssignmentState. */
class StateCsvWriterTest {
    private static Engine resolvedExample() {
        Engine e = Engine.builder(SnapshotReader.withDefaults().read(Path.of("../examples/contoso-small.json"))).reconcile();
        try (EventReader r = EventReader.open(Path.of("../examples/contoso-small.events.jsonl"))) {
            for (Event ev = r.next(); ev != null; ev = r.next()) {
                e.apply(ev);
            }
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
        return e;
    }

    @Test
    @DisplayName("R17 the CSV rows are the Graph state's licenseAssignmentStates: user, product, source, state, error, disabled plans, time")
    void csvEqualsGraphState() throws IOException {
        Engine e = resolvedExample();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        StateWriter.write(e, json);
        TreeSet<String> fromJson = new TreeSet<>();
        ObjectMapper m = JsonMapper.builder().build();
        for (JsonNode u : m.readTree(json.toByteArray()).path("users")) {
            for (JsonNode s : u.path("licenseAssignmentStates")) {
                List<String> plans = new ArrayList<>();
                s.path("disabledPlans").forEach(p -> plans.add(p.asText()));
                fromJson.add(String.join("|", u.path("id").asText(), u.path("userPrincipalName").asText(),
                        s.path("skuId").asText(), s.path("assignedByGroup").isNull() ? "" : s.path("assignedByGroup").asText(),
                        s.path("state").asText(), s.path("error").asText(), String.join(";", plans),
                        s.path("lastUpdatedDateTime").isNull() ? "" : s.path("lastUpdatedDateTime").asText()));
            }
        }
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        StateCsvWriter.write(e, csv);
        String[] lines = csv.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(StateCsvWriter.HEADER, lines[0]);
        TreeSet<String> fromCsv = new TreeSet<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            assertEquals(9, f.length, lines[i]);
            fromCsv.add(String.join("|", f[0], f[1], f[2], f[4], f[5], f[6], f[7], f[8]));
        }
        assertEquals(lines.length - 1, fromCsv.size(), "one row per user, product and source");
        assertEquals(fromJson, fromCsv);
        assertTrue(fromCsv.stream().anyMatch(r -> r.contains("|Error|CountViolation|")), "the example's error is there");
        assertTrue(fromCsv.stream().anyMatch(r -> r.split("\\|", -1)[3].isEmpty()), "direct assignments have no group");
    }

    @Test
    @DisplayName("a field holding a comma, a quote or a line break is quoted as RFC 4180 says")
    void quoting() {
        assertEquals("plain-id", StateCsvWriter.csv("plain-id"));
        assertEquals("\"Smith, Jane\"", StateCsvWriter.csv("Smith, Jane"));
        assertEquals("\"say \"\"hi\"\"\"", StateCsvWriter.csv("say \"hi\""));
        assertEquals("\"two\nlines\"", StateCsvWriter.csv("two\nlines"));
    }
}
