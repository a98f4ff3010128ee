package org.licensim.core.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.PlanMasks;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Engine;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;
import org.licensim.core.state.UserEntries;

/**
 * The resolved state as one CSV row per user, product and source: Graph's
 * {@code licenseAssignmentStates} flattened, for tenants too big for the Graph-shaped JSON to be
 * handy and for the data tools (DuckDB, pandas, a spreadsheet) that read CSV directly. Columns
 * (docs/FORMATS.md): {@code userId, userPrincipalName, skuId, skuPartNumber, assignedByGroup,
 * state, error, disabledPlans, lastUpdatedDateTime}; {@code assignedByGroup} is empty for a direct
 * assignment, {@code disabledPlans} the source's disabled plan ids joined by {@code ;},
 * {@code lastUpdatedDateTime} empty for a state that comes from the snapshot. RFC 4180 quoting;
 * UTF-8 without a byte-order mark; written to a temporary file and moved into place.
 */
public final class StateCsvWriter {
    /** The header line, the columns in order. */
    public static final String HEADER = "userId,userPrincipalName,skuId,skuPartNumber,assignedByGroup,state,error,"
            + "disabledPlans,lastUpdatedDateTime";

    private StateCsvWriter() {
    }

    public static void write(Engine engine, Path file) {
        AtomicFile.write(file, "resolved state (CSV)", out -> write(engine, out));
    }

    public static void write(Engine engine, OutputStream out) throws IOException {
        Tenant tenant = engine.tenant();
        Users users = tenant.users();
        Groups groups = tenant.groups();
        Subscriptions subs = tenant.subscriptions();
        PlanMasks masks = tenant.masks();
        StateStore store = engine.store();
        String[] sku = new String[subs.size()];
        String[] part = new String[subs.size()];
        for (int t = 0; t < sku.length; t++) {
            sku[t] = subs.product(t).skuId();
            part[t] = csv(subs.product(t).skuPartNumber());
        }
        String[] stateNames = new String[256];
        String[] groupIds = new String[groups.size()];
        // the disabled plans of an interned mask, written once per mask, not once per entry
        IntObjectHashMap<String> disabled = new IntObjectHashMap<>();
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 20);
        w.write(HEADER);
        w.write('\n');
        UserEntries.forEach(store, users, (u, es, n) -> {
            String id = csv(users.id(u));
            String upn = users.get(u, "userPrincipalName");
            upn = upn == null ? "" : csv(upn);
            for (int i = 0; i < n; i++) {
                int at = i * StateStore.ENTRY_INTS;
                int src = es[at + StateStore.SRC];
                int t = es[at + StateStore.PRODUCT];
                int state = es[at + StateStore.STATE];
                int mask = es[at + StateStore.MASK];
                w.write(id);
                w.write(',');
                w.write(upn);
                w.write(',');
                w.write(sku[t]);
                w.write(',');
                w.write(part[t]);
                w.write(',');
                if (!StateStore.isDirect(src)) {
                    String g = groupIds[src];
                    if (g == null) {
                        g = groupIds[src] = csv(groups.id(src));
                    }
                    w.write(g);
                }
                w.write(',');
                String s = stateNames[state & 0xFF];
                if (s == null) {
                    s = stateNames[state & 0xFF] = States.stateName(state) + "," + States.errorName(state);
                }
                w.write(s);
                w.write(',');
                String d = disabled.get(mask);
                if (d == null) {
                    d = disabledPlans(tenant.catalog(), subs.product(t), masks.copy(mask));
                    disabled.put(mask, d);
                }
                w.write(d);
                w.write(',');
                Instant when = StateStore.instant(es[at + StateStore.TIME]);
                if (when != null) {
                    w.write(when.toString());
                }
                w.write('\n');
            }
        });
        w.flush();
    }

    /** The product's plans not in {@code enabled}, as plan ids in catalog order, joined by ';'. */
    private static String disabledPlans(Catalog catalog, Product p, long[] enabled) {
        StringBuilder sb = new StringBuilder();
        int[] plans = p.plans();
        for (int i = 0; i < plans.length; i++) {
            if ((enabled[i >>> 6] & (1L << i)) == 0) {
                sb.append(sb.length() == 0 ? "" : ";").append(catalog.plan(plans[i]).servicePlanId());
            }
        }
        return sb.toString();
    }

    /** {@code v} as one CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
    static String csv(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + v.replace("\"", "\"\"") + '"';
            }
        }
        return v;
    }
}
