package org.licensim.core.directory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.licensim.core.catalog.Product;

/**
 * The tenant's subscribed products ({@code subscribedSkus}) with their prepaid units. Tenant
 * products get their own dense index 0..n-1; plan masks of a product use
 * {@link #words(int)} longs over the product's own plan numbering.
 */
public final class Subscriptions {
    /** Graph's {@code prepaidUnits}. Assignable capacity is enabled + warning (SPEC R10). */
    public record PrepaidUnits(int enabled, int warning, int suspended, int lockedOut) {
        public int capacity() {
            return enabled + warning;
        }
    }

    private final List<Product> products = new ArrayList<>();
    private final List<PrepaidUnits> units = new ArrayList<>();
    private int[] byCatalogIndex = new int[0];

    /** A copy that shares nothing mutable (products and prepaid units are immutable values). */
    public Subscriptions copy() {
        Subscriptions c = new Subscriptions();
        c.products.addAll(products);
        c.units.addAll(units);
        c.byCatalogIndex = byCatalogIndex.clone();
        c.tenantPlans.or(tenantPlans);
        return c;
    }

    /** Adds a product; returns its tenant index. The caller has checked it is not there yet. */
    public int add(Product product, PrepaidUnits prepaid) {
        int t = products.size();
        products.add(product);
        units.add(prepaid);
        if (product.index() >= byCatalogIndex.length) {
            int old = byCatalogIndex.length;
            byCatalogIndex = Arrays.copyOf(byCatalogIndex, product.index() + 64);
            Arrays.fill(byCatalogIndex, old, byCatalogIndex.length, -1);
        }
        byCatalogIndex[product.index()] = t;
        return t;
    }

    private final java.util.BitSet tenantPlans = new java.util.BitSet();

    /**
     * Product {@code t} as the tenant's plan list gives it (SPEC R25), in place of the shipped
     * catalog's (same catalog index); {@link #hasTenantPlans} then says so, for the writer.
     */
    public void useTenantPlans(int t, Product product) {
        if (product.index() != products.get(t).index()) {
            throw new IllegalArgumentException("product " + product + " is not product " + t);
        }
        products.set(t, product);
        tenantPlans.set(t);
    }

    /** Whether product {@code t}'s plan list came from the tenant's subscribedSkus (R25). */
    public boolean hasTenantPlans(int t) {
        return tenantPlans.get(t);
    }

    /** Tenant index of a catalog product, or -1 when the tenant does not subscribe to it. */
    public int indexOf(Product product) {
        int ci = product.index();
        return ci < byCatalogIndex.length ? byCatalogIndex[ci] : -1;
    }

    public int size() {
        return products.size();
    }

    public Product product(int t) {
        return products.get(t);
    }

    public PrepaidUnits units(int t) {
        return units.get(t);
    }

    public void setUnits(int t, PrepaidUnits prepaid) {
        units.set(t, prepaid);
    }

    /** Longs per plan mask of product {@code t}. */
    public int words(int t) {
        return (products.get(t).planCount() + 63) >>> 6;
    }

    /** Mask with every plan of product {@code t} set. */
    public long[] allPlans(int t) {
        int n = products.get(t).planCount();
        long[] m = new long[words(t)];
        for (int i = 0; i < n; i++) {
            m[i >>> 6] |= 1L << i;
        }
        return m;
    }
}
