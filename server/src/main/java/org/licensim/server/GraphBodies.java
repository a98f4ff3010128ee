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
import org.licensim.server.Routes.Request;

/**
 * Request bodies as Graph takes them: the JSON object of a request, the licences of an
 * assignLicense, and Graph's 400 for an unknown property or a value of the wrong type. Static, so
 * {@link Routes} and {@code $batch}'s sub-requests read bodies the same way.
 */
final class GraphBodies {
    private GraphBodies() {
    }

    /** The JSON object body of {@code r}; with {@code allowed}, any other property is Graph's 400. */
    static ObjectNode body(Request r, Set<String> allowed, String type) {
        byte[] b = r.body();
        if (b == null || b.length == 0) {
            throw GraphError.badRequest("Write requests (excluding DELETE) must contain the Content-Type header "
                    + "declaration and a JSON body.");
        }
        String ct = r.header("content-type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new GraphError(415, "BadRequest", "A supported MIME type could not be found that matches the content "
                    + "type of the response (Content-Type " + (ct == null ? "missing" : "'" + ct + "'")
                    + "; send application/json).");
        }
        JsonNode n;
        try {
            n = Routes.JSON.readTree(b);
        } catch (IOException e) {
            throw GraphError.badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set "
                    + "and payload is of valid JSON format.");
        }
        if (n == null || !n.isObject()) {
            throw GraphError.badRequest("Unable to read JSON request payload: the body must be a JSON object.");
        }
        if (allowed != null) {
            Iterator<String> names = n.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                if (!allowed.contains(k) && !k.equals("@odata.type")) {
                    throw GraphError.badRequest("Property '" + k + "' does not exist on type 'microsoft.graph." + type
                            + "'. Make sure to only use property names that are defined by the type.");
                }
            }
        }
        return (ObjectNode) n;
    }

    static List<Event.AddedLicense> addLicenses(ObjectNode body) {
        JsonNode a = body.get("addLicenses");
        if (a == null || !a.isArray()) {
            throw GraphError.badRequest("Invalid value specified for property 'addLicenses' of resource 'User': "
                    + "an array is required (it may be empty).");
        }
        List<Event.AddedLicense> out = new ArrayList<>();
        for (JsonNode x : a) {
            if (!x.isObject()) {
                throw wrongType("addLicenses", "AssignedLicense");
            }
            Iterator<String> names = x.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                if (!k.equals("skuId") && !k.equals("disabledPlans") && !k.equals("@odata.type")) {
                    throw invalidProperty(k);
                }
            }
            JsonNode sku = x.get("skuId");
            if (sku == null || !sku.isTextual() || !isGuid(sku.asText())) {
                throw GraphError.badRequest("Invalid value specified for property 'skuId' of resource 'AssignedLicense'.");
            }
            JsonNode d = x.get("disabledPlans");
            List<String> disabled = d == null || d.isNull() ? List.of() : texts(d, "disabledPlans");
            out.add(new Event.AddedLicense(sku.asText(), disabled));
        }
        return out;
    }

    static List<String> removeLicenses(ObjectNode body) {
        JsonNode a = body.get("removeLicenses");
        if (a == null || !a.isArray()) {
            throw GraphError.badRequest("Invalid value specified for property 'removeLicenses' of resource 'User': "
                    + "an array is required (it may be empty).");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : a) {
            if (!x.isTextual() || !isGuid(x.asText())) {
                throw GraphError.badRequest("Invalid value specified for property 'removeLicenses' of resource 'User'.");
            }
            out.add(x.asText());
        }
        return out;
    }

    static boolean isGuid(String s) {
        return s.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }

    static String text(JsonNode v, String k) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(k, "User");
        }
        return v.asText();
    }

    /** The ISO 3166 alpha-2 codes (the JDK's list): what a snapshot and an event feed accept as a usage location. */
    private static final Set<String> COUNTRIES = Set.of(java.util.Locale.getISOCountries());

    /**
     * A usage location: null clears it; otherwise a two-letter ISO 3166 code, upper-cased as the
     * snapshot and event readers take it, or Graph's 400. (One the readers refuse would be
     * acknowledged, then stop the event log from replaying and the store from opening.)
     */
    static String countryCode(JsonNode v, String k) {
        String c = text(v, k);
        if (c == null) {
            return null;
        }
        c = c.trim().toUpperCase(java.util.Locale.ROOT);
        if (!COUNTRIES.contains(c)) {
            throw wrongType(k, "User");
        }
        return c;
    }

    static List<String> texts(JsonNode v, String k) {
        if (!v.isArray()) {
            throw wrongType(k, "User");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : v) {
            if (!x.isTextual()) {
                throw wrongType(k, "User");
            }
            out.add(x.asText());
        }
        return out;
    }

    static GraphError wrongType(String property, String resource) {
        return GraphError.badRequest("Invalid value specified for property '" + property + "' of resource '"
                + resource + "'.");
    }

    static GraphError invalidProperty(String property) {
        return GraphError.badRequest("Property '" + property + "' does not exist or is not supported here. Make sure "
                + "to only use property names that are defined by the type.");
    }
}
