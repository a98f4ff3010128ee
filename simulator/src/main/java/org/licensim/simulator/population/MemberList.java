package org.licensim.simulator.population;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Users (by creation ordinal) holding something the churn model edits: an assigned group's
 * members, or a product's direct holders. Supports "add if absent" and "remove a random one"
 * in O(1); removals by id are lazy (the list keeps a stale entry the picker skips).
 */
public final class MemberList {
    private final IntArrayList items = new IntArrayList();
    private final IntHashSet set = new IntHashSet();

    boolean contains(int k) {
        return set.contains(k);
    }

    void add(int k) {
        if (set.add(k)) {
            items.add(k);
        }
    }

    void remove(int k) {
        set.remove(k);
    }

    int size() {
        return set.size();
    }

    /** A random member, not removed; -1 when empty. */
    int pick(Rng rng) {
        while (!items.isEmpty()) {
            int i = rng.nextInt(items.size());
            int k = items.get(i);
            if (set.contains(k)) {
                return k;
            }
            int lastIndex = items.size() - 1;
            items.set(i, items.get(lastIndex));
            items.removeAtIndex(lastIndex);
        }
        return -1;
    }
}
