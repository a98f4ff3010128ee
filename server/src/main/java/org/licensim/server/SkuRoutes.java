package org.licensim.server;

import java.util.List;

import static org.licensim.server.Envelope.*;
import static org.licensim.server.QueryOptions.*;

import org.licensim.core.directory.CommercialSubscription;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.server.Routes.Request;
import org.licensim.server.Routes.Response;

/** {@code /subscribedSkus} and {@code /directory/subscriptions}: the tenant's products and its commercial subscriptions. */
final class SkuRoutes {
    private final Tenancy t;
    private final Tenant tenant;
    private final GraphJson json;

    SkuRoutes(Tenancy t, GraphJson json) {
        this.t = t;
        this.tenant = t.tenant;
        this.json = json;
    }

    Response skus(Request r) {
        refuseUnsupported(r, SELECT_ONLY);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.SKU_PROPERTIES, "subscribedSku");
        return Response.json(200, t.read(() -> write(d -> {
            collectionStart(d.g, GraphJson.context("subscribedSkus", select, false), null);
            for (int i = 0; i < tenant.subscriptions().size(); i++) {
                json.sku(d.g, i, t.engine.consumed(i), select);
            }
            collectionEnd(d.g, null);
        })));
    }

    Response sku(Request r, String id) {
        refuseUnsupported(r, SELECT_ONLY);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.SKU_PROPERTIES, "subscribedSku");
        return Response.json(200, t.read(() -> {
            Subscriptions subs = tenant.subscriptions();
            for (int i = 0; i < subs.size(); i++) {
                if ((tenant.settings().id() + "_" + subs.product(i).skuId()).equalsIgnoreCase(id)) {
                    int sku = i;
                    return entity(GraphJson.context("subscribedSkus", select, true),
                            g -> json.sku(g, sku, t.engine.consumed(sku), select));
                }
            }
            throw GraphError.notFound(id);
        }));
    }

    /** {@code GET /organization}: the tenant, the one organization of the collection. */
    Response organizations(Request r) {
        refuseUnsupported(r, SELECT_ONLY);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.ORGANIZATION_PROPERTIES, "organization");
        return Response.json(200, t.read(() -> write(d -> {
            collectionStart(d.g, GraphJson.context("organization", select, false), null);
            json.organization(d.g, select);
            collectionEnd(d.g, null);
        })));
    }

    /** {@code GET /organization/{id}}: the tenant by its id. */
    Response organization(Request r, String id) {
        refuseUnsupported(r, SELECT_ONLY);
        List<String> select = GraphJson.select(r.query().get("$select"), GraphJson.ORGANIZATION_PROPERTIES, "organization");
        return Response.json(200, t.read(() -> {
            if (!tenant.settings().id().equalsIgnoreCase(id)) {
                throw GraphError.notFound(id);
            }
            return entity(GraphJson.context("organization", select, true), g -> json.organization(g, select));
        }));
    }

    Response subscriptions(Request r) {
        return Response.json(200, t.read(() -> write(d -> {
            collectionStart(d.g, GraphJson.METADATA + "directory/subscriptions", null);
            for (int i = 0; i < tenant.subscriptions().size(); i++) {
                for (CommercialSubscription c : json.subscriptionsOf(i)) {
                    json.companySubscription(d.g, c);
                }
            }
            collectionEnd(d.g, null);
        })));
    }

    Response subscription(String id) {
        return Response.json(200, t.read(() -> {
            for (int i = 0; i < tenant.subscriptions().size(); i++) {
                for (CommercialSubscription c : json.subscriptionsOf(i)) {
                    if (c.id().equalsIgnoreCase(id)) {
                        return entity(GraphJson.METADATA + "directory/subscriptions/$entity",
                                g -> json.companySubscription(g, c));
                    }
                }
            }
            throw GraphError.notFound(id);
        }));
    }
}
