package org.licensim.core.directory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;

/**
 * Interned enabled-plan masks: a (tenant product, mask over the product's plans) pair gets a
 * dense int id once, so per-user state stores one int per source instead of the mask words,
 * and two sources enable the same plans exactly when their ids are equal. A tenant has few
 * distinct masks (one per distinct disabled-plan list of an assignment), so the table stays
 * small whatever the user count. Interning happens when an assignment is made, never per user.
 */
public final class PlanMasks {
    private final IntArrayList product = new IntArrayList();
    private final IntArrayList offset = new IntArrayList();
    private final IntArrayList words = new IntArrayList();
    private final LongArrayList bits = new LongArrayList();
    private final Map<Key, Integer> ids = new HashMap<>();

    private record Key(int product, long[] mask) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.product == product && Arrays.equals(k.mask, mask);
        }

        @Override
        public int hashCode() {
            return product * 31 + Arrays.hashCode(mask);
        }
    }

    /** A copy that shares nothing mutable (interned masks are copies, never changed). */
    public PlanMasks copy() {
        PlanMasks c = new PlanMasks();
        c.product.addAll(product);
        c.offset.addAll(offset);
        c.words.addAll(words);
        c.bits.addAll(bits);
        c.ids.putAll(ids);
        return c;
    }

    /** The id of {@code mask} (copied) over tenant product {@code t}'s plans. */
    public int intern(int t, long[] mask) {
        Key k = new Key(t, mask.clone());
        Integer id = ids.get(k);
        if (id != null) {
            return id;
        }
        int n = product.size();
        product.add(t);
        offset.add(bits.size());
        words.add(mask.length);
        for (long w : mask) {
            bits.add(w);
        }
        ids.put(k, n);
        return n;
    }

    /** The id of the enabled mask {@code all & ~disabled} of product {@code t}. */
    public int internEnabled(Subscriptions subs, int t, long[] disabled) {
        long[] all = subs.allPlans(t);
        for (int i = 0; i < all.length; i++) {
            all[i] &= ~disabled[i];
        }
        return intern(t, all);
    }

    public int size() {
        return product.size();
    }

    public int product(int id) {
        return product.get(id);
    }

    public int wordCount(int id) {
        return words.get(id);
    }

    public long word(int id, int i) {
        return bits.get(offset.get(id) + i);
    }

    /** Whether product-local plan {@code plan} is enabled in mask {@code id}. */
    public boolean has(int id, int plan) {
        int w = plan >>> 6;
        return w < words.get(id) && (bits.get(offset.get(id) + w) & (1L << plan)) != 0;
    }

    public long[] copy(int id) {
        long[] m = new long[words.get(id)];
        for (int i = 0; i < m.length; i++) {
            m[i] = word(id, i);
        }
        return m;
    }
}
