package org.licensim.core.state;

import org.roaringbitmap.RoaringBitmap;

/**
 * Totals a store keeps as it is written ({@link TalliedStore}), so that a summary or a group's
 * Reprocess needs no pass over every user: per product the users with a source in Error and
 * those waiting for a seat (Error / CountViolation), per error kind the sources in it, and the
 * users with a source that is not Active/None. Offered by {@link StateStore#totals()}.
 */
public interface StoreTotals {
    /** Users with a source of product {@code t} in Error. */
    int usersInError(int t);

    /** Users with a source of product {@code t} in Error/CountViolation. */
    int usersWaiting(int t);

    /** Sources per error kind ({@link States#NONE} counts the sources without one); a copy. */
    long[] sourcesByError();

    /** Users with at least one source not Active/None (a live view: read, do not change). */
    RoaringBitmap usersNotAllActive();
}
