package org.licensim.core.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.Subscriptions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * SPEC R25: a snapshot's {@code subscribedSkus[].servicePlans}, the tenant's own plan list of a
 * product, read and applied over the shipped catalog.
 */
final class TenantPlanLists {
    private static final Pattern GUID = Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private TenantPlanLists() {
    }

    /** Graph's {@code servicePlans}: {@code [{"servicePlanId", "servicePlanName", ...}]} (R25). */
    static List<Catalog.TenantPlan> read(JsonParser p, JsonFields fields, Problems problems) throws IOException {
        List<Catalog.TenantPlan> out = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            problems.at(p, "servicePlans must be an array of {\"servicePlanId\", \"servicePlanName\"}, found "
                    + JsonFields.describe(p));
            p.skipChildren();
            return null;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Problems.Where at = Problems.Where.of(p);
            if (p.currentToken() != JsonToken.START_OBJECT) {
                problems.at(p, "a servicePlans entry must be an object, found " + JsonFields.describe(p));
                p.skipChildren();
                continue;
            }
            String id = null;
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "servicePlanId" -> id = fields.string(p);
                    case "servicePlanName" -> name = fields.string(p);
                    case "appliesTo", "provisioningStatus" -> p.skipChildren();
                    default -> fields.unknownField(p, f, "servicePlanId, servicePlanName, appliesTo, provisioningStatus");
                }
            }
            if (id == null || !GUID.matcher(id).matches()) {
                problems.at(at, "a servicePlans entry needs a servicePlanId (a GUID), found "
                        + (id == null ? "none" : "\"" + id + "\""));
                continue;
            }
            out.add(new Catalog.TenantPlan(id.toLowerCase(java.util.Locale.ROOT), name));
        }
        return out;
    }

    /** {@code catalog} as the tenant sees it; the products of {@code subs} given plan lists switch to their view. */
    static Catalog apply(Catalog catalog, Subscriptions subs, java.util.Map<Integer, List<Catalog.TenantPlan>> lists) {
        if (lists.isEmpty()) {
            return catalog;
        }
        Catalog tenant = catalog.withTenantPlans(lists);
        for (int t = 0; t < subs.size(); t++) {
            int index = subs.product(t).index();
            if (lists.containsKey(index)) {
                subs.useTenantPlans(t, tenant.product(index));
            }
        }
        return tenant;
    }
}
