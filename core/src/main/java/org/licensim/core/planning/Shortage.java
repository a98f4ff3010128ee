package org.licensim.core.planning;

/**
 * The one meaning of "short" in licensim: a product is short when more users want it than it has
 * seats, that is when its holders plus the users waiting for it (a source in
 * {@code Error / CountViolation}) exceed its capacity ({@code enabled + warning}, SPEC R10).
 * {@code simulate} (summary.json's {@code firstShortDay}), {@code plan} (the first short day and the
 * extra need), {@code check} and the reports all count it this way.
 *
 * <p>Users can wait while some seats are free, because Entra does not retry a failed source by
 * itself (R18): when no more wait than are free, a reprocess serves them all and the product is
 * not short; when more wait than are free, it is short by the difference even though not every
 * seat is used, and buying that many is what serves everyone. Until 2026-12-04 {@code simulate}
 * and the reports called a product short only when users waited and no seat was free, which put
 * its first short day up to 47 days after the planner's.
 */
public final class Shortage {
    private Shortage() {
    }

    /** Whether a product with these counts is short: holders plus waiting users above its seats. */
    public static boolean isShort(long consumed, long waiting, long capacity) {
        return consumed + waiting > capacity;
    }

    /** How many seats it is short by (0 when it is not short). */
    public static int shortBy(int consumed, int waiting, int capacity) {
        return (int) Math.max(0, (long) consumed + waiting - capacity);
    }
}
