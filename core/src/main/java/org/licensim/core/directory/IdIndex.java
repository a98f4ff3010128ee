package org.licensim.core.directory;

/**
 * Object ids to dense indexes, for the millions of lookups a snapshot's member lists make (five
 * per user at 1M users). Open addressing with linear probing over three parallel arrays: the
 * ids' mixed hash codes, the ids and the indexes; a probe compares the stored hash first and
 * touches the id only when the hashes match. Eclipse Collections' {@code ObjectIntHashMap}
 * compares every probed key with {@code equals}, dereferencing it: on 1M ids of the bench
 * tenants' shape ("u123456") and 5M lookups it took 0.8-1.3 s against this map's 0.36 s (and
 * java.util.HashMap's 0.50 s, boxed); in the snapshot reader it was half of the reading time.
 * Ids are only added (never removed: an id is never reused, SPEC R20), so there are no tombstones.
 * {@link Dictionary} uses it too, for the same reason: a simulated hire interns a dozen new
 * values (names, mail, UPN), and its values are never removed either.
 */
final class IdIndex {
    private int[] hashes;
    private int[] values;
    private String[] keys;
    private int size;

    /** A copy that shares nothing mutable with this index. */
    IdIndex copy() {
        IdIndex c = new IdIndex(8);
        c.hashes = hashes.clone();
        c.values = values.clone();
        c.keys = keys.clone();
        c.size = size;
        return c;
    }

    IdIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) << 1;
        hashes = new int[capacity];
        values = new int[capacity];
        keys = new String[capacity];
    }

    /** A strong 32-bit mix of the id's hash (Murmur3's finaliser), never 0: 0 marks a free slot. */
    private static int mix(String id) {
        int h = id.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }

    /** Maps {@code id} to {@code value} >= 0 (replacing an earlier value of the same id). */
    void put(String id, int value) {
        int i = slotFor(id);
        if (hashes[i] == 0) {
            take(i, id);
        }
        values[i] = value;
    }

    /**
     * The value of {@code id}; when it has none, maps it to {@code value} (>= 0) and returns that:
     * one probe whether the id is new or not.
     */
    int getIfAbsentPut(String id, int value) {
        int i = slotFor(id);
        if (hashes[i] != 0) {
            return values[i];
        }
        take(i, id);
        values[i] = value;
        return value;
    }

    /** The slot holding {@code id}, or the free slot where it goes (room for one more made first). */
    private int slotFor(String id) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int h = mix(id);
        int mask = keys.length - 1;
        int i = h & mask;
        for (int x; (x = hashes[i]) != 0; i = (i + 1) & mask) {
            if (x == h && keys[i].equals(id)) {
                return i;
            }
        }
        return i;
    }

    /** Puts {@code id} in free slot {@code i} (its value is the caller's to set). */
    private void take(int i, String id) {
        hashes[i] = mix(id);
        keys[i] = id;
        size++;
    }

    /** The value of {@code id}, or {@code absent}. */
    int get(String id, int absent) {
        int h = mix(id);
        int mask = keys.length - 1;
        for (int i = h & mask;; i = (i + 1) & mask) {
            int x = hashes[i];
            if (x == 0) {
                return absent;
            }
            if (x == h && keys[i].equals(id)) {
                return values[i];
            }
        }
    }

    /** Scratch of {@link #getAll}: each id's hash, its home slot, and the hash found there. */
    private int[] batchHash = new int[0];
    private int[] batchSlot = new int[0];
    private int[] batchFound = new int[0];

    /**
     * {@link #get} for each of {@code ids} into {@code out}, in three passes over the batch
     * (hashes, then the home slots' stored hashes, then the comparisons) so that the table's
     * cache misses of different ids overlap instead of waiting one after another: a snapshot's
     * member list looks up thousands of ids in a row.
     */
    void getAll(java.util.List<String> ids, int[] out, int absent) {
        int n = ids.size();
        if (batchHash.length < n) {
            batchHash = new int[n];
            batchSlot = new int[n];
            batchFound = new int[n];
        }
        int mask = keys.length - 1;
        for (int j = 0; j < n; j++) {
            int h = mix(ids.get(j));
            batchHash[j] = h;
            batchSlot[j] = h & mask;
        }
        for (int j = 0; j < n; j++) {
            batchFound[j] = hashes[batchSlot[j]];
        }
        for (int j = 0; j < n; j++) {
            String id = ids.get(j);
            int h = batchHash[j];
            int i = batchSlot[j];
            int x = batchFound[j];
            int v = absent;
            while (x != 0) {
                if (x == h && keys[i].equals(id)) {
                    v = values[i];
                    break;
                }
                i = (i + 1) & mask;
                x = hashes[i];
            }
            out[j] = v;
        }
    }

    /** Whether {@code id} is mapped (values are indexes, never negative). */
    boolean contains(String id) {
        return get(id, -1) >= 0;
    }

    int size() {
        return size;
    }

    private void grow() {
        int[] oldHashes = hashes;
        int[] oldValues = values;
        String[] oldKeys = keys;
        hashes = new int[oldHashes.length * 2];
        values = new int[oldHashes.length * 2];
        keys = new String[oldHashes.length * 2];
        // the keys are distinct and their hashes stored: each goes to its first free slot, no hash or equals again
        int mask = hashes.length - 1;
        for (int i = 0; i < oldHashes.length; i++) {
            int h = oldHashes[i];
            if (h != 0) {
                int j = h & mask;
                while (hashes[j] != 0) {
                    j = (j + 1) & mask;
                }
                hashes[j] = h;
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }
}
