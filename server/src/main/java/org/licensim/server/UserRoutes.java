package org.licensim.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.licensim.server.GraphBodies.*;
import static org.licensim.server.Envelope.*;
import static org.licensim.server.QueryOptions.*;

import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserData;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.engine.Rejection;
import org.licensim.core.event.Event;
import org.licensim.core.state.StateStore;
import org.licensim.server.Routes.Request;
import org.licensim.server.Routes.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code /users}: the users, one user, its licence details, assignLicense, reprocess, create, update, delete. */
final class UserRoutes {
    private final Tenancy t;
    private final Tenant tenant;
    private final GraphJson json;

    UserRoutes(Tenancy t, GraphJson json) {
        this.t = t;
        this.tenant = t.tenant;
        this.json = json;
    }

    Response users(Request r) {
        refuseUnsupported(r, SEARCHABLE);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.USER_PROPERTIES, "user");
        int top = top(r);
        int from = skip(r);
        boolean count = count(r);
        Filter filter = filter(r, "user");
        Filter.Test search = Search.of(r, "user");
        return Response.json(200, t.read(() -> write(d -> {
            int[][] scratch = new int[1][];
            Filter.Ctx ctx = new Filter.Ctx(tenant, t.engine.store(), scratch, false, json);
            int n = tenant.users().size();
            Long total = null;
            if (count && from == 0) {
                long c = 0;
                for (int u = 0; u < n; u++) {
                    if (!tenant.users().isDeleted(u) && (filter == null || filter.test.test(ctx, u))
                            && (search == null || search.test(ctx, u))) {
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
                if (tenant.users().isDeleted(u) || filter != null && !filter.test.test(ctx, u)
                        || search != null && !search.test(ctx, u)) {
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

    Response user(Request r, String id) {
        refuseUnsupported(r, SELECT_ONLY);
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
        return entity(GraphJson.context("users", select, true), g -> json.user(g, u, select, new int[1][], false));
    }

    Response licenseDetails(Request r, String id) {
        refuseUnsupported(r, SELECT_ONLY);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.LICENSE_DETAILS_PROPERTIES,
                "licenseDetails");
        return Response.json(200, t.read(() -> {
            int u = t.user(id);
            if (u < 0) {
                throw GraphError.notFound(id);
            }
            json.useStore(t.engine.store());
            return write(d -> {
                collectionStart(d.g, GraphJson.METADATA + "users('" + tenant.users().id(u) + "')/licenseDetails"
                        + (select == null ? "" : "(" + String.join(",", select) + ")"), null);
                json.licenseDetails(d.g, u, new int[1][], select);
                collectionEnd(d.g, null);
            });
        }));
    }

    Response assignUser(Request r, String id) {
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

    Response reprocessUser(Request r, String id) {
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

    String unknownSku(List<Event.AddedLicense> add, List<String> remove) {
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

    Response createUser(Request r) {
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

    Response patchUser(Request r, String id) {
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

    Response deleteUser(String id) {
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
                    d.usageLocation = countryCode(v, k);
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
}
