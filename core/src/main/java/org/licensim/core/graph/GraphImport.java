package org.licensim.core.graph;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.files.AtomicFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds a licensim snapshot (docs/FORMATS.md) from a Microsoft Graph export (docs/IMPORT.md):
 * products from {@code subscribedSkus}, users with the directory attributes rules read, groups
 * with their members, direct assignments from the users' {@code licenseAssignmentStates}
 * entries whose {@code assignedByGroup} is null, group assignments from the groups'
 * {@code assignedLicenses}. What Graph reported for each user is kept for the fidelity check.
 */
public final class GraphImport {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Graph user properties stored under licensim's (rule language) name. */
    static final Map<String, String> RENAMED = Map.of("mobilePhone", "mobile", "faxNumber", "facsimileTelephoneNumber",
            "officeLocation", "physicalDeliveryOfficeName");
    private static final int MAX_PROBLEMS = 50;

    /** One licence source as Graph reported it. */
    public record Reported(String skuId, String group, String state, String error, Set<String> disabledPlans) {
    }

    /** The snapshot, what Graph reported per user id, and counts for the summary. */
    public record Result(ObjectNode snapshot, Map<String, List<Reported>> reported, Map<String, String> upn,
                         int users, int groups, int skus, int directAssignments, int groupAssignments, int memberships,
                         int skippedMembers, List<String> notes) {
    }

    private final Path dir;
    private final Catalog catalog;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Users whose export lacked a property licensim reads: what it was taken as is said in a note. */
    private int withoutAccountEnabled;
    private int withoutUsageLocation;
    private int withoutUpn;

    private GraphImport(Path dir, Catalog catalog) {
        this.dir = dir;
        this.catalog = catalog;
    }

