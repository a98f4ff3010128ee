package org.licensim.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.CommercialSubscription;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.directory.Users;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;
import org.roaringbitmap.PeekableIntIterator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Microsoft Graph's JSON, written in one place: a writer per resource type (user,
 * licenseAssignmentState, assignedLicense, licenseDetails, subscribedSku, companySubscription,
 * group), the collection envelope ({@code @odata.context}, {@code @odata.count}, {@code value},
 * {@code @odata.nextLink}) and the error envelope. Property names and shapes follow Graph v1.0;
 * what differs is listed in docs/SERVE.md.
 */
final class GraphJson {
    static final String METADATA = "https://graph.microsoft.com/v1.0/$metadata#";
    private static final JsonFactory JSON = new JsonFactory();

    /** Graph's user properties returned without $select. */
    static final List<String> USER_DEFAULT = List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail",
            "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");
    /** Graph's user property -> licensim's column, where the names differ. */
    private static final Map<String, String> USER_COLUMN = Map.of("mobilePhone", "mobile", "officeLocation",
            "physicalDeliveryOfficeName", "faxNumber", "facsimileTelephoneNumber");
    /** Every user property this server can return, Graph's spelling, lower case -> canonical. */
    static final Map<String, String> USER_PROPERTIES;

    static final List<String> GROUP_DEFAULT = List.of("id", "displayName", "description", "groupTypes", "mailEnabled",
            "securityEnabled", "membershipRule", "membershipRuleProcessingState");
    static final Map<String, String> GROUP_PROPERTIES;
    static final Map<String, String> SKU_PROPERTIES;
    /** organization's properties licensim serves, for {@code $select}, by lower-case name. */
    static final Map<String, String> ORGANIZATION_PROPERTIES;
    /** licenseDetails' properties for {@code $select}, by lower-case name. */
    static final Map<String, String> LICENSE_DETAILS_PROPERTIES;

    static {
        Map<String, String> u = new java.util.LinkedHashMap<>();
        for (String p : List.of("id", "accountEnabled", "usageLocation", "assignedLicenses", "licenseAssignmentStates",
                "signInActivity", "businessPhones", "mobilePhone", "officeLocation", "faxNumber", "proxyAddresses",
                "otherMails", "onPremisesExtensionAttributes")) {
            u.put(p.toLowerCase(Locale.ROOT), p);
        }
        for (String p : UserSchema.STRING_PROPERTIES) {
            if (!UserSchema.isExtensionAttribute(p) && !USER_COLUMN.containsValue(p) && !p.equals("telephoneNumber")) {
                u.put(p.toLowerCase(Locale.ROOT), p);
            }
        }
        USER_PROPERTIES = java.util.Collections.unmodifiableMap(u);
        Map<String, String> g = new java.util.LinkedHashMap<>();
        for (String p : List.of("id", "displayName", "description", "groupTypes", "mailEnabled", "securityEnabled",
                "membershipRule", "membershipRuleProcessingState", "assignedLicenses", "licenseProcessingState",
                "hasMembersWithLicenseErrors")) {
            g.put(p.toLowerCase(Locale.ROOT), p);
        }
        GROUP_PROPERTIES = java.util.Collections.unmodifiableMap(g);
        Map<String, String> s = new java.util.LinkedHashMap<>();
        for (String p : List.of("accountId", "accountName", "appliesTo", "capabilityStatus", "consumedUnits", "id",
                "prepaidUnits", "servicePlans", "skuId", "skuPartNumber", "subscriptionIds")) {
            s.put(p.toLowerCase(Locale.ROOT), p);
        }
        SKU_PROPERTIES = java.util.Collections.unmodifiableMap(s);
        Map<String, String> d = new java.util.LinkedHashMap<>();
        for (String p : List.of("id", "skuId", "skuPartNumber", "servicePlans")) {
            d.put(p.toLowerCase(Locale.ROOT), p);
        }
        LICENSE_DETAILS_PROPERTIES = java.util.Collections.unmodifiableMap(d);
        Map<String, String> o = new java.util.LinkedHashMap<>();
        for (String p : List.of("id", "displayName", "countryLetterCode", "tenantType")) {
            o.put(p.toLowerCase(Locale.ROOT), p);
        }
        ORGANIZATION_PROPERTIES = java.util.Collections.unmodifiableMap(o);
    }

    private final Tenant tenant;
    /** disabledPlans per (product, plan mask): a tenant has a few hundred, users repeat them. */
    private final ConcurrentHashMap<Long, List<String>> disabled = new ConcurrentHashMap<>();

    GraphJson(Tenant tenant) {
        this.tenant = tenant;
    }

    /** A JSON document being written into memory (sent after the read lock is released). */
    static final class Doc implements AutoCloseable {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        final JsonGenerator g;

        Doc() {
            try {
                g = JSON.createGenerator(bytes, JsonEncoding.UTF8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] done() {
            try {
                g.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        @Override
        public void close() {
            done();
        }
    }

    /**
     * The $select of a request: Graph's names, canonical spelling, in the order asked; null: none
     * given. An unknown name is Graph's 400.
     */
    static List<String> select(String param, Map<String, String> known, String type) {
        if (param == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : param.split(",")) {
            String p = s.trim();
            if (p.isEmpty()) {
                continue;
            }
            String c = known.get(p.toLowerCase(Locale.ROOT));
            if (c == null) {
                throw GraphError.badRequest("Could not find a property named '" + p + "' on type 'microsoft.graph."
                        + type + "'.");
            }
            out.add(c);
        }
        return out.isEmpty() ? null : new ArrayList<>(out);
    }

    /** {@code @odata.context} of a collection or entity with {@code select}. */
    static String context(String entitySet, List<String> select, boolean entity) {
        return METADATA + entitySet + (select == null ? "" : "(" + String.join(",", select) + ")")
                + (entity ? "/$entity" : "");
    }

    // ---- users

    /** User {@code u} with {@code select} (null: Graph's default properties); {@code es} is scratch for its entries. */
    void user(JsonGenerator g, int u, List<String> select, int[][] es, boolean typed) throws IOException {
        Users users = tenant.users();
        g.writeStartObject();
        if (typed) {
            g.writeStringField("@odata.type", "#microsoft.graph.user");
        }
        for (String p : select == null ? USER_DEFAULT : select) {
            switch (p) {
                case "id" -> g.writeStringField("id", users.id(u));
                case "accountEnabled" -> g.writeBooleanField("accountEnabled", users.accountEnabled(u));
                case "usageLocation" -> nullable(g, "usageLocation", users.usageLocation().get(u));
                case "businessPhones" -> {
                    g.writeArrayFieldStart("businessPhones");
                    String phone = users.get(u, "telephoneNumber");
                    if (phone != null) {
                        g.writeString(phone);
                    }
                    g.writeEndArray();
                }
                case "signInActivity" -> {
                    g.writeObjectFieldStart("signInActivity");
                    long last = users.lastSignIn(u);
                    nullable(g, "lastSignInDateTime", last == Long.MIN_VALUE ? null : Instant.ofEpochSecond(last).toString());
                    g.writeEndObject();
                }
                case "proxyAddresses", "otherMails" -> {
                    g.writeArrayFieldStart(p);
                    for (String v : users.multiColumn(p).get(u)) {
                        g.writeString(v);
                    }
                    g.writeEndArray();
                }
                case "onPremisesExtensionAttributes" -> {
                    g.writeObjectFieldStart(p);
                    for (int i = 1; i <= 15; i++) {
                        nullable(g, "extensionAttribute" + i, users.get(u, "extensionAttribute" + i));
                    }
                    g.writeEndObject();
                }
                case "assignedLicenses" -> assignedLicenses(g, u, entries(u, es), es[0]);
                case "licenseAssignmentStates" -> licenseAssignmentStates(g, entries(u, es), es[0]);
                default -> nullable(g, p, users.get(u, USER_COLUMN.getOrDefault(p, p)));
            }
        }
        g.writeEndObject();
    }

    /** Reads user {@code u}'s entries into {@code es[0]} (grown as needed); returns how many. */
    private int entries(int u, int[][] es) {
        StateStore store = storeOf();
        int n = store.count(u);
        if (es[0] == null || es[0].length < n * StateStore.ENTRY_INTS) {
            es[0] = new int[Math.max(16, n) * StateStore.ENTRY_INTS];
        }
        return n == 0 ? 0 : store.read(u, es[0]);
    }

    private StateStore store;

    void useStore(StateStore s) {
        this.store = s;
    }

    private StateStore storeOf() {
        return store;
    }

    /** Graph's assignedLicenses of a user: per product held (any source Active or ActiveWithError), the union of its enabled plans. */
    private void assignedLicenses(JsonGenerator g, int u, int n, int[] es) throws IOException {
        g.writeArrayFieldStart("assignedLicenses");
        Subscriptions subs = tenant.subscriptions();
        for (int t = 0; t < subs.size(); t++) {
            long[] union = null;
            for (int i = 0; i < n; i++) {
                int at = i * StateStore.ENTRY_INTS;
                if (es[at + StateStore.PRODUCT] == t && States.holds(es[at + StateStore.STATE])) {
                    long[] m = tenant.masks().copy(es[at + StateStore.MASK]);
                    if (union == null) {
                        union = m;
                    } else {
                        for (int w = 0; w < m.length; w++) {
                            union[w] |= m[w];
                        }
                    }
                }
            }
            if (union != null) {
                g.writeStartObject();
                g.writeArrayFieldStart("disabledPlans");
                for (String p : disabledOf(subs.product(t), union)) {
                    g.writeString(p);
                }
                g.writeEndArray();
                g.writeStringField("skuId", subs.product(t).skuId());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    private void licenseAssignmentStates(JsonGenerator g, int n, int[] es) throws IOException {
        g.writeArrayFieldStart("licenseAssignmentStates");
        Subscriptions subs = tenant.subscriptions();
        for (int i = 0; i < n; i++) {
            int at = i * StateStore.ENTRY_INTS;
            int src = es[at + StateStore.SRC];
            int t = es[at + StateStore.PRODUCT];
            int state = es[at + StateStore.STATE];
            g.writeStartObject();
            nullable(g, "assignedByGroup", StateStore.isDirect(src) ? null : tenant.groups().id(src));
            g.writeArrayFieldStart("disabledPlans");
            for (String p : disabledOf(t, es[at + StateStore.MASK])) {
                g.writeString(p);
            }
            g.writeEndArray();
            g.writeStringField("error", States.errorName(state));
            Instant when = StateStore.instant(es[at + StateStore.TIME]);
            nullable(g, "lastUpdatedDateTime", when == null ? null : when.toString());
            g.writeStringField("skuId", subs.product(t).skuId());
            g.writeStringField("state", States.stateName(state));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The tenant as Graph's organization, with {@code select} (null: every property licensim serves). */
    void organization(JsonGenerator g, List<String> select) throws IOException {
        g.writeStartObject();
        for (String f : select == null ? ORGANIZATION_PROPERTIES.values() : select) {
            switch (f) {
                case "id" -> g.writeStringField(f, tenant.settings().id());
                case "displayName" -> nullable(g, f, tenant.settings().displayName());
                case "countryLetterCode" -> nullable(g, f, tenant.settings().defaultCountry());
                case "tenantType" -> g.writeStringField(f, "AAD");
                default -> throw new IllegalStateException("organization property " + f);
            }
        }
        g.writeEndObject();
    }

    /**
     * Graph's licenseDetails of user {@code u}: one per product held, its plans with
     * provisioningStatus; {@code select} (null: every property) picks the properties written.
     */
    void licenseDetails(JsonGenerator g, int u, int[][] scratch, List<String> select) throws IOException {
        int n = entries(u, scratch);
        int[] es = scratch[0];
        Subscriptions subs = tenant.subscriptions();
        Catalog catalog = tenant.catalog();
        for (int t = 0; t < subs.size(); t++) {
            long[] union = null;
            for (int i = 0; i < n; i++) {
                int at = i * StateStore.ENTRY_INTS;
                if (es[at + StateStore.PRODUCT] == t && States.holds(es[at + StateStore.STATE])) {
                    long[] m = tenant.masks().copy(es[at + StateStore.MASK]);
                    if (union == null) {
                        union = m;
                    } else {
                        for (int w = 0; w < m.length; w++) {
                            union[w] |= m[w];
                        }
                    }
                }
            }
            if (union == null) {
                continue;
            }
            Product p = subs.product(t);
            g.writeStartObject();
            for (String f : select == null ? LICENSE_DETAILS_PROPERTIES.values() : select) {
                switch (f) {
                    case "id" -> g.writeStringField(f, Base64.getUrlEncoder().withoutPadding().encodeToString(
                            (tenant.users().id(u) + "_" + p.skuId()).getBytes(StandardCharsets.UTF_8)));
                    case "skuId" -> g.writeStringField(f, p.skuId());
                    case "skuPartNumber" -> g.writeStringField(f, p.skuPartNumber());
                    case "servicePlans" -> {
                        g.writeArrayFieldStart(f);
                        int[] plans = p.plans();
                        for (int i = 0; i < plans.length; i++) {
                            g.writeStartObject();
                            g.writeStringField("servicePlanId", catalog.plan(plans[i]).servicePlanId());
                            g.writeStringField("servicePlanName", catalog.plan(plans[i]).servicePlanName());
                            g.writeStringField("provisioningStatus", (union[i >>> 6] & (1L << i)) != 0 ? "Success"
                                    : "Disabled");
                            g.writeStringField("appliesTo", "User");
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                    }
                    default -> throw new IllegalStateException("licenseDetails property " + f);
                }
            }
            g.writeEndObject();
        }
    }

    private List<String> disabledOf(int t, int mask) {
        return disabled.computeIfAbsent(((long) t << 32) | (mask & 0xFFFFFFFFL),
                k -> disabledOf(tenant.subscriptions().product(t), tenant.masks().copy(mask)));
    }

    private List<String> disabledOf(Product p, long[] enabled) {
        List<String> out = new ArrayList<>();
        int[] plans = p.plans();
        for (int i = 0; i < plans.length; i++) {
            if ((enabled[i >>> 6] & (1L << i)) == 0) {
                out.add(tenant.catalog().plan(plans[i]).servicePlanId());
            }
        }
        return out;
    }

    // ---- subscribedSkus and subscriptions

    void sku(JsonGenerator g, int t, int consumed, List<String> select) throws IOException {
        Subscriptions subs = tenant.subscriptions();
        Product p = subs.product(t);
        Subscriptions.PrepaidUnits units = subs.units(t);
        String tenantId = tenant.settings().id();
        g.writeStartObject();
        for (String f : select == null ? SKU_PROPERTIES.values() : select) {
            switch (f) {
                case "accountId" -> g.writeStringField(f, tenantId);
                case "accountName" -> nullable(g, f, tenant.settings().displayName());
                case "appliesTo" -> g.writeStringField(f, "User");
                case "capabilityStatus" -> g.writeStringField(f, units.enabled() > 0 ? "Enabled"
                        : units.warning() > 0 ? "Warning" : units.suspended() > 0 ? "Suspended" : "LockedOut");
                case "consumedUnits" -> g.writeNumberField(f, consumed);
                case "id" -> g.writeStringField(f, tenantId + "_" + p.skuId());
                case "prepaidUnits" -> {
                    g.writeObjectFieldStart(f);
                    g.writeNumberField("enabled", units.enabled());
                    g.writeNumberField("suspended", units.suspended());
                    g.writeNumberField("warning", units.warning());
                    g.writeNumberField("lockedOut", units.lockedOut());
                    g.writeEndObject();
                }
                case "servicePlans" -> {
                    g.writeArrayFieldStart(f);
                    for (int plan : p.plans()) {
                        g.writeStartObject();
                        g.writeStringField("servicePlanId", tenant.catalog().plan(plan).servicePlanId());
                        g.writeStringField("servicePlanName", tenant.catalog().plan(plan).servicePlanName());
                        g.writeStringField("provisioningStatus", "Success");
                        g.writeStringField("appliesTo", "User");
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                case "skuId" -> g.writeStringField(f, p.skuId());
                case "skuPartNumber" -> g.writeStringField(f, p.skuPartNumber());
                case "subscriptionIds" -> {
                    g.writeArrayFieldStart(f);
                    for (CommercialSubscription c : subscriptionsOf(t)) {
                        g.writeString(c.id());
                    }
                    g.writeEndArray();
                }
                default -> throw new IllegalStateException(f);
            }
        }
        g.writeEndObject();
    }

    /** The snapshot's commercial subscriptions of product {@code t}, or one made up from its seats when it gave none. */
    List<CommercialSubscription> subscriptionsOf(int t) {
        Product p = tenant.subscriptions().product(t);
        List<CommercialSubscription> out = new ArrayList<>();
        for (CommercialSubscription c : tenant.commercialSubscriptions()) {
            if (p.skuId().equalsIgnoreCase(c.skuId())) {
                out.add(c);
            }
        }
        if (out.isEmpty() && tenant.commercialSubscriptions().isEmpty()) {
            Subscriptions.PrepaidUnits units = tenant.subscriptions().units(t);
            out.add(new CommercialSubscription(UUID.nameUUIDFromBytes((tenant.settings().id() + "/" + p.skuId())
                    .getBytes(StandardCharsets.UTF_8)).toString(), p.skuId(), p.skuPartNumber(),
                    units.enabled() > 0 ? "Enabled" : "Warning", units.enabled() + units.warning(), false, null, null));
        }
        return out;
    }

    void companySubscription(JsonGenerator g, CommercialSubscription c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("commerceSubscriptionId", c.id());
        nullable(g, "createdDateTime", c.created() == null ? null : Instant.ofEpochSecond(c.created()).toString());
        g.writeBooleanField("isTrial", c.isTrial());
        nullable(g, "nextLifecycleDateTime", c.nextLifecycle() == null ? null
                : Instant.ofEpochSecond(c.nextLifecycle()).toString());
        g.writeStringField("ownerId", tenant.settings().id());
        g.writeStringField("ownerTenantId", tenant.settings().id());
        g.writeStringField("ownerType", "Company");
        g.writeStringField("status", c.status());
        g.writeNumberField("totalLicenses", c.totalLicenses());
        g.writeArrayFieldStart("skus");
        g.writeStartObject();
        g.writeStringField("skuId", c.skuId());
        nullable(g, "skuPartNumber", c.skuPartNumber());
        g.writeEndObject();
        g.writeEndArray();
        g.writeArrayFieldStart("serviceStatus");
        g.writeEndArray();
        g.writeEndObject();
    }

    // ---- groups

    void group(JsonGenerator g, int gi, List<String> select, String processingState, boolean typed, int[][] es)
            throws IOException {
        Groups groups = tenant.groups();
        g.writeStartObject();
        if (typed) {
            g.writeStringField("@odata.type", "#microsoft.graph.group");
        }
        for (String p : select == null ? GROUP_DEFAULT : select) {
            switch (p) {
                case "id" -> g.writeStringField(p, groups.id(gi));
                case "displayName" -> nullable(g, p, groups.displayName(gi));
                case "description" -> g.writeNullField(p);
                case "groupTypes" -> {
                    g.writeArrayFieldStart(p);
                    if (groups.isDynamic(gi)) {
                        g.writeString("DynamicMembership");
                    }
                    g.writeEndArray();
                }
                case "mailEnabled" -> g.writeBooleanField(p, false);
                case "securityEnabled" -> g.writeBooleanField(p, groups.securityEnabled(gi));
                case "membershipRule" -> nullable(g, p, groups.membershipRule(gi));
                case "membershipRuleProcessingState" -> nullable(g, p, !groups.isDynamic(gi) ? null
                        : groups.rulePaused(gi) ? "Paused" : "On");
                case "assignedLicenses" -> {
                    g.writeArrayFieldStart(p);
                    for (Assignments.License l : tenant.assignments().ofGroup(gi)) {
                        g.writeStartObject();
                        g.writeArrayFieldStart("disabledPlans");
                        for (String d : disabledOf(l.product(), l.enabled())) {
                            g.writeString(d);
                        }
                        g.writeEndArray();
                        g.writeStringField("skuId", tenant.subscriptions().product(l.product()).skuId());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                case "licenseProcessingState" -> {
                    g.writeObjectFieldStart(p);
                    g.writeStringField("state", processingState);
                    g.writeEndObject();
                }
                case "hasMembersWithLicenseErrors" -> g.writeBooleanField(p, hasMembersWithErrors(gi, es));
                default -> throw new IllegalStateException(p);
            }
        }
        g.writeEndObject();
    }

    /** Whether member {@code u} has an entry from group {@code gi} that is not Active without error. */
    boolean hasLicenseError(int gi, int u, int[][] scratch) {
        int n = entries(u, scratch);
        int[] es = scratch[0];
        for (int i = 0; i < n; i++) {
            int at = i * StateStore.ENTRY_INTS;
            if (es[at + StateStore.SRC] == gi && es[at + StateStore.STATE] != States.pack(States.ACTIVE, States.NONE)) {
                return true;
            }
        }
        return false;
    }

    boolean hasMembersWithErrors(int gi, int[][] es) {
        if (tenant.assignments().ofGroup(gi).length == 0) {
            return false;
        }
        PeekableIntIterator it = tenant.groups().userMembers(gi).getIntIterator();
        while (it.hasNext()) {
            int u = it.next();
            if (!tenant.users().isDeleted(u) && hasLicenseError(gi, u, es)) {
                return true;
            }
        }
        return false;
    }

    // ---- errors

    /** Graph's error envelope. */
    static byte[] error(String code, String message, String requestId, String clientRequestId) {
        try (Doc d = new Doc()) {
            JsonGenerator g = d.g;
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeObjectFieldStart("innerError");
            g.writeStringField("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            g.writeStringField("request-id", requestId);
            g.writeStringField("client-request-id", clientRequestId);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            return d.done();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void nullable(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }
}
