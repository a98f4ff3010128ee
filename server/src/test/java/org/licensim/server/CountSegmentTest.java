package org.licensim.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.serviceclient.GraphServiceClient;

/**
 * {@code COLLECTION/$count}: Graph's count of a collection as plain text (what {@code Get-MgUserCount}
 * and the SDKs' {@code .count()} request), with {@code $filter} or {@code $search}, only with
 * {@code ConsistencyLevel: eventual}; the same number as {@code @odata.count} of the listing.
 */
class CountSegmentTest {
    static final String EVENTUAL = "ConsistencyLevel";

    private static GraphServer contoso(String token) throws Exception {
        ServeConfig c = new ServeConfig();
        c.snapshot = Files.readAllBytes(ServerFixture.CONTOSO);
        c.port = 0;
        c.token = token;
        return GraphServer.start(c);
    }

    /** {@code /$count} of {@code collection} (with {@code query}) and the listing's own {@code @odata.count}. */
    private static void sameAsListing(GraphServer s, String collection, String query, long expected) throws Exception {
        ServerFixture.Answer count = ServerFixture.get(s, collection + "/$count" + query, EVENTUAL, "eventual");
        assertEquals(200, count.status(), collection + query + ": " + count.raw().body());
        assertTrue(count.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                count.raw().headers().toString());
        assertEquals(Long.toString(expected), count.raw().body(), collection + query);
        String list = collection + (query.isEmpty() ? "?" : query + "&") + "$count=true&$top=1";
        JsonNode page = ServerFixture.get(s, list, EVENTUAL, "eventual").json();
        assertEquals(expected, page.get("@odata.count").asLong(), list);
    }

    @Test
    @DisplayName("/users/$count, /groups/$count, a group's members and a user's groups: plain text, with $filter and $search")
    void countsAsPlainText() throws Exception {
        try (GraphServer s = contoso(null)) {
            sameAsListing(s, "/v1.0/users", "", 10);
            sameAsListing(s, "/v1.0/users", "?$filter=accountEnabled%20eq%20false", ServerFixture.get(s,
                    "/v1.0/users?$filter=accountEnabled%20eq%20false").json().get("value").size());
            sameAsListing(s, "/v1.0/users", "?$search=%22displayName:vance%22", 1);
            sameAsListing(s, "/v1.0/users", "?$filter=assignedLicenses/$count%20eq%200", ServerFixture.get(s,
                    "/v1.0/users?$filter=assignedLicenses/$count%20eq%200&$count=true", EVENTUAL, "eventual")
                    .json().get("value").size());
            sameAsListing(s, "/v1.0/groups", "", 5);
            String sales = "/v1.0/groups/" + GraphSdkTest.SALES;
            sameAsListing(s, sales + "/members", "", ServerFixture.get(s, sales + "/members").json().get("value").size());
            sameAsListing(s, sales + "/membersWithLicenseErrors", "",
                    ServerFixture.get(s, sales + "/membersWithLicenseErrors").json().get("value").size());
            String adele = "/v1.0/users/" + GraphSdkTest.ADELE;
            sameAsListing(s, adele + "/memberOf", "", ServerFixture.get(s, adele + "/memberOf").json().get("value").size());
            sameAsListing(s, adele + "/transitiveMemberOf", "",
                    ServerFixture.get(s, adele + "/transitiveMemberOf").json().get("value").size());
        }
    }

    @Test
    @DisplayName("/$count without ConsistencyLevel: eventual, with another query option, of an unknown id, by POST: Graph's errors")
    void refusals() throws Exception {
        try (GraphServer s = contoso(null)) {
            ServerFixture.Answer a = ServerFixture.get(s, "/v1.0/users/$count");
            assertEquals(400, a.status(), a.raw().body());
            assertEquals("Request_BadRequest", a.json().get("error").get("code").asText());
            assertTrue(a.json().get("error").get("message").asText().contains("ConsistencyLevel"), a.raw().body());
            a = ServerFixture.get(s, "/v1.0/users/$count?$top=5", EVENTUAL, "eventual");
            assertEquals(400, a.status(), a.raw().body());
            assertTrue(a.json().get("error").get("message").asText().contains("'$top'"), a.raw().body());
            a = ServerFixture.get(s, "/v1.0/groups/b0000000-0000-4000-8000-00000000ffff/members/$count", EVENTUAL, "eventual");
            assertEquals(404, a.status(), a.raw().body());
            a = ServerFixture.send(s, "POST", "/v1.0/users/$count", "application/json", "{}");
            assertEquals(405, a.status(), a.raw().body());
        }
    }

    @Test
    @DisplayName("the Java Graph SDK's users().count() and groups().count() with ConsistencyLevel: eventual")
    void sdkCount() throws Exception {
        try (GraphServer s = contoso(GraphSdkTest.TOKEN)) {
            GraphServiceClient graph = GraphSdkTest.client(s);
            assertEquals(10, graph.users().count().get(c -> c.headers.add("ConsistencyLevel", "eventual")));
            assertEquals(5, graph.groups().count().get(c -> c.headers.add("ConsistencyLevel", "eventual")));
        }
    }

    @Test
    @DisplayName("/$count inside $batch: status 200, the number as the body")
    void inBatch() throws Exception {
        try (GraphServer s = contoso(null)) {
            ServerFixture.Answer a = ServerFixture.post(s, "/v1.0/$batch", "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\","
                    + "\"url\":\"/users/$count\",\"headers\":{\"ConsistencyLevel\":\"eventual\"}}]}");
            assertEquals(200, a.status(), a.raw().body());
            JsonNode one = a.json().get("responses").get(0);
            assertEquals(200, one.get("status").asInt(), one.toString());
            assertEquals("10", one.get("body").asText(), one.toString());
        }
    }
}