    /**
     * Reads the export in {@code dir}. {@code country} is the directory's country when the export
     * has no organization.json; {@code withState} copies Graph's licenseAssignmentStates into the
     * snapshot so that resolving it continues from the tenant's real state.
     */
    public static Result read(Path dir, Catalog catalog, String country, boolean withState) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new LicensimException(dir + ": no such export directory");
        }
        return new GraphImport(dir, catalog).build(country, withState);
    }

    private void problem(String where, String message) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(where + ": " + message);
        } else if (problems.size() == MAX_PROBLEMS) {
            problems.add("... more problems not listed");
        }
    }

    private Result build(String country, boolean withState) {
        ObjectNode snap = JSON.createObjectNode();
        ObjectNode tenant = snap.putObject("tenant");
        JsonNode org = GraphExport.single(dir, "organization");
        if (org != null) {
            tenant.put("id", org.path("id").asText("imported"));
            if (org.hasNonNull("displayName")) {
                tenant.put("displayName", org.get("displayName").asText());
            }
            String c = org.path("countryLetterCode").asText(null);
            tenant.put("countryLetterCode", country != null ? country : c);
            if (country == null && c == null) {
                throw new LicensimException(dir.resolve("organization.json") + ": no countryLetterCode; give --country");
            }
        } else {
            if (country == null) {
                throw new LicensimException(dir.resolve("organization.json") + ": missing, so the directory's country is "
                        + "unknown: export GET /organization or give --country (ISO code, e.g. NL)");
            }
            tenant.put("id", "imported");
            tenant.put("countryLetterCode", country);
            notes.add("no organization.json: tenant id \"imported\", country " + country);
        }
        tenant.put("groupLicensingEnabled", true);
        tenant.put("autoReprocess", false);

        Map<String, String> skuPart = new LinkedHashMap<>();
        ArrayNode skus = snap.putArray("subscribedSkus");
        for (GraphExport.Item it : GraphExport.read(dir, "subscribedSkus", true)) {
            JsonNode s = it.node();
            String id = s.path("skuId").asText(null);
            if (id == null) {
                problem(it.where(), "no skuId");
                continue;
            }
            Product p = catalog.findProduct(id);
            if (p == null) {
                problem(it.where(), "skuId " + id + " (" + s.path("skuPartNumber").asText("?")
                        + ") is not in licensim's product catalog (licensim catalog --search)");
                continue;
            }
            if (s.path("appliesTo").asText("User").equals("Company")) {
                notes.add("skipped " + p.skuPartNumber() + ": it applies to the company, not to users");
                continue;
            }
            ObjectNode o = skus.addObject();
            o.put("skuId", p.skuId());
            o.put("skuPartNumber", p.skuPartNumber());
            ObjectNode units = o.putObject("prepaidUnits");
            for (String f : List.of("enabled", "warning", "suspended", "lockedOut")) {
                units.put(f, s.path("prepaidUnits").path(f).asInt(0));
            }
            if (s.path("servicePlans").isArray() && !s.path("servicePlans").isEmpty()) {
                // the tenant's plan list (SPEC R25): plans Microsoft added after the shipped table are in it
                ArrayNode plans = o.putArray("servicePlans");
                for (JsonNode sp : s.get("servicePlans")) {
                    if (sp.hasNonNull("servicePlanId")) {
                        ObjectNode x = plans.addObject();
                        x.put("servicePlanId", sp.get("servicePlanId").asText());
                        if (sp.hasNonNull("servicePlanName")) {
                            x.put("servicePlanName", sp.get("servicePlanName").asText());
                        }
                    }
                }
            }
            skuPart.put(p.skuId().toLowerCase(Locale.ROOT), p.skuPartNumber());
        }
        subscriptions(dir, snap, skuPart);

        List<GraphExport.Item> groupItems = GraphExport.read(dir, "groups", true);
        Set<String> groupIds = new HashSet<>();
        for (GraphExport.Item it : groupItems) {
            String id = it.node().path("id").asText(null);
            if (id == null) {
                problem(it.where(), "group without an id");
            } else if (!groupIds.add(id)) {
                problem(it.where(), "group " + id + " listed twice");
            }
        }

        Map<String, List<Reported>> reported = new LinkedHashMap<>();
        Map<String, String> upn = new HashMap<>();
        ArrayNode users = snap.putArray("users");
        ArrayNode assignments = JSON.createArrayNode();
        Set<String> userIds = new HashSet<>();
        int direct = 0;
        for (GraphExport.Item it : GraphExport.read(dir, "users", true)) {
            JsonNode u = it.node();
            String id = u.path("id").asText(null);
            if (id == null) {
                problem(it.where(), "user without an id");
                continue;
            }
            if (!userIds.add(id) || groupIds.contains(id)) {
                problem(it.where(), "id " + id + " is not unique across users and groups");
                continue;
            }
            String where = it.where() + " (user " + id + ")";
            ObjectNode o = users.addObject();
            copyUser(u, o);
            copyExtensions(u, o);
            withoutAccountEnabled += u.has("accountEnabled") ? 0 : 1;
            withoutUsageLocation += u.has("usageLocation") ? 0 : 1;
            withoutUpn += u.hasNonNull("userPrincipalName") ? 0 : 1;
            if (u.hasNonNull("userPrincipalName")) {
                upn.put(id, u.get("userPrincipalName").asText());
            }
            JsonNode las = u.get("licenseAssignmentStates");
            if (las == null) {
                JsonNode al = u.get("assignedLicenses");
                if (al != null && al.size() > 0) {
                    problem(where, "has assignedLicenses but no licenseAssignmentStates, so direct and inherited "
                            + "licences cannot be told apart: export users with $select=...,licenseAssignmentStates");
                }
                continue;
            }
            List<Reported> mine = new ArrayList<>();
            ArrayNode states = withState ? o.putArray("licenseAssignmentStates") : null;
            for (int k = 0; k < las.size(); k++) {
                JsonNode s = las.get(k);
                String sku = s.path("skuId").asText("").toLowerCase(Locale.ROOT);
                String w = where + " licenseAssignmentStates[" + k + "]";
                if (!skuPart.containsKey(sku)) {
                    problem(w, "skuId " + s.path("skuId").asText("(none)") + " is not one of the tenant's subscribedSkus");
                    continue;
                }
                String group = s.hasNonNull("assignedByGroup") ? s.get("assignedByGroup").asText() : null;
                if (group != null && !groupIds.contains(group)) {
                    problem(w, "assignedByGroup " + group + " is not a group in groups.json");
                    continue;
                }
                Set<String> disabled = new TreeSet<>();
                s.path("disabledPlans").forEach(d -> disabled.add(d.asText().toLowerCase(Locale.ROOT)));
                String state = s.path("state").asText("Active");
                String error = s.hasNonNull("error") ? s.get("error").asText() : "None";
                mine.add(new Reported(sku, group, state, error.equals("Others") ? "Other" : error, disabled));
                if (group == null) {
                    ObjectNode a = assignments.addObject();
                    a.put("userId", id);
                    a.put("skuId", sku);
                    ArrayNode d = a.putArray("disabledPlans");
                    disabled.forEach(d::add);
                    direct++;
                }
                if (states != null) {
                    if (state.equals("Disabled")) {
                        notes.add(where + ": a Disabled licence state is not kept (licensim has no Disabled state)");
                    } else {
                        ObjectNode c = states.addObject();
                        c.put("skuId", sku);
                        if (group == null) {
                            c.putNull("assignedByGroup");
                        } else {
                            c.put("assignedByGroup", group);
                        }
                        c.put("state", state);
                        c.put("error", error.equals("Others") ? "Other" : error);
                        ArrayNode d = c.putArray("disabledPlans");
                        disabled.forEach(d::add);
                    }
                }
            }
            reported.put(id, mine);
        }

        ArrayNode groups = snap.putArray("groups");
        int groupAssignments = 0;
        int memberships = 0;
        int skipped = 0;
        Path membersDir = dir.resolve("members");
        for (GraphExport.Item it : groupItems) {
            JsonNode g = it.node();
            String id = g.path("id").asText(null);
            if (id == null) {
                continue;
            }
            String where = it.where() + " (group " + id + ")";
            ObjectNode o = groups.addObject();
            o.put("id", id);
            if (g.hasNonNull("displayName")) {
                o.put("displayName", g.get("displayName").asText());
            }
            o.put("securityEnabled", g.path("securityEnabled").asBoolean(false));
            if (g.hasNonNull("membershipRule")) {
                o.put("membershipRule", g.get("membershipRule").asText());
                String st = g.path("membershipRuleProcessingState").asText("On");
                o.put("membershipRuleProcessingState", st.equalsIgnoreCase("Paused") ? "Paused" : "On");
            }
            JsonNode licences = g.path("assignedLicenses");
            List<GraphExport.Item> members = GraphExport.read(membersDir, id, false);
            if (members.isEmpty() && GraphExport.pages(membersDir, id).isEmpty()) {
                if (licences.size() > 0) {
                    problem(where, "assigns licences but " + membersDir.resolve(id + ".json")
                            + " is missing (GET /groups/" + id + "/members)");
                } else if (!g.hasNonNull("membershipRule")) {
                    // by name, for people; the id is in the file name the export lacks
                    notes.add("group " + (g.hasNonNull("displayName") ? "\"" + g.get("displayName").asText() + "\"" : id)
                            + ": no members file (" + membersDir.getFileName() + "/" + id + ".json); imported without members "
                            + "(it assigns no licence)");
                }
            }
            ArrayNode m = o.putArray("members");
            for (GraphExport.Item mi : members) {
                String type = mi.node().path("@odata.type").asText("#microsoft.graph.user");
                String mid = mi.node().path("id").asText(null);
                if (!type.equals("#microsoft.graph.user") && !type.equals("#microsoft.graph.group")) {
                    skipped++;
                    continue;
                }
                if (mid == null || !(userIds.contains(mid) || groupIds.contains(mid))) {
                    problem("members/" + mi.where() + " (group " + id + ")", "member " + mid
                            + " is neither a user in users.json nor a group in groups.json");
                    continue;
                }
                m.add(mid);
                memberships++;
            }
            for (int k = 0; k < licences.size(); k++) {
                JsonNode l = licences.get(k);
                String sku = l.path("skuId").asText("").toLowerCase(Locale.ROOT);
                if (!skuPart.containsKey(sku)) {
                    problem(where + " assignedLicenses[" + k + "]", "skuId " + l.path("skuId").asText("(none)")
                            + " is not one of the tenant's subscribedSkus");
                    continue;
                }
                ObjectNode a = assignments.addObject();
                a.put("groupId", id);
                a.put("skuId", sku);
                ArrayNode d = a.putArray("disabledPlans");
                l.path("disabledPlans").forEach(x -> d.add(x.asText().toLowerCase(Locale.ROOT)));
                groupAssignments++;
            }
        }
        snap.set("assignments", assignments);
        if (!problems.isEmpty()) {
            throw new LicensimException("the export in " + dir + " has " + (problems.size() > MAX_PROBLEMS
                    ? "more than " + MAX_PROBLEMS : problems.size()) + " problems:\n  " + String.join("\n  ", problems));
        }
        if (skipped > 0) {
            notes.add(skipped + " group members that are neither users nor groups (devices, service principals, "
                    + "contacts) were skipped: they hold no licences");
        }
        int n = userIds.size();
        if (withoutAccountEnabled > 0) {
            notes.add(withoutAccountEnabled + " of " + n + " users came without accountEnabled (not in the export's "
                    + "$select?) and are taken as enabled; export it to see disabled accounts, which keep their licences "
                    + "(SPEC R21)");
        }
        if (withoutUsageLocation > 0) {
            notes.add(withoutUsageLocation + " of " + n + " users came without usageLocation (not in the export's "
                    + "$select?) and are taken as having none: their group licences use the tenant's country and a "
                    + "direct assignment is refused (SPEC R15)");
        }
        if (withoutUpn > 0) {
            notes.add(withoutUpn + " of " + n + " users came without userPrincipalName: they are shown by id");
        }
        // SPEC R24: a real tenant can hold states no history of accepted requests reaches (a trial that
        // ended, a usage location cleared after a direct assignment): the snapshot says so, so that it
        // loads them as they are, and each is reported here with the refusal a request would get
        declareExtensions(snap);
        snap.put("unreachableStates", "report");
        List<String> unreachable = unreachable(snap);
        for (int i = 0; i < Math.min(unreachable.size(), 20); i++) {
            notes.add("a state licensim's rules would refuse: " + unreachable.get(i));
        }
        if (unreachable.size() > 20) {
            notes.add((unreachable.size() - 20) + " more states licensim's rules would refuse");
        }
        return new Result(snap, reported, upn, userIds.size(), groupIds.size(), skus.size(), direct, groupAssignments,
                memberships, skipped, List.copyOf(notes));
    }

    /** The R24 states of the built snapshot, read back the way resolve will read it. */
    private List<String> unreachable(ObjectNode snap) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(snap);
            return new org.licensim.core.io.SnapshotReader(catalog, org.licensim.core.catalog.PlanRules.loadDefault(catalog))
                    .read(new java.io.ByteArrayInputStream(bytes), dir.resolve("snapshot").toString()).unreachable();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Directory extension values seen, by name: the JSON kinds of their values, for a declaration when the export has none. */
    private final Map<String, Set<String>> extensionKinds = new LinkedHashMap<>();

    /** A user's {@code extension_<appId>_<name>} properties, as Graph sent them (SPEC section 4). */
    private void copyExtensions(JsonNode u, ObjectNode o) {
        u.fields().forEachRemaining(f -> {
            if (UserSchema.isDirectoryExtension(f.getKey()) && !f.getValue().isNull()) {
                o.set(f.getKey(), f.getValue().deepCopy());
                JsonNode v = f.getValue();
                String kind = v.isArray() ? "array" : v.isNumber() ? "number" : v.isBoolean() ? "boolean" : "string";
                extensionKinds.computeIfAbsent(f.getKey(), k -> new TreeSet<>()).add(kind);
            }
        });
    }

    /**
     * The declarations of the extensions: {@code extensionProperties.json} when the export has it
     * (Graph's extensionProperty list: name, dataType, isMultiValued), else inferred from the values
     * seen (an array is multi-valued; only numbers an Integer, only booleans a Boolean), with a note.
     */
    private void declareExtensions(ObjectNode snap) {
        List<GraphExport.Item> given = GraphExport.read(dir, "extensionProperties", false);
        ArrayNode out = JSON.createArrayNode();
        Set<String> declared = new HashSet<>();
        for (GraphExport.Item it : given) {
            JsonNode x = it.node();
            String name = x.path("name").asText(null);
            if (name == null || !UserSchema.isDirectoryExtension(name)) {
                continue;
            }
            JsonNode targets = x.get("targetObjects");
            if (targets != null && targets.isArray() && targets.size() > 0) {
                boolean user = false;
                for (JsonNode t : targets) {
                    user |= t.asText().equals("User");
                }
                if (!user) {
                    continue;
                }
            }
            out.addObject().put("name", name).put("dataType", x.path("dataType").asText("String"))
                    .put("isMultiValued", x.path("isMultiValued").asBoolean(false));
            declared.add(name.toLowerCase(Locale.ROOT));
        }
        List<String> inferred = new ArrayList<>();
        extensionKinds.forEach((name, kinds) -> {
            if (declared.contains(name.toLowerCase(Locale.ROOT))) {
                return;
            }
            boolean multi = kinds.contains("array");
            String type = kinds.equals(Set.of("number")) ? "Integer" : kinds.equals(Set.of("boolean")) ? "Boolean" : "String";
            out.addObject().put("name", name).put("dataType", multi ? "String" : type).put("isMultiValued", multi);
            inferred.add(name + " (" + (multi ? "String, multi-valued" : type) + ")");
        });
        if (!inferred.isEmpty()) {
            notes.add("no extensionProperties.json: the directory extensions' types were taken from their values: "
                    + String.join(", ", inferred));
        }
        if (!out.isEmpty()) {
            snap.set("directoryExtensions", out);
        }
    }

    /** The user properties licensim keeps, under its names; everything else Graph sent is left out. */
    private static void copyUser(JsonNode u, ObjectNode o) {
        o.put("id", u.get("id").asText());
        if (u.has("accountEnabled") && u.get("accountEnabled").isBoolean()) {
            o.put("accountEnabled", u.get("accountEnabled").asBoolean());
        }
        if (u.has("usageLocation")) {
            if (u.get("usageLocation").isNull()) {
                o.putNull("usageLocation");
            } else {
                o.put("usageLocation", u.get("usageLocation").asText());
            }
        }
        for (String p : UserSchema.STRING_PROPERTIES) {
            if (!UserSchema.isExtensionAttribute(p) && u.hasNonNull(p) && u.get(p).isValueNode()) {
                o.put(p, u.get(p).asText());
            }
        }
        RENAMED.forEach((graph, mine) -> {
            if (u.hasNonNull(graph) && u.get(graph).isValueNode() && !o.has(mine)) {
                o.put(mine, u.get(graph).asText());
            }
        });
        JsonNode phones = u.get("businessPhones");
        if (phones != null && phones.isArray() && phones.size() > 0 && !o.has("telephoneNumber")) {
            o.put("telephoneNumber", phones.get(0).asText());
        }
        for (String multi : UserSchema.MULTI_PROPERTIES) {
            JsonNode a = u.get(multi);
            if (a != null && a.isArray()) {
                ArrayNode out = o.putArray(multi);
                a.forEach(x -> out.add(x.asText()));
            }
        }
        JsonNode signIn = u.get("signInActivity");
        if (signIn != null && signIn.isObject()) {
            ObjectNode out = o.putObject("signInActivity");
            for (String f : new String[] {"lastSignInDateTime", "lastNonInteractiveSignInDateTime",
                "lastSuccessfulSignInDateTime"}) {
                if (signIn.hasNonNull(f)) {
                    out.put(f, signIn.get(f).asText());
                }
            }
        }
        JsonNode ext = u.get(UserSchema.EXTENSION_ATTRIBUTES);
        if (ext != null && ext.isObject()) {
            ObjectNode out = o.putObject(UserSchema.EXTENSION_ATTRIBUTES);
            for (int i = 1; i <= 15; i++) {
                JsonNode v = ext.get("extensionAttribute" + i);
                if (v != null && !v.isNull()) {
                    out.put("extensionAttribute" + i, v.asText());
                }
            }
        }
    }

    /** Writes the snapshot (temporary file, then moved into place). */
    public static void write(Result r, Path out) {
        AtomicFile.write(out, "snapshot", o -> JSON.writerWithDefaultPrettyPrinter().writeValue(o, r.snapshot()));
    }

    /**
     * {@code subscriptions.json} (GET /directory/subscriptions, optional): each commercial
     * subscription of a product the snapshot has, with its lifecycle fields, for renewal dates
     * and trials; a subscription of a product the export's subscribedSkus lack is left out, said
     * in a note.
     */
    private void subscriptions(Path dir, ObjectNode snap, Map<String, String> skuPart) {
        if (GraphExport.pages(dir, "subscriptions").isEmpty()) {
            notes.add("no subscriptions.json (GET /directory/subscriptions): no renewal dates or trials for check --days");
            return;
        }
        ArrayNode out = snap.putArray("subscriptions");
        int skipped = 0;
        for (GraphExport.Item it : GraphExport.read(dir, "subscriptions", false)) {
            JsonNode s = it.node();
            String sku = s.path("skuId").asText("").toLowerCase(Locale.ROOT);
            if (!skuPart.containsKey(sku)) {
                skipped++;
                continue;
            }
            ObjectNode o = out.addObject();
            for (String f : List.of("id", "skuId", "skuPartNumber", "status", "nextLifecycleDateTime", "createdDateTime")) {
                if (s.hasNonNull(f)) {
                    o.put(f, s.get(f).asText());
                }
            }
            if (s.has("totalLicenses") && s.get("totalLicenses").canConvertToInt()) {
                o.put("totalLicenses", s.get("totalLicenses").asInt());
            }
            o.put("isTrial", s.path("isTrial").asBoolean(false));
        }
        if (skipped > 0) {
            notes.add(skipped + " subscriptions of products not in the export's subscribedSkus were left out");
        }
    }
}
