package org.licensim.core.engine.reconcile;

import java.util.Arrays;

/**
 * One recorder's refusals of one short product in the cutoff rounds, in the order recorded: per
 * refusal the user and the {@link Keys codes} of its first and last seat check of the product and
 * of its first demand refused, as the records hold them while that recorder's record of the user
 * stands. The rounds read a refuser's record from here, in order, instead of from three arrays a
 * cache line apart per user. Kept in blocks of a fixed size that are never copied as the list
 * grows (phase 1 lists up to a hundred thousand refusals per product at 1M users).
 */
final class Refusals {
    private static final int SHIFT = 12;
    /** Ints per block: a multiple of the four a refusal takes, so that no refusal spans two blocks. */
    private static final int BLOCK = 1 << SHIFT;
    private static final int MASK = BLOCK - 1;
    private int[][] blocks = new int[4][];
    private int size;

    /** Appends user {@code u}'s refusal: the codes of its first check, last check and first demand refused. */
    void add(int u, int first, int last, int refused) {
        int at = size << 2;
        int b = at >>> SHIFT;
        if (b == blocks.length) {
            blocks = Arrays.copyOf(blocks, b * 2);
        }
        int[] block = blocks[b];
        if (block == null) {
            block = new int[BLOCK];
            blocks[b] = block;
        }
        int o = at & MASK;
        block[o] = u;
        block[o + 1] = first;
        block[o + 2] = last;
        block[o + 3] = refused;
        size++;
    }

    /** How many refusals are listed. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The user of refusal {@code i}. */
    int user(int i) {
        return at(i, 0);
    }

    /** The code of refusal {@code i}'s first check of the product. */
    int first(int i) {
        return at(i, 1);
    }

    /** The code of refusal {@code i}'s last check of the product. */
    int last(int i) {
        return at(i, 2);
    }

    /** The code of refusal {@code i}'s first demand refused. */
    int refused(int i) {
        return at(i, 3);
    }

    private int at(int i, int field) {
        int k = (i << 2) + field;
        return blocks[k >>> SHIFT][k & MASK];
    }
}
