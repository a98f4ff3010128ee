package org.licensim.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.PlanRules;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Directory;
import org.licensim.core.directory.PlanMasks;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Subscriptions.PrepaidUnits;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.TenantSettings;
import org.licensim.core.directory.UserData;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a tenant snapshot (docs/FORMATS.md) with Jackson's streaming parser: users and groups
 * go straight into the columnar {@link Directory}, no tree of the whole file is built.
 * Sections may come in any order; references that point forward (a member listed before its
 * user) are resolved at the end with the position they were read at. Every problem is
 * collected; if there is any, {@link InvalidInputException} lists them and nothing is returned.
 */
public final class SnapshotReader {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREE = new ObjectMapper();
    private static final String GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private final Catalog catalog;
    private final PlanRules defaultRules;

    public SnapshotReader(Catalog catalog, PlanRules defaultRules) {
        this.catalog = catalog;
        this.defaultRules = defaultRules;
    }

    /** A reader over the shipped catalog and plan rules. */
    public static SnapshotReader withDefaults() {
        Catalog c = Catalog.loadDefault();
        return new SnapshotReader(c, PlanRules.loadDefault(c));
    }

    public Tenant read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new LicensimException("snapshot file not found: " + file);
        } catch (IOException e) {
            throw new LicensimException("cannot read snapshot " + file + ": " + e.getMessage(), e);
        }
    }

    public Tenant read(InputStream in, String name) throws IOException {
        return new Session(name).run(in);
    }

    private final class Session {
        final Problems problems;
        final JsonFields fields;
        TenantSettings settings;
        PlanRules rules = defaultRules;
        final Subscriptions subs = new Subscriptions();
        final Directory dir = new Directory(1024);
        final Assignments assignments = new Assignments();
        final PlanMasks masks = new PlanMasks();
        final IntArrayList pendingGroup = new IntArrayList();
        final List<String> pendingMember = new ArrayList<>();
        final List<Problems.Where> pendingWhere = new ArrayList<>();
        final List<RawAssignment> rawAssignments = new ArrayList<>();
        final java.util.Set<String> seenSections = new java.util.HashSet<>();
        final org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<List<JsonFields.RawState>> rawStates =
                new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<>();
        long lastAppliedSeq = -1;
        Long evaluatedAt;
        /** The snapshot's directory extensions: declarations, and users' values waiting for them. */
        final SnapshotExtensions extensions = new SnapshotExtensions();
        /** The tenant's commercial subscriptions (renewal dates, trials), for check --days. */
        final SnapshotSubscriptions subscriptions = new SnapshotSubscriptions();

        /** {@code "unreachableStates": "report"}: R24 states are listed, not refused (an import). */
        boolean reportUnreachable;
        final List<String> unreachable = new ArrayList<>();
        /** The catalog as this tenant sees it: the shipped one until subscribedSkus give plan lists (R25). */
        Catalog catalog = SnapshotReader.this.catalog;
        final java.util.Map<Integer, List<Catalog.TenantPlan>> tenantPlans = new java.util.TreeMap<>();

        Session(String name) {
            problems = new Problems(name);
            fields = new JsonFields(problems);
        }

        Tenant run(InputStream in) throws IOException {
            try (JsonParser p = JSON.createParser(in)) {
                try {
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        problems.at(p, "expected a JSON object with tenant, subscribedSkus, users, groups, assignments");
                        problems.throwIfAny();
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String section = p.currentName();
                        p.nextToken();
                        if (!seenSections.add(section)) {
                            problems.at(p, "section \"" + section + "\" appears twice");
                            p.skipChildren();
                            continue;
                        }
                        switch (section) {
                            case "tenant" -> readTenant(p);
                            case "subscribedSkus" -> eachElement(p, this::readSku);
                            case "servicePlanRules" -> readRules(p);
                            case "users" -> eachElement(p, this::readUser);
                            case "directoryExtensions" -> eachElement(p, (q, index) -> extensions.readDeclaration(q, index,
                                    fields, problems));
                            case "subscriptions" -> eachElement(p, (q, index) -> subscriptions.read(q, index, fields,
                                    problems, SnapshotReader.this.catalog));
                            case "groups" -> eachElement(p, this::readGroup);
                            case "assignments" -> eachElement(p, this::readAssignment);
                            case "evaluatedAt" -> {
                                String at = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                                Long seconds = at == null ? null : org.licensim.core.rules.RuleParser.instantOrNull(at);
                                String range = seconds == null ? null
                                        : Times.outsideGraph("evaluatedAt", java.time.Instant.ofEpochSecond(seconds));
                                if (range != null) {
                                    problems.at(p, range);
                                } else if (seconds == null) {
                                    problems.at(p, "evaluatedAt must be an ISO-8601 instant such as 2026-01-05T09:00:00Z "
                                            + "(system.now of the time-driven rules), found " + JsonFields.describe(p));
                                    p.skipChildren();
                                } else {
                                    evaluatedAt = seconds;
                                }
                            }
                            case "unreachableStates" -> {
                                String mode = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                                if ("report".equals(mode) || "refuse".equals(mode)) {
                                    reportUnreachable = mode.equals("report");
                                } else {
                                    problems.at(p, "unreachableStates must be \"refuse\" (the default) or \"report\" "
                                            + "(what import-graph writes), found " + JsonFields.describe(p));
                                    p.skipChildren();
                                }
                            }
                            case "lastAppliedSeq" -> {
                                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0) {
                                    lastAppliedSeq = p.getLongValue();
                                } else if (p.currentToken() != JsonToken.VALUE_NULL) {
                                    problems.at(p, "lastAppliedSeq must be a whole number >= 0 or null, found "
                                            + JsonFields.describe(p));
                                }
                            }
                            default -> {
                                problems.at(p, "unknown section \"" + section
                                        + "\"; allowed: tenant, subscribedSkus, servicePlanRules, users, groups, assignments, lastAppliedSeq, "
                                        + "unreachableStates, evaluatedAt, directoryExtensions, subscriptions");
                                p.skipChildren();
                            }
                        }
                    }
                    if (p.nextToken() != null) {
                        problems.at(p, "unexpected content after the snapshot object");
                    }
                } catch (JsonProcessingException e) {
                    problems.add(e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                            e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), Problems.path(p),
                            "malformed JSON: " + e.getOriginalMessage());
                    problems.throwIfAny();
                }
            }
            if (settings == null) {
                problems.add(0, 0, "$.tenant", "the snapshot has no \"tenant\" section (id, countryLetterCode are required)");
            }
            applyTenantPlans();
            extensions.apply(dir.users(), problems);
            resolveMembers();
            dir.loadMembers(listed);
            resolveAssignments();
            var prior = resolveStates();
            problems.throwIfAny();
            Tenant tenant = new Tenant(settings, catalog, rules, subs, dir, assignments, masks);
            tenant.setPriorStates(prior, lastAppliedSeq);
            tenant.setUnreachable(reportUnreachable, unreachable);
            tenant.setEvaluatedAt(evaluatedAt);
            tenant.setCommercialSubscriptions(subscriptions.all());
            return tenant;
        }

        interface ElementReader {
            void read(JsonParser p, int index) throws IOException;
        }

        void eachElement(JsonParser p, ElementReader r) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                problems.at(p, "expected an array, found " + JsonFields.describe(p));
                p.skipChildren();
                return;
            }
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    problems.at(p, "expected an object, found " + JsonFields.describe(p));
                    p.skipChildren();
                } else {
                    r.read(p, index);
                }
                index++;
            }
        }

        void readTenant(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                problems.at(p, "expected an object, found " + JsonFields.describe(p));
                p.skipChildren();
                return;
            }
            Problems.Where start = Problems.Where.of(p);
            String id = null;
            String displayName = null;
            String country = null;
            boolean gbl = true;
            boolean auto = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "id" -> id = fields.string(p);
                    case "displayName" -> displayName = fields.string(p);
                    case "countryLetterCode" -> country = fields.countryCode(p);
                    case "groupLicensingEnabled" -> gbl = fields.bool(p, true);
                    case "autoReprocess" -> auto = fields.bool(p, false);
                    default -> fields.unknownField(p, f, "id, displayName, countryLetterCode, groupLicensingEnabled, autoReprocess");
                }
            }
            if (id == null || id.isBlank()) {
                problems.at(start, id == null ? "tenant needs an \"id\"" : "tenant \"id\" is empty: give the tenant's id "
                        + "(its directory id or any name; docs/FORMATS.md)");
            }
            if (country == null) {
                problems.at(start, "tenant needs a \"countryLetterCode\" (its default usage location, SPEC R15)");
            }
            settings = new TenantSettings(id, displayName, country, gbl, auto);
        }

        void readRules(JsonParser p) throws IOException {
            Problems.Where w = Problems.Where.of(p);
            JsonNode node = TREE.readTree(p);
            try {
                rules = PlanRules.parseOver(defaultRules, node, catalog, problems.file(), "$.servicePlanRules");
            } catch (LicensimException e) {
                problems.add(w.line(), w.column(), null, e.getMessage().replace(problems.file() + ": ", ""));
            }
        }

        void readSku(JsonParser p, int index) throws IOException {
            Problems.Where start = Problems.Where.of(p);
            String skuId = null;
            String part = null;
            Problems.Where skuWhere = start;
            int[] units = {0, 0, 0, 0};
            List<Catalog.TenantPlan> plans = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "skuId" -> {
                        skuWhere = Problems.Where.of(p);
                        skuId = fields.string(p);
                    }
                    case "skuPartNumber" -> part = fields.string(p);
                    case "prepaidUnits" -> fields.readUnits(p, units);
                    case "consumedUnits" -> {
                        problems.at(p, "consumedUnits is derived by licensim from the assignments; remove it");
                        p.skipChildren();
                    }
                    case "servicePlans" -> plans = TenantPlanLists.read(p, fields, problems);
                    case "capabilityStatus", "appliesTo", "id", "accountId", "accountName",
                         "subscriptionIds" -> p.skipChildren();
                    default -> fields.unknownField(p, f, "skuId, skuPartNumber, prepaidUnits, servicePlans");
                }
            }
            String ref = skuId != null ? skuId : part;
            if (ref == null) {
                problems.at(start, "a subscribed product needs a skuId or a skuPartNumber");
                return;
            }
            Product product = product(ref, skuWhere);
            if (product == null) {
                return;
            }
            if (skuId != null && part != null && !product.skuPartNumber().equalsIgnoreCase(part)) {
                problems.at(skuWhere, "skuId " + skuId + " is " + product.skuPartNumber() + " in the catalog, not \""
                        + part + "\"");
                return;
            }
            if (subs.indexOf(product) >= 0) {
                problems.at(skuWhere, "product " + product.skuPartNumber() + " (" + product.skuId()
                        + ") is listed twice in subscribedSkus");
                return;
            }
            subs.add(product, new PrepaidUnits(units[0], units[1], units[2], units[3]));
            if (plans != null && !plans.isEmpty()) {
                tenantPlans.put(product.index(), plans);
            }
        }

        /** SPEC R25: the tenant's plan lists replace the shipped ones for its products. */
        void applyTenantPlans() {
            catalog = TenantPlanLists.apply(catalog, subs, tenantPlans);
        }

        void readUser(JsonParser p, int index) throws IOException {
            Problems.Where start = Problems.Where.cheap(p).withPath("$.users[" + index + "]");
            Problems.Where[] idWhere = {start};
            UserData data = new UserData();
            List<JsonFields.RawState> states = new ArrayList<>();
            fields.readUser(p, data, idWhere, states);
            String id = data.id;
            if (id == null || id.isBlank()) {
                problems.at(start, "a user needs a non-empty \"id\"");
                return;
            }
            if (org.licensim.core.directory.Ids.tooLong(id)) {
                problems.at(idWhere[0].withPath("$.users[" + index + "].id"), org.licensim.core.directory.Ids.tooLongMessage(id));
                return;
            }
            if (dir.users().everExisted(id) || dir.groups().everExisted(id)) {
                problems.at(idWhere[0].withPath("$.users[" + index + "].id"), "duplicate id \"" + id
                        + "\": ids must be unique across users and groups");
                return;
            }
            int u = dir.users().add(id, data.accountEnabled == null || data.accountEnabled);
            extensions.takeValues(u, data, start);
            data.applyTo(dir.users(), u);
            if (!states.isEmpty()) {
                rawStates.put(u, states);
            }
        }

        void readGroup(JsonParser p, int index) throws IOException {
            Problems.Where start = Problems.Where.of(p);
            String id = null;
            Problems.Where idWhere = start;
            String name = null;
            boolean security = true;
            String rule = null;
            boolean paused = false;
            Problems.Where ruleWhere = null;
            List<String> members = List.of();
            List<Problems.Where> memberWheres = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "id" -> {
                        idWhere = Problems.Where.of(p);
                        id = fields.string(p);
                    }
                    case "displayName" -> name = fields.string(p);
                    case "securityEnabled" -> security = fields.bool(p, true);
                    case "membershipRule" -> {
                        ruleWhere = Problems.Where.of(p);
                        rule = fields.string(p);
                    }
                    case "membershipRuleProcessingState" -> {
                        String s = fields.string(p);
                        if ("Paused".equals(s)) {
                            paused = true;
                        } else if (s != null && !"On".equals(s)) {
                            problems.at(p, "membershipRuleProcessingState must be \"On\" or \"Paused\", found \"" + s + "\"");
                        }
                    }
                    case "members" -> members = memberIds(p, memberWheres, index);
                    case "description", "mailEnabled", "groupTypes", "mailNickname" -> p.skipChildren();
                    default -> {
                        if (f.startsWith("@odata.")) {
                            p.skipChildren();
                        } else {
                            fields.unknownField(p, f, "id, displayName, securityEnabled, membershipRule, "
                                    + "membershipRuleProcessingState, members");
                        }
                    }
                }
            }
            if (id == null || id.isBlank()) {
                problems.at(start, "a group needs a non-empty \"id\"");
                return;
            }
            if (org.licensim.core.directory.Ids.tooLong(id)) {
                problems.at(idWhere, org.licensim.core.directory.Ids.tooLongMessage(id));
                return;
            }
            if (dir.users().everExisted(id) || dir.groups().everExisted(id)) {
                problems.at(idWhere, "duplicate id \"" + id + "\": ids must be unique across users and groups");
                return;
            }
            if (rule != null) {
                try {
                    org.licensim.core.rules.RuleParser.parse(rule);
                } catch (org.licensim.core.rules.RuleException e) {
                    problems.at(ruleWhere, "malformed membershipRule: " + e.getMessage());
                }
            }
            int g = dir.groups().add(id, name, security, rule, paused);
            if (found.length < members.size()) {
                found = new int[Math.max(members.size(), found.length * 2)];
            }
            dir.users().indexesOf(members, found);
            for (int i = 0; i < members.size(); i++) {
                if (found[i] >= 0) {
                    listUser(g, found[i]);
                } else if (!addMember(g, members.get(i))) {
                    pendingGroup.add(g);
                    pendingMember.add(members.get(i));
                    pendingWhere.add(memberWheres.get(i).withPath("$.groups[" + index + "].members[" + i + "]"));
                }
            }
        }

        /** Users listed as members, per group index, added to the directory at once ({@link Directory#loadMembers}). */
        org.eclipse.collections.impl.list.mutable.primitive.IntArrayList[] listed =
                new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList[16];
        /** Scratch: the user index of each member id of the group being read (-1: not a user). */
        int[] found = new int[0];

        void listUser(int g, int u) {
            if (g >= listed.length) {
                listed = java.util.Arrays.copyOf(listed, Math.max(g + 1, listed.length * 2));
            }
            if (listed[g] == null) {
                listed[g] = new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList();
            }
            listed[g].add(u);
        }

        /** Adds a member known so far; false when the id is not (yet) known. */
        boolean addMember(int g, String memberId) {
            int u = dir.users().indexOf(memberId);
            if (u >= 0) {
                listUser(g, u);
                return true;
            }
            int other = dir.groups().indexOf(memberId);
            if (other >= 0) {
                dir.addNestedGroup(g, other);
                return true;
            }
            return false;
        }

        List<String> memberIds(JsonParser p, List<Problems.Where> wheres, int group) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                problems.at(p, "expected an array of member ids, found " + JsonFields.describe(p));
                p.skipChildren();
                return List.of();
            }
            List<String> ids = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    ids.add(p.getText());
                    wheres.add(Problems.Where.cheap(p));
                } else {
                    problems.at(p, "expected a member id (string), found " + JsonFields.describe(p));
                    p.skipChildren();
                }
            }
            return ids;
        }

        void readAssignment(JsonParser p, int index) throws IOException {
            RawAssignment a = new RawAssignment();
            a.where = Problems.Where.of(p);
            a.order = rawAssignments.size();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "userId" -> {
                        a.targetWhere = Problems.Where.of(p);
                        a.userId = fields.string(p);
                    }
                    case "groupId" -> {
                        a.targetWhere = Problems.Where.of(p);
                        a.groupId = fields.string(p);
                    }
                    case "skuId" -> {
                        a.skuWhere = Problems.Where.of(p);
                        a.sku = fields.string(p);
                    }
                    case "disabledPlans" -> fields.planRefs(p, a.disabled, a.disabledWheres);
                    default -> fields.unknownField(p, f, "userId or groupId, skuId, disabledPlans");
                }
            }
            rawAssignments.add(a);
        }

        void resolveMembers() {
            for (int i = 0; i < pendingGroup.size(); i++) {
                String m = pendingMember.get(i);
                if (!addMember(pendingGroup.get(i), m)) {
                    problems.at(pendingWhere.get(i), "member \"" + m + "\" of group \""
                            + dir.groups().id(pendingGroup.get(i)) + "\" is neither a user nor a group of this snapshot");
                }
            }
        }

        /**
         * SPEC R24: a state no history of accepted events reaches is refused with the message the
         * event would get, or, in a snapshot that says {@code "unreachableStates": "report"} (an
         * import of a real tenant), loaded as it is and listed.
         */
        void unreachable(Problems.Where where, String message) {
            if (reportUnreachable) {
                unreachable.add((where.path() != null ? where.path() : "line " + where.line()) + ": " + message);
            } else {
                problems.at(where, message);
            }
        }

        /** R24/R14: every group's own enabled plans must satisfy the prerequisites of its add-ons. */
        void checkGroupPrerequisites(java.util.Map<Integer, Problems.Where> groupWheres) {
            groupWheres.forEach((g, where) -> {
                java.util.Set<Integer> enabled = new java.util.HashSet<>();
                for (Assignments.License l : assignments.ofGroup(g)) {
                    int[] plans = subs.product(l.product()).plans();
                    for (int k = 0; k < plans.length; k++) {
                        if (masks.has(l.enabled(), k)) {
                            enabled.add(plans[k]);
                        }
                    }
                }
                List<Integer> missing = rules.unmet(enabled);
                if (!missing.isEmpty()) {
                    StringBuilder sb = new StringBuilder();
                    for (int plan : missing) {
                        sb.append(sb.length() > 0 ? "; " : "").append(rules.requirement(plan, catalog));
                    }
                    unreachable(where, "license operation failed for group \"" + dir.groups().id(g) + "\": " + sb
                            + "; the group must have the prerequisite services itself (SPEC R14, R24)");
                }
            });
        }

        void resolveAssignments() {
            java.util.Map<Integer, Problems.Where> groupWheres = new java.util.TreeMap<>();
            for (RawAssignment a : rawAssignments) {
                if ((a.userId == null) == (a.groupId == null)) {
                    problems.at(a.where, "an assignment needs exactly one of \"userId\" and \"groupId\"");
                    continue;
                }
                if (a.sku == null) {
                    problems.at(a.where, "an assignment needs a \"skuId\" (GUID or part number)");
                    continue;
                }
                int target = a.userId != null ? dir.users().indexOf(a.userId) : dir.groups().indexOf(a.groupId);
                if (target < 0) {
                    problems.at(a.targetWhere, (a.userId != null ? "unknown user \"" + a.userId
                            : "unknown group \"" + a.groupId) + "\": not in this snapshot's "
                            + (a.userId != null ? "users" : "groups"));
                    continue;
                }
                Product product = product(a.sku, a.skuWhere);
                if (product == null) {
                    continue;
                }
                int t = subs.indexOf(product);
                if (t < 0) {
                    problems.at(a.skuWhere, "product " + product.skuPartNumber() + " (" + product.skuId()
                            + ") is not among the tenant's subscribedSkus");
                    continue;
                }
                long[] disabled = new long[subs.words(t)];
                boolean ok = true;
                for (int i = 0; i < a.disabled.size(); i++) {
                    String ref = a.disabled.get(i);
                    if (ref == null) {
                        ok = false;
                        continue;
                    }
                    int local;
                    try {
                        local = catalog.findPlanInProduct(product, ref);
                    } catch (LicensimException e) {
                        problems.at(a.disabledWheres.get(i), e.getMessage());
                        ok = false;
                        continue;
                    }
                    if (local < 0) {
                        problems.at(a.disabledWheres.get(i), "disabled plan \"" + ref
                                + "\" is not a plan of product " + product.skuPartNumber() + "; its plans are: "
                                + String.join(", ", catalog.planNames(product)));
                        ok = false;
                        continue;
                    }
                    disabled[local >>> 6] |= 1L << local;
                }
                if (!ok) {
                    continue;
                }
                Assignments.License license = new Assignments.License(t, disabled, masks.internEnabled(subs, t, disabled),
                        a.order);
                if (a.userId != null) {
                    if (assignments.findDirect(target, t) != null) {
                        problems.at(a.where, "user \"" + a.userId + "\" is assigned " + product.skuPartNumber() + " twice");
                        continue;
                    }
                    if (dir.users().usageLocationCode(target) == org.licensim.core.directory.Dictionary.NULL) {
                        unreachable(a.where, "user \"" + a.userId + "\" has no usageLocation: a licence cannot be "
                                + "assigned directly until one is set (SPEC R15, R24)");
                        if (!reportUnreachable) {
                            continue;
                        }
                    }
                    assignments.putDirect(target, license);
                } else {
                    if (assignments.findGroupLicense(target, t) != null) {
                        problems.at(a.where, "group \"" + a.groupId + "\" is assigned " + product.skuPartNumber() + " twice");
                        continue;
                    }
                    if (settings != null && !settings.groupLicensingEnabled()) {
                        problems.at(a.where, "group \"" + a.groupId + "\" is assigned " + product.skuPartNumber()
                                + " but the tenant has groupLicensingEnabled false (group-based licensing needs a paid "
                                + "directory plan; SPEC R22)");
                        continue;
                    }
                    if (!dir.groups().securityEnabled(target)) {
                        unreachable(a.where, "group \"" + a.groupId + "\" is not a security group (securityEnabled "
                                + "false): only security groups can be assigned products (SPEC R8, R24)");
                        if (!reportUnreachable) {
                            continue;
                        }
                    }
                    assignments.putGroupLicense(target, license);
                    groupWheres.putIfAbsent(target, a.where);
                }
            }
            checkGroupPrerequisites(groupWheres);
        }

        /** Turns the users' licenseAssignmentStates into state-store entries (null when none were given). */
        org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]> resolveStates() {
            if (rawStates.isEmpty()) {
                return null;
            }
            var out = new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]>();
            int[] users = rawStates.keySet().toSortedArray();
            for (int u : users) {
                List<int[]> entries = new ArrayList<>();
                for (JsonFields.RawState r : rawStates.get(u)) {
                    int[] e = stateEntry(u, r);
                    if (e == null) {
                        continue;
                    }
                    int pos = entries.size();
                    while (pos > 0 && org.licensim.core.state.StateStore.before(e[0], e[1], entries.get(pos - 1)[0],
                            entries.get(pos - 1)[1])) {
                        pos--;
                    }
                    if (pos > 0 && entries.get(pos - 1)[0] == e[0] && entries.get(pos - 1)[1] == e[1]) {
                        problems.at(r.where, "user \"" + dir.users().id(u) + "\" has two states for the same source "
                                + "and product");
                        continue;
                    }
                    entries.add(pos, e);
                }
                int[] flat = new int[entries.size() * org.licensim.core.state.StateStore.ENTRY_INTS];
                for (int i = 0; i < entries.size(); i++) {
                    System.arraycopy(entries.get(i), 0, flat, i * entries.get(i).length, entries.get(i).length);
                }
                out.put(u, flat);
            }
            return out;
        }

        private int[] stateEntry(int u, JsonFields.RawState r) {
            if (r.sku == null) {
                problems.at(r.where, "a licenseAssignmentState needs a skuId");
                return null;
            }
            Product product = product(r.sku, r.skuWhere);
            if (product == null) {
                return null;
            }
            int t = subs.indexOf(product);
            if (t < 0) {
                problems.at(r.skuWhere, "product " + product.skuPartNumber() + " is not among the tenant's subscribedSkus");
                return null;
            }
            int src;
            if (r.group == null) {
                src = org.licensim.core.state.StateStore.direct(t);
            } else {
                src = dir.groups().indexOf(r.group);
                if (src < 0) {
                    problems.at(r.where, "assignedByGroup \"" + r.group + "\" is not a group of this snapshot");
                    return null;
                }
            }
            int state = switch (r.state == null ? "" : r.state) {
                case "Active" -> org.licensim.core.state.States.ACTIVE;
                case "ActiveWithError" -> org.licensim.core.state.States.ACTIVE_WITH_ERROR;
                case "Error" -> org.licensim.core.state.States.ERROR;
                default -> -1;
            };
            int error = -1;
            for (int k = 0; k < org.licensim.core.state.States.errorCount(); k++) {
                if (org.licensim.core.state.States.errorNameOf(k).equals(r.error)) {
                    error = k;
                }
            }
            if (state < 0 || error < 0) {
                problems.at(r.where, "state must be Active, ActiveWithError or Error and error one of None, "
                        + "CountViolation, MutuallyExclusiveViolation, DependencyViolation, "
                        + "ProhibitedInUsageLocationViolation, UniquenessViolation, Other; found \"" + r.state + "\" / \""
                        + r.error + "\"");
                return null;
            }
            long[] disabled = new long[subs.words(t)];
            for (int i = 0; i < r.disabled.size(); i++) {
                String ref = r.disabled.get(i);
                int local = ref == null ? -1 : catalog.findPlanInProduct(product, ref);
                if (local < 0) {
                    problems.at(r.disabledWheres.get(i), "disabled plan \"" + ref + "\" is not a plan of product "
                            + product.skuPartNumber());
                    return null;
                }
                disabled[local >>> 6] |= 1L << local;
            }
            int seconds = org.licensim.core.state.StateStore.NO_TIME;
            if (r.time != null) {
                try {
                    java.time.Instant at = java.time.Instant.parse(r.time);
                    String range = Times.outsideRecorded("lastUpdatedDateTime", at);
                    if (range != null) {
                        problems.at(r.where, range);
                        return null;
                    }
                    seconds = org.licensim.core.state.StateStore.seconds(at);
                } catch (java.time.format.DateTimeParseException ex) {
                    problems.at(r.where, "lastUpdatedDateTime must be an ISO-8601 instant, found \"" + r.time + "\"");
                    return null;
                }
            }
            long key;
            if (r.order != null) {
                key = r.order;
            } else if (src >= 0) {
                key = (1L << 60) | ((long) src << 24) | u;
            } else {
                Assignments.License l = assignments.findDirect(u, t);
                key = l == null ? 0 : l.order();
            }
            return new int[] {src, t, masks.internEnabled(subs, t, disabled),
                org.licensim.core.state.States.pack(state, error), (int) (key >>> 32), (int) key, seconds};
        }

        Product product(String ref, Problems.Where where) {
            try {
                Product product = catalog.findProduct(ref);
                if (product == null) {
                    problems.at(where, (ref.matches(GUID) ? "unknown skuId " : "unknown product ") + "\"" + ref
                            + "\": not in the product catalog (see licensim catalog)");
                }
                return product;
            } catch (LicensimException e) {
                problems.at(where, e.getMessage());
                return null;
            }
        }
    }

    private static final class RawAssignment {
        Problems.Where where;
        Problems.Where targetWhere;
        Problems.Where skuWhere;
        String userId;
        String groupId;
        String sku;
        long order;
        final List<String> disabled = new ArrayList<>();
        final List<Problems.Where> disabledWheres = new ArrayList<>();
    }
}
