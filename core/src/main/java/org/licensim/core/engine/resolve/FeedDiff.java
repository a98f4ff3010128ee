package org.licensim.core.engine.resolve;

import org.licensim.core.directory.PlanMasks;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.feed.ChangeFeed.Kind;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.state.States;

/**
 * Turns one user's entries before and after a change into change-feed records (SPEC section
 * 3): LicenseAssigned, LicenseRemoved and PlansChanged per product, ErrorRaised and
 * ErrorCleared per source; and frames group-wide processing with GroupProcessingStarted and
 * GroupProcessingFinished. Allocates nothing per user.
 */
public final class FeedDiff {
    private static final int OK = States.pack(States.ACTIVE, States.NONE);

    private final ChangeFeed feed;
    private final Subscriptions subs;
    private final PlanMasks masks;
    private final int[] productStamp;
    private int stamp;

    FeedDiff(ChangeFeed feed, Subscriptions subs, PlanMasks masks) {
        this.feed = feed;
        this.subs = subs;
        this.masks = masks;
        this.productStamp = new int[subs.size()];
    }

    /** Whether the feed records: a disabled one (simulate's, a benchmark's) needs no diff. */
    boolean recording() {
        return feed.isEnabled();
    }

    /** Appends user {@code u}'s changes from {@code old} to {@code cur}, caused by event {@code cause}. */
    void diff(int u, Entries old, Entries cur, long cause, int now) {
        stamp++;
        for (int pass = 0; pass < 2; pass++) {
            Entries es = pass == 0 ? old : cur;
            for (int i = 0; i < es.size(); i++) {
                int t = es.product(i);
                if (productStamp[t] == stamp) {
                    continue;
                }
                productStamp[t] = stamp;
                boolean was = old.held(t);
                boolean is = cur.held(t);
                if (is && !was) {
                    feed.append(Kind.LicenseAssigned, u, t, 0, 0, 1, cause, now);
                } else if (was && !is) {
                    feed.append(Kind.LicenseRemoved, u, t, 0, 1, 0, cause, now);
                } else if (is && !samePlans(old, cur, t)) {
                    feed.append(Kind.PlansChanged, u, t, 0, 1, 1, cause, now);
                }
            }
        }
        for (int i = 0; i < cur.size(); i++) {
            int src = cur.src(i);
            int t = cur.product(i);
            int after = cur.state(i);
            int before = old.stateOf(src, t);
            if (after == before) {
                continue;
            }
            if (after != OK) {
                feed.append(Kind.ErrorRaised, u, t, src, before, after, cause, now);
            } else if (before > 0 && before != OK) {
                feed.append(Kind.ErrorCleared, u, t, src, before, after, cause, now);
            }
        }
        for (int i = 0; i < old.size(); i++) {
            int before = old.state(i);
            if (before != OK && cur.stateOf(old.src(i), old.product(i)) == 0) {
                feed.append(Kind.ErrorCleared, u, old.product(i), old.src(i), before, 0, cause, now);
            }
        }
    }

    private boolean samePlans(Entries old, Entries cur, int t) {
        int words = subs.words(t);
        for (int w = 0; w < words; w++) {
            if (old.planWord(masks, t, w) != cur.planWord(masks, t, w)) {
                return false;
            }
        }
        return true;
    }

    void groupStarted(int g, long cause, int now) {
        feed.append(Kind.GroupProcessingStarted, -1, -1, g, 0, 0, cause, now);
    }

    void groupFinished(int g, int succeeded, int failed, long cause, int now) {
        feed.append(Kind.GroupProcessingFinished, -1, -1, g, succeeded, failed, cause, now);
    }
}
