package org.licensim.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.licensim.server.GraphBodies.*;

import org.licensim.core.catalog.Product;
import org.licensim.core.directory.CommercialSubscription;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserData;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.engine.Rejection;
import org.licensim.core.event.Event;
import org.licensim.core.state.StateStore;
import org.roaringbitmap.PeekableIntIterator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Graph's URLs under {@code /v1.0} mapped onto the tenant: one method per route, each a read
 * under the read lock or a change through the one writer. Independent of the HTTP library: a
 * {@link Request} in, a {@link Response} out, so {@code $batch} runs its requests through the
 * same routes.
 */
final class Routes {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_TOP = 100;
    private static final int MAX_TOP = 999;
    private static final int MAX_BATCH = 20;

    private final Tenancy t;
    private final Tenant tenant;
    private final GraphJson json;
    private final Throttle throttle;

    Routes(Tenancy t, Throttle throttle) {
        this.t = t;
        this.tenant = t.tenant;
        this.json = new GraphJson(t.tenant);
        this.throttle = throttle;
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
        String[] s = segments(r.path());
        String m = r.method();
        if (s.length == 0) {
            throw unknown(r.path());
        }
        switch (s[0]) {
            case "$batch" -> {
                if (s.length == 1) {
                    allow(m, "POST");
                    return batch(r);
                }
            }
            case "subscribedSkus" -> {
                allow(m, "GET");
                throttle.charge(1);
                if (s.length == 1) {
                    return skus(r);
                }
                if (s.length == 2) {
                    return sku(r, s[1]);
                }
            }
            case "directory" -> {
                if (s.length >= 2 && s[1].equals("subscriptions") && s.length <= 3) {
                    allow(m, "GET");
                    throttle.charge(1);
                    return s.length == 2 ? subscriptions(r) : subscription(s[2]);
                }
            }
            case "users" -> {
                if (s.length == 1) {
                    allow(m, "GET", "POST");
                    throttle.charge(m.equals("GET") ? 2 : 3);
                    return m.equals("GET") ? users(r) : createUser(r);
                }
                if (s.length == 2) {
                    allow(m, "GET", "PATCH", "DELETE");
                    throttle.charge(m.equals("GET") ? 1 : 3);
                    return switch (m) {
                        case "GET" -> user(r, s[1]);
                        case "PATCH" -> patchUser(r, s[1]);
                        default -> deleteUser(s[1]);
                    };
                }
                if (s.length == 3) {
                    switch (s[2]) {
                        case "licenseDetails" -> {
                            allow(m, "GET");
                            throttle.charge(1);
                            return licenseDetails(r, s[1]);
                        }
                        case "assignLicense" -> {
                            allow(m, "POST");
                            throttle.charge(3);
                            return assignUser(r, s[1]);
                        }
                        case "reprocessLicenseAssignment" -> {
                            allow(m, "POST");
                            throttle.charge(3);
                            return reprocessUser(r, s[1]);
                        }
                        default -> {
                        }
                    }
                }
            }
            case "groups" -> {
                if (s.length == 1) {
                    allow(m, "GET");
                    throttle.charge(2);
                    return groups(r);
                }
                if (s.length == 2) {
                    allow(m, "GET", "PATCH");
                    throttle.charge(m.equals("GET") ? 1 : 3);
                    return m.equals("GET") ? group(r, s[1]) : patchGroup(r, s[1]);
                }
                if (s.length == 3) {
                    switch (s[2]) {
                        case "members" -> {
                            allow(m, "GET");
                            throttle.charge(2);
                            return members(r, s[1], false);
                        }
                        case "membersWithLicenseErrors" -> {
                            allow(m, "GET");
                            throttle.charge(2);
                            return members(r, s[1], true);
                        }
                        case "assignLicense" -> {
                            allow(m, "POST");
                            throttle.charge(3);
                            return assignGroup(r, s[1]);
                        }
                        default -> {
                        }
                    }
                }
                if (s.length == 4 && s[2].equals("members") && s[3].equals("$ref")) {
                    allow(m, "POST");
                    throttle.charge(3);
                    return addMember(r, s[1]);
                }
                if (s.length == 5 && s[2].equals("members") && s[4].equals("$ref")) {
                    allow(m, "DELETE");
                    throttle.charge(3);
                    return removeMember(s[1], s[3]);
                }
            }
            default -> {
            }
        }
        throw unknown(r.path());
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

    static GraphError unknown(String path) {
        return new GraphError(404, "BadRequest", "Resource not found for the segment '" + path + "'.");
    }

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new GraphError(405, "Request_BadRequest", "The HTTP method '" + method
                + "' is not allowed for this resource; allowed: " + String.join(", ", allowed) + ".");
    }

