package org.licensim.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.licensim.core.engine.Rejection;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Graph's URLs under {@code /v1.0} mapped onto the tenant: this class sends each to its resource
 * ({@link SkuRoutes}, {@link UserRoutes}, {@link GroupRoutes}, {@link BatchRoute}), charges the
 * throttle and turns every failure into Graph's error envelope. Each route is a read under the
 * read lock or a change through the one writer of {@link Tenancy}. Independent of the HTTP
 * library: a {@link Request} in, a {@link Response} out, so {@code $batch} runs its requests
 * through the same routes.
 */
final class Routes {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Throttle throttle;
    private final SkuRoutes skus;
    private final UserRoutes users;
    private final GroupRoutes groups;
    private final BatchRoute batch;

    Routes(Tenancy t, Throttle throttle) {
        this.throttle = throttle;
        GraphJson json = new GraphJson(t.tenant);
        this.skus = new SkuRoutes(t, json);
        this.users = new UserRoutes(t, json);
        this.groups = new GroupRoutes(t, json, users);
        this.batch = new BatchRoute(t, json, this);
    }

    /** One request: method, path below the version ({@code /users/x}), decoded query, lower-case headers, body. */
    record Request(String method, String path, String rawQuery, Map<String, String> query, Map<String, String> headers,
                   byte[] body, String baseUrl) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** One answer: status, extra headers, JSON body (null: none). */
    record Response(int status, Map<String, String> headers, byte[] body) {
        static Response json(int status, byte[] body) {
            return new Response(status, new LinkedHashMap<>(), body);
        }

