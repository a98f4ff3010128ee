package org.licensim.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Starting servers for tests, and a plain HTTP client for the requests no SDK sends (malformed ones). */
final class ServerFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CONTOSO = Path.of("..", "examples", "contoso-small.json");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, byte[]> SCENARIOS = new ConcurrentHashMap<>();

    private ServerFixture() {
    }

    /** A server on a free loopback port over the example tenant (10 users, 5 groups, 5 products). */
    static GraphServer contoso() throws IOException {
        ServeConfig c = new ServeConfig();
        c.snapshot = Files.readAllBytes(CONTOSO);
        c.source = "contoso-small";
        c.port = 0;
        return GraphServer.start(c);
    }

    /** The snapshot of day 0 of a shipped scenario with {@code users} users, made once per test JVM. */
    static byte[] scenario(String name, int users) {
        return SCENARIOS.computeIfAbsent(name + "/" + users, k -> ServeConfig.scenarioSnapshot(name, users));
    }

    /**
     * A tenant of {@code users} users (ids {@code 00000000-0000-4000-8000-<index, 12 digits>}, UPN
     * {@code user<index>@contoso.com}, usage location NL, departments Sales/Engineering/Finance by index)
     * and a licensed group: every user in "All staff", which is assigned Office 365 E3 (enough seats
     * for all); {@code bigGroup} more users in "Wave 2", which has no licence yet. Written directly,
     * in milliseconds, where a scenario's generator takes seconds.
     */
    static byte[] syntheticTenant(int users, int bigGroup) {
        StringBuilder b = new StringBuilder(users * 200);
        b.append("{\"tenant\":{\"id\":\"7f3b2c1a-0d4e-4b5f-9a6c-1e2d3f4a5b6c\",\"displayName\":\"Contoso\",")
                .append("\"countryLetterCode\":\"NL\",\"groupLicensingEnabled\":true,\"autoReprocess\":false},")
                .append("\"subscribedSkus\":[{\"skuPartNumber\":\"ENTERPRISEPACK\",\"prepaidUnits\":{\"enabled\":")
                .append(users + 10).append(",\"warning\":0,\"suspended\":0,\"lockedOut\":0}},")
                .append("{\"skuPartNumber\":\"EMS\",\"prepaidUnits\":{\"enabled\":").append(users + 10)
                .append(",\"warning\":0,\"suspended\":0,\"lockedOut\":0}}],\"users\":[");
        String[] depts = {"Sales", "Engineering", "Finance"};
        for (int i = 0; i < users; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"").append(userId(i)).append("\",\"userPrincipalName\":\"user")
                    .append(i).append("@contoso.com\",\"displayName\":\"User ").append(i)
                    .append("\",\"accountEnabled\":true,\"usageLocation\":\"NL\",\"department\":\"")
                    .append(depts[i % 3]).append("\"}");
        }
        b.append("],\"groups\":[{\"id\":\"c0000000-0000-4000-8000-000000000001\",\"displayName\":\"All staff\",")
                .append("\"securityEnabled\":true,\"members\":[");
        for (int i = 0; i < users; i++) {
            b.append(i == 0 ? "\"" : ",\"").append(userId(i)).append('"');
        }
        b.append("]},{\"id\":\"c0000000-0000-4000-8000-000000000002\",\"displayName\":\"Wave 2\",")
                .append("\"securityEnabled\":true,\"members\":[");
        for (int i = 0; i < Math.min(bigGroup, users); i++) {
            b.append(i == 0 ? "\"" : ",\"").append(userId(i)).append('"');
        }
        b.append("]}],\"assignments\":[{\"groupId\":\"c0000000-0000-4000-8000-000000000001\",")
                .append("\"skuId\":\"ENTERPRISEPACK\"}]}");
        return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String userId(int i) {
        return String.format("00000000-0000-4000-8000-%012d", i);
    }

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {
    }

    static Answer send(GraphServer s, String method, String pathAndQuery, String contentType, String body,
                       String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + pathAndQuery));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = r.body() == null || r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Answer(r.statusCode(), n, r);
    }

    static Answer get(GraphServer s, String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return send(s, "GET", pathAndQuery, null, null, headers);
    }

    static Answer post(GraphServer s, String pathAndQuery, String json) throws IOException, InterruptedException {
        return send(s, "POST", pathAndQuery, "application/json", json);
    }
}
