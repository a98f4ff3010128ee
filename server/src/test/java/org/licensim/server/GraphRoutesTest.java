package org.licensim.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.io.StateWriter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Graph's URLs and JSON shapes through plain HTTP: what the SDK tests do not reach (paging
 * details, $count, the $filter forms and their ConsistencyLevel rule, user and group writes,
 * $batch's dependsOn, throttling, tokens) and the event log replaying to the server's state.
 */
class GraphRoutesTest {
    static final String ADELE = GraphSdkTest.ADELE;
    static final String E3 = GraphSdkTest.E3;

    private static ServerFixture.Answer get(GraphServer s, String q, String... h) throws Exception {
        return ServerFixture.get(s, q, h);
    }

    @Test
    @DisplayName("paging: $top, @odata.nextLink as a full URL with $skiptoken, @odata.count on the first page only")
    void pages() throws Exception {
        ServeConfig c = new ServeConfig();
        c.snapshot = ServerFixture.syntheticTenant(250, 0);
        c.port = 0;
        try (GraphServer s = GraphServer.start(c)) {
            ServerFixture.Answer first = get(s, "/v1.0/users?$select=id&$top=100&$count=true&$filter=department%20eq%20'Sales'",
                    "ConsistencyLevel", "eventual");
            assertEquals(200, first.status());
            assertEquals("https://graph.microsoft.com/v1.0/$metadata#users(id)", first.json().get("@odata.context").asText());
            assertEquals(84, first.json().get("@odata.count").asLong(), "every third of 250 users is in Sales");
            assertEquals(84, first.json().get("@odata.count").asInt());
            assertEquals(100 > 84 ? 84 : 100, first.json().get("value").size());
            assertNull(first.json().get("@odata.nextLink"), "84 fit on one page of 100");

            Set<String> ids = new HashSet<>();
            String next = "/v1.0/users?$select=id&$top=100&$count=true";
            int pages = 0;
            while (next != null) {
                ServerFixture.Answer a = get(s, next, "ConsistencyLevel", "eventual");
                assertEquals(200, a.status());
                if (pages == 0) {
                    assertEquals(250, a.json().get("@odata.count").asInt());
                } else {
                    assertFalse(a.json().has("@odata.count"), "@odata.count on page " + (pages + 1));
                }
                a.json().get("value").forEach(u -> ids.add(u.get("id").asText()));
                JsonNode link = a.json().get("@odata.nextLink");
                if (link == null) {
                    next = null;
                } else {
                    String url = link.asText();
                    assertTrue(url.startsWith("http://127.0.0.1:" + s.port() + "/v1.0/users?"), url);
                    assertTrue(url.contains("$skiptoken="), url);
                    assertTrue(url.contains("$top=100"), url);
                    next = url.substring(url.indexOf("/v1.0/"));
                }
                pages++;
            }
            assertEquals(3, pages);
            assertEquals(250, ids.size());
            assertEquals(400, get(s, "/v1.0/users?$top=1000").status());
            assertEquals(100, get(s, "/v1.0/users").json().get("value").size(), "$top defaults to 100");
            JsonNode plain = get(s, "/v1.0/users?$top=1").json().get("value").get(0);
            assertEquals(Set.of("businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
                    "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"), names(plain));
        }
    }

