package org.licensim.server;

import java.util.List;
import java.util.Set;

import static org.licensim.server.GraphBodies.*;
import static org.licensim.server.Envelope.*;
import static org.licensim.server.QueryOptions.*;

import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Rejection;
import org.licensim.core.event.Event;
import org.licensim.server.Routes.Request;
import org.licensim.server.Routes.Response;
import org.eclipse.collections.api.iterator.IntIterator;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code /groups}: the groups, one group, its members and members in licence error, assignLicense, members $ref, rule changes. */
final class GroupRoutes {
    private final Tenancy t;
    private final Tenant tenant;
    private final GraphJson json;
    private final UserRoutes users;

    GroupRoutes(Tenancy t, GraphJson json, UserRoutes users) {
        this.t = t;
        this.users = users;
        this.tenant = t.tenant;
        this.json = json;
    }

    Response groups(Request r) {
        refuseUnsupported(r, SEARCHABLE);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.GROUP_PROPERTIES, "group");
        int top = top(r);
        int from = skip(r);
        boolean count = count(r);
        Filter filter = filter(r, "group");
        Filter.Test search = Search.of(r, "group");
        return Response.json(200, t.read(() -> write(d -> {
            int[][] scratch = new int[1][];
            json.useStore(t.engine.store());
            Filter.Ctx ctx = new Filter.Ctx(tenant, t.engine.store(), scratch, true, json);
            int n = tenant.groups().size();
            Long total = null;
            if (count && from == 0) {
                long c = 0;
                for (int g = 0; g < n; g++) {
                    if (!tenant.groups().isDeleted(g) && (filter == null || filter.test.test(ctx, g))
                            && (search == null || search.test(ctx, g))) {
                        c++;
                    }
                }
                total = c;
            }
            collectionStart(d.g, GraphJson.context("groups", select, false), total);
            int written = 0;
            int next = -1;
            for (int g = from; g < n; g++) {
                if (tenant.groups().isDeleted(g) || filter != null && !filter.test.test(ctx, g)
                        || search != null && !search.test(ctx, g)) {
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

    Response group(Request r, String id) {
        refuseUnsupported(r, SELECT_ONLY);
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

    Response members(Request r, String id, boolean withErrors) {
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

    /**
     * {@code /users/{id}/memberOf} (the groups the user is a direct member of) or, with
     * {@code transitive}, {@code transitiveMemberOf} (those and every group that holds one of them as
     * a nested member), in the tenant's group order; groups only, as a snapshot has no roles.
     */
    Response memberOf(Request r, String userId, boolean transitive) {
        refuseUnsupported(r);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.GROUP_PROPERTIES, "group");
        int top = top(r);
        int from = skip(r);
        boolean count = count(r);
        if (r.query().containsKey("$filter")) {
            throw new GraphError(400, "Request_UnsupportedQuery", "$filter is not supported on a user's "
                    + (transitive ? "transitiveMemberOf" : "memberOf") + " by this server.");
        }
        return Response.json(200, t.read(() -> {
            int u = t.user(userId);
            if (u < 0) {
                throw GraphError.notFound(userId);
            }
            int[] gs = groupsOf(u, transitive);
            json.useStore(t.engine.store());
            return write(d -> {
                int[][] scratch = new int[1][];
                collectionStart(d.g, GraphJson.METADATA + "directoryObjects" + (select == null ? ""
                        : "(" + String.join(",", select) + ")"), count && from == 0 ? (long) gs.length : null);
                int written = 0;
                int next = -1;
                for (int g : gs) {
                    if (g < from) {
                        continue;
                    }
                    if (written == top) {
                        next = g;
                        break;
                    }
                    json.group(d.g, g, select, t.processingState(g), true, scratch);
                    written++;
                }
                collectionEnd(d.g, next < 0 ? null : nextLink(r, next));
            });
        }));
    }

    /** The live groups user {@code u} is in, ascending: directly, or also through nesting. */
    private int[] groupsOf(int u, boolean transitive) {
        RoaringBitmap in = RoaringBitmap.bitmapOf(tenant.directory().groupsOf(u));
        if (transitive) {
            boolean grew = true;
            while (grew) { // nesting is shallow and groups are few: a fixed point over all groups
                grew = false;
                for (int h = 0; h < tenant.groups().size(); h++) {
                    if (!in.contains(h) && !tenant.groups().isDeleted(h)) {
                        for (IntIterator it = tenant.groups().groupMembers(h)
                                .intIterator(); it.hasNext(); ) {
                            if (in.contains(it.next())) {
                                in.add(h);
                                grew = true;
                                break;
                            }
                        }
                    }
                }
            }
        }
        RoaringBitmap live = new RoaringBitmap();
        in.forEach((int g) -> {
            if (!tenant.groups().isDeleted(g)) {
                live.add(g);
            }
        });
        return live.toArray();
    }

    Response assignGroup(Request r, String id) {
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
                    case UNKNOWN_PRODUCT -> GraphError.badRequest("License " + users.unknownSku(add, remove)
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

    Response addMember(Request r, String id) {
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

    Response removeMember(String id, String member) {
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

    Response patchGroup(Request r, String id) {
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
}
