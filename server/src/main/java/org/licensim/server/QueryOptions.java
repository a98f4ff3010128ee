package org.licensim.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

import org.licensim.server.Routes.Request;

/** Graph's query options on a collection: $top, $skiptoken (and the nextLink that carries it), $count, $filter. */
final class QueryOptions {
    private static final int DEFAULT_TOP = 100;
    private static final int MAX_TOP = 999;

    private QueryOptions() {
    }

    static int top(Request r) {
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
    static int skip(Request r) {
        String v = r.query().get("$skiptoken");
        if (v == null) {
            return 0;
        }
        try {
            String d = new String(Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8);
            if (d.startsWith("i:")) {
                int i = Integer.parseInt(d.substring(2));
                if (i >= 0) { // a negative index is no token this server wrote
                    return i;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw GraphError.badRequest("Invalid $skiptoken value '" + v + "'.");
    }

    static String nextLink(Request r, int next) {
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
    static boolean count(Request r) {
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

    static boolean eventual(Request r) {
        String h = r.header("consistencylevel");
        return h != null && h.trim().equalsIgnoreCase("eventual");
    }

    static Filter filter(Request r, String type) {
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

    /** The options of the user and group collections, which also take {@code $search}. */
    static final Set<String> SEARCHABLE = Set.of("$select", "$top", "$skiptoken", "$filter", "$count", "$search");

    /**
     * The options of an entity and of the collections that take no other ({@code subscribedSkus},
     * {@code organization}, {@code licenseDetails}): Graph documents {@code $select} only there, and a
     * {@code $filter} ignored would hand a script every product as if filtered.
     */
    static final Set<String> SELECT_ONLY = Set.of("$select");

    static void refuseUnsupported(Request r) {
        refuseUnsupported(r, Set.of("$select", "$top", "$skiptoken", "$filter", "$count"));
    }

    /** Refuses every query option but {@code allowed} with Graph's 400, rather than ignoring it. */
    static void refuseUnsupported(Request r, Set<String> allowed) {
        for (String k : r.query().keySet()) {
            String key = k.toLowerCase(Locale.ROOT);
            if (key.startsWith("$") && !allowed.contains(key)) {
                throw new GraphError(400, "Request_BadRequest", "The query parameter '" + k
                        + "' is not supported by this server (docs/SERVE.md lists what is).");
            }
        }
    }
}
