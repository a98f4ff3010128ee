package org.licensim.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.io.SnapshotReader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class GraphRequestsTest {
    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");
    private static final String E3 = "6fd2c87f-b296-42f0-b197-1e91e994b900";
    private static final String YAMMER = "7547a3fe-08ee-4ccb-b430-5077c5041653";
    private static final String ADELE = "a1b2c3d4-0001-4000-8000-000000000001";
    private static final String SALES = "b0000000-0000-4000-8000-0000000000a1";

    private static Tenant contoso() {
        return SnapshotReader.withDefaults().read(Path.of("../examples/contoso-small.json"));
    }

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    @DisplayName("Graph requests: licences become assignLicense with GUIDs (part numbers and plan names looked up), members $ref")
    void shapes() throws Exception {
        GraphRequests g = GraphRequests.of(contoso(), List.of(
                new Event.LicenseAssignedToUser(1, T, ADELE, "ENTERPRISEPACK", List.of("YAMMER_ENTERPRISE")),
                new Event.LicenseRemovedFromGroup(2, T, SALES, "ENTERPRISEPACK"),
                new Event.MemberAdded(3, T, SALES, ADELE),
                new Event.MemberRemoved(4, T, SALES, ADELE),
                new Event.Reprocess(5, T, ADELE, null)));
        List<GraphRequests.Request> r = g.requests();
        assertEquals("POST /users/" + ADELE + "/assignLicense", r.get(0).method() + " " + r.get(0).url());
        assertEquals(json("{\"addLicenses\":[{\"skuId\":\"" + E3 + "\",\"disabledPlans\":[\"" + YAMMER + "\"]}],"
                + "\"removeLicenses\":[]}"), r.get(0).body());
        assertEquals("add Office 365 E3 (ENTERPRISEPACK) without Yammer Enterprise (direct licence of adele.vance@contoso.com "
                + "(Adele Vance))", r.get(0).description());
        assertEquals("POST /groups/" + SALES + "/assignLicense", r.get(1).method() + " " + r.get(1).url());
        assertEquals(json("{\"addLicenses\":[],\"removeLicenses\":[\"" + E3 + "\"]}"), r.get(1).body());
        assertEquals("Set-MgGroupLicense -GroupId '" + SALES + "' -AddLicenses @() -RemoveLicenses @('" + E3 + "')",
                r.get(1).powerShell());
        assertEquals("POST /groups/" + SALES + "/members/$ref", r.get(2).method() + " " + r.get(2).url());
        assertEquals(json("{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/" + ADELE + "\"}"), r.get(2).body());
        assertEquals("DELETE /groups/" + SALES + "/members/" + ADELE + "/$ref", r.get(3).method() + " " + r.get(3).url());
        assertEquals(null, r.get(3).body());
        assertEquals("Remove-MgGroupMemberDirectoryObjectByRef -GroupId '" + SALES + "' -DirectoryObjectId '" + ADELE + "'",
                r.get(3).powerShell());
        assertEquals("POST /users/" + ADELE + "/reprocessLicenseAssignment", r.get(4).method() + " " + r.get(4).url());
    }

    @Test
    @DisplayName("Graph batch: at most 20 requests per $batch body, ids unique in the file, each depending on the one before")
    void batches() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            events.add(i % 2 == 0 ? new Event.MemberAdded(i + 1, T, SALES, ADELE) : new Event.MemberRemoved(i + 1, T, SALES, ADELE));
        }
        JsonNode root = GraphRequests.of(contoso(), events).batchJson();
        JsonNode b = root.get("batches");
        assertEquals(3, b.size());
        assertEquals(List.of(20, 20, 5), List.of(b.get(0).get("requests").size(), b.get(1).get("requests").size(),
                b.get(2).get("requests").size()));
        int id = 0;
        for (JsonNode batch : b) {
            boolean first = true;
            for (JsonNode req : batch.get("requests")) {
                id++;
                assertEquals(String.valueOf(id), req.get("id").asText());
                if (first) {
                    assertFalse(req.has("dependsOn"), "the first request of a batch waits for nothing in it");
                } else {
                    assertEquals("[\"" + (id - 1) + "\"]", req.get("dependsOn").toString());
                }
                assertEquals(req.get("method").asText().equals("POST"), req.has("body"));
                assertEquals(req.has("body"), req.has("headers"), "a body comes with its Content-Type");
                first = false;
            }
        }
        assertEquals(45, id);
    }

    @Test
    @DisplayName("Graph PowerShell: every change behind ShouldProcess (so -WhatIf runs it dry), in order, with names in words")
    void powerShell() {
        String ps = GraphRequests.of(contoso(), List.of(new Event.LicenseRemovedFromUser(1, T, ADELE, "ENTERPRISEPACK"),
                new Event.MemberAdded(2, T, SALES, ADELE))).powerShell("a test", "t.ps1");
        assertTrue(ps.contains("[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]"), ps);
        assertTrue(ps.contains("$ErrorActionPreference = 'Stop'"), ps);
        assertTrue(ps.contains("./t.ps1 -WhatIf"), ps);
        int remove = ps.indexOf("Set-MgUserLicense -UserId '" + ADELE + "' -AddLicenses @() -RemoveLicenses @('" + E3 + "')");
        int add = ps.indexOf("New-MgGroupMember -GroupId '" + SALES + "' -DirectoryObjectId '" + ADELE + "'");
        assertTrue(remove > 0 && add > remove, ps);
        assertEquals(2, ps.split("if \\(\\$PSCmdlet.ShouldProcess\\(", -1).length - 1, ps);
        assertTrue(ps.contains("# 2. add adele.vance@contoso.com (Adele Vance) to group \"Sales - Office 365 E3\""), ps);
    }

    @Test
    @DisplayName("Graph requests: an event with no Graph request (a user deleted) or an unknown product is refused, naming its seq and type")
    void refused() {
        LicensimException e = assertThrows(LicensimException.class, () -> GraphRequests.of(contoso(),
                List.of(new Event.UserDeleted(7, T, ADELE))));
        assertTrue(e.getMessage().startsWith("event seq 7 (UserDeleted) has no Microsoft Graph request"), e.getMessage());
        LicensimException sku = assertThrows(LicensimException.class, () -> GraphRequests.of(contoso(),
                List.of(new Event.LicenseRemovedFromUser(8, T, ADELE, "NO_SUCH_SKU"))));
        assertTrue(sku.getMessage().contains("product \"NO_SUCH_SKU\" is not in the catalog"), sku.getMessage());
    }
}
