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
     * is read again on one when that gives up: see {@link Session#readUsersPipelined}).
     */
    Tenant read(Path file, boolean pipelined) {
        try {
            if (pipelined) {
                try (InputStream in = Files.newInputStream(file)) {
                    return new Session(file.toString(), true).run(in);
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
        return new Session(name, false).run(in);
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

        /** Whether the users are read on two threads ({@link #readUsersPipelined}); else one at a time. */
        private final boolean pipelined;

        Session(String name, boolean pipelined) {
            problems = new Problems(name);
            fields = new JsonFields(problems);
            this.pipelined = pipelined;
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
                                    readUsersPipelined(p);
                                } else {
                                    eachElement(p, this::readUser);
                                }
                                // R16's counts on the other core while the groups are read
                                dir.users().countProxyAddressesInBackground();
                            }
                            case "directoryExtensions" -> eachElement(p, (q, index) -> extensions.readDeclaration(q, index,
                                    fields, problems));
                            case "subscriptions" -> eachElement(p, (q, index) -> subscriptions.read(q, index, fields,
                                    problems, SnapshotReader.this.catalog));
                            case "groups" -> {
                                if (pipelined && seenSections.contains("users") && !problems.any()
                                        && p.currentToken() == JsonToken.START_ARRAY) {
                                    readGroupsPipelined(p);
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
        private final UserData.Changes userChanges = new UserData.Changes();

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

        /**
         * The users array read on two threads: this one parses users into {@link UserBlock}s, a
         * second adds each finished block to the directory (the ids' table, the columns and their
         * dictionaries) while the next is parsed. Blocks are added in the order read, so every
         * index, code and table is what reading one user at a time gives. Only a snapshot whose
         * users are all valid is read so: at the first problem (or any user this path does not
         * take, e.g. one carrying directory extension values) it gives up with {@link Retry},
         * and the file is read again by the one-thread reader, which reports the problems in
         * their order and words.
         */
        void readUsersPipelined(JsonParser p) throws IOException {
            boolean groupsFirst = dir.groups().size() > 0;
            List<UserBlock> blocks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                blocks.add(new UserBlock(USER_BLOCK));
            }
            Pipeline<UserBlock> pipe = new Pipeline<>("licensim-read-users", blocks, this::addBlock, UserBlock::clear);
            boolean done = false;
            try {
                UserBlock b = pipe.next();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        throw Retry.INSTANCE;
                    }
                    readUserFlat(p, b);
                    if (problems.any()) {
                        throw Retry.INSTANCE;
                    }
                    if (b.full()) {
                        pipe.handOff(b);
                        b = pipe.next();
                    }
                }
                pipe.finish(b);
                done = true;
            } catch (JsonProcessingException e) {
                // a user before this point may be a duplicate the other thread has not reached: read again
                throw Retry.INSTANCE;
            } finally {
                if (!done) {
                    pipe.abandon();
                }
            }
            if (groupsFirst) {
                // groups came first: a user id that is a group's is a problem the one-thread reader reports
                for (int u = 0; u < dir.users().size(); u++) {
                    if (dir.groups().everExisted(dir.users().id(u))) {
                        throw Retry.INSTANCE;
                    }
                }
            }
        }

        /** Users per block of {@link #readUsersPipelined}: enough that a hand-off is rare, few enough that a block stays in the cache. */
        static final int USER_BLOCK = 512;

        /** The second thread's part: adds the block's users in order; false at a taken id. */
        private boolean addBlock(UserBlock b) {
            var users = dir.users();
            int n = b.size;
            users.addNewAll(b.ids, b.enabled, n, b.added);
            for (int j = 0; j < n; j++) {
                int u = b.added[j];
                if (u < 0) {
                    return false;
                }
                UserData whole = b.whole[j];
                if (whole == null) {
                    b.applyFlat(j, users, u);
                } else {
                    userChanges.apply(whole, users, u);
                    if (b.states[j] != null) {
                        rawStates.put(u, b.states[j]);
                    }
                }
            }
            return true;
        }

        /**
         * The values of the user properties most users share (not {@link UserSchema#UNIQUE_VALUED}:
         * department, country, hire date...), per property index, and of the usage location.
         */
        private final ValueCache[] shared = sharedValueCaches();
        private final ValueCache locations = new ValueCache();

        private static ValueCache[] sharedValueCaches() {
            ValueCache[] c = new ValueCache[org.licensim.core.directory.UserSchema.STRING_PROPERTIES.size()];
            for (int i = 0; i < c.length; i++) {
                if (!org.licensim.core.directory.UserSchema.UNIQUE_VALUED.contains(
                        org.licensim.core.directory.UserSchema.STRING_PROPERTIES.get(i))) {
                    c[i] = new ValueCache();
                }
            }
            return c;
        }

        /** Scratch of {@link #readUserFlat} for a user read whole. */
        private final Problems.Where[] flatIdWhere = new Problems.Where[1];

        /**
         * One user into block {@code b}: the usual fields flat, and the user read whole from the
         * first field the block does not hold. A problem is only recorded (the caller gives up).
         */
        void readUserFlat(JsonParser p, UserBlock b) throws IOException {
            b.begin();
            int j = b.size;
            UserData whole = null;
            List<JsonFields.RawState> states = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                int field = JsonFields.userField(f);
                if (whole == null) {
                    switch (field >>> 8) {
                        case JsonFields.ID -> {
                            b.ids[j] = fields.string(p);
                            continue;
                        }
                        case JsonFields.ENABLED -> {
                            b.enabled[j] = fields.bool(p, true);
                            continue;
                        }
                        case JsonFields.LOCATION -> {
                            b.location[j] = p.currentToken() == JsonToken.VALUE_STRING
                                    ? fields.countryCode(locations.get(p), p) : fields.countryCode(p);
                            b.hasLocation[j] = true;
                            continue;
                        }
                        case JsonFields.STRING -> {
                            int prop = field & 255;
                            ValueCache cache = shared[prop];
                            b.putString(prop, cache != null && p.currentToken() == JsonToken.VALUE_STRING ? cache.get(p)
                                    : fields.string(p));
                            continue;
                        }
                        case JsonFields.MULTI -> {
                            readMultiFlat(p, b, field & 255);
                            continue;
                        }
                        default -> {
                            if (f.startsWith("@odata.") || f.equals("assignedLicenses")) {
                                p.skipChildren();
                                continue;
                            }
                            whole = b.toUserData();
                            states = new ArrayList<>();
                        }
                    }
                }
                fields.readUserField(p, f, field, whole, flatIdWhere, states);
            }
            if (whole != null) {
                if (whole.hasDirectoryExtensions()) {
                    // their values wait for the declarations with the user's position: the one-thread reader keeps it
                    throw Retry.INSTANCE;
                }
                b.ids[j] = whole.id;
                b.enabled[j] = whole.accountEnabled == null || whole.accountEnabled;
                b.whole[j] = whole;
                b.states[j] = states.isEmpty() ? null : states;
            }
            String id = b.ids[j];
            if (id == null || id.isBlank() || org.licensim.core.directory.Ids.tooLong(id)) {
                throw Retry.INSTANCE;
            }
            b.end();
        }

        /** A multi-valued property's strings into the block, as {@link JsonFields#strings} reads them. */
        private void readMultiFlat(JsonParser p, UserBlock b, int property) throws IOException {
            b.startMulti(property);
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return;
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                fields.strings(p); // records the problem
                return;
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String v = fields.string(p);
                if (v != null) {
                    b.addValue(v);
                }
            }
        }

        /** Member ids per chunk handed to the other thread by {@link #readGroupsPipelined}. */
        static final int MEMBER_CHUNK = 4096;
        /** The member lookups' hand-off while {@link #readGroupsPipelined} runs; null otherwise. */
        private Pipeline<MemberIds> memberPipe;
        /** Whether the group being read had its members array already (pipelined: they are handed off as read). */
        private boolean groupHadMembers;

        /**
         * The groups array read on two threads, once the users are read: this one parses the
         * groups and their member ids, a second looks the ids up among the users in chunks and
         * lists the users found, in the order read, while the next chunk is parsed. An id that
         * is not a user's is handled on this thread as {@link #readGroup} handles it (a group
         * read up to then becomes a nested member; otherwise it waits for the end), in order.
         * Chunks are handed off as their ids are read, before the group is checked: at any
         * problem in the groups it gives up with {@link Retry}, and the file is read again on
         * one thread.
         */
        void readGroupsPipelined(JsonParser p) throws IOException {
            List<MemberIds> chunks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                chunks.add(new MemberIds());
            }
            memberPipe = new Pipeline<>("licensim-read-members", chunks, this::lookUpChunk, this::chunkBack);
            MemberIds kept = members;
            boolean done = false;
            try {
                members = memberPipe.next();
                eachElement(p, (q, index) -> {
                    readGroup(q, index);
                    if (problems.any()) {
                        throw Retry.INSTANCE;
                    }
                });
                if (problems.any()) {
                    throw Retry.INSTANCE;
                }
                memberPipe.finish(members);
                done = true;
            } catch (JsonProcessingException e) {
                throw Retry.INSTANCE;
            } finally {
                if (!done) {
                    memberPipe.abandon();
                }
                memberPipe = null;
                members = kept;
            }
        }

        /** The other thread's part: the chunk's ids looked up among the users, the users found listed. */
        private boolean lookUpChunk(MemberIds m) {
            int n = m.count;
            if (m.found.length < n) {
                m.found = new int[Math.max(n, MEMBER_CHUNK)];
            }
            dir.users().indexesOf(m.chars, m.starts, m.lengths, m.codes, n, m.found);
            var list = m.list;
            for (int i = 0; i < n; i++) {
                int u = m.found[i];
                if (u >= 0) {
                    list.add(u);
                } else {
                    m.missing = true;
                }
            }
            return true;
        }

        /**
         * A chunk back from the other thread (in the order handed off): its ids that are no
         * user's, as {@link #addMember} takes them when the group is read (only groups read up
         * to the chunk's own are known then), or pending.
         */
        private void chunkBack(MemberIds m) {
            if (m.missing) {
                for (int i = 0; i < m.count; i++) {
                    if (m.found[i] < 0) {
                        String member = m.id(i);
                        int other = dir.groups().indexOf(member);
                        if (other >= 0 && other <= m.group) {
                            dir.addNestedGroup(m.group, other);
                        } else {
                            pendingGroup.add(m.group);
                            pendingMember.add(member);
                            pendingWhere.add(new Problems.Where(m.lines[i], m.columns[i],
                                    "$.groups[" + m.element + "].members[" + (m.base + i) + "]"));
                        }
                    }
                }
            }
            m.clear();
        }

        /** The chunk being filled is full: handed off, an empty one takes its place for the same group. */
        private void nextChunk() throws IOException {
            MemberIds full = members;
            memberPipe.handOff(full);
            MemberIds m = memberPipe.next();
            m.group = full.group;
            m.list = full.list;
            m.element = full.element;
            m.base = full.base + full.count;
            members = m;
        }

        void readGroup(JsonParser p, int index) throws IOException {
            if (memberPipe != null) {
                // the chunks of this group's members go to the index it gets when added (checked below),
                // into a list made here: the other thread never touches the array of lists (nor grows it)
                int g = dir.groups().size();
                if (g >= listed.length) {
                    listed = java.util.Arrays.copyOf(listed, Math.max(g + 1, listed.length * 2));
                }
                listed[g] = new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList();
                members.list = listed[g];
                members.group = g;
                members.element = index;
                members.base = 0;
                groupHadMembers = false;
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
            if (memberPipe != null) {
                if (g != members.group || problems.any()) {
                    throw Retry.INSTANCE;
                }
                if (members.count > 0) {
                    nextChunk();
                }
                return;
            }
            int n = members.count;
            if (found.length < n) {
                found = new int[Math.max(n, found.length * 2)];
            }
            dir.users().indexesOf(members.chars, members.starts, members.lengths, members.codes, n, found);
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
            if (memberPipe != null) {
                if (groupHadMembers) {
                    throw Retry.INSTANCE; // a second members array replaces the first, whose chunks are gone
                }
                groupHadMembers = true;
                readMemberChunks(p);
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

        /** {@link #memberIds} when the lookups are on the other thread: full chunks handed off as they fill. */
        private void readMemberChunks(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                problems.at(p, "expected an array of member ids, found " + JsonFields.describe(p));
                p.skipChildren();
                return;
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    if (members.count == MEMBER_CHUNK) {
                        nextChunk();
                    }
                    int line;
                    int column;
                    if (p.getClass() == com.fasterxml.jackson.core.json.UTF8StreamJsonParser.class) {
                        // the token's position without a JsonLocation per member; the same line and
                        // column (this parser's token column number is one past its location's)
                        var q = (com.fasterxml.jackson.core.json.UTF8StreamJsonParser) p;
                        line = q.getTokenLineNr();
                        column = q.getTokenColumnNr() - 1;
                    } else {
                        com.fasterxml.jackson.core.JsonLocation at = p.currentTokenLocation();
                        line = at.getLineNr();
                        column = at.getColumnNr();
                    }
                    members.add(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), line, column);
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

    /** Work on a thread of its own, joined once (its failure thrown then, as it was). */
    static final class Background {
        private final Thread thread;
        private volatile Throwable failure;

        Background(String name, Runnable work) {
            thread = new Thread(() -> {
                try {
                    work.run();
                } catch (Throwable t) {
                    failure = t;
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        void join() {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the work is part of the result: wait for it
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
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
