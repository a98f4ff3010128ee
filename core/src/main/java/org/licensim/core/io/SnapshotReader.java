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
    static final ObjectMapper TREE = new ObjectMapper();
    static final String GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

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
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = 0; // the read below says what is wrong with the file
        }
        return read(file, size >= PIPELINE_MIN_BYTES && Runtime.getRuntime().availableProcessors() > 1);
    }

    /** {@link PipelinedGroups#help} of this reader's two-thread reads (tests set it). */
    int groupLookupsHelp = PipelinedGroups.HELP_WHEN_WAITING;
    /** How many chunks of member ids the parsing thread looked up itself in this reader's two-thread reads. */
    final java.util.concurrent.atomic.AtomicInteger chunksLookedUpByParser = new java.util.concurrent.atomic.AtomicInteger();
    /** How many two-thread reads of this reader gave up and read the file again on one thread. */
    final java.util.concurrent.atomic.AtomicInteger readAgain = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Files from this size up have their users read on two threads (when the JVM has two
     * processors or more): below it (a few thousand users) a second thread and its hand-offs cost
     * more than they save.
     */
    static final long PIPELINE_MIN_BYTES = 1 << 20;

    /**
     * {@link #read(Path)}, the users read on two threads when {@code pipelined} (and the file
     * is read again on one when that gives up: see {@link PipelinedUsers}).
     */
    Tenant read(Path file, boolean pipelined) {
        try {
            if (pipelined) {
                try (InputStream in = Files.newInputStream(file)) {
                    return new Session(file.toString(), true, Files.size(file)).run(in);
                } catch (Retry again) {
                    // a problem, or a user only the one-thread reader takes: read again below
                    readAgain.incrementAndGet();
                }
            }
            try (InputStream in = Files.newInputStream(file)) {
                return read(in, file.toString());
            }
        } catch (NoSuchFileException e) {
            throw new LicensimException("snapshot file not found: " + file);
        } catch (IOException e) {
            throw new LicensimException("cannot read snapshot " + file + ": " + e.getMessage(), e);
        }
    }

    public Tenant read(InputStream in, String name) throws IOException {
        return new Session(name, false, 0).run(in);
    }

    final class Session {
        /** The second pass: what refers to what, checked and linked. */
        private final SnapshotLinks links = new SnapshotLinks(this);

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

        /** The groups being read on two threads ({@link PipelinedGroups}), or null. */
        PipelinedGroups groupPipe;

        /** Whether the users are read on two threads ({@link PipelinedUsers}); else one at a time. */
        private final boolean pipelined;
        final long fileBytes; // 0 when not known (a stream): PipelinedUsers tells from it how many users come

        /** The reader this session reads for. */
        SnapshotReader reader() {
            return SnapshotReader.this;
        }

        Session(String name, boolean pipelined, long fileBytes) {
            problems = new Problems(name);
            fields = new JsonFields(problems);
            this.pipelined = pipelined;
            this.fileBytes = fileBytes;
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
                            case "users" -> {
                                if (pipelined && !problems.any() && p.currentToken() == JsonToken.START_ARRAY) {
                                    new PipelinedUsers(this).read(p);
                                } else {
                                    eachElement(p, this::readUser);
                                }
                                // R16's counts (unless made as the users came) on the other core while the groups are read
                                dir.users().countProxyAddressesInBackground();
                            }
                            case "directoryExtensions" -> eachElement(p, (q, index) -> extensions.readDeclaration(q, index,
                                    fields, problems));
                            case "subscriptions" -> eachElement(p, (q, index) -> subscriptions.read(q, index, fields,
                                    problems, SnapshotReader.this.catalog));
                            case "groups" -> {
                                if (pipelined && seenSections.contains("users") && !problems.any()
                                        && p.currentToken() == JsonToken.START_ARRAY) {
                                    groupPipe = new PipelinedGroups(this);
                                    groupPipe.help = groupLookupsHelp;
                                    try {
                                        groupPipe.read(p);
                                    } finally {
                                        groupPipe = null;
                                    }
                                } else {
                                    eachElement(p, this::readGroup);
                                }
                                loadMembersInBackground();
                            }
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
                                problems.unknownSection(p, section);
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
                            "malformed JSON: " + org.licensim.core.files.JsonSyntax.words(e));
                    problems.throwIfAny();
                }
            }
            if (settings == null) {
                problems.add(0, 0, "$.tenant", "the snapshot has no \"tenant\" section (id, countryLetterCode are required)");
            }
            applyTenantPlans();
            extensions.apply(dir.users(), problems);
            links.resolveMembers();
            if (membersLoading != null) {
                membersLoading.join();
            } else {
                dir.loadMembers(listed);
            }
            links.resolveAssignments();
            var prior = links.resolveStates();
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

        /** The user being read: one object, its maps emptied for each user (nothing keeps them). */
        private final UserData user = new UserData();
        private final List<JsonFields.RawState> userStates = new ArrayList<>();
        private final Problems.Where[] userIdWhere = new Problems.Where[1];
        final UserData.Changes userChanges = new UserData.Changes();

        void readUser(JsonParser p, int index) throws IOException {
            // the path is made only for a problem: a string per user was a tenth of reading a user
            Problems.Where at = Problems.Where.cheap(p);
            Problems.Where[] idWhere = userIdWhere;
            idWhere[0] = at;
            UserData data = user;
            data.clear();
            List<JsonFields.RawState> states = userStates;
            states.clear();
            fields.readUser(p, data, idWhere, states);
            String id = data.id;
            if (id == null || id.isBlank()) {
                problems.at(at.withPath("$.users[" + index + "]"), "a user needs a non-empty \"id\"");
                return;
            }
            if (org.licensim.core.directory.Ids.tooLong(id)) {
                problems.at(idWhere[0].withPath("$.users[" + index + "].id"), org.licensim.core.directory.Ids.tooLongMessage(id));
                return;
            }
            int u = dir.groups().everExisted(id) ? -1 : dir.users().addNew(id, data.accountEnabled == null || data.accountEnabled);
            if (u < 0) {
                problems.at(idWhere[0].withPath("$.users[" + index + "].id"), "duplicate id \"" + id
                        + "\": ids must be unique across users and groups");
                return;
            }
            if (data.hasDirectoryExtensions()) {
                extensions.takeValues(u, data, at.withPath("$.users[" + index + "]"));
            }
            userChanges.apply(data, dir.users(), u);
            if (!states.isEmpty()) {
                rawStates.put(u, new ArrayList<>(states));
            }
        }

        void readGroup(JsonParser p, int index) throws IOException {
            if (groupPipe != null) {
                groupPipe.startGroup(index);
            }
            Problems.Where start = Problems.Where.of(p);
            String id = null;
            Problems.Where idWhere = start;
            String name = null;
            boolean security = true;
            String rule = null;
            boolean paused = false;
            Problems.Where ruleWhere = null;
            members.clear();
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
                    case "members" -> memberIds(p);
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
            if (groupPipe != null) {
                groupPipe.added(g);
                return;
            }
            int n = members.count;
            if (found.length < n) {
                found = new int[Math.max(n, found.length * 2)];
            }
            dir.users().indexesOf(members.chars, members.starts, members.lengths, n, found);
            for (int i = 0; i < n; i++) {
                if (found[i] >= 0) {
                    listUser(g, found[i]);
                } else {
                    String member = members.id(i);
                    if (!addMember(g, member)) {
                        pendingGroup.add(g);
                        pendingMember.add(member);
                        pendingWhere.add(new Problems.Where(members.lines[i], members.columns[i],
                                "$.groups[" + index + "].members[" + i + "]"));
                    }
                }
            }
        }

        /** The users' group lists being made on a thread of their own (see {@link #loadMembersInBackground}), or null. */
        private Background membersLoading;

        /**
         * When the groups are read after the users and every member was found, the member lists
         * are final: they go into the directory on a thread of their own while the rest of the
         * file (the assignments) is read, which touches no membership. Joined where they would
         * otherwise be loaded.
         */
        void loadMembersInBackground() {
            if (pipelined && seenSections.contains("users") && pendingMember.isEmpty() && !problems.any()) {
                var lists = listed;
                membersLoading = new Background("licensim-load-members", () -> dir.loadMembers(lists));
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

        /** The member ids of the group being read (every group's list reuses it; or the chunk being filled). */
        MemberIds members = new MemberIds();

        /**
         * Reads a members array into {@link #members}: each id's characters as the parser holds
         * them, its hash and its position, no String made (a member id is looked up, not kept).
         */
        void memberIds(JsonParser p) throws IOException {
            if (groupPipe != null) {
                groupPipe.memberIds(p);
                return;
            }
            members.clear();
            if (p.currentToken() != JsonToken.START_ARRAY) {
                problems.at(p, "expected an array of member ids, found " + JsonFields.describe(p));
                p.skipChildren();
                return;
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    com.fasterxml.jackson.core.JsonLocation at = p.currentTokenLocation();
                    members.add(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), at.getLineNr(),
                            at.getColumnNr());
                } else {
                    problems.at(p, "expected a member id (string), found " + JsonFields.describe(p));
                    p.skipChildren();
                }
            }
        }

        void readAssignment(JsonParser p, int index) throws IOException {
            RawAssignment a = new RawAssignment();
            // positions without their paths: a path is made only for a problem (RawAssignment#where)
            a.at = Problems.Where.cheap(p);
            a.index = index;
            a.order = rawAssignments.size();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "userId" -> {
                        a.targetAt = Problems.Where.cheap(p);
                        a.targetField = "userId";
                        a.userId = fields.string(p);
                    }
                    case "groupId" -> {
                        a.targetAt = Problems.Where.cheap(p);
                        a.targetField = "groupId";
                        a.groupId = fields.string(p);
                    }
                    case "skuId" -> {
                        a.skuAt = Problems.Where.cheap(p);
                        a.sku = fields.string(p);
                    }
                    case "disabledPlans" -> fields.planRefs(p, a.disabled, a.disabledWheres);
                    default -> fields.unknownField(p, f, "userId or groupId, skuId, disabledPlans");
                }
            }
            rawAssignments.add(a);
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

    /** The two-thread reading of the users gave up; the file is read again on one thread. */
    static final class Retry extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Retry INSTANCE = new Retry();

        private Retry() {
            super("read again on one thread", null, false, false);
        }
    }

    static final class RawAssignment {
        /** Where the assignment, its userId or groupId, and its skuId were, without their JSON paths. */
        Problems.Where at;
        Problems.Where targetAt;
        Problems.Where skuAt;
        String targetField;
        int index;

        /** The assignment's position and path ({@code $.assignments[i]}). */
        Problems.Where where() {
            return at.withPath("$.assignments[" + index + "]");
        }

        /** The position and path of its userId or groupId (the last given), or null when it has neither. */
        Problems.Where targetWhere() {
            return targetAt == null ? null : targetAt.withPath("$.assignments[" + index + "]." + targetField);
        }

        /** The position and path of its skuId, or null when it has none. */
        Problems.Where skuWhere() {
            return skuAt == null ? null : skuAt.withPath("$.assignments[" + index + "].skuId");
        }

        String userId;
        String groupId;
        String sku;
        long order;
        final List<String> disabled = new ArrayList<>();
        final List<Problems.Where> disabledWheres = new ArrayList<>();
    }
}
