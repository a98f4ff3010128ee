package org.licensim.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The state writer puts each user's line together from encoded bytes; its document is the one
 * Jackson's generator wrote token by token (kept as {@link GeneratorStateWriter}), byte for byte:
 * ids and names that need escaping, non-ASCII text, users without licences, times, errors.
 */
class StateWriterBytesTest {
    private static byte[] written(Engine e, int threads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StateWriter.write(e, out, threads);
        return out.toByteArray();
    }

    private static byte[] reference(Engine e, int threads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GeneratorStateWriter.write(e, out, threads);
        return out.toByteArray();
    }

    @Test
    @DisplayName("R17 ids and UPNs with quotes, backslashes, control characters, accents, CJK and emoji are written as the generator wrote them")
    void escapedValues() throws IOException {
        // each id as it appears inside a JSON string of the snapshot
        String[] ids = {"plain", "with \\\"quotes\\\"", "back\\\\slash", "tab\\tand\\nnewline", "ctrl\\u0001\\u001f",
            "del\\u007f", "slash/ok", "jos\u00e9", "\u6771\u4eac", "emoji\ud83d\ude00", "lone\\ud800x", "\u00ff\u0100",
            "<html>&amp;"};
        StringBuilder sb = new StringBuilder("{\"tenant\":{\"id\":\"esc\",\"countryLetterCode\":\"NL\"},"
                + "\"subscribedSkus\":[{\"skuPartNumber\":\"ENTERPRISEPACK\",\"prepaidUnits\":{\"enabled\":5}},"
                + "{\"skuPartNumber\":\"EMS\",\"prepaidUnits\":{\"enabled\":100}}],\"users\":[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"u-").append(ids[i]).append("\",\"usageLocation\":\"NL\"");
            if (i % 3 != 2) {
                sb.append(",\"userPrincipalName\":\"").append(ids[(i + 4) % ids.length]).append("@contoso.com\"");
            }
            sb.append('}');
        }
        sb.append(",{\"id\":\"nobody\"}],\"groups\":[{\"id\":\"g-").append(ids[1]).append("\",\"members\":[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append("\"u-").append(ids[i]).append('"');
        }
        sb.append("]},{\"id\":\"g-").append(ids[9]).append("\",\"members\":[\"u-").append(ids[2]).append("\",\"u-")
                .append(ids[8]).append("\"]}],\"assignments\":[{\"groupId\":\"g-").append(ids[1])
                .append("\",\"skuId\":\"ENTERPRISEPACK\",\"disabledPlans\":[\"SWAY\"]},{\"groupId\":\"g-").append(ids[9])
                .append("\",\"skuId\":\"EMS\"},{\"userId\":\"u-").append(ids[3]).append("\",\"skuId\":\"EMS\"}]}");
        Tenant t = SnapshotReader.withDefaults().read(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)),
                "escapes.json");
        Engine e = Engine.builder(t).reconcile();
        byte[] expected = reference(e, 1);
        assertArrayEquals(expected, written(e, 1));
        assertArrayEquals(expected, written(e, 4));
        JsonNode doc = new ObjectMapper().readTree(expected);
        assertTrue(doc.get("users").toString().contains("CountViolation"), "some users are short of E3 seats");
        assertTrue(new String(expected, StandardCharsets.UTF_8).contains("\"u-jos\u00e9\""), "accents as UTF-8");
    }

    @Test
    @DisplayName("R17 the example tenant after its events (times, direct and group sources, several products) is written as the generator wrote it")
    void exampleAfterEvents() throws IOException {
        Tenant t = SnapshotReader.withDefaults().read(Path.of("..", "examples", "contoso-small.json"));
        Engine e = Engine.builder(t).reconcile();
        try (EventReader r = EventReader.open(Path.of("..", "examples", "contoso-small.events.jsonl"))) {
            for (Event ev = r.next(); ev != null; ev = r.next()) {
                e.apply(ev);
            }
        }
        byte[] expected = reference(e, 1);
        assertTrue(new String(expected, StandardCharsets.UTF_8).contains("\"lastUpdatedDateTime\":\"20"),
                "the events leave times to write");
        assertArrayEquals(expected, written(e, 1));
        assertArrayEquals(expected, written(e, 3));
    }

    @Test
    @DisplayName("R17 a state over several chunks is written as the generator wrote it")
    void chunks() throws IOException {
        Engine e = StateWriterChunksTest.tenant();
        assertArrayEquals(reference(e, 1), written(e, 4));
    }
}
