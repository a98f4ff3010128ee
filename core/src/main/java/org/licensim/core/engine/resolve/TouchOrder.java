package org.licensim.core.engine.resolve;

import java.util.Arrays;

/**
 * SPEC R18, the order inside one touch of a user: the units the change demands (a new source, or
 * a source whose products or plans changed) and the user's failed units are decided in one R11
 * order, oldest demand first, each once. A failed unit's place is its oldest Error entry; a
 * demanded unit's place is its oldest entry, or the key the change gave it when it has none (a
 * new source, so after every older waiting demand of the user).
 *
 * <p>Reused for every user: {@link #demand} while the change runs, {@link #next} while the user
 * settles, {@link #clear} when the settling ends (a later round of licence-driven rules demands
 * afresh) or the user is written. Nothing is allocated per user once grown.
 */
final class TouchOrder {
    private int[] demandedSrc = new int[8];
    private long[] demandedKey = new long[8];
    private int demandedN;
    private int[] decided = new int[8];
    private int decidedN;
    /** The key the last {@link #next} chose (the new demand's key for a demanded unit without entries). */
    private long chosenKey;

    /** Unit {@code src} is demanded by the change, with {@code key} for any product it has no entry of yet. */
    void demand(int src, long key) {
        for (int i = 0; i < demandedN; i++) {
            if (demandedSrc[i] == src) {
                return;
            }
        }
        if (demandedN == demandedSrc.length) {
            demandedSrc = Arrays.copyOf(demandedSrc, demandedN * 2);
            demandedKey = Arrays.copyOf(demandedKey, demandedN * 2);
        }
        demandedSrc[demandedN] = src;
        demandedKey[demandedN++] = key;
    }

    boolean anyDemanded() {
        return demandedN > 0;
    }

    /** The key a demanded unit gives its new products, or -1 when {@code src} is not demanded. */
    long demandedKey(int src) {
        for (int i = 0; i < demandedN; i++) {
            if (demandedSrc[i] == src) {
                return demandedKey[i];
            }
        }
        return -1;
    }

    /**
     * The next unit to decide, oldest first, among the failed units of {@code cur} and the
     * demanded ones not decided yet; {@link Integer#MIN_VALUE} when none is left. Marks it decided.
     */
    int next(Entries cur) {
        long best = Long.MAX_VALUE;
        int bestSrc = Integer.MIN_VALUE;
        for (int i = 0; i < cur.size(); i++) {
            int src = cur.src(i);
            if (cur.failed(i) && cur.key(i) < best && !decided(src)) {
                best = cur.key(i);
                bestSrc = src;
            }
        }
        for (int d = 0; d < demandedN; d++) {
            int src = demandedSrc[d];
            if (decided(src)) {
                continue;
            }
            long k = demandedKey[d];
            for (int i = 0; i < cur.size(); i++) {
                if (cur.src(i) == src) {
                    k = Math.min(k, cur.key(i));
                }
            }
            if (k < best) {
                best = k;
                bestSrc = src;
            }
        }
        if (bestSrc != Integer.MIN_VALUE) {
            if (decidedN == decided.length) {
                decided = Arrays.copyOf(decided, decidedN * 2);
            }
            decided[decidedN++] = bestSrc;
            long own = demandedKey(bestSrc);
            chosenKey = own >= 0 ? own : best;
        }
        return bestSrc;
    }

    /** The key to give the new products of the unit {@link #next} returned. */
    long chosenKey() {
        return chosenKey;
    }

    private boolean decided(int src) {
        for (int i = 0; i < decidedN; i++) {
            if (decided[i] == src) {
                return true;
            }
        }
        return false;
    }

    /** Forgets the user's demands (written or rolled back). */
    void clear() {
        demandedN = 0;
        decidedN = 0;
    }
}