    private static Set<String> names(JsonNode n) {
        Set<String> out = new HashSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> ids(ServerFixture.Answer a) {
        List<String> out = new ArrayList<>();
        a.json().get("value").forEach(u -> out.add(u.get("id").asText()));
        return out;
    }

    @Test
    @DisplayName("$filter: the forms licensing scripts use; the advanced ones only with ConsistencyLevel: eventual and $count=true")
    void filters() throws Exception {
        try (GraphServer s = ServerFixture.contoso()) {
            String base = "/v1.0/users?$select=id&$filter=";
            assertEquals(List.of(ADELE), ids(get(s, base + "assignedLicenses/any(x:x/skuId%20eq%20"
                    + "0c266dff-15dd-4b49-8397-2bb16070ed52)")));
            assertEquals(List.of("a1b2c3d4-0007-4000-8000-000000000007"), ids(get(s, base + "accountEnabled%20eq%20false")));
            assertEquals(List.of("a1b2c3d4-0003-4000-8000-000000000003"), ids(get(s, base + "usageLocation%20eq%20'BE'")));
            assertEquals(List.of(ADELE, "a1b2c3d4-0002-4000-8000-000000000002"),
                    ids(get(s, base + "startswith(displayName,'A')")));
            assertEquals(List.of(ADELE, "a1b2c3d4-0009-4000-8000-000000000009"),
                    ids(get(s, base + "id%20in%20('" + ADELE + "','a1b2c3d4-0009-4000-8000-000000000009')")));
            ServerFixture.Answer refused = get(s, base + "assignedLicenses/$count%20eq%200");
            assertEquals(400, refused.status());
            assertEquals("Request_UnsupportedQuery", refused.json().get("error").get("code").asText());
            assertEquals(400, get(s, base + "not(accountEnabled%20eq%20true)").status());
            ServerFixture.Answer none = get(s, base + "assignedLicenses/$count%20eq%200&$count=true",
                    "ConsistencyLevel", "eventual");
            assertEquals(200, none.status());
            assertEquals(List.of("a1b2c3d4-0007-4000-8000-000000000007"), ids(none), "user 7 is disabled: no group licences");
            assertEquals(9, get(s, base + "not(accountEnabled%20eq%20false)&$count=true", "ConsistencyLevel", "eventual")
                    .json().get("@odata.count").asInt());
            ServerFixture.Answer groups = get(s, "/v1.0/groups?$select=id,assignedLicenses,licenseProcessingState"
                    + "&$filter=assignedLicenses/any()");
            assertEquals(4, groups.json().get("value").size(), "four of the five groups carry licences");
            assertEquals("ProcessingComplete", groups.json().get("value").get(0).get("licenseProcessingState")
                    .get("state").asText());
            assertEquals(400, get(s, "/v1.0/users?$filter=frobnicate(x)").status());
            assertEquals(400, get(s, "/v1.0/users?$select=nonsense").status());
        }
    }

    @Test
    @DisplayName("$search: \"property:text\" clauses by words on displayName, by start on other properties, AND/OR; only with ConsistencyLevel: eventual")
    void search() throws Exception {
        try (GraphServer s = ServerFixture.contoso()) {
            String base = "/v1.0/users?$select=id,displayName&$search=";
            String[] eventual = {"ConsistencyLevel", "eventual"};
            assertEquals(List.of(ADELE), ids(get(s, base + "%22displayName:vance%22", eventual)), "a later word of the name");
            assertEquals(List.of(ADELE), ids(get(s, base + "%22displayName:ade%22", eventual)), "a word's start");
            assertEquals(List.of(), ids(get(s, base + "%22displayName:dele%22", eventual)), "not inside a word");
            assertEquals(List.of(ADELE, "a1b2c3d4-0002-4000-8000-000000000002"),
                    ids(get(s, base + "%22displayName:adele%22%20OR%20%22displayName:alex%22", eventual)));
            assertEquals(List.of(), ids(get(s, base + "%22displayName:adele%22%20AND%20%22displayName:alex%22", eventual)));
            assertEquals(List.of("a1b2c3d4-0009-4000-8000-000000000009"),
                    ids(get(s, base + "%22userPrincipalName:LIDIA.H%22", eventual)), "other properties by their start");
            ServerFixture.Answer counted = get(s, base + "%22displayName:a%22&$count=true", eventual);
            assertEquals(counted.json().get("value").size(), counted.json().get("@odata.count").asInt());
            ServerFixture.Answer groups = get(s, "/v1.0/groups?$select=displayName&$search=%22displayName:e3%22", eventual);
            assertEquals(List.of("Sales - Office 365 E3", "Engineering - Office 365 E3 without Yammer"),
                    displayNames(groups.json().get("value")));

            ServerFixture.Answer noHeader = get(s, base + "%22displayName:adele%22");
            assertEquals(400, noHeader.status());
            assertTrue(noHeader.json().get("error").get("message").asText().contains("'ConsistencyLevel: eventual'"));
            ServerFixture.Answer unquoted = get(s, base + "displayName:adele", eventual);
            assertEquals(400, unquoted.status());
            assertEquals("Request_UnsupportedQuery", unquoted.json().get("error").get("code").asText());
            assertEquals(400, get(s, base + "%22adele%22", eventual).status(), "a clause names its property");
            assertEquals(400, get(s, base + "%22accountEnabled:true%22", eventual).status());
        }
    }

    @Test
    @DisplayName("organization: the tenant as Graph lists it (Get-MgOrganization's tenant id), by id, $select; another id is a 404")
    void organization() throws Exception {
        try (GraphServer s = ServerFixture.contoso()) {
            ServerFixture.Answer all = get(s, "/v1.0/organization");
            assertEquals(200, all.status());
            assertEquals("https://graph.microsoft.com/v1.0/$metadata#organization", all.json().get("@odata.context").asText());
            JsonNode org = all.json().get("value").get(0);
            assertEquals(1, all.json().get("value").size());
            assertEquals("7f3b2c1a-0d4e-4b5f-9a6c-1e2d3f4a5b6c", org.get("id").asText());
            assertEquals("Contoso Ltd", org.get("displayName").asText());
            assertEquals("NL", org.get("countryLetterCode").asText());
            assertEquals("AAD", org.get("tenantType").asText());
            ServerFixture.Answer one = get(s, "/v1.0/organization/7f3b2c1a-0d4e-4b5f-9a6c-1e2d3f4a5b6c?$select=displayName");
            assertEquals(200, one.status());
            assertEquals("https://graph.microsoft.com/v1.0/$metadata#organization(displayName)/$entity",
                    one.json().get("@odata.context").asText());
            assertEquals("Contoso Ltd", one.json().get("displayName").asText());
            assertEquals(null, one.json().get("id"), one.json().toString());
            assertEquals(404, get(s, "/v1.0/organization/00000000-0000-0000-0000-000000000000").status());
            assertEquals(400, get(s, "/v1.0/organization?$select=verifiedDomain").status());
            assertEquals(405, ServerFixture.post(s, "/v1.0/organization", "{}").status());
        }
    }

    @Test
    @DisplayName("memberOf: a user's groups as directoryObjects typed #microsoft.graph.group; transitiveMemberOf adds the groups holding them nested (R2 gives those no licence)")
    void memberOf() throws Exception {
        try (GraphServer s = ServerFixture.contoso()) {
            ServerFixture.Answer direct = get(s, "/v1.0/users/adele.vance@contoso.com/memberOf?$select=id,displayName");
            assertEquals(200, direct.status());
            assertEquals("https://graph.microsoft.com/v1.0/$metadata#directoryObjects(id,displayName)",
                    direct.json().get("@odata.context").asText());
            JsonNode v = direct.json().get("value");
            assertEquals(2, v.size(), v.toString());
            assertEquals("#microsoft.graph.group", v.get(0).get("@odata.type").asText());
            assertEquals("Sales - Office 365 E3", v.get(0).get("displayName").asText());
            assertEquals("All enabled users - EMS", v.get(1).get("displayName").asText());
            ServerFixture.Answer paged = get(s, "/v1.0/users/adele.vance@contoso.com/memberOf?$top=1&$select=id");
            assertEquals(1, paged.json().get("value").size());
            String next = paged.json().get("@odata.nextLink").asText();
            ServerFixture.Answer second = get(s, next.substring(next.indexOf("/v1.0")));
            assertEquals("b0000000-0000-4000-8000-0000000000a3", second.json().get("value").get(0).get("id").asText());
            assertEquals(null, second.json().get("@odata.nextLink"));

            // Sales is already a nested member of Contoso Social; it becomes one of the pilot group too
            assertEquals(List.of("Sales - Office 365 E3", "All enabled users - EMS", "Contoso Social"),
                    displayNames(get(s, "/v1.0/users/adele.vance@contoso.com/transitiveMemberOf").json().get("value")));
            assertEquals(204, ServerFixture.post(s, "/v1.0/groups/b0000000-0000-4000-8000-0000000000a4/members/$ref",
                    "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/b0000000-0000-4000-8000-0000000000a1\"}")
                    .status());
            assertEquals(2, get(s, "/v1.0/users/adele.vance@contoso.com/memberOf").json().get("value").size());
            ServerFixture.Answer all = get(s, "/v1.0/users/adele.vance@contoso.com/transitiveMemberOf?$select=displayName");
            assertEquals(200, all.status());
            assertEquals(List.of("Sales - Office 365 E3", "All enabled users - EMS", "Workplace Analytics pilot",
                    "Contoso Social"), displayNames(all.json().get("value")));
            assertEquals(404, get(s, "/v1.0/users/nobody@contoso.com/memberOf").status());
            assertEquals(400, get(s, "/v1.0/users/adele.vance@contoso.com/memberOf?$select=jobTitle").status());
            assertEquals(405, ServerFixture.post(s, "/v1.0/users/adele.vance@contoso.com/memberOf", "{}").status());
        }
    }

    private static List<String> displayNames(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.get("displayName").asText()));
        return out;
    }

    @Test
    @DisplayName("users: by userPrincipalName, licenseDetails with plan provisioning, POST, PATCH (dynamic groups follow), DELETE")
    void userWrites() throws Exception {
        try (GraphServer s = ServerFixture.contoso()) {
            ServerFixture.Answer details = get(s, "/v1.0/users/adele.vance@contoso.com/licenseDetails");
            assertEquals(200, details.status());
            assertEquals(3, details.json().get("value").size());
            JsonNode e3 = null;
            for (JsonNode d : details.json().get("value")) {
                if (d.get("skuId").asText().equals(E3)) {
                    e3 = d;
                }
            }
            assertNotNull(e3);
            assertEquals("ENTERPRISEPACK", e3.get("skuPartNumber").asText());
            assertTrue(e3.get("servicePlans").size() > 5);
            // $select as Graph takes it on licenseDetails: the properties asked, in the context too; an unknown one is a 400
            ServerFixture.Answer parts = get(s, "/v1.0/users/adele.vance@contoso.com/licenseDetails?$select=skuPartNumber,skuId");
            assertEquals(200, parts.status());
            assertTrue(parts.json().get("@odata.context").asText().endsWith("/licenseDetails(skuPartNumber,skuId)"),
                    parts.json().toString());
            for (JsonNode d : parts.json().get("value")) {
                assertEquals(List.of("skuPartNumber", "skuId"), iterator(d.fieldNames()), d.toString());
            }
            ServerFixture.Answer typo = get(s, "/v1.0/users/adele.vance@contoso.com/licenseDetails?$select=skuPart");
            assertEquals(400, typo.status());
            assertTrue(typo.json().get("error").get("message").asText().contains(
                    "Could not find a property named 'skuPart' on type 'microsoft.graph.licenseDetails'"), typo.json().toString());

            ServerFixture.Answer created = ServerFixture.post(s, "/v1.0/users", "{\"accountEnabled\":true,"
                    + "\"displayName\":\"Nestor Wilke\",\"mailNickname\":\"nestor\",\"userPrincipalName\":\"nestor@contoso.com\","
                    + "\"passwordProfile\":{\"password\":\"x\"},\"usageLocation\":\"NL\",\"department\":\"Engineering\"}");
            assertEquals(201, created.status());
            String id = created.json().get("id").asText();
            assertEquals("http://127.0.0.1:" + s.port() + "/v1.0/users/" + id, created.raw().headers()
                    .firstValue("Location").orElseThrow());
            // the dynamic Engineering group licenses E3 at once
            JsonNode states = get(s, "/v1.0/users/nestor@contoso.com?$select=licenseAssignmentStates").json()
                    .get("licenseAssignmentStates");
            assertTrue(states.toString().contains(E3), states.toString());
            assertEquals(400, ServerFixture.post(s, "/v1.0/users", "{\"displayName\":\"Dup\","
                    + "\"userPrincipalName\":\"NESTOR@contoso.com\"}").status(), "UPNs are unique without case");

            assertEquals(204, ServerFixture.send(s, "PATCH", "/v1.0/users/" + id, "application/json",
                    "{\"department\":\"Finance\"}").status());
            states = get(s, "/v1.0/users/" + id + "?$select=licenseAssignmentStates").json().get("licenseAssignmentStates");
            assertFalse(states.toString().contains(E3), "out of Engineering, out of its E3: " + states);
            assertEquals(204, ServerFixture.send(s, "DELETE", "/v1.0/users/" + id, null, null).status());
            assertEquals(404, get(s, "/v1.0/users/" + id).status());
        }
    }

    @Test
    @DisplayName("groups: members $ref add and remove, PATCH membershipRule, members and membersWithLicenseErrors listings")
    void groupWrites() throws Exception {
        try (GraphServer s = ServerFixture.contoso()) {
            String sales = "/v1.0/groups/b0000000-0000-4000-8000-0000000000a1";
            assertEquals(204, ServerFixture.post(s, sales + "/members/$ref", "{\"@odata.id\":"
                    + "\"https://graph.microsoft.com/v1.0/directoryObjects/a1b2c3d4-0009-4000-8000-000000000009\"}").status());
            ServerFixture.Answer members = get(s, sales + "/members?$select=id");
            assertEquals(4, members.json().get("value").size());
            assertEquals("#microsoft.graph.user", members.json().get("value").get(0).get("@odata.type").asText());
            assertEquals(400, ServerFixture.post(s, sales + "/members/$ref", "{\"@odata.id\":"
                    + "\"https://graph.microsoft.com/v1.0/directoryObjects/a1b2c3d4-0009-4000-8000-000000000009\"}").status(),
                    "already a member");
            assertEquals(204, ServerFixture.send(s, "DELETE", sales + "/members/a1b2c3d4-0009-4000-8000-000000000009/$ref",
                    null, null).status());
            assertEquals(3, get(s, sales + "/members").json().get("value").size());
            // the dynamic Engineering group: a new rule moves its members and their licences
            String eng = "/v1.0/groups/b0000000-0000-4000-8000-0000000000a2";
            assertEquals(204, ServerFixture.send(s, "PATCH", eng, "application/json",
                    "{\"membershipRule\":\"user.department -eq \\\"Finance\\\"\"}").status());
            assertEquals(Set.of("a1b2c3d4-0007-4000-8000-000000000007", "a1b2c3d4-0008-4000-8000-000000000008",
                    "a1b2c3d4-0009-4000-8000-000000000009"), new HashSet<>(ids(get(s, eng + "/members?$select=id"))));
            assertEquals(400, ServerFixture.send(s, "PATCH", eng, "application/json",
                    "{\"membershipRule\":\"user.department -eq\"}").status(), "a rule that does not parse");
            ServerFixture.Answer errs = get(s, eng + "/membersWithLicenseErrors?$count=true", "ConsistencyLevel", "eventual");
            assertEquals(200, errs.status());
            assertEquals(errs.json().get("value").size(), errs.json().get("@odata.count").asInt());
        }
    }

    @Test
    @DisplayName("$batch: up to 20 requests, dependsOn answered 424 after a failure, more than 20 refused")
    void batchDependsOn() throws Exception {
        try (GraphServer s = ServerFixture.contoso()) {
            String body = "{\"requests\":["
                    + "{\"id\":\"1\",\"method\":\"POST\",\"url\":\"/users/a1b2c3d4-0004-4000-8000-000000000004/assignLicense\","
                    + "\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"addLicenses\":[{\"skuId\":\"" + E3
                    + "\",\"disabledPlans\":[]}],\"removeLicenses\":[]}},"
                    + "{\"id\":\"2\",\"dependsOn\":[\"1\"],\"method\":\"GET\",\"url\":\"/users/a1b2c3d4-0004-4000-8000-000000000004\"},"
                    + "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"/subscribedSkus?$select=skuId,consumedUnits\"}]}";
            ServerFixture.Answer a = ServerFixture.post(s, "/v1.0/$batch", body);
            assertEquals(200, a.status());
            JsonNode r = a.json().get("responses");
            assertEquals(400, r.get(0).get("status").asInt(), "Grady has no usage location");
            assertEquals(424, r.get(1).get("status").asInt());
            assertEquals(200, r.get(2).get("status").asInt());
            assertEquals(5, r.get(2).get("body").get("value").size());
            StringBuilder many = new StringBuilder("{\"requests\":[");
            for (int i = 0; i < 21; i++) {
                many.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"method\":\"GET\",\"url\":\"/users\"}");
            }
            assertEquals(400, ServerFixture.post(s, "/v1.0/$batch", many + "]}").status());
        }
    }

    @Test
    @DisplayName("--throttle answers 429 with Retry-After once the units of the 10-second window are spent; --token answers 401 without it")
    void throttlesAndAuthenticates() throws Exception {
        ServeConfig c = new ServeConfig();
        c.snapshot = Files.readAllBytes(ServerFixture.CONTOSO);
        c.port = 0;
        c.throttle = 10;
        c.token = "secret";
        try (GraphServer s = GraphServer.start(c)) {
            ServerFixture.Answer noToken = get(s, "/v1.0/subscribedSkus");
            assertEquals(401, noToken.status());
            assertEquals("InvalidAuthenticationToken", noToken.json().get("error").get("code").asText());
            assertEquals(401, get(s, "/v1.0/subscribedSkus", "Authorization", "Bearer wrong").status());
            int ok = 0;
            ServerFixture.Answer last = null;
            for (int i = 0; i < 11; i++) {
                last = get(s, "/v1.0/subscribedSkus", "Authorization", "Bearer secret");
                if (last.status() == 200) {
                    ok++;
                }
            }
            assertEquals(10, ok, "10 units, one each");
            assertEquals(429, last.status());
            int retry = Integer.parseInt(last.raw().headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retry >= 1 && retry <= 10, "Retry-After " + retry);
            assertEquals("TooManyRequests", last.json().get("error").get("code").asText());
        }
    }

    @Test
    @DisplayName("R11 the event log replays through the engine (as resolve SNAPSHOT --events LOG does) to exactly the server's state")
    void eventLogReplays(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("events.jsonl");
        ServeConfig c = new ServeConfig();
        c.snapshot = Files.readAllBytes(ServerFixture.CONTOSO);
        c.port = 0;
        c.eventLog = log;
        byte[] served;
        try (GraphServer s = GraphServer.start(c)) {
            ServerFixture.post(s, "/v1.0/users/a1b2c3d4-0009-4000-8000-000000000009/assignLicense",
                    "{\"addLicenses\":[{\"skuId\":\"" + E3 + "\",\"disabledPlans\":[\"7547a3fe-08ee-4ccb-b430-5077c5041653\"]}],"
                            + "\"removeLicenses\":[]}");
            ServerFixture.post(s, "/v1.0/users/a1b2c3d4-0004-4000-8000-000000000004/assignLicense",
                    "{\"addLicenses\":[{\"skuId\":\"" + E3 + "\"}],\"removeLicenses\":[]}"); // refused: not logged
            ServerFixture.send(s, "PATCH", "/v1.0/users/a1b2c3d4-0004-4000-8000-000000000004", "application/json",
                    "{\"usageLocation\":\"NL\"}");
            ServerFixture.post(s, "/v1.0/groups/b0000000-0000-4000-8000-0000000000a1/members/$ref",
                    "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/a1b2c3d4-0010-4000-8000-000000000010\"}");
            ServerFixture.Answer refused = ServerFixture.post(s, "/v1.0/groups/b0000000-0000-4000-8000-0000000000a4/assignLicense",
                    "{\"addLicenses\":[{\"skuId\":\"" + GraphSdkTest.AUDIO + "\"}],\"removeLicenses\":[]}");
            assertEquals(400, refused.status(), "R14: the group lacks the plan Audio Conferencing needs; refused at once");
            assertTrue(refused.json().get("error").get("message").asText().contains("depends on"));
            assertEquals(202, ServerFixture.post(s, "/v1.0/groups/b0000000-0000-4000-8000-0000000000a1/assignLicense",
                    "{\"addLicenses\":[{\"skuId\":\"" + GraphSdkTest.WPA + "\"}],\"removeLicenses\":[]}").status());
            while (s.pendingGroupJobs() > 0) {
                Thread.sleep(10);
            }
            ServerFixture.post(s, "/v1.0/users/a1b2c3d4-0004-4000-8000-000000000004/reprocessLicenseAssignment", "{}");
            served = state(s.engine());
        }
        List<String> types = new ArrayList<>();
        Engine replay = Engine.builder(SnapshotReader.withDefaults().read(ServerFixture.CONTOSO)).reconcile();
        try (EventReader r = EventReader.open(log)) {
            for (Event e = r.next(); e != null; e = r.next()) {
                replay.apply(e);
                types.add(e.type());
            }
        }
        assertEquals(List.of("AssignLicense", "UserAttributesChanged", "MemberAdded", "AssignLicense", "Reprocess"), types);
        assertArrayEquals(served, state(replay));
    }

    private static byte[] state(Engine e) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StateWriter.write(e, out);
        return out.toByteArray();
    }

    private static List<String> iterator(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
