package org.licensim.core.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.CommercialSubscription;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A snapshot's {@code subscriptions}: the tenant's commercial subscriptions as Graph's
 * {@code /directory/subscriptions} gives them (companySubscription), for the renewal dates and
 * trials that {@code licensim check --days} reports. The engine does not read them: a product's
 * seats are its subscribedSkus' prepaidUnits.
 */
final class SnapshotSubscriptions {
    private final List<CommercialSubscription> read = new ArrayList<>();

    List<CommercialSubscription> all() {
        return read;
    }

    /** One companySubscription object; a bad field is a problem naming it, the object is then left out. */
    void read(JsonParser p, int index, JsonFields fields, Problems problems, Catalog catalog) throws IOException {
        Problems.Where at = Problems.Where.of(p).withPath("$.subscriptions[" + index + "]");
        String id = null;
        String skuId = null;
        String part = null;
        String status = null;
        Integer total = null;
        boolean trial = false;
        Long next = null;
        Long created = null;
        boolean bad = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "id" -> id = fields.string(p);
                case "skuId" -> skuId = fields.string(p);
                case "skuPartNumber" -> part = fields.string(p);
                case "status" -> status = fields.string(p);
                case "isTrial" -> trial = p.currentToken() != JsonToken.VALUE_NULL && fields.bool(p, false);
                case "totalLicenses" -> {
                    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0
                            && p.getLongValue() <= Integer.MAX_VALUE) {
                        total = p.getIntValue();
                    } else {
                        problems.at(p, "totalLicenses must be a whole number >= 0, found " + JsonFields.describe(p));
                        p.skipChildren();
                        bad = true;
                    }
                }
                case "nextLifecycleDateTime", "createdDateTime" -> {
                    String v = fields.string(p);
                    Long s = v == null ? null : org.licensim.core.rules.RuleParser.instantOrNull(v);
                    if (v != null && s == null) {
                        problems.at(p, f + " must be an ISO 8601 instant such as 2026-12-31T00:00:00Z, found \"" + v + "\"");
                        bad = true;
                    }
                    if (f.equals("nextLifecycleDateTime")) {
                        next = s;
                    } else {
                        created = s;
                    }
                }
                case "commerceSubscriptionId", "ownerId", "ownerTenantId", "ownerType", "serviceStatus", "@odata.type" ->
                        p.skipChildren();
                default -> {
                    fields.unknownField(p, f, "id, skuId, skuPartNumber, status, totalLicenses, isTrial, "
                            + "nextLifecycleDateTime, createdDateTime (and Graph's other companySubscription fields)");
                    bad = true;
                }
            }
        }
        if (status != null && !CommercialSubscription.STATUSES.contains(status)) {
            problems.at(at, "status \"" + status + "\" is not one of " + String.join(", ", CommercialSubscription.STATUSES));
            return;
        }
        Product product = skuId != null ? catalog.findProduct(skuId) : part != null ? catalog.findProduct(part) : null;
        if (product == null) {
            problems.at(at, "a subscription needs the skuId or skuPartNumber of a product in the catalog, found "
                    + (skuId != null ? "skuId " + skuId : part != null ? "skuPartNumber " + part : "neither"));
            return;
        }
        if (bad) {
            return;
        }
        read.add(new CommercialSubscription(id == null ? "subscription " + index : id, product.skuId(),
                product.skuPartNumber(), status == null ? "Enabled" : status, total == null ? 0 : total, trial, next,
                created));
    }

    static void write(JsonGenerator g, List<CommercialSubscription> subscriptions) throws IOException {
        if (subscriptions.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("subscriptions");
        for (CommercialSubscription s : subscriptions) {
            g.writeStartObject();
            g.writeStringField("id", s.id());
            g.writeStringField("skuId", s.skuId());
            g.writeStringField("skuPartNumber", s.skuPartNumber());
            g.writeStringField("status", s.status());
            g.writeNumberField("totalLicenses", s.totalLicenses());
            g.writeBooleanField("isTrial", s.isTrial());
            if (s.nextLifecycle() != null) {
                g.writeStringField("nextLifecycleDateTime", java.time.Instant.ofEpochSecond(s.nextLifecycle()).toString());
            }
            if (s.created() != null) {
                g.writeStringField("createdDateTime", java.time.Instant.ofEpochSecond(s.created()).toString());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
