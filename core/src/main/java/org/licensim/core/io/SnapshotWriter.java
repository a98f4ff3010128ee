package org.licensim.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.PlanRules;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.MultiColumn;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Engine;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes the tenant as it is now, with its resolved state, as a snapshot (docs/FORMATS.md):
 * users carry their {@code licenseAssignmentStates} and each source its {@code demandOrder}
 * (its SPEC R11 place), and {@code lastAppliedSeq} says which event it reflects. Loading it
 * and reconciling gives the same state as the engine that wrote it, and the same future (R10
 * holders keep their seats, R18 errors wait for a reprocess), because the state carries the
 * history the rules depend on. Users and groups keep their order; directs are written in
 * the order they were made.
 */
public final class SnapshotWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private SnapshotWriter() {
    }

    public static void write(Engine engine, Path file) {
        AtomicFile.write(file, "snapshot", out -> write(engine, out));
    }

    public static void write(Engine engine, OutputStream out) throws IOException {
        Tenant t = engine.tenant();
        Catalog catalog = t.catalog();
        Subscriptions subs = t.subscriptions();
        Users users = t.users();
        Groups groups = t.groups();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("tenant");
            g.writeStringField("id", t.settings().id());
            if (t.settings().displayName() != null) {
                g.writeStringField("displayName", t.settings().displayName());
            }
            g.writeStringField("countryLetterCode", t.settings().defaultCountry());
            g.writeBooleanField("groupLicensingEnabled", t.settings().groupLicensingEnabled());
            g.writeBooleanField("autoReprocess", t.settings().autoReprocess());
            g.writeEndObject();
            if (engine.lastAppliedSeq() >= 0) {
                g.writeNumberField("lastAppliedSeq", engine.lastAppliedSeq());
            }
            if (!t.users().extensions().isEmpty()) {
                g.writeArrayFieldStart("directoryExtensions");
                for (org.licensim.core.directory.DirectoryExtension x : t.users().extensions()) {
                    g.writeStartObject();
                    g.writeStringField("name", x.name());
                    g.writeStringField("dataType", x.type().name());
                    g.writeBooleanField("isMultiValued", x.multiValued());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            SnapshotSubscriptions.write(g, t.commercialSubscriptions());
            if (engine.timeDriven()) {
                // system.now the time-driven memberships were evaluated at, so that reading it back keeps them
                g.writeStringField("evaluatedAt", java.time.Instant.ofEpochSecond(engine.systemNow()).toString());
            }
            if (t.reportsUnreachable()) {
                g.writeStringField("unreachableStates", "report"); // an imported tenant stays loadable (R24)
            }
            g.writeArrayFieldStart("subscribedSkus");
            for (int p = 0; p < subs.size(); p++) {
                g.writeStartObject();
                writeSku(g, subs, p);
                if (subs.hasTenantPlans(p)) {
                    // the tenant's own plan list (SPEC R25), so that the written snapshot reads back the same
                    g.writeArrayFieldStart("servicePlans");
                    for (int plan : subs.product(p).plans()) {
                        g.writeStartObject();
                        g.writeStringField("servicePlanId", catalog.plan(plan).servicePlanId());
                        g.writeStringField("servicePlanName", catalog.plan(plan).servicePlanName());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            writeRules(g, catalog, t.planRules());
            writeUsers(g, engine, t);
            g.writeArrayFieldStart("groups");
            for (int gi = 0; gi < groups.size(); gi++) {
                if (groups.isDeleted(gi)) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("id", groups.id(gi));
                if (groups.displayName(gi) != null) {
                    g.writeStringField("displayName", groups.displayName(gi));
                }
                g.writeBooleanField("securityEnabled", groups.securityEnabled(gi));
                if (groups.membershipRule(gi) != null) {
                    g.writeStringField("membershipRule", groups.membershipRule(gi));
                    g.writeStringField("membershipRuleProcessingState", groups.rulePaused(gi) ? "Paused" : "On");
                }
                g.writeArrayFieldStart("members");
                for (int u : groups.userMembers(gi).toArray()) {
                    g.writeString(users.id(u));
                }
                for (int n : groups.groupMembers(gi).toSortedArray()) {
                    if (!groups.isDeleted(n)) {
                        g.writeString(groups.id(n));
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            writeAssignments(g, t);
            g.writeEndObject();
        }
    }

    /** A subscribedSku's skuId, skuPartNumber and prepaidUnits (shared with {@link StateWriter}). */
    /** An extension value as Graph writes it: an Integer as a number, a Boolean as true/false, else a string. */
    private static void extensionValue(JsonGenerator g, org.licensim.core.directory.DirectoryExtension x, String v)
            throws IOException {
        switch (x.type()) {
            case Integer -> g.writeNumber(Long.parseLong(v));
            case Boolean -> g.writeBoolean(Boolean.parseBoolean(v));
            default -> g.writeString(v);
        }
    }

    static void writeSku(JsonGenerator g, Subscriptions subs, int p) throws IOException {
        Subscriptions.PrepaidUnits pu = subs.units(p);
        g.writeStringField("skuId", subs.product(p).skuId());
        g.writeStringField("skuPartNumber", subs.product(p).skuPartNumber());
        writePrepaidUnits(g, pu);
    }

    /** Graph's {@code prepaidUnits} object, as snapshots and UnitsChanged events carry it. */
    static void writePrepaidUnits(JsonGenerator g, Subscriptions.PrepaidUnits pu) throws IOException {
        g.writeObjectFieldStart("prepaidUnits");
        g.writeNumberField("enabled", pu.enabled());
        g.writeNumberField("warning", pu.warning());
        g.writeNumberField("suspended", pu.suspended());
        g.writeNumberField("lockedOut", pu.lockedOut());
        g.writeEndObject();
    }

    private static void writeUsers(JsonGenerator g, Engine engine, Tenant t) throws IOException {
        Users users = t.users();
        Subscriptions subs = t.subscriptions();
        StateStore store = engine.store();
        int[] es = new int[64 * StateStore.ENTRY_INTS];
        g.writeArrayFieldStart("users");
        for (int u = 0; u < users.size(); u++) {
            if (users.isDeleted(u)) {
                continue;
            }
            g.writeStartObject();
            g.writeStringField("id", users.id(u));
            g.writeBooleanField("accountEnabled", users.accountEnabled(u));
            g.writeStringField("usageLocation", users.usageLocation().get(u));
            boolean ext = false;
            for (String prop : UserSchema.STRING_PROPERTIES) {
                String v = users.get(u, prop);
                if (v != null && !UserSchema.isExtensionAttribute(prop)) {
                    g.writeStringField(prop, v);
                }
                ext |= v != null && UserSchema.isExtensionAttribute(prop);
            }
            if (ext) {
                g.writeObjectFieldStart(UserSchema.EXTENSION_ATTRIBUTES);
                for (String prop : UserSchema.STRING_PROPERTIES) {
                    if (UserSchema.isExtensionAttribute(prop) && users.get(u, prop) != null) {
                        g.writeStringField(prop, users.get(u, prop));
                    }
                }
                g.writeEndObject();
            }
            for (org.licensim.core.directory.DirectoryExtension x : users.extensions()) {
                if (x.multiValued()) {
                    MultiColumn c = users.multiColumn(x.name());
                    if (c.count(u) > 0) {
                        g.writeArrayFieldStart(x.name());
                        for (String v : c.get(u)) {
                            extensionValue(g, x, v);
                        }
                        g.writeEndArray();
                    }
                } else if (users.get(u, x.name()) != null) {
                    g.writeFieldName(x.name());
                    extensionValue(g, x, users.get(u, x.name()));
                }
            }
            for (String prop : UserSchema.MULTI_PROPERTIES) {
                MultiColumn c = users.multiColumn(prop);
                if (c.count(u) > 0) {
                    g.writeArrayFieldStart(prop);
                    for (String v : c.get(u)) {
                        g.writeString(v);
                    }
                    g.writeEndArray();
                }
            }
            long signIn = users.lastSignIn(u);
            if (signIn != Long.MIN_VALUE) {
                g.writeObjectFieldStart("signInActivity");
                g.writeStringField("lastSignInDateTime", java.time.Instant.ofEpochSecond(signIn).toString());
                g.writeEndObject();
            }
            int n = store.count(u);
            if (n > 0) {
                if (n * StateStore.ENTRY_INTS > es.length) {
                    es = new int[n * StateStore.ENTRY_INTS * 2];
                }
                store.read(u, es);
                g.writeArrayFieldStart("licenseAssignmentStates");
                for (int i = 0; i < n; i++) {
                    int at = i * StateStore.ENTRY_INTS;
                    int src = es[at + StateStore.SRC];
                    int p = es[at + StateStore.PRODUCT];
                    g.writeStartObject();
                    g.writeStringField("skuId", subs.product(p).skuId());
                    if (StateStore.isDirect(src)) {
                        g.writeNullField("assignedByGroup");
                    } else {
                        g.writeStringField("assignedByGroup", t.groups().id(src));
                    }
                    g.writeStringField("state", States.stateName(es[at + StateStore.STATE]));
                    g.writeStringField("error", States.errorName(es[at + StateStore.STATE]));
                    g.writeArrayFieldStart("disabledPlans");
                    Product product = subs.product(p);
                    int[] plans = product.plans();
                    for (int k = 0; k < plans.length; k++) {
                        if (!t.masks().has(es[at + StateStore.MASK], k)) {
                            g.writeString(t.catalog().plan(plans[k]).servicePlanId());
                        }
                    }
                    g.writeEndArray();
                    Instant when = StateStore.instant(es[at + StateStore.TIME]);
                    if (when == null) {
                        g.writeNullField("lastUpdatedDateTime");
                    } else {
                        g.writeStringField("lastUpdatedDateTime", when.toString());
                    }
                    g.writeNumberField("demandOrder", StateStore.key(es, at));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeAssignments(JsonGenerator g, Tenant t) throws IOException {
        Assignments asg = t.assignments();
        List<long[]> directs = new ArrayList<>();
        for (int u : asg.usersWithDirect()) {
            for (License l : asg.directOf(u)) {
                directs.add(new long[] {l.order(), u, l.product()});
            }
        }
        directs.sort((a, b) -> Long.compare(a[0], b[0]));
        g.writeArrayFieldStart("assignments");
        for (long[] d : directs) {
            License l = asg.findDirect((int) d[1], (int) d[2]);
            g.writeStartObject();
            g.writeStringField("userId", t.users().id((int) d[1]));
            writeLicense(g, t, l);
            g.writeEndObject();
        }
        for (int gi = 0; gi < t.groups().size(); gi++) {
            if (t.groups().isDeleted(gi)) {
                continue;
            }
            for (License l : asg.ofGroup(gi)) {
                g.writeStartObject();
                g.writeStringField("groupId", t.groups().id(gi));
                writeLicense(g, t, l);
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    private static void writeLicense(JsonGenerator g, Tenant t, License l) throws IOException {
        Product p = t.subscriptions().product(l.product());
        g.writeStringField("skuId", p.skuId());
        g.writeArrayFieldStart("disabledPlans");
        int[] plans = p.plans();
        for (int k = 0; k < plans.length; k++) {
            if ((l.disabled()[k >>> 6] & (1L << k)) != 0) {
                g.writeString(t.catalog().plan(plans[k]).servicePlanId());
            }
        }
        g.writeEndArray();
    }

    private static void writeRules(JsonGenerator g, Catalog c, PlanRules r) throws IOException {
        g.writeObjectFieldStart("servicePlanRules");
        g.writeArrayFieldStart("conflicts");
        for (PlanRules.Conflict x : r.conflicts()) {
            g.writeStartObject();
            g.writeArrayFieldStart("plans");
            g.writeString(c.plan(x.planA()).servicePlanId());
            g.writeString(c.plan(x.planB()).servicePlanId());
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("prerequisites");
        for (PlanRules.Prerequisite x : r.prerequisites()) {
            g.writeStartObject();
            g.writeStringField("plan", c.plan(x.plan()).servicePlanId());
            g.writeArrayFieldStart("anyOf");
            for (int a : x.anyOf()) {
                g.writeString(c.plan(a).servicePlanId());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("prohibitedLocations");
        for (PlanRules.Prohibition x : r.prohibitions()) {
            g.writeStartObject();
            g.writeStringField("plan", c.plan(x.plan()).servicePlanId());
            g.writeArrayFieldStart("countries");
            for (String country : new java.util.TreeSet<>(x.countries())) {
                g.writeString(country);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("proxyAddressUniqueness");
        g.writeArrayFieldStart("plans");
        for (int u : r.uniquenessPlans()) {
            g.writeString(c.plan(u).servicePlanId());
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }
}
