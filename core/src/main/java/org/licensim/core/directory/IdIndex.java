package org.licensim.core.directory;

/**
 * Object ids to dense indexes, for the millions of lookups a snapshot's member lists make (five
 * per user at 1M users). Open addressing with linear probing over two parallel arrays: a long per
 * slot holding the id's mixed hash code and its index, and the ids; a probe compares the stored
 * hash first and touches the id only when the hashes match. Hash and index share a word so that
 * a found id costs the slot's cache line, the id's reference and the id, not a fourth line for the
 * index (they were three int and reference arrays). Eclipse Collections' {@code ObjectIntHashMap}
 * compares every probed key with {@code equals}, dereferencing it: on 1M ids of the bench
 * tenants' shape ("u123456") and 5M lookups it took 0.8-1.3 s against this map's 0.36 s (and
 * java.util.HashMap's 0.50 s, boxed); in the snapshot reader it was half of the reading time.
 * Ids are only added (never removed: an id is never reused, SPEC R20), so there are no tombstones.
 * {@link Dictionary} uses it too, for the same reason: a simulated hire interns a dozen new
 * values (names, mail, UPN), and its values are never removed either.
 */
final class IdIndex {
    /** Per slot: the mixed hash in the high half (never 0: 0 is a free slot), the value in the low half. */
    private long[] slots;
    private String[] keys;
    private int size;

    /** A copy that shares nothing mutable with this index. */
    IdIndex copy() {
        IdIndex c = new IdIndex(8);
        c.slots = slots.clone();
        c.keys = keys.clone();
        c.size = size;
        return c;
    }

    IdIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) << 1;
        slots = new long[capacity];
        keys = new String[capacity];
    }

    /** A strong 32-bit mix of the id's hash (Murmur3's finaliser), never 0: 0 marks a free slot. */
    private static int mix(String id) {
        return mixCode(id.hashCode());
    }

    /** Murmur3's finaliser of a hash code, never 0 (also the folded proxy addresses' table's). */
    static int mixCode(int code) {
        int h = code;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }

    private static int hashOf(long slot) {
        return (int) (slot >>> 32);
    }

    private static int valueOf(long slot) {
        return (int) slot;
    }

    private static long slot(int hash, int value) {
        return ((long) hash << 32) | (value & 0xFFFFFFFFL);
    }

    /** Maps {@code id} to {@code value} >= 0 (replacing an earlier value of the same id). */
    void put(String id, int value) {
        int h = mix(id);
        int i = slotFor(id, h);
        if (slots[i] == 0) {
            keys[i] = id;
            size++;
        }
        slots[i] = slot(h, value);
    }

    /**
     * The value of {@code id}; when it has none, maps it to {@code value} (>= 0) and returns that:
     * one probe whether the id is new or not.
     */
    int getIfAbsentPut(String id, int value) {
        int h = mix(id);
        int i = slotFor(id, h);
        long x = slots[i];
        if (x != 0) {
            return valueOf(x);
        }
        keys[i] = id;
        size++;
        slots[i] = slot(h, value);
        return value;
    }

    /**
     * {@link #getIfAbsentPut} of each of {@code ids[0, n)} in turn, the value of a new id being
     * {@code next} and one more for each new id before it; {@code out[j]} gets id {@code j}'s
     * value. The same table as n calls would leave, but with the home slots of the whole batch
     * loaded first so that their cache misses overlap: a snapshot adds a million users, and each
     * new id was a miss in a table of millions. Returns how many ids were new.
     */
    int getIfAbsentPutAll(String[] ids, int n, int next, int[] out) {
        // room for all of them now: no table growth moves the slots between the passes
        while ((size + n + 1) * 2 > keys.length) {
            grow();
        }
        batch(n);
        int mask = mask();
        for (int j = 0; j < n; j++) {
            batchHash[j] = mix(ids[j]);
        }
        long touched = 0;
        for (int j = 0; j < n; j++) {
            int i = batchHash[j] & mask;
            touched += slots[i];
            touched += keys[i] == null ? 0 : 1;
        }
        sink += (int) touched;
        int added = 0;
        for (int j = 0; j < n; j++) {
            String id = ids[j];
            int h = batchHash[j];
            int i = h & mask;
            long x;
            int v = -1;
            for (; (x = slots[i]) != 0; i = (i + 1) & mask) {
                if (hashOf(x) == h && keys[i].equals(id)) {
                    v = valueOf(x);
                    break;
                }
            }
            if (v < 0) {
                v = next + added++;
                keys[i] = id;
                size++;
                slots[i] = slot(h, v);
            }
            out[j] = v;
        }
        return added;
    }

    /** Makes room for {@code total} ids in all, so that adding them grows the table no more (each growth moves every slot). */
    void reserve(int total) {
        while ((long) (total + 1) * 2 > keys.length) {
            grow();
        }
    }

    /** The slot holding {@code id} (hash {@code h}), or the free slot where it goes (room for one more made first). */
    private int slotFor(String id, int h) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = h & mask;
        for (long x; (x = slots[i]) != 0; i = (i + 1) & mask) {
            if (hashOf(x) == h && keys[i].equals(id)) {
                return i;
            }
        }
        return i;
    }

    /** The value of {@code id}, or {@code absent}. */
    int get(String id, int absent) {
        int h = mix(id);
        int mask = keys.length - 1;
        for (int i = h & mask;; i = (i + 1) & mask) {
            long x = slots[i];
            if (x == 0) {
                return absent;
            }
            if (hashOf(x) == h && keys[i].equals(id)) {
                return valueOf(x);
            }
        }
    }

    /** Scratch of the batch lookups: each id's hash, its home slot, and what that slot holds. */
    private int[] batchHash = new int[0];
    private int[] batchSlot = new int[0];
    private long[] batchFound = new long[0];
    private String[] batchKey = new String[0];

    private void batch(int n) {
        if (batchHash.length < n) {
            batchHash = new int[n];
            batchSlot = new int[n];
            batchFound = new long[n];
            batchKey = new String[n];
        }
    }

    /**
     * The scratch of {@link #getAll(char[], int[], int[], int[], int, int[], int, Batch)} for a
     * thread of its own: lookups on two threads at once, while nothing is added, each with its
     * own batch (the index's own scratch is for one thread at a time).
     */
    static final class Batch {
        final int[] hash = new int[BLOCK];
        final int[] slot = new int[BLOCK];
        final long[] found = new long[BLOCK];
        final String[] key = new String[BLOCK];
        int sink;
    }

    /**
     * {@link #get} for each of {@code ids} into {@code out}, in passes over the batch (hashes, then
     * the home slots, then the ids stored there, then the comparisons) so that the table's cache
     * misses of different ids overlap instead of waiting one after another: a snapshot's member
     * list looks up thousands of ids in a row.
     */
    void getAll(java.util.List<String> ids, int[] out, int absent) {
        for (int from = 0; from < ids.size(); from += BLOCK) {
            getBlock(ids, from, Math.min(ids.size(), from + BLOCK), out, absent);
        }
    }

    /**
     * Ids per block of the batch lookups: the passes of a block come back to cache lines the block
     * loaded, so a block's lines must stay in the cache (a pass over a whole member list of 100k
     * ids had them evicted by the next pass).
     */
    private static final int BLOCK = 256;

    private void getBlock(java.util.List<String> ids, int from, int to, int[] out, int absent) {
        int n = to - from;
        batch(n);
        for (int j = 0; j < n; j++) {
            batchHash[j] = mix(ids.get(from + j));
        }
        probe(n);
        for (int j = 0; j < n; j++) {
            String id = ids.get(from + j);
            int h = batchHash[j];
            int i = batchSlot[j];
            long x = batchFound[j];
            String k = batchKey[j];
            int v = absent;
            while (x != 0) {
                if (hashOf(x) == h && (k != null ? k : keys[i]).equals(id)) {
                    v = valueOf(x);
                    break;
                }
                k = null;
                i = (i + 1) & mask();
                x = slots[i];
            }
            out[from + j] = v;
        }
    }

    private int mask() {
        return keys.length - 1;
    }

    /**
     * The batch's shared passes: from each {@code batchHash}, its home slot and what it holds, and
     * the stored id when the hashes match (loaded in a pass of its own, its first character read too,
     * so that those misses overlap as well).
     */
    private void probe(int n) {
        sink += probe(n, batchHash, batchSlot, batchFound, batchKey);
    }

    /** {@link #probe(int)} into the given scratch; returns what the touching pass read. */
    private int probe(int n, int[] batchHash, int[] batchSlot, long[] batchFound, String[] batchKey) {
        int mask = mask();
        long[] slots = this.slots;
        String[] keys = this.keys;
        for (int j = 0; j < n; j++) {
            batchSlot[j] = batchHash[j] & mask;
        }
        for (int j = 0; j < n; j++) {
            batchFound[j] = slots[batchSlot[j]];
        }
        int touched = 0;
        for (int j = 0; j < n; j++) {
            long x = batchFound[j];
            String k = x != 0 && hashOf(x) == batchHash[j] ? keys[batchSlot[j]] : null;
            batchKey[j] = k;
        }
        for (int j = 0; j < n; j++) {
            String k = batchKey[j];
            // the first character loads the id's characters too (a third miss per id, overlapped with the others)
            touched += k == null || k.isEmpty() ? 0 : k.charAt(0);
        }
        return touched;
    }

    /** What {@link #probe}'s touching pass read, kept so that the reads are made. */
    @SuppressWarnings("unused")
    private int sink;

    /**
     * {@link #getAll} for ids given as characters, as a parser holds them (no String made for an
     * id that is only looked up): id {@code j} is {@code chars[starts[j], starts[j] + lengths[j])}
     * and {@code codes[j]} its {@link String#hashCode}.
     */
    void getAll(char[] chars, int[] starts, int[] lengths, int[] codes, int n, int[] out, int absent) {
        batch(Math.min(n, BLOCK));
        for (int from = 0; from < n; from += BLOCK) {
            sink += getBlock(chars, starts, lengths, codes, from, Math.min(n, from + BLOCK), out, absent, batchHash,
                    batchSlot, batchFound, batchKey);
        }
    }

    /** {@link #getAll(char[], int[], int[], int[], int, int[], int)} with a scratch of the calling thread's own. */
    void getAll(char[] chars, int[] starts, int[] lengths, int[] codes, int n, int[] out, int absent, Batch b) {
        for (int from = 0; from < n; from += BLOCK) {
            b.sink += getBlock(chars, starts, lengths, codes, from, Math.min(n, from + BLOCK), out, absent, b.hash,
                    b.slot, b.found, b.key);
        }
    }

    private int getBlock(char[] chars, int[] starts, int[] lengths, int[] codes, int from, int to, int[] out,
                         int absent, int[] batchHash, int[] batchSlot, long[] batchFound, String[] batchKey) {
        int n = to - from;
        for (int j = 0; j < n; j++) {
            batchHash[j] = mixCode(codes[from + j]);
        }
        int touched = probe(n, batchHash, batchSlot, batchFound, batchKey);
        int mask = mask();
        for (int j = 0; j < n; j++) {
            int h = batchHash[j];
            int i = batchSlot[j];
            long x = batchFound[j];
            String k = batchKey[j];
            int v = absent;
            while (x != 0) {
                if (hashOf(x) == h && same(k != null ? k : keys[i], chars, starts[from + j], lengths[from + j])) {
                    v = valueOf(x);
                    break;
                }
                k = null;
                i = (i + 1) & mask;
                x = slots[i];
            }
            out[from + j] = v;
        }
        return touched;
    }

    private static boolean same(String key, char[] chars, int start, int length) {
        if (key.length() != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (key.charAt(k) != chars[start + k]) {
                return false;
            }
        }
        return true;
    }

    /** {@link String#hashCode} of {@code chars[start, start + length)}: the same code the id's String has. */
    static int code(char[] chars, int start, int length) {
        int h = 0;
        for (int k = start, end = start + length; k < end; k++) {
            h = 31 * h + chars[k];
        }
        return h;
    }

    /** Whether {@code id} is mapped (values are indexes, never negative). */
    boolean contains(String id) {
        return get(id, -1) >= 0;
    }

    int size() {
        return size;
    }

    /** Slots of the table (tests). */
    int capacity() {
        return keys.length;
    }

    /** How many ids a reader expects in all ({@link #expect}), or 0. */
    private int expected;

    /**
     * Tells how many ids are expected in all (a snapshot reader's count ahead, which can be too
     * high): the table's growths then jump towards that size, up to eight times at once, instead
     * of doubling each time (each growth moves every slot; at 1M ids the doublings allocated as
     * much as the final table, 24 MB). A jump never goes past the largest table the expected
     * count fills at least half of, and later growths still follow the ids actually added, so an
     * expectation twice too high leaves the table its natural size and a wilder one at most a few
     * times larger than it.
     */
    void expect(int total) {
        expected = Math.max(expected, total);
    }

    private void grow() {
        long[] oldSlots = slots;
        String[] oldKeys = keys;
        int capacity = oldSlots.length * 2;
        if (expected > 0) {
            // the largest power of two at most twice the expected count: full to at least half of it when it comes true
            int target = Integer.highestOneBit((int) Math.min(1 << 30, (long) expected * 2));
            capacity = Math.max(capacity, (int) Math.min(target, (long) oldSlots.length * 8));
        }
        slots = new long[capacity];
        keys = new String[capacity];
        // the keys are distinct and their hashes stored: each goes to its first free slot, no hash or equals again
        int mask = slots.length - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            long x = oldSlots[i];
            if (x != 0) {
                int j = hashOf(x) & mask;
                while (slots[j] != 0) {
                    j = (j + 1) & mask;
                }
                slots[j] = x;
                keys[j] = oldKeys[i];
            }
        }
    }
}
