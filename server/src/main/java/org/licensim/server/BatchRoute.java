package org.licensim.server;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.licensim.server.GraphBodies.*;
import static org.licensim.server.Envelope.*;

import org.licensim.core.directory.Tenant;
import org.licensim.server.Routes.Request;
import org.licensim.server.Routes.Response;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code /$batch}: up to 20 requests run through the same routes, in order, {@code dependsOn} honoured. */
final class BatchRoute {
    private final Tenancy t;
    private final Tenant tenant;
    private final GraphJson json;
    private static final int MAX_BATCH = 20;
    private final Routes routes;

    BatchRoute(Tenancy t, GraphJson json, Routes routes) {
        this.t = t;
        this.tenant = t.tenant;
        this.json = json;
        this.routes = routes;
    }

    Response batch(Request r) {
        ObjectNode body = body(r, Set.of("requests"), "batch");
        JsonNode reqs = body.get("requests");
        if (reqs == null || !reqs.isArray()) {
            throw GraphError.badRequest("Invalid batch payload format: 'requests' must be an array.");
        }
        if (reqs.size() > MAX_BATCH) {
            throw GraphError.badRequest("Invalid batch payload format: a batch holds at most " + MAX_BATCH
                    + " requests (got " + reqs.size() + ").");
        }
        Map<String, Integer> statusById = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode q : reqs) {
            if (!q.isObject() || !q.path("id").isTextual() || !q.path("method").isTextual()
                    || !q.path("url").isTextual()) {
                throw GraphError.badRequest("Invalid batch payload format: each request needs id, method and url.");
            }
            if (!ids.add(q.get("id").asText())) {
                throw GraphError.badRequest("Invalid batch payload format: duplicate request id '"
                        + q.get("id").asText() + "'.");
            }
        }
        byte[] out = write(d -> {
            JsonGenerator g = d.g;
            g.writeStartObject();
            g.writeArrayFieldStart("responses");
            for (JsonNode q : reqs) {
                String qid = q.get("id").asText();
                Response resp = null;
                for (JsonNode dep : q.path("dependsOn")) {
                    Integer st = statusById.get(dep.asText());
                    if (st == null || st >= 300) {
                        resp = Response.json(424, GraphJson.error("Failed Dependency", "The request depends on "
                                + "request '" + dep.asText() + "', which " + (st == null ? "was not run before it"
                                : "failed") + ".", UUID.randomUUID().toString(), UUID.randomUUID().toString()));
                    }
                }
                if (resp == null) {
                    resp = routes.handle(subRequest(r, q));
                }
                statusById.put(qid, resp.status());
                g.writeStartObject();
                g.writeStringField("id", qid);
                g.writeNumberField("status", resp.status());
                g.writeObjectFieldStart("headers");
                boolean text = resp.headers().containsKey("Content-Type"); // /$count's plain number
                if (resp.body() != null && !text) {
                    g.writeStringField("Content-Type", "application/json");
                }
                for (Map.Entry<String, String> h : resp.headers().entrySet()) {
                    g.writeStringField(h.getKey(), h.getValue());
                }
                g.writeEndObject();
                if (resp.body() != null) {
                    g.writeFieldName("body");
                    if (text) {
                        g.writeString(new String(resp.body(), StandardCharsets.UTF_8));
                    } else {
                        g.writeRawValue(new String(resp.body(), StandardCharsets.UTF_8));
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        return Response.json(200, out);
    }

    private static Request subRequest(Request outer, JsonNode q) {
        String url = q.get("url").asText();
        if (url.startsWith("https://graph.microsoft.com/v1.0")) {
            url = url.substring("https://graph.microsoft.com/v1.0".length());
        }
        if (!url.startsWith("/")) {
            url = "/" + url;
        }
        String path = url;
        String raw = null;
        int qm = url.indexOf('?');
        if (qm >= 0) {
            path = url.substring(0, qm);
            raw = url.substring(qm + 1);
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String p : raw.split("&")) {
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(k, v);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        q.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT),
                h.getValue().asText()));
        byte[] body = null;
        if (q.has("body")) {
            body = q.get("body").toString().getBytes(StandardCharsets.UTF_8);
            headers.putIfAbsent("content-type", "application/json");
        }
        return new Request(q.get("method").asText().toUpperCase(Locale.ROOT), java.net.URLDecoder.decode(
                path.replace("+", "%2B"), StandardCharsets.UTF_8), raw, query, headers, body, outer.baseUrl());
    }
}
