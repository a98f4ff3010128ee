package org.licensim.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.Summary;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The state of a tenant of several writer chunks (users rendered in parallel, written in order)
 * is one JSON document with every live user once, in user order, and the same bytes on one
 * thread as on four.
 */
class StateWriterChunksTest {
    /** Users over three chunks and a part, some deleted, E3 short of seats so that some are in error. */
    static Engine tenant() throws IOException {
        int users = StateWriter.CHUNK_USERS * 3 + 517;
        StringBuilder sb = new StringBuilder("{\"tenant\":{\"id\":\"chunks\",\"countryLetterCode\":\"NL\"},"
                + "\"subscribedSkus\":[{\"skuPartNumber\":\"ENTERPRISEPACK\",\"prepaidUnits\":{\"enabled\":3000}},"
                + "{\"skuPartNumber\":\"EMS\",\"prepaidUnits\":{\"enabled\":100000}}],\"users\":[");
        for (int u = 0; u < users; u++) {
            sb.append(u == 0 ? "" : ",").append("{\"id\":\"u").append(u).append("\",\"usageLocation\":\"NL\"");
            if (u % 7 == 0) {
                sb.append(",\"userPrincipalName\":\"user").append(u).append("@contoso.com\"");
            }
            sb.append('}');
        }
        sb.append("],\"groups\":[");
        String[] names = {"Everyone", "Odd", "Mobile"};
        for (int g = 0; g < names.length; g++) {
            sb.append(g == 0 ? "" : ",").append("{\"id\":\"g").append(g).append("\",\"displayName\":\"").append(names[g])
                    .append("\",\"members\":[");
            boolean first = true;
            for (int u = 0; u < users; u++) {
                // users with no group at all (u % 5 == 4) leave gaps in every chunk
                if (u % 5 != 4 && (g == 0 ? u % 3 != 0 : g == 1 ? u % 2 == 1 : u % 4 == 0)) {
                    sb.append(first ? "" : ",").append("\"u").append(u).append('"');
                    first = false;
                }
            }
            sb.append("]}");
        }
        sb.append("],\"assignments\":[{\"groupId\":\"g0\",\"skuId\":\"ENTERPRISEPACK\"},"
                + "{\"groupId\":\"g1\",\"skuId\":\"ENTERPRISEPACK\"},{\"groupId\":\"g2\",\"skuId\":\"EMS\"},"
                + "{\"userId\":\"u10\",\"skuId\":\"EMS\"}]}");
        Tenant t = SnapshotReader.withDefaults().read(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)),
                "chunks.json");
        return Engine.builder(t).reconcile();
    }

    @Test
    @DisplayName("R17 a state over several chunks: every user with licences once and in order, errors counted, same bytes on 1 and 4 threads")
    void chunksMakeOneDocument() throws IOException {
        Engine e = tenant();
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        StateWriter.write(e, one, 1);
        ByteArrayOutputStream four = new ByteArrayOutputStream();
        StateWriter.write(e, four, 4);
        assertArrayEquals(one.toByteArray(), four.toByteArray());

        JsonNode doc = new ObjectMapper().readTree(four.toByteArray());
        StateStore store = e.store();
        List<String> expected = new ArrayList<>();
        int[] es = new int[64 * StateStore.ENTRY_INTS];
        long inError = 0;
        for (int u = 0; u < e.tenant().users().size(); u++) {
            int n = store.read(u, es);
            if (n > 0) {
                expected.add(e.tenant().users().id(u) + " " + n);
            }
            for (int i = 0; i < n; i++) {
                inError += States.state(es[i * StateStore.ENTRY_INTS + StateStore.STATE]) == States.ERROR ? 1 : 0;
            }
        }
        List<String> written = new ArrayList<>();
        long errorStates = 0;
        TreeSet<String> upns = new TreeSet<>();
        for (JsonNode u : doc.path("users")) {
            written.add(u.path("id").asText() + " " + u.path("licenseAssignmentStates").size());
            for (JsonNode s : u.path("licenseAssignmentStates")) {
                errorStates += "Error".equals(s.path("state").asText()) ? 1 : 0;
            }
            if (!u.path("userPrincipalName").isNull()) {
                upns.add(u.path("userPrincipalName").asText());
            }
        }
        assertTrue(e.tenant().users().size() > 3 * StateWriter.CHUNK_USERS && expected.size() > 2 * StateWriter.CHUNK_USERS,
                "the tenant spans four chunks, with users in each");
        assertEquals(expected, written);
        assertTrue(inError > 0, "E3 is short: some users are in error");
        assertEquals(inError, errorStates);
        assertTrue(upns.contains("user7@contoso.com"));

        Summary sum = Summary.of(e);
        JsonNode skus = doc.path("subscribedSkus");
        for (int t = 0; t < skus.size(); t++) {
            assertEquals(sum.usersInError()[t], skus.get(t).path("usersInError").asInt(), "users in error of product " + t);
        }
        // members with errors per group, across chunks, in user order
        int inErrorViaGroups = 0;
        for (JsonNode g : doc.path("groups")) {
            List<Integer> members = new ArrayList<>();
            g.path("membersWithLicenseErrors").forEach(m -> members.add(Integer.parseInt(m.asText().substring(1))));
            List<Integer> sorted = new ArrayList<>(members);
            sorted.sort(null);
            assertEquals(sorted, members);
            inErrorViaGroups += members.size();
        }
        assertEquals(inError, inErrorViaGroups, "each error state names its group (the only direct licence is EMS, not short)");
        String text = four.toString(StandardCharsets.UTF_8);
        // {, tenantId, lastAppliedSeq, "users":[, ], "subscribedSkus":[, ], "groups":[, ], }
        assertEquals(expected.size() + skus.size() + doc.path("groups").size() + 10, text.split("\n").length,
                "one line per user, product and group, plus the document's ten own lines");
    }
}