    // ---- query options

    private static int top(Request r) {
        String v = r.query().get("$top");
        if (v == null) {
            return DEFAULT_TOP;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= MAX_TOP) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to Graph's message
        }
        throw GraphError.badRequest("Invalid page size specified: '" + v + "'. Must be between 1 and " + MAX_TOP
                + " inclusive.");
    }

    /** The index a page starts at, from its $skiptoken (opaque to clients: base64url of "i:INDEX"). */
    private static int skip(Request r) {
        String v = r.query().get("$skiptoken");
        if (v == null) {
            return 0;
        }
        try {
            String d = new String(Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8);
            if (d.startsWith("i:")) {
                return Integer.parseInt(d.substring(2));
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw GraphError.badRequest("Invalid $skiptoken value '" + v + "'.");
    }

    private static String nextLink(Request r, int next) {
        StringBuilder q = new StringBuilder();
        if (r.rawQuery() != null) {
            for (String p : r.rawQuery().split("&")) {
                String name = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
                if (p.isEmpty() || name.equalsIgnoreCase("$skiptoken") || name.equalsIgnoreCase("%24skiptoken")) {
                    continue;
                }
                q.append(q.length() == 0 ? "" : "&").append(p);
            }
        }
        q.append(q.length() == 0 ? "" : "&").append("$skiptoken=").append(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("i:" + next).getBytes(StandardCharsets.UTF_8)));
        return r.baseUrl() + r.path() + "?" + q;
    }

    /** $count=true: only with ConsistencyLevel: eventual, as Graph's directory objects need. */
    private static boolean count(Request r) {
        String c = r.query().get("$count");
        if (c == null || c.equalsIgnoreCase("false")) {
            return false;
        }
        if (!c.equalsIgnoreCase("true")) {
            throw GraphError.badRequest("Invalid value '" + c + "' for $count: expected true or false.");
        }
        if (!eventual(r)) {
            throw new GraphError(400, "Request_BadRequest", "$count is not currently supported without the "
                    + "ConsistencyLevel header set to eventual.");
        }
        return true;
    }

    private static boolean eventual(Request r) {
        String h = r.header("consistencylevel");
        return h != null && h.trim().equalsIgnoreCase("eventual");
    }

    private static Filter filter(Request r, String type) {
        String f = r.query().get("$filter");
        if (f == null) {
            return null;
        }
        Filter filter = Filter.parse(f, type);
        if (filter.advanced && !(eventual(r) && "true".equalsIgnoreCase(r.query().get("$count")))) {
            throw new GraphError(400, "Request_UnsupportedQuery", "Unsupported query: '" + f + "' is an advanced "
                    + "query; it needs $count=true and the ConsistencyLevel header set to eventual.");
        }
        return filter;
    }

    private static void refuseUnsupported(Request r) {
        for (String k : r.query().keySet()) {
            String key = k.toLowerCase(Locale.ROOT);
            if (key.startsWith("$") && !Set.of("$select", "$top", "$skiptoken", "$filter", "$count").contains(key)) {
                throw new GraphError(400, "Request_BadRequest", "The query parameter '" + k
                        + "' is not supported by this server (docs/SERVE.md lists what is).");
            }
        }
    }

    // ---- subscribedSkus, subscriptions

    private Response skus(Request r) {
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.SKU_PROPERTIES, "subscribedSku");
        return Response.json(200, t.read(() -> write(d -> {
            collectionStart(d.g, GraphJson.context("subscribedSkus", select, false), null);
            for (int i = 0; i < tenant.subscriptions().size(); i++) {
                json.sku(d.g, i, t.engine.consumed(i), select);
            }
            collectionEnd(d.g, null);
        })));
    }

    private Response sku(Request r, String id) {
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.SKU_PROPERTIES, "subscribedSku");
        return Response.json(200, t.read(() -> {
            Subscriptions subs = tenant.subscriptions();
            for (int i = 0; i < subs.size(); i++) {
                if ((tenant.settings().id() + "_" + subs.product(i).skuId()).equalsIgnoreCase(id)) {
                    int sku = i;
                    return write(d -> {
                        d.g.writeStartObject();
                        d.g.writeStringField("@odata.context", GraphJson.context("subscribedSkus", select, true));
                        d.g.writeRaw(',');
                        byte[] one = write(e -> json.sku(e.g, sku, t.engine.consumed(sku), select));
                        // the entity's own fields after the context
                        d.g.writeRaw(new String(one, 1, one.length - 2, StandardCharsets.UTF_8));
                        d.g.writeEndObject();
                    });
                }
            }
            throw GraphError.notFound(id);
        }));
    }

    private Response subscriptions(Request r) {
        return Response.json(200, t.read(() -> write(d -> {
            collectionStart(d.g, GraphJson.METADATA + "directory/subscriptions", null);
            for (int i = 0; i < tenant.subscriptions().size(); i++) {
                for (CommercialSubscription c : json.subscriptionsOf(i)) {
                    json.companySubscription(d.g, c);
                }
            }
            collectionEnd(d.g, null);
        })));
    }

    private Response subscription(String id) {
        return Response.json(200, t.read(() -> {
            for (int i = 0; i < tenant.subscriptions().size(); i++) {
                for (CommercialSubscription c : json.subscriptionsOf(i)) {
                    if (c.id().equalsIgnoreCase(id)) {
                        return entity(GraphJson.METADATA + "directory/subscriptions/$entity",
                                g -> json.companySubscription(g, c));
                    }
                }
            }
            throw GraphError.notFound(id);
        }));
    }

    // ---- users

    private Response users(Request r) {
        refuseUnsupported(r);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.USER_PROPERTIES, "user");
        int top = top(r);
        int from = skip(r);
        boolean count = count(r);
        Filter filter = filter(r, "user");
        return Response.json(200, t.read(() -> write(d -> {
            int[][] scratch = new int[1][];
            Filter.Ctx ctx = new Filter.Ctx(tenant, t.engine.store(), scratch, false, json);
            int n = tenant.users().size();
            Long total = null;
            if (count && from == 0) {
                long c = 0;
                for (int u = 0; u < n; u++) {
                    if (!tenant.users().isDeleted(u) && (filter == null || filter.test.test(ctx, u))) {
                        c++;
                    }
                }
                total = c;
            }
            collectionStart(d.g, GraphJson.context("users", select, false), total);
            int written = 0;
            int next = -1;
            json.useStore(t.engine.store());
            for (int u = from; u < n; u++) {
                if (tenant.users().isDeleted(u) || filter != null && !filter.test.test(ctx, u)) {
                    continue;
                }
                if (written == top) {
                    next = u;
                    break;
                }
                json.user(d.g, u, select, scratch, false);
                written++;
            }
            collectionEnd(d.g, next < 0 ? null : nextLink(r, next));
        })));
    }

    private Response user(Request r, String id) {
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.USER_PROPERTIES, "user");
        return Response.json(200, t.read(() -> {
            int u = t.user(id);
            if (u < 0) {
                throw GraphError.notFound(id);
            }
            return userEntity(u, select);
        }));
    }

    /** User {@code u} as an entity with its context; under a lock. */
    private byte[] userEntity(int u, List<String> select) {
        json.useStore(t.engine.store());
        return write(d -> {
            byte[] one = write(e -> json.user(e.g, u, select, new int[1][], false));
            d.g.writeStartObject();
            d.g.writeStringField("@odata.context", GraphJson.context("users", select, true));
            if (one.length > 2) {
                d.g.writeRaw(',');
                d.g.writeRaw(new String(one, 1, one.length - 2, StandardCharsets.UTF_8));
            }
            d.g.writeEndObject();
        });
    }

    private Response licenseDetails(Request r, String id) {
        return Response.json(200, t.read(() -> {
            int u = t.user(id);
            if (u < 0) {
                throw GraphError.notFound(id);
            }
            json.useStore(t.engine.store());
            return write(d -> {
                collectionStart(d.g, GraphJson.METADATA + "users('" + tenant.users().id(u) + "')/licenseDetails", null);
                json.licenseDetails(d.g, u, new int[1][]);
                collectionEnd(d.g, null);
            });
        }));
    }

    private Response assignUser(Request r, String id) {
        ObjectNode body = body(r, Set.of("addLicenses", "removeLicenses"), "assignLicense");
        List<Event.AddedLicense> add = addLicenses(body);
        List<String> remove = removeLicenses(body);
        int user = t.write(c -> {
            int u = t.user(id);
            if (u < 0) {
                throw GraphError.notFound(id);
            }
            String userId = tenant.users().id(u);
            try {
                c.apply(new Event.AssignLicense(c.nextSeq(), c.now(), userId, null, add, remove));
            } catch (Rejection e) {
                throw licenceError(e, u, add, remove);
            }
            return u;
        });
        // rendered by this request's thread, not the one writer: the user as it is once the change is committed
        return Response.json(200, t.read(() -> userEntity(user, null)));
    }

    private Response reprocessUser(Request r, String id) {
        int user = t.write(c -> {
            int u = t.user(id);
            if (u < 0) {
                throw GraphError.notFound(id);
            }
            c.apply(new Event.Reprocess(c.nextSeq(), c.now(), tenant.users().id(u), null));
            return u;
        });
        return Response.json(200, t.read(() -> userEntity(user, null)));
    }

    /** Graph's words for a refused licence change on a user. */
    private GraphError licenceError(Rejection e, int u, List<Event.AddedLicense> add, List<String> remove) {
        String msg = switch (e.reason()) {
            case COUNT_VIOLATION -> "Subscription with SKU " + fullSku(add) + " does not have any available licenses.";
            case NO_USAGE_LOCATION -> "License assignment cannot be done for user with invalid usage location.";
            case MUTUALLY_EXCLUSIVE_VIOLATION -> "License assignment failed because service plans are mutually "
                    + "exclusive: " + e.detail();
            case DEPENDENCY_VIOLATION -> "License assignment failed because a service plan depends on another "
                    + "service plan: " + e.detail();
            case PROHIBITED_IN_USAGE_LOCATION_VIOLATION -> "License assignment failed because a service plan is not "
                    + "available in the user's usage location: " + e.detail();
            case UNIQUENESS_VIOLATION -> "License assignment failed because the user's proxy address is already "
                    + "used: " + e.detail();
            case UNKNOWN_PRODUCT -> "License " + unknownSku(add, remove) + " does not correspond to a valid company "
                    + "License.";
            case UNKNOWN_PLAN -> "Invalid value specified for property 'disabledPlans' of resource "
                    + "'AssignedLicense': " + e.detail();
            case NOT_ASSIGNED -> inheritedOnly(u, remove)
                    ? "User license is inherited from a group membership and it cannot be removed directly from the user."
                    : "User does not have a corresponding license.";
            case ADDED_AND_REMOVED -> "The same license cannot be added and removed in one request: " + e.detail();
            default -> e.detail();
        };
        return GraphError.badRequest(msg);
    }

    /** The first added product with no seat left, else the first added. */
    private String fullSku(List<Event.AddedLicense> add) {
        for (Event.AddedLicense a : add) {
            Product p = tenant.catalog().findProduct(a.skuId());
            int i = p == null ? -1 : tenant.subscriptions().indexOf(p);
            if (i >= 0 && t.engine.consumed(i) >= tenant.subscriptions().units(i).enabled()) {
                return p.skuId();
            }
        }
        return add.isEmpty() ? "" : add.get(0).skuId();
    }

    private String unknownSku(List<Event.AddedLicense> add, List<String> remove) {
        List<String> all = new ArrayList<>();
        add.forEach(a -> all.add(a.skuId()));
        all.addAll(remove);
        for (String s : all) {
            Product p = tenant.catalog().findProduct(s);
            if (p == null || tenant.subscriptions().indexOf(p) < 0) {
                return s;
            }
        }
        return all.isEmpty() ? "" : all.get(0);
    }

    /** Whether some removed product is held by user {@code u} only through groups. */
    private boolean inheritedOnly(int u, List<String> remove) {
        int[] es = new int[Math.max(1, t.engine.store().count(u)) * StateStore.ENTRY_INTS];
        int n = t.engine.store().read(u, es);
        for (String s : remove) {
            for (int i = 0; i < n; i++) {
                int at = i * StateStore.ENTRY_INTS;
                if (!StateStore.isDirect(es[at + StateStore.SRC])
                        && tenant.subscriptions().product(es[at + StateStore.PRODUCT]).skuId().equalsIgnoreCase(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Response createUser(Request r) {
        ObjectNode body = body(r, null, "user");
        UserData d = userData(body, true);
        if (!d.strings.containsKey("userPrincipalName") || d.strings.get("userPrincipalName") == null) {
            throw GraphError.badRequest("Invalid value specified for property 'userPrincipalName' of resource 'User'.");
        }
        if (!d.strings.containsKey("displayName") || d.strings.get("displayName") == null) {
            throw GraphError.badRequest("Invalid value specified for property 'displayName' of resource 'User'.");
        }
        d.id = UUID.randomUUID().toString();
        if (d.accountEnabled == null) {
            d.accountEnabled = true;
        }
        byte[] out = t.write(c -> {
            if (t.user(d.strings.get("userPrincipalName")) >= 0) {
                throw GraphError.badRequest("Another object with the same value for property userPrincipalName "
                        + "already exists.");
            }
            c.apply(new Event.UserCreated(c.nextSeq(), c.now(), d));
            return userEntity(tenant.users().indexOf(d.id), null);
        });
        Response resp = Response.json(201, out);
        resp.headers().put("Location", r.baseUrl() + "/users/" + d.id);
        return resp;
    }

    private Response patchUser(Request r, String id) {
        ObjectNode body = body(r, null, "user");
        UserData d = userData(body, false);
        t.write(c -> {
            int u = t.user(id);
            if (u < 0) {
                throw GraphError.notFound(id);
            }
            String upn = d.strings.get("userPrincipalName");
            if (upn != null && t.user(upn) >= 0 && t.user(upn) != u) {
                throw GraphError.badRequest("Another object with the same value for property userPrincipalName "
                        + "already exists.");
            }
            c.apply(new Event.UserAttributesChanged(c.nextSeq(), c.now(), tenant.users().id(u), d));
            return null;
        });
        return Response.noContent();
    }

    private Response deleteUser(String id) {
        t.write(c -> {
            int u = t.user(id);
            if (u < 0) {
                throw GraphError.notFound(id);
            }
            c.apply(new Event.UserDeleted(c.nextSeq(), c.now(), tenant.users().id(u)));
            return null;
        });
        return Response.noContent();
    }

    /** A user body (POST or PATCH) as licensim's user data; unknown properties and wrong types are Graph's 400. */
    private static UserData userData(ObjectNode body, boolean create) {
        UserData d = new UserData();
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String k = f.getKey();
            JsonNode v = f.getValue();
            switch (k) {
                case "accountEnabled" -> {
                    if (!v.isBoolean()) {
                        throw wrongType(k, "User");
                    }
                    d.accountEnabled = v.booleanValue();
                }
                case "usageLocation" -> {
                    d.usageLocation = text(v, k);
                    d.hasUsageLocation = true;
                }
                case "passwordProfile", "passwordPolicies", "@odata.type" -> {
                    // accepted as Graph takes them; a simulated tenant has no passwords
                }
                case "businessPhones" -> {
                    List<String> l = texts(v, k);
                    d.strings.put("telephoneNumber", l.isEmpty() ? null : l.get(0));
                }
                case "proxyAddresses", "otherMails" -> d.multi.put(k, texts(v, k));
                case "onPremisesExtensionAttributes" -> {
                    if (!v.isObject()) {
                        throw wrongType(k, "User");
                    }
                    Iterator<Map.Entry<String, JsonNode>> e = v.fields();
                    while (e.hasNext()) {
                        Map.Entry<String, JsonNode> x = e.next();
                        if (!UserSchema.isExtensionAttribute(x.getKey())) {
                            throw invalidProperty(x.getKey());
                        }
                        d.strings.put(x.getKey(), text(x.getValue(), x.getKey()));
                    }
                }
                default -> {
                    String column = switch (k) {
                        case "mobilePhone" -> "mobile";
                        case "officeLocation" -> "physicalDeliveryOfficeName";
                        case "faxNumber" -> "facsimileTelephoneNumber";
                        default -> k;
                    };
                    if (UserSchema.STRING_PROPERTIES.contains(column) && !UserSchema.isExtensionAttribute(column)
                            || UserSchema.isDirectoryExtension(k)) {
                        d.strings.put(column, text(v, k));
                    } else {
                        throw invalidProperty(k);
                    }
                }
            }
        }
        if (!create && body.isEmpty()) {
            throw GraphError.badRequest("The request body has no property to change.");
        }
        return d;
    }

    // ---- groups

    private Response groups(Request r) {
        refuseUnsupported(r);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.GROUP_PROPERTIES, "group");
        int top = top(r);
        int from = skip(r);
        boolean count = count(r);
        Filter filter = filter(r, "group");
        return Response.json(200, t.read(() -> write(d -> {
            int[][] scratch = new int[1][];
            json.useStore(t.engine.store());
            Filter.Ctx ctx = new Filter.Ctx(tenant, t.engine.store(), scratch, true, json);
            int n = tenant.groups().size();
            Long total = null;
            if (count && from == 0) {
                long c = 0;
                for (int g = 0; g < n; g++) {
                    if (!tenant.groups().isDeleted(g) && (filter == null || filter.test.test(ctx, g))) {
                        c++;
                    }
                }
                total = c;
            }
            collectionStart(d.g, GraphJson.context("groups", select, false), total);
            int written = 0;
            int next = -1;
            for (int g = from; g < n; g++) {
                if (tenant.groups().isDeleted(g) || filter != null && !filter.test.test(ctx, g)) {
                    continue;
                }
                if (written == top) {
                    next = g;
                    break;
                }
                json.group(d.g, g, select, t.processingState(g), false, scratch);
                written++;
            }
            collectionEnd(d.g, next < 0 ? null : nextLink(r, next));
        })));
    }

    private Response group(Request r, String id) {
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.GROUP_PROPERTIES, "group");
        return Response.json(200, t.read(() -> {
            int g = t.group(id);
            if (g < 0) {
                throw GraphError.notFound(id);
            }
            return groupEntity(g, select);
        }));
    }

    private byte[] groupEntity(int g, List<String> select) {
        json.useStore(t.engine.store());
        return entity(GraphJson.context("groups", select, true),
                gen -> json.group(gen, g, select, t.processingState(g), false, new int[1][]));
    }

    private Response members(Request r, String id, boolean withErrors) {
        refuseUnsupported(r);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.USER_PROPERTIES, "user");
        int top = top(r);
        int from = skip(r);
        boolean count = count(r);
        if (r.query().containsKey("$filter")) {
            throw new GraphError(400, "Request_UnsupportedQuery", "$filter is not supported on a group's members "
                    + "by this server.");
        }
        return Response.json(200, t.read(() -> {
            int g = t.group(id);
            if (g < 0) {
                throw GraphError.notFound(id);
            }
            json.useStore(t.engine.store());
            return write(d -> {
                int[][] scratch = new int[1][];
                Long total = null;
                if (count && from == 0) {
                    long c = 0;
                    PeekableIntIterator it = tenant.groups().userMembers(g).getIntIterator();
                    while (it.hasNext()) {
                        int u = it.next();
                        if (!tenant.users().isDeleted(u) && (!withErrors || json.hasLicenseError(g, u, scratch))) {
                            c++;
                        }
                    }
                    total = c;
                }
                collectionStart(d.g, GraphJson.METADATA + "directoryObjects" + (select == null ? ""
                        : "(" + String.join(",", select) + ")"), total);
                PeekableIntIterator it = tenant.groups().userMembers(g).getIntIterator();
                it.advanceIfNeeded(from);
                int written = 0;
                int next = -1;
                while (it.hasNext()) {
                    int u = it.next();
                    if (tenant.users().isDeleted(u) || withErrors && !json.hasLicenseError(g, u, scratch)) {
                        continue;
                    }
                    if (written == top) {
                        next = u;
                        break;
                    }
                    json.user(d.g, u, select, scratch, true);
                    written++;
                }
                collectionEnd(d.g, next < 0 ? null : nextLink(r, next));
            });
        }));
    }

    private Response assignGroup(Request r, String id) {
        ObjectNode body = body(r, Set.of("addLicenses", "removeLicenses"), "assignLicense");
        List<Event.AddedLicense> add = addLicenses(body);
        List<String> remove = removeLicenses(body);
        String[] groupId = new String[1];
        byte[] out = t.write(c -> {
            int g = t.group(id);
            if (g < 0) {
                throw GraphError.notFound(id);
            }
            groupId[0] = tenant.groups().id(g);
            Event.AssignLicense job = new Event.AssignLicense(c.nextSeq(), c.now(), null, groupId[0], add, remove);
            try {
                t.engine.checkGroupAssignLicense(job); // what Graph refuses at once; members are processed later
            } catch (Rejection e) {
                throw switch (e.reason()) {
                    case UNKNOWN_PRODUCT -> GraphError.badRequest("License " + unknownSku(add, remove)
                            + " does not correspond to a valid company License.");
                    case NOT_SECURITY_GROUP -> GraphError.badRequest("Licenses can only be assigned to security groups.");
                    case DEPENDENCY_VIOLATION -> GraphError.badRequest("License assignment failed because a service plan "
                            + "depends on another service plan: " + e.detail());
                    case MUTUALLY_EXCLUSIVE_VIOLATION -> GraphError.badRequest("License assignment failed because "
                            + "service plans are mutually exclusive: " + e.detail());
                    default -> GraphError.badRequest(e.detail());
                };
            }
            t.enqueueGroupJob(g, job);
            return groupEntity(g, null);
        });
        Response resp = Response.json(202, out);
        resp.headers().put("Location", r.baseUrl() + "/groups/" + groupId[0]);
        return resp;
    }

    private Response addMember(Request r, String id) {
        ObjectNode body = body(r, Set.of("@odata.id"), "directoryObject");
        JsonNode ref = body.get("@odata.id");
        if (ref == null || !ref.isTextual()) {
            throw GraphError.badRequest("Invalid value specified for property '@odata.id'.");
        }
        String s = ref.asText();
        String memberId = s.substring(s.lastIndexOf('/') + 1);
        if (memberId.startsWith("directoryObjects(") || memberId.startsWith("users(")) {
            memberId = memberId.substring(memberId.indexOf('(') + 1, memberId.length() - 1).replace("'", "");
        }
        String member = memberId;
        t.write(c -> {
            int g = t.group(id);
            if (g < 0) {
                throw GraphError.notFound(id);
            }
            int u = t.user(member);
            if (u < 0 && t.group(member) < 0) {
                throw GraphError.notFound(member);
            }
            if (u >= 0 && tenant.directory().isMember(g, u)) {
                throw GraphError.badRequest("One or more added object references already exist for the following "
                        + "modified properties: 'members'.");
            }
            c.apply(new Event.MemberAdded(c.nextSeq(), c.now(), tenant.groups().id(g),
                    u >= 0 ? tenant.users().id(u) : member));
            return null;
        });
        return Response.noContent();
    }

    private Response removeMember(String id, String member) {
        t.write(c -> {
            int g = t.group(id);
            if (g < 0) {
                throw GraphError.notFound(id);
            }
            int u = t.user(member);
            if (u >= 0 && !tenant.directory().isMember(g, u) || u < 0 && t.group(member) < 0) {
                throw GraphError.notFound(member);
            }
            c.apply(new Event.MemberRemoved(c.nextSeq(), c.now(), tenant.groups().id(g),
                    u >= 0 ? tenant.users().id(u) : member));
            return null;
        });
        return Response.noContent();
    }

    private Response patchGroup(Request r, String id) {
        ObjectNode body = body(r, Set.of("membershipRule", "membershipRuleProcessingState", "groupTypes"), "group");
        if (body.isEmpty()) {
            throw GraphError.badRequest("The request body has no property to change.");
        }
        JsonNode state = body.get("membershipRuleProcessingState");
        if (state != null && !(state.isTextual() && Set.of("On", "Paused").contains(state.asText()))) {
            throw GraphError.badRequest("Invalid value specified for property 'membershipRuleProcessingState' of "
                    + "resource 'Group': expected On or Paused.");
        }
        JsonNode rule = body.get("membershipRule");
        if (rule != null && !rule.isTextual() && !rule.isNull()) {
            throw wrongType("membershipRule", "Group");
        }
        t.write(c -> {
            int g = t.group(id);
            if (g < 0) {
                throw GraphError.notFound(id);
            }
            String newRule = rule == null ? tenant.groups().membershipRule(g) : rule.isNull() ? null : rule.asText();
            boolean paused = state == null ? tenant.groups().rulePaused(g) : state.asText().equals("Paused");
            c.apply(new Event.GroupRuleChanged(c.nextSeq(), c.now(), tenant.groups().id(g), newRule, paused));
            return null;
        });
        return Response.noContent();
    }

    // ---- $batch

    private Response batch(Request r) {
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
                    resp = handle(subRequest(r, q));
                }
                statusById.put(qid, resp.status());
                g.writeStartObject();
                g.writeStringField("id", qid);
                g.writeNumberField("status", resp.status());
                g.writeObjectFieldStart("headers");
                if (resp.body() != null) {
                    g.writeStringField("Content-Type", "application/json");
                }
                for (Map.Entry<String, String> h : resp.headers().entrySet()) {
                    g.writeStringField(h.getKey(), h.getValue());
                }
                g.writeEndObject();
                if (resp.body() != null) {
                    g.writeFieldName("body");
                    g.writeRawValue(new String(resp.body(), StandardCharsets.UTF_8));
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

    // ---- writing

    @FunctionalInterface
    interface Body {
        void write(GraphJson.Doc d) throws IOException;
    }

    @FunctionalInterface
    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Body b) {
        GraphJson.Doc d = new GraphJson.Doc();
        try {
            b.write(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d.done();
    }

    /** An entity: the object {@code fields} writes, with {@code @odata.context} first. */
    private static byte[] entity(String context, Fields fields) {
        byte[] one = write(e -> fields.write(e.g));
        return write(d -> {
            d.g.writeStartObject();
            d.g.writeStringField("@odata.context", context);
            if (one.length > 2) {
                d.g.writeRaw(',');
                d.g.writeRaw(new String(one, 1, one.length - 2, StandardCharsets.UTF_8));
            }
            d.g.writeEndObject();
        });
    }

    private static void collectionStart(JsonGenerator g, String context, Long count) throws IOException {
        g.writeStartObject();
        g.writeStringField("@odata.context", context);
        if (count != null) {
            g.writeNumberField("@odata.count", count);
        }
        g.writeArrayFieldStart("value");
    }

    private static void collectionEnd(JsonGenerator g, String nextLink) throws IOException {
        g.writeEndArray();
        if (nextLink != null) {
            g.writeStringField("@odata.nextLink", nextLink);
        }
        g.writeEndObject();
    }
}
