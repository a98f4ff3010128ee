package org.licensim.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Engine;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;
import org.licensim.core.state.UserEntries;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Writes the resolved state (docs/FORMATS.md): per product Graph's subscribedSku with
 * consumedUnits, per user Graph's assignedLicenses and licenseAssignmentStates, per licensed
 * group the members with licence errors. Streams with Jackson's generator; a file is written
 * to a temporary sibling and moved into place, so a crash never leaves half a file.
 */
public final class StateWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private StateWriter() {
    }

    public static void write(Engine engine, Path file) {
        AtomicFile.write(file, "resolved state", out -> write(engine, out));
    }

    public static void write(Engine engine, OutputStream out) throws IOException {
        Tenant tenant = engine.tenant();
        Users users = tenant.users();
        Groups groups = tenant.groups();
        Subscriptions subs = tenant.subscriptions();
        StateStore store = engine.store();
        int[] inError = new int[subs.size()];
        IntObjectHashMap<IntArrayList> groupErrors = new IntObjectHashMap<>();
        DisabledPlans disabled = new DisabledPlans();
        Encoded names = new Encoded(tenant);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.setPrettyPrinter(new LinePerRecordPrinter());
            g.writeStartObject();
            g.writeStringField("tenantId", tenant.settings().id());
            if (engine.lastAppliedSeq() < 0) {
                g.writeNullField("lastAppliedSeq");
            } else {
                g.writeNumberField("lastAppliedSeq", engine.lastAppliedSeq());
            }
            g.writeArrayFieldStart("users");
            UserEntries.forEach(store, users, (u, es, n) -> {
                g.writeStartObject();
                g.writeFieldName(F_ID);
                g.writeString(users.id(u));
                g.writeFieldName(F_UPN);
                String upn = users.get(u, "userPrincipalName");
                if (upn == null) {
                    g.writeNull();
                } else {
                    g.writeString(upn);
                }
                g.writeFieldName(F_ASSIGNED);
                g.writeStartArray();
                for (int t = 0; t < subs.size(); t++) {
                    long[] union = null;
                    int only = -1;
                    for (int i = 0; i < n; i++) {
                        int at = i * StateStore.ENTRY_INTS;
                        if (es[at + StateStore.PRODUCT] == t && States.holds(es[at + StateStore.STATE])) {
                            int mask = es[at + StateStore.MASK];
                            if (only == -1 && union == null) {
                                only = mask; // the usual case: one held source, its plans as they are
                            } else {
                                if (union == null) {
                                    union = tenant.masks().copy(only);
                                }
                                long[] m = tenant.masks().copy(mask);
                                for (int w = 0; w < m.length; w++) {
                                    union[w] |= m[w];
                                }
                            }
                        }
                    }
                    if (only != -1 || union != null) {
                        g.writeStartObject();
                        g.writeFieldName(F_SKU);
                        g.writeString(names.sku(t));
                        g.writeFieldName(F_DISABLED);
                        g.writeRawValue(union != null ? disabledJson(tenant.catalog(), subs.product(t), union)
                                : disabled.of(tenant, t, only));
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeFieldName(F_STATES);
                g.writeStartArray();
                boolean[] counted = new boolean[subs.size()];
                for (int i = 0; i < n; i++) {
                    int at = i * StateStore.ENTRY_INTS;
                    int src = es[at + StateStore.SRC];
                    int t = es[at + StateStore.PRODUCT];
                    int state = es[at + StateStore.STATE];
                    g.writeStartObject();
                    g.writeFieldName(F_SKU);
                    g.writeString(names.sku(t));
                    g.writeFieldName(F_BY_GROUP);
                    if (StateStore.isDirect(src)) {
                        g.writeNull();
                    } else {
                        g.writeString(names.group(src));
                        if (state != States.pack(States.ACTIVE, States.NONE)) {
                            IntArrayList l = groupErrors.getIfAbsentPut(src, IntArrayList::new);
                            if (l.isEmpty() || l.getLast() != u) {
                                l.add(u);
                            }
                        }
                    }
                    g.writeFieldName(F_STATE);
                    g.writeString(names.state(state));
                    g.writeFieldName(F_ERROR);
                    g.writeString(names.error(state));
                    g.writeFieldName(F_DISABLED);
                    g.writeRawValue(disabled.of(tenant, t, es[at + StateStore.MASK]));
                    Instant when = StateStore.instant(es[at + StateStore.TIME]);
                    g.writeFieldName(F_UPDATED);
                    if (when == null) {
                        g.writeNull();
                    } else {
                        g.writeString(when.toString());
                    }
                    g.writeEndObject();
                    if (States.state(state) == States.ERROR && !counted[t]) {
                        counted[t] = true;
                        inError[t]++;
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            });
            g.writeEndArray();
            g.writeArrayFieldStart("subscribedSkus");
            for (int t = 0; t < subs.size(); t++) {
                g.writeStartObject();
                SnapshotWriter.writeSku(g, subs, t);
                g.writeNumberField("consumedUnits", engine.consumed(t));
                g.writeNumberField("usersInError", inError[t]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("groups");
            for (int gi = 0; gi < groups.size(); gi++) {
                if (groups.isDeleted(gi) || tenant.assignments().ofGroup(gi).length == 0) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("id", groups.id(gi));
                g.writeStringField("displayName", groups.displayName(gi));
                g.writeArrayFieldStart("membersWithLicenseErrors");
                IntArrayList errs = groupErrors.get(gi);
                if (errs != null) {
                    int[] sorted = errs.toArray();
                    Arrays.sort(sorted);
                    for (int u : sorted) {
                        g.writeString(users.id(u));
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** The JSON array of product {@code p}'s plans not in {@code enabled}: their ids, catalog order. */
    static String disabledJson(Catalog catalog, Product p, long[] enabled) {
        StringBuilder sb = new StringBuilder("[");
        int[] plans = p.plans();
        for (int i = 0; i < plans.length; i++) {
            if ((enabled[i >>> 6] & (1L << i)) == 0) {
                // plan ids are GUIDs: nothing in them needs escaping
                sb.append(sb.length() > 1 ? ",\"" : "\"").append(catalog.plan(plans[i]).servicePlanId()).append('"');
            }
        }
        return sb.append(']').toString();
    }

    /** Field names, encoded once (every user repeats them). */
    private static final SerializedString F_ID = new SerializedString("id");
    private static final SerializedString F_UPN = new SerializedString("userPrincipalName");
    private static final SerializedString F_ASSIGNED = new SerializedString("assignedLicenses");
    private static final SerializedString F_STATES = new SerializedString("licenseAssignmentStates");
    private static final SerializedString F_SKU = new SerializedString("skuId");
    private static final SerializedString F_DISABLED = new SerializedString("disabledPlans");
    private static final SerializedString F_BY_GROUP = new SerializedString("assignedByGroup");
    private static final SerializedString F_STATE = new SerializedString("state");
    private static final SerializedString F_ERROR = new SerializedString("error");
    private static final SerializedString F_UPDATED = new SerializedString("lastUpdatedDateTime");

    /** The values every user repeats (product ids, group ids, state and error names), encoded once each. */
    private static final class Encoded {
        private final Tenant tenant;
        private final SerializedString[] skus;
        private SerializedString[] groups = new SerializedString[0];
        private final org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<SerializedString> states =
                new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<>();
        private final org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<SerializedString> errors =
                new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<>();

        Encoded(Tenant tenant) {
            this.tenant = tenant;
            skus = new SerializedString[tenant.subscriptions().size()];
            for (int t = 0; t < skus.length; t++) {
                skus[t] = new SerializedString(tenant.subscriptions().product(t).skuId());
            }
        }

        SerializedString sku(int t) {
            return skus[t];
        }

        SerializedString group(int g) {
            if (g >= groups.length) {
                groups = Arrays.copyOf(groups, Math.max(g + 1, tenant.groups().size()));
            }
            SerializedString s = groups[g];
            if (s == null) {
                s = new SerializedString(tenant.groups().id(g));
                groups[g] = s;
            }
            return s;
        }

        SerializedString state(int state) {
            return states.getIfAbsentPut(state, () -> new SerializedString(States.stateName(state)));
        }

        SerializedString error(int state) {
            return errors.getIfAbsentPut(state, () -> new SerializedString(States.errorName(state)));
        }
    }

    /**
     * The disabledPlans arrays of (product, plan mask) pairs, made once each: a tenant has a few
     * hundred such pairs and a million users repeat them (writing each GUID through the generator
     * was most of the writer's time).
     */
    private static final class DisabledPlans {
        private final org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap<String> made =
                new org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap<>();

        String of(Tenant tenant, int t, int mask) {
            long key = ((long) t << 32) | (mask & 0xFFFFFFFFL);
            String s = made.get(key);
            if (s == null) {
                s = disabledJson(tenant.catalog(), tenant.subscriptions().product(t), tenant.masks().copy(mask));
                made.put(key, s);
            }
            return s;
        }
    }
}
