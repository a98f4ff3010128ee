package org.licensim.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Bad requests of every kind (malformed JSON, unknown properties, wrong types, bodies over the
 * limit, wrong content types, unknown routes and methods, bad query options) get Graph's error
 * envelope with the right status, never a stack trace, change nothing, and the server keeps serving.
 */
class MalformedRequestTest {
    static final String USER = "/v1.0/users/a1b2c3d4-0009-4000-8000-000000000009";

    record Bad(String method, String path, String contentType, String body, int status) {
    }

    static List<Bad> cases(long seed) {
        List<Bad> out = new ArrayList<>();
        String assign = USER + "/assignLicense";
        String[] brokenJson = {"{", "}", "{\"addLicenses\":[", "[1,2", "nul", "{\"a\":}", "{'single':'quotes'}",
                "{\"addLicenses\":[],\"removeLicenses\":[]", "\u0000\u0001", "{\"x\":1}}", "tru", "{\"a\" 1}"};
        for (String b : brokenJson) {
            out.add(new Bad("POST", assign, "application/json", b, 400));
            out.add(new Bad("PATCH", USER, "application/json", b, 400));
        }
        String[] wrongShapes = {"[]", "42", "\"text\"", "null", "{\"addLicenses\":{},\"removeLicenses\":[]}",
                "{\"addLicenses\":[],\"removeLicenses\":\"x\"}", "{\"addLicenses\":[1],\"removeLicenses\":[]}",
                "{\"addLicenses\":[{\"skuId\":5}],\"removeLicenses\":[]}",
                "{\"addLicenses\":[{\"skuId\":\"not-a-guid\"}],\"removeLicenses\":[]}",
                "{\"addLicenses\":[{\"skuId\":\"efccb6f7-5641-4e0e-bd10-b4976e1bf68e\",\"disabledPlans\":\"x\"}],\"removeLicenses\":[]}",
                "{\"addLicenses\":[{\"skuId\":\"efccb6f7-5641-4e0e-bd10-b4976e1bf68e\",\"colour\":1}],\"removeLicenses\":[]}",
                "{\"addLicenses\":[],\"removeLicenses\":[], \"extra\":true}", "{\"addLicenses\":[]}", "{\"removeLicenses\":[]}",
                "{\"addLicenses\":[],\"removeLicenses\":[7]}", "{}"};
        for (String b : wrongShapes) {
            out.add(new Bad("POST", assign, "application/json", b, 400));
        }
        String[] badUsers = {"{\"accountEnabled\":\"yes\"}", "{\"department\":5}", "{\"favouriteColour\":\"blue\"}",
                "{\"proxyAddresses\":\"smtp:x@y\"}", "{\"usageLocation\":[\"NL\"]}", "{}",
                "{\"onPremisesExtensionAttributes\":{\"extensionAttribute99\":\"x\"}}", "{\"businessPhones\":[1]}",
                // not ISO 3166 alpha-2 codes: refused, as the snapshot and event readers refuse them
                "{\"usageLocation\":\"XX\"}", "{\"usageLocation\":\"\"}", "{\"usageLocation\":\"NLD\"}"};
        for (String b : badUsers) {
            out.add(new Bad("PATCH", USER, "application/json", b, 400));
            out.add(new Bad("POST", "/v1.0/users", "application/json", b, 400));
        }
        for (String ct : new String[]{"text/plain", "application/xml", "application/x-www-form-urlencoded"}) {
            out.add(new Bad("POST", assign, ct, "{\"addLicenses\":[],\"removeLicenses\":[]}", 415));
            out.add(new Bad("PATCH", USER, ct, "{\"jobTitle\":\"x\"}", 415));
        }
        out.add(new Bad("POST", assign, null, "{\"addLicenses\":[],\"removeLicenses\":[]}", 415));
        out.add(new Bad("POST", assign, "application/json", "{\"addLicenses\":[],\"removeLicenses\":[],\"pad\":\""
                + "x".repeat(5 * 1024 * 1024) + "\"}", 413));
        out.add(new Bad("POST", "/v1.0/$batch", "application/json", "[" + "0,".repeat(2_200_000) + "0]", 413));
        // Graph's 400 "Resource not found for the segment" inside v1.0; outside it (another version, the root) 404
        String[] unknown = {"/v1.0/nothing", "/v1.0/users/x/y/z/w", "/v1.0/groups/a/b/c/d/e/f",
                "/v1.0/users/a1b2c3d4-0009-4000-8000-000000000009/manager", "/v1.0/directory/roles",
                "/v1.0/users/a1b2c3d4-0009-4000-8000-000000000009/licenseDetails/x/y"};
        for (String u : unknown) {
            out.add(new Bad("GET", u, null, null, 400));
        }
        for (String u : new String[] {"/beta/users", "/", "/v1.0", "/v2/subscribedSkus"}) {
            out.add(new Bad("GET", u, null, null, 404));
        }
        String[][] methods = {{"PUT", "/v1.0/users"}, {"DELETE", "/v1.0/subscribedSkus"}, {"POST", "/v1.0/subscribedSkus"},
                {"PATCH", "/v1.0/groups"}, {"GET", USER + "/assignLicense"}, {"DELETE", "/v1.0/groups/b0000000-0000-4000-8000-0000000000a1"},
                {"PUT", USER}, {"GET", "/v1.0/$batch"}, {"POST", "/v1.0/users/x/licenseDetails"}, {"PATCH", "/v1.0/directory/subscriptions"}};
        for (String[] m : methods) {
            out.add(new Bad(m[0], m[1], "application/json", m[0].equals("GET") || m[0].equals("DELETE") ? null : "{}", 405));
        }
        String[] queries = {"/v1.0/users?$top=0", "/v1.0/users?$top=-5", "/v1.0/users?$top=abc", "/v1.0/users?$top=1000",
                "/v1.0/users?$skiptoken=@@@", "/v1.0/users?$skiptoken=bm90LWEtdG9rZW4",
                // a token with a negative index ("i:-5"), which this server never writes: a 400, not a 500
                "/v1.0/users?$skiptoken=aTotNQ", "/v1.0/groups?$skiptoken=aTotNQ", USER + "/memberOf?$skiptoken=aTotNQ",
                "/v1.0/groups/b0000000-0000-4000-8000-0000000000a1/members?$skiptoken=aTotNQ", "/v1.0/users?$filter=(((",
                "/v1.0/users?$filter=displayName%20eq", "/v1.0/users?$filter=foo%20eq%201", "/v1.0/users?$select=bar",
                "/v1.0/users?$count=maybe", "/v1.0/users?$count=true", "/v1.0/users?$orderby=displayName",
                "/v1.0/users?$expand=manager", "/v1.0/groups?$filter=startswith(", "/v1.0/users?$filter=not%20accountEnabled%20eq%20true",
                "/v1.0/subscribedSkus?$select=colour", 
                // options the entity routes and the $select-only collections do not take: refused, not ignored
                "/v1.0/subscribedSkus?$filter=skuPartNumber%20eq%20'EMS'", "/v1.0/subscribedSkus?$top=1",
                "/v1.0/organization?$filter=id%20eq%20'x'", USER + "?$filter=accountEnabled%20eq%20true",
                USER + "/licenseDetails?$top=1", "/v1.0/groups/b0000000-0000-4000-8000-0000000000a1?$expand=members",
                "/v1.0/users?$search=%22a%22"};
        for (String q : queries) {
            out.add(new Bad("GET", q, null, null, 400));
        }
        String[] batches = {"{\"requests\":{}}", "{\"requests\":[{\"id\":\"1\"}]}", "{\"requests\":[1]}", "{\"reqs\":[]}",
                "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"},{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}]}"};
        for (String b : batches) {
            out.add(new Bad("POST", "/v1.0/$batch", "application/json", b, 400));
        }
        // random bytes as bodies: never anything but a 400
        Random rnd = new Random(seed);
        for (int i = 0; i < 20; i++) {
            byte[] b = new byte[1 + rnd.nextInt(200)];
            rnd.nextBytes(b);
            String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).replace('{', '(');
            out.add(new Bad(i % 2 == 0 ? "POST" : "PATCH", i % 2 == 0 ? assign : USER, "application/json", s, 400));
        }
        return out;
    }

    @Test
    @DisplayName("R22 bad requests: Graph's error envelope with 400, 404, 405, 413 or 415, never a stack trace, nothing changed, the server still serving")
    void badRequestsAreRefusedAndTheServerKeepsServing() throws Exception {
        long seed = Long.getLong("licensim.seed", 20261204L);
        List<Bad> cases = cases(seed);
        assertTrue(cases.size() >= 100, cases.size() + " cases");
        try (GraphServer s = ServerFixture.contoso()) {
            String before = ServerFixture.get(s, USER + "?$select=id,jobTitle,assignedLicenses,usageLocation").raw().body();
            for (Bad b : cases) {
                ServerFixture.Answer a = ServerFixture.send(s, b.method(), b.path(), b.contentType(), b.body());
                String what = b.method() + " " + b.path() + " " + (b.body() == null ? "" : b.body().length() > 80
                        ? b.body().substring(0, 80) + "..." : b.body()) + " (seed " + seed + ")";
                assertEquals(b.status(), a.status(), what + ": " + a.raw().body());
                JsonNode err = a.json().get("error");
                assertNotNull(err, what);
                assertFalse(err.get("code").asText().isEmpty(), what);
                assertFalse(err.get("message").asText().isEmpty(), what);
                assertNotNull(err.get("innerError").get("request-id"), what);
                assertNotNull(err.get("innerError").get("date"), what);
                assertFalse(a.raw().body().contains("Exception") || a.raw().body().contains("\tat "), what + ": " + a.raw().body());
            }
            assertEquals(before, ServerFixture.get(s, USER + "?$select=id,jobTitle,assignedLicenses,usageLocation").raw().body());
            assertEquals(10, ServerFixture.get(s, "/v1.0/users").json().get("value").size());
            ServerFixture.Answer ok = ServerFixture.send(s, "PATCH", USER, "application/json", "{\"jobTitle\":\"Controller\"}");
            assertEquals(204, ok.status());
            assertEquals("Controller", ServerFixture.get(s, USER + "?$select=jobTitle").json().get("jobTitle").asText());
        }
    }

    @Test
    @DisplayName("R22 an unknown v1.0 path is Graph's 400 BadRequest naming the segment it could not resolve")
    void unknownSegmentIsNamed() throws Exception {
        try (GraphServer s = ServerFixture.contoso()) {
            String[][] cases = {{"/v1.0/nothing", "nothing"}, {USER + "/manager", "manager"},
                    {USER + "/licenseDetails/x/y", "x"}, {"/v1.0/directory/roles", "roles"},
                    {"/v1.0/groups/b0000000-0000-4000-8000-0000000000a1/owners", "owners"}};
            for (String[] c : cases) {
                ServerFixture.Answer a = ServerFixture.send(s, "GET", c[0], null, null);
                assertEquals(400, a.status(), c[0]);
                assertEquals("BadRequest", a.json().get("error").get("code").asText(), c[0]);
                assertEquals("Resource not found for the segment '" + c[1] + "'.",
                        a.json().get("error").get("message").asText(), c[0]);
            }
        }
    }
}
