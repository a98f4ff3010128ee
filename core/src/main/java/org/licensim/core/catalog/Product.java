package org.licensim.core.catalog;

import java.util.Arrays;

/**
 * A product ({@code subscribedSku} in Graph without the tenant's seat counts). Each product
 * numbers its own plans 0..n-1 (the position in {@link #plans()}); plan sets of a product are
 * bit masks over those local numbers.
 *
 * @param index dense index in the catalog, 0..productCount-1
 * @param plans catalog-wide plan indexes, in the order Microsoft lists them
 */
public record Product(int index, String skuId, String skuPartNumber, String displayName, int[] plans) {

    /** The product-local number of a catalog plan, or -1 when the product does not include it. */
    public int localPlan(int catalogPlanIndex) {
        for (int i = 0; i < plans.length; i++) {
            if (plans[i] == catalogPlanIndex) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The product as people read it: Microsoft's name with the part number beside it ("Office 365
     * E3 (ENTERPRISEPACK)"), or the part number alone when the catalog has no other name.
     */
    public String label() {
        String d = displayName == null ? "" : displayName.strip();
        return d.isEmpty() || d.equalsIgnoreCase(skuPartNumber) ? skuPartNumber : d + " (" + skuPartNumber + ")";
    }

    public int planCount() {
        return plans.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Product p && p.index == index && p.skuId.equals(skuId)
                && Arrays.equals(p.plans, plans);
    }

    @Override
    public int hashCode() {
        return 31 * skuId.hashCode() + Arrays.hashCode(plans);
    }

    @Override
    public String toString() {
        return skuPartNumber + " (" + skuId + ")";
    }
}