        /** A plain-text answer ({@code /$count}'s number). */
        static Response text(int status, String body) {
            Response r = new Response(status, new LinkedHashMap<>(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            r.headers().put("Content-Type", "text/plain;charset=utf-8");
            return r;
        }

        static Response noContent() {
            return new Response(204, new LinkedHashMap<>(), null);
        }
    }

    /** Answers {@code r}; any failure becomes Graph's error envelope, never a stack trace. */
    Response handle(Request r) {
        String requestId = UUID.randomUUID().toString();
        try {
            Response resp = route(r);
            resp.headers().put("request-id", requestId);
            return resp;
        } catch (GraphError e) {
            return error(e, r, requestId);
        } catch (Rejection e) {
            return error(GraphError.badRequest(e.detail()), r, requestId);
        } catch (RuntimeException e) {
            System.err.println("licensim serve: " + r.method() + " " + r.path() + ": internal error: " + e);
            return error(new GraphError(500, "generalException", "An internal error occurred (request-id "
                    + requestId + ")."), r, requestId);
        }
    }

    private static Response error(GraphError e, Request r, String requestId) {
        String client = r.header("client-request-id");
        Response resp = Response.json(e.status, GraphJson.error(e.code, e.getMessage(), requestId,
                client != null ? client : requestId));
        resp.headers().put("request-id", requestId);
        if (e.retryAfter > 0) {
            resp.headers().put("Retry-After", Integer.toString(e.retryAfter));
        }
        return resp;
    }

    private Response route(Request r) {
        String[] s = withoutCast(segments(r.path()));
        String m = r.method();
        if (s.length == 0) {
            throw unknown(r.path());
        }
        switch (s[0]) {
            case "$batch" -> {
                if (s.length == 1) {
                    allow(m, "POST");
                    return batch.batch(r);
                }
            }
            case "subscribedSkus" -> {
                allow(m, "GET");
                throttle.charge(1);
                if (s.length == 1) {
                    return skus.skus(r);
                }
                if (s.length == 2) {
                    return skus.sku(r, s[1]);
                }
            }
            case "organization" -> {
                if (s.length <= 2) {
                    allow(m, "GET");
                    throttle.charge(1);
                    return s.length == 1 ? skus.organizations(r) : skus.organization(r, s[1]);
                }
            }
            case "directory" -> {
                if (s.length >= 2 && s[1].equals("subscriptions") && s.length <= 3) {
                    allow(m, "GET");
                    throttle.charge(1);
                    return s.length == 2 ? skus.subscriptions(r) : skus.subscription(s[2]);
                }
            }
            case "users" -> {
                if (s.length == 2 && s[1].equals("$count")) {
                    allow(m, "GET");
                    throttle.charge(1);
                    return count(r, users::users);
                }
                if (s.length == 4 && s[3].equals("$count")
                        && (s[2].equals("memberOf") || s[2].equals("transitiveMemberOf"))) {
                    allow(m, "GET");
                    throttle.charge(1);
                    return count(r, q -> groups.memberOf(q, s[1], s[2].equals("transitiveMemberOf")));
                }
                if (s.length == 1) {
                    allow(m, "GET", "POST");
                    throttle.charge(m.equals("GET") ? 2 : 3);
                    return m.equals("GET") ? users.users(r) : users.createUser(r);
                }
                if (s.length == 2) {
                    allow(m, "GET", "PATCH", "DELETE");
                    throttle.charge(m.equals("GET") ? 1 : 3);
                    return switch (m) {
                        case "GET" -> users.user(r, s[1]);
                        case "PATCH" -> users.patchUser(r, s[1]);
                        default -> users.deleteUser(s[1]);
                    };
                }
                if (s.length == 3) {
                    switch (s[2]) {
                        case "licenseDetails" -> {
                            allow(m, "GET");
                            throttle.charge(1);
                            return users.licenseDetails(r, s[1]);
                        }
                        case "assignLicense" -> {
                            allow(m, "POST");
                            throttle.charge(3);
                            return users.assignUser(r, s[1]);
                        }
                        case "reprocessLicenseAssignment" -> {
                            allow(m, "POST");
                            throttle.charge(3);
                            return users.reprocessUser(r, s[1]);
                        }
                        case "memberOf", "transitiveMemberOf" -> {
                            allow(m, "GET");
                            throttle.charge(2);
                            return groups.memberOf(r, s[1], s[2].equals("transitiveMemberOf"));
                        }
                        default -> {
                        }
                    }
                }
            }
            case "groups" -> {
                if (s.length == 2 && s[1].equals("$count")) {
                    allow(m, "GET");
                    throttle.charge(1);
                    return count(r, groups::groups);
                }
                if (s.length == 4 && s[3].equals("$count")
                        && (s[2].equals("members") || s[2].equals("membersWithLicenseErrors"))) {
                    allow(m, "GET");
                    throttle.charge(1);
                    return count(r, q -> groups.members(q, s[1], s[2].equals("membersWithLicenseErrors")));
                }
                if (s.length == 1) {
                    allow(m, "GET");
                    throttle.charge(2);
                    return groups.groups(r);
                }
                if (s.length == 2) {
                    allow(m, "GET", "PATCH");
                    throttle.charge(m.equals("GET") ? 1 : 3);
                    return m.equals("GET") ? groups.group(r, s[1]) : groups.patchGroup(r, s[1]);
                }
                if (s.length == 3) {
                    switch (s[2]) {
                        case "members" -> {
                            allow(m, "GET");
                            throttle.charge(2);
                            return groups.members(r, s[1], false);
                        }
                        case "membersWithLicenseErrors" -> {
                            allow(m, "GET");
                            throttle.charge(2);
                            return groups.members(r, s[1], true);
                        }
                        case "assignLicense" -> {
                            allow(m, "POST");
                            throttle.charge(3);
                            return groups.assignGroup(r, s[1]);
                        }
                        default -> {
                        }
                    }
                }
                if (s.length == 4 && s[2].equals("members") && s[3].equals("$ref")) {
                    allow(m, "POST");
                    throttle.charge(3);
                    return groups.addMember(r, s[1]);
                }
                if (s.length == 5 && s[2].equals("members") && s[4].equals("$ref")) {
                    allow(m, "DELETE");
                    throttle.charge(3);
                    return groups.removeMember(s[1], s[3]);
                }
            }
            default -> {
            }
        }
        throw unknownSegment(s);
    }

    /**
     * {@code COLLECTION/$count}: the number of items {@code list} would page through, as plain text
     * (Graph's {@code /users/$count}, {@code Get-MgUserCount}, the SDKs' {@code .count()}). As Graph,
     * it needs {@code ConsistencyLevel: eventual} and takes {@code $filter} and {@code $search} only.
     */
    private static Response count(Request r, java.util.function.Function<Request, Response> list) {
        QueryOptions.refuseUnsupported(r, java.util.Set.of("$filter", "$search"));
        if (!QueryOptions.eventual(r)) {
            throw new GraphError(400, "Request_BadRequest", "$count is not currently supported without the "
                    + "ConsistencyLevel header set to eventual.");
        }
        Map<String, String> q = new LinkedHashMap<>(r.query());
        q.put("$count", "true");
        q.put("$top", "1");
        q.put("$select", "id");
        Response page = list.apply(new Request(r.method(), r.path(), r.rawQuery(), q, r.headers(), r.body(), r.baseUrl()));
        try {
            return Response.text(200, Long.toString(JSON.readTree(page.body()).get("@odata.count").asLong()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The type casts the SDKs put after a list whose items are all of that type here: a group's
     * members (and those in licence error) are users ({@code .members().graphUser()}), a user's
     * groups are groups ({@code .memberOf().graphGroup()}); the cast segment ({@code microsoft.graph.user}, or
     * {@code graph.user} as the Java SDK writes it) changes nothing.
     */
    private static String[] withoutCast(String[] s) {
        if (s.length >= 4 && (s[0].equals("groups") && (s[2].equals("members") || s[2].equals("membersWithLicenseErrors"))
                && (s[3].equals("microsoft.graph.user") || s[3].equals("graph.user")) || s[0].equals("users")
                && (s[2].equals("memberOf") || s[2].equals("transitiveMemberOf"))
                && (s[3].equals("microsoft.graph.group") || s[3].equals("graph.group")))) {
            String[] out = new String[s.length - 1];
            System.arraycopy(s, 0, out, 0, 3);
            System.arraycopy(s, 4, out, 3, s.length - 4);
            return out;
        }
        return s;
    }

    private static String[] segments(String path) {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out.toArray(new String[0]);
    }

    /** A path outside Graph v1.0 (another version, the root): not a resource this server has. */
    static GraphError unknown(String path) {
        return new GraphError(404, "BadRequest", "Resource not found for the segment '" + path + "'.");
    }

    /**
     * A v1.0 path no route takes: Graph's 400 naming the first segment it could not resolve (a
     * navigation property or action licensim does not serve, or an unknown entity set).
     */
    static GraphError unknownSegment(String[] s) {
        String bad = s[s.length - 1];
        switch (s[0]) {
            case "$batch" -> bad = s[1];
            case "subscribedSkus", "organization" -> bad = s[Math.min(s.length - 1, 2)];
            case "directory" -> bad = s.length > 3 && s[1].equals("subscriptions") ? s[3] : s[Math.min(s.length - 1, 1)];
            case "users", "groups" -> {
                if (s.length >= 3) {
                    bad = s.length > 3 && NAVIGATION.contains(s[2]) ? s[3] : s[2];
                }
            }
            default -> bad = s[0];
        }
        return new GraphError(400, "BadRequest", "Resource not found for the segment '" + bad + "'.");
    }

    /** The navigation properties and actions of users and groups that licensim serves. */
    private static final java.util.Set<String> NAVIGATION = java.util.Set.of("licenseDetails", "assignLicense",
            "reprocessLicenseAssignment", "members", "membersWithLicenseErrors", "memberOf", "transitiveMemberOf");

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new GraphError(405, "Request_BadRequest", "The HTTP method '" + method
                + "' is not allowed for this resource; allowed: " + String.join(", ", allowed) + ".");
    }
}
