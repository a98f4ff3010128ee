package org.licensim.core.state;

/** A product as a persisted store knows it: enough to print a state without the tenant. */
public record StoredProduct(String skuId, String skuPartNumber, String[] planIds, String[] planNames) {
    /** Words of 64 plans an entry of this product keeps. */
    public int words() {
        return Math.max(1, (planIds.length + 63) >>> 6);
    }
}
