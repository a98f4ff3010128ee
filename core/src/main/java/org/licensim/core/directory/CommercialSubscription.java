package org.licensim.core.directory;

/**
 * One commercial subscription of the tenant, as Graph's {@code /directory/subscriptions} lists
 * it (companySubscription): the product it is of, how many licences it brings, whether it is a
 * trial, its lifecycle {@code status} (Enabled, Warning, Suspended, LockedOut, Deleted) and when
 * it moves to the next one if not renewed. A product's seats (subscribedSkus' prepaidUnits) are
 * the sum of its subscriptions; these records say when some of them may go. Times are epoch
 * seconds, null when Graph gave none.
 */
public record CommercialSubscription(String id, String skuId, String skuPartNumber, String status, int totalLicenses,
                                     boolean isTrial, Long nextLifecycle, Long created) {
    /** The lifecycle states Graph reports, in the order a subscription that is not renewed goes through them. */
    public static final java.util.List<String> STATUSES = java.util.List.of("Enabled", "Warning", "Suspended",
            "LockedOut", "Deleted");

    /** The state after {@code status} when the subscription is not renewed (Deleted stays Deleted). */
    public String nextStatus() {
        int i = STATUSES.indexOf(status);
        return i < 0 || i == STATUSES.size() - 1 ? status : STATUSES.get(i + 1);
    }
}
