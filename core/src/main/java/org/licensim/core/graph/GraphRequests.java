package org.licensim.core.graph;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.Product;
import org.licensim.core.catalog.ServicePlan;
import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.files.AtomicFile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Changes licensim planned (a migration, a product switch, a reclaim list), written as the
 * Microsoft Graph v1.0 requests that make them in Entra: the one writer of those shapes, used by
 * every command that writes them and by {@code licensim serve}, which accepts exactly these.
 * <ul>
 * <li>a licence on a user or a group: {@code POST /users/{id}/assignLicense} or
 * {@code POST /groups/{id}/assignLicense} with {@code {"addLicenses": [{"skuId", "disabledPlans"}],
 * "removeLicenses": [skuId]}} (GUIDs, looked up in the catalog when the plan names a part number);</li>
 * <li>a member added: {@code POST /groups/{id}/members/$ref} with
 * {@code {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}}; removed:
 * {@code DELETE /groups/{id}/members/{memberId}/$ref};</li>
 * <li>a user's failed licences retried: {@code POST /users/{id}/reprocessLicenseAssignment}.</li>
 * </ul>
 * As a JSON batch file ({@link #batchJson}): {@code {"batches": [{"requests": [...]}, ...]}}, each
 * element a {@code POST /$batch} body of at most {@value #BATCH_LIMIT} requests, each request
 * {@code dependsOn} the one before it so Graph runs them in order and stops at the first failure
 * (the rest answer 424); the batches are meant to be sent one after another. As a PowerShell script
 * ({@link #powerShell}): the Microsoft.Graph cmdlets, one per request, each behind
 * {@code ShouldProcess} so {@code -WhatIf} lists every change without making it.
 */
public final class GraphRequests {
    /** Graph's limit of requests in one JSON batch. */
    public static final int BATCH_LIMIT = 20;
    /** The prefix of an {@code @odata.id} that names a directory object. */
    public static final String DIRECTORY_OBJECTS = "https://graph.microsoft.com/v1.0/directoryObjects/";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One Graph request: {@code method} and {@code url} (relative to {@code /v1.0}, as in a batch),
     * {@code body} (null for none), the PowerShell line that makes the same change and what it
     * does in words (users by userPrincipalName, groups by name, products by name).
     */
    public record Request(String method, String url, ObjectNode body, String powerShell, String description) {
    }

    private final List<Request> requests;

    private GraphRequests(List<Request> requests) {
        this.requests = List.copyOf(requests);
    }

    public List<Request> requests() {
        return requests;
    }

    /**
     * The requests for {@code events}, in their order; {@code tenant} is the tenant before them
     * (for the catalog's GUIDs and for names). An event that has no Graph request (a user created
     * by a scenario, units bought) is refused, naming its seq and type.
     */
    public static GraphRequests of(Tenant tenant, List<? extends Event> events) {
        Namer n = new Namer(tenant);
        List<Request> out = new ArrayList<>();
        for (Event e : events) {
            out.add(request(n, e));
        }
        return new GraphRequests(out);
    }

    /** A switch over every event kind: a new kind does not compile until it says its Graph request, or that it has none. */
    private static Request request(Namer n, Event e) {
        return switch (e.kind()) {
            case LicenseAssignedToUser -> {
                Event.LicenseAssignedToUser a = (Event.LicenseAssignedToUser) e;
                yield assign(n, "users", a.userId(), List.of(new Event.AddedLicense(a.skuId(), a.disabledPlans())), List.of(), e);
            }
            case LicenseRemovedFromUser -> {
                Event.LicenseRemovedFromUser r = (Event.LicenseRemovedFromUser) e;
                yield assign(n, "users", r.userId(), List.of(), List.of(r.skuId()), e);
            }
            case LicenseAssignedToGroup -> {
                Event.LicenseAssignedToGroup a = (Event.LicenseAssignedToGroup) e;
                yield assign(n, "groups", a.groupId(), List.of(new Event.AddedLicense(a.skuId(), a.disabledPlans())), List.of(), e);
            }
            case GroupDisabledPlansChanged -> {
                // Graph sets a product's disabled plans by adding it again with the new list
                Event.GroupDisabledPlansChanged c = (Event.GroupDisabledPlansChanged) e;
                yield assign(n, "groups", c.groupId(), List.of(new Event.AddedLicense(c.skuId(), c.disabledPlans())), List.of(), e);
            }
            case LicenseRemovedFromGroup -> {
                Event.LicenseRemovedFromGroup r = (Event.LicenseRemovedFromGroup) e;
                yield assign(n, "groups", r.groupId(), List.of(), List.of(r.skuId()), e);
            }
            case AssignLicense -> {
                Event.AssignLicense a = (Event.AssignLicense) e;
                boolean user = a.userId() != null;
                yield assign(n, user ? "users" : "groups", user ? a.userId() : a.groupId(), a.addLicenses(), a.removeLicenses(), e);
            }
            case MemberAdded -> {
                Event.MemberAdded m = (Event.MemberAdded) e;
                ObjectNode body = JSON.createObjectNode();
                body.put("@odata.id", DIRECTORY_OBJECTS + m.memberId());
                yield new Request("POST", "/groups/" + m.groupId() + "/members/$ref", body,
                        "New-MgGroupMember -GroupId " + ps(m.groupId()) + " -DirectoryObjectId " + ps(m.memberId()),
                        "add " + n.member(m.memberId()) + " to group " + n.group(m.groupId()));
            }
            case MemberRemoved -> {
                Event.MemberRemoved m = (Event.MemberRemoved) e;
                yield new Request("DELETE", "/groups/" + m.groupId() + "/members/" + m.memberId() + "/$ref", null,
                        "Remove-MgGroupMemberDirectoryObjectByRef -GroupId " + ps(m.groupId()) + " -DirectoryObjectId "
                                + ps(m.memberId()),
                        "remove " + n.member(m.memberId()) + " from group " + n.group(m.groupId()));
            }
            case Reprocess -> {
                Event.Reprocess r = (Event.Reprocess) e;
                if (r.userId() == null) {
                    throw noRequest(e);
                }
                yield new Request("POST", "/users/" + r.userId() + "/reprocessLicenseAssignment", null,
                        "Invoke-MgReprocessUserLicenseAssignment -UserId " + ps(r.userId()),
                        "reprocess the licences of " + n.user(r.userId()));
            }
            case GroupRuleChanged -> {
                // a dynamic group's rule saved (again): Graph's PATCH of the group, which has it evaluated afresh
                Event.GroupRuleChanged c = (Event.GroupRuleChanged) e;
                ObjectNode body = JSON.createObjectNode();
                body.put("membershipRule", c.membershipRule());
                body.put("membershipRuleProcessingState", c.paused() ? "Paused" : "On");
                yield new Request("PATCH", "/groups/" + c.groupId(), body,
                        "Update-MgGroup -GroupId " + ps(c.groupId()) + " -MembershipRule " + ps(c.membershipRule())
                                + " -MembershipRuleProcessingState " + (c.paused() ? "'Paused'" : "'On'"),
                        "save the membership rule of group " + n.group(c.groupId()) + " (it is evaluated afresh)");
            }
            case UserCreated, UserDeleted, UserAttributesChanged, GroupCreated, GroupDeleted, UnitsChanged ->
                throw noRequest(e);
        };
    }

    private static LicensimException noRequest(Event e) {
        return new LicensimException("event seq " + e.seq() + " (" + e.type() + ") has no Microsoft Graph request that "
                + "licensim writes; write the plan as licensim events (an --apply name ending in .jsonl) instead");
    }

    private static Request assign(Namer n, String kind, String id, List<Event.AddedLicense> add, List<String> remove, Event e) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode adds = body.putArray("addLicenses");
        StringBuilder psAdd = new StringBuilder("@(");
        List<String> words = new ArrayList<>();
        for (Event.AddedLicense a : add) {
            Product p = n.product(a.skuId(), e);
            ObjectNode x = adds.addObject();
            ArrayNode dis = x.putArray("disabledPlans");
            StringBuilder psDis = new StringBuilder("@(");
            List<String> disNames = new ArrayList<>();
            for (String plan : a.disabledPlans() == null ? List.<String>of() : a.disabledPlans()) {
                ServicePlan sp = n.plan(p, plan, e);
                dis.add(sp.servicePlanId());
                psDis.append(psDis.length() > 2 ? ", " : "").append(ps(sp.servicePlanId()));
                disNames.add(n.planName(sp));
            }
            x.put("skuId", p.skuId());
            psAdd.append(psAdd.length() > 2 ? ", " : "").append("@{SkuId = ").append(ps(p.skuId())).append("; DisabledPlans = ")
                    .append(psDis).append(")}");
            words.add("add " + n.productName(p) + (disNames.isEmpty() ? "" : " without " + String.join(", ", disNames)));
        }
        psAdd.append(')');
        ArrayNode removes = body.putArray("removeLicenses");
        StringBuilder psRemove = new StringBuilder("@(");
        for (String sku : remove) {
            Product p = n.product(sku, e);
            removes.add(p.skuId());
            psRemove.append(psRemove.length() > 2 ? ", " : "").append(ps(p.skuId()));
            words.add("remove " + n.productName(p));
        }
        psRemove.append(')');
        boolean user = kind.equals("users");
        String cmd = (user ? "Set-MgUserLicense -UserId " : "Set-MgGroupLicense -GroupId ") + ps(id) + " -AddLicenses " + psAdd
                + " -RemoveLicenses " + psRemove;
        return new Request("POST", "/" + kind + "/" + id + "/assignLicense", body, cmd,
                String.join(" and ", words) + (user ? " (direct licence of " + n.user(id) + ")" : " (licence of group " + n.group(id) + ")"));
    }

    /**
     * The batch file: {@code {"batches": [{"requests": [...]}, ...]}}, ids "1", "2", ... counted
     * over the whole file, each request after the first of its batch depending on the one before.
     */
    public ObjectNode batchJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode batches = root.putArray("batches");
        ArrayNode current = null;
        for (int i = 0; i < requests.size(); i++) {
            if (i % BATCH_LIMIT == 0) {
                current = batches.addObject().putArray("requests");
            }
            Request r = requests.get(i);
            ObjectNode x = current.addObject();
            x.put("id", String.valueOf(i + 1));
            if (i % BATCH_LIMIT != 0) {
                x.putArray("dependsOn").add(String.valueOf(i));
            }
            x.put("method", r.method());
            x.put("url", r.url());
            if (r.body() != null) {
                x.putObject("headers").put("Content-Type", "application/json");
                x.set("body", r.body());
            }
        }
        return root;
    }

    /**
     * The PowerShell script: a header saying what it does and how to try it, then per request a
     * comment in words and the cmdlet behind {@code $PSCmdlet.ShouldProcess}, so {@code -WhatIf}
     * prints each change and makes none (no connection needed), and a real run stops at the first
     * failure ({@code $ErrorActionPreference = 'Stop'}).
     */
    public String powerShell(String title, String script) {
        StringBuilder sb = new StringBuilder();
        sb.append("<#\n").append("  ").append(title.replace("#>", "# >")).append("\n")
                .append("  ").append(requests.size()).append(requests.size() == 1 ? " change" : " changes")
                .append(", in this order. Written by licensim; nothing here has been sent to Entra.\n\n")
                .append("  Try it first:  ./" + script + " -WhatIf      (lists every change, makes none)\n")
                .append("  Then:          Connect-MgGraph -Scopes 'User.ReadWrite.All','Group.ReadWrite.All','GroupMember.ReadWrite.All'\n")
                .append("                 ./" + script + "              (asks before each change; -Confirm:$false to skip asking)\n")
                .append("#>\n")
                .append("#Requires -Modules Microsoft.Graph.Users.Actions, Microsoft.Graph.Groups\n")
                .append("[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]\n")
                .append("param()\n")
                .append("$ErrorActionPreference = 'Stop'\n\n");
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            String what = r.description().replace("'", "''");
            sb.append("# ").append(i + 1).append(". ").append(r.description().replace("\n", " ")).append('\n')
                    .append("if ($PSCmdlet.ShouldProcess('").append(what).append("', '").append(r.method()).append(' ')
                    .append(r.url().replace("'", "''")).append("')) {\n")
                    .append("    ").append(r.powerShell()).append(" | Out-Null\n")
                    .append("}\n");
        }
        return sb.toString();
    }

    /** Writes the batch file to {@code file} as one of {@code files}, moved in with the others. */
    public void writeBatch(Path file, AtomicFile.Group files) {
        files.write(file, "Graph batch requests", out -> out.write(
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(batchJson()).concat("\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes the PowerShell script to {@code file} as one of {@code files}, moved in with the others. */
    public void writePowerShell(Path file, String title, AtomicFile.Group files) {
        files.write(file, "PowerShell script", out -> out.write(powerShell(title, String.valueOf(file.getFileName())).getBytes(StandardCharsets.UTF_8)));
    }

    /** A PowerShell single-quoted string. */
    static String ps(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Names as people read them, from the tenant before the change; ids as they are when the tenant does not know them. */
    private static final class Namer {
        private final Tenant t;
        private final Catalog c;

        Namer(Tenant t) {
            this.t = t;
            this.c = t.catalog();
        }

        Product product(String sku, Event e) {
            Product p = c.findProduct(sku);
            if (p == null) {
                throw new LicensimException("event seq " + e.seq() + " (" + e.type() + "): product \"" + sku + "\" is not in "
                        + "the catalog, so licensim does not know its skuId GUID for Graph");
            }
            return p;
        }

        ServicePlan plan(Product p, String ref, Event e) {
            int local = c.findPlanInProduct(p, ref);
            if (local < 0) {
                throw new LicensimException("event seq " + e.seq() + " (" + e.type() + "): service plan \"" + ref
                        + "\" is not in " + p.skuPartNumber() + ", so licensim does not know its servicePlanId for Graph");
            }
            return c.plan(p.plans()[local]);
        }

        String productName(Product p) {
            return p.displayName() == null || p.displayName().isBlank() || p.displayName().equals(p.skuPartNumber())
                    ? p.skuPartNumber() : p.displayName() + " (" + p.skuPartNumber() + ")";
        }

        String planName(ServicePlan sp) {
            String f = sp.friendlyName();
            return f == null || f.isBlank() ? sp.servicePlanName() : f.strip();
        }

        String user(String id) {
            int u = t.users().indexOf(id);
            if (u < 0) {
                return id;
            }
            String upn = t.users().get(u, "userPrincipalName");
            String name = t.users().get(u, "displayName");
            return (upn == null ? id : upn) + (name == null || name.isBlank() ? "" : " (" + name + ")");
        }

        String group(String id) {
            int g = t.groups().indexOf(id);
            String d = g < 0 ? null : t.groups().displayName(g);
            return d == null || d.isBlank() ? id : "\"" + d + "\"";
        }

        String member(String id) {
            if (t.users().indexOf(id) >= 0) {
                return user(id);
            }
            return t.groups().indexOf(id) >= 0 ? "group " + group(id) : id;
        }
    }
}
