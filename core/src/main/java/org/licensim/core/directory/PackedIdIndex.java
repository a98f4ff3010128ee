package org.licensim.core.directory;

/**
 * The users' ids to dense indexes, with the id itself in the table when it fits in 16 bytes: a
 * snapshot's member lists look up five ids per user (5M at 1M users), and with {@link IdIndex}
 * each found id cost three to four cache misses in a row of passes (its slot, the id's reference,
 * the String and its bytes). Here a slot is three longs, {@code [meta, k0, k1]}: the meta word holds
 * the id's mixed hash (high half, never 0: 0 is a free slot), how the id is packed (2 bits) and its
 * value (30 bits); {@code k0, k1} hold the id packed, so that a lookup of a packed id reads one slot
 * (one cache line, two at most) and compares three words, never the String. Two packings, each
 * one-to-one: an id of 1 to 15 characters all below U+0100 (its bytes and its length: the bench
 * tenants' {@code u123456}), and a GUID in Graph's canonical lower-case form (36 characters, its
 * 128 bits). Any other id is kept in a list of its own and compared as a String, as {@link IdIndex}
 * does (its slot holds its place in that list); a packed id and an unpacked one never compare
 * equal (their packings differ in the meta word). The table has any number of slots (a hash's
 * home slot is the hash scaled to the table, not masked) and is filled to at most three quarters:
 * 24 bytes per slot, at 1M ids 32 MB against {@link IdIndex}'s 24 MB (12 bytes per slot, half
 * full at most, 2M slots), at 10M ids 320 MB against its 400 MB. Ids are only added, never removed
 * (SPEC R20): no tombstones.
 */
final class PackedIdIndex {
    /** Per slot three longs: meta (hash, packing, value), then the id's packed words (0 when not packed). */
    private long[] slots;
    /** Slots in the table (any count: a slot's home is the hash scaled to it, not masked). */
    private int capacity;
    /** The ids that are not packed, in the order added: such an id's slot holds its place here in {@code k0}. */
    private String[] others = new String[0];
    private int otherCount;
    private int size;
    /** How many ids a reader expects in all ({@link #expect}), or 0. */
    private int expected;

    static final int NOT_PACKED = 0;
    static final int SHORT = 1;
    static final int GUID = 2;
    /** The largest value a slot holds (30 bits). */
    static final int MAX_VALUE = (1 << 30) - 1;

    PackedIdIndex(int expected) {
        capacity = roomFor(Math.max(8, expected));
        slots = new long[3 * capacity];
    }

    /** A copy that shares nothing mutable with this index. */
    PackedIdIndex copy() {
        PackedIdIndex c = new PackedIdIndex(8);
        c.slots = slots.clone();
        c.capacity = capacity;
        c.others = others.clone();
        c.otherCount = otherCount;
        c.size = size;
        c.expected = expected;
        return c;
    }

    int size() {
        return size;
    }

    /** Slots of the table (tests). */
    int capacity() {
        return capacity;
    }

    // ---- packing: an id's two words and its packing, one-to-one within each packing ----

    /** Scratch of one packing: the words and the packing of the last id packed. */
    static final class Packed {
        long k0;
        long k1;
        int kind;
        /** The characters of a String id being packed (a packed id has at most 36). */
        final char[] chars = new char[36];
    }

    /**
     * Packs {@code id} into {@code p} (its kind NOT_PACKED when neither packing takes it): its
     * characters copied into the scratch and packed as {@link #pack(char[], int, int, Packed)} does.
     */
    static void pack(String id, Packed p) {
        int n = id.length();
        if (n > 15 && n != 36) { // neither packing takes this length
            p.kind = NOT_PACKED;
            p.k0 = 0;
            p.k1 = 0;
            return;
        }
        id.getChars(0, n, p.chars, 0);
        pack(p.chars, 0, n, p);
    }

    /** Packs the id {@code chars[start, start + n)} into {@code p}. */
    static void pack(char[] chars, int start, int n, Packed p) {
        if (n == 36 && guid(chars, start, p)) {
            return;
        }
        p.kind = NOT_PACKED;
        p.k0 = 0;
        p.k1 = 0;
        if (n == 0 || n > 15) {
            return;
        }
        long k0 = 0;
        long k1 = (long) n << 56;
        for (int i = 0; i < n; i++) {
            int c = chars[start + i];
            if (c > 0xFF) {
                return;
            }
            if (i < 8) {
                k0 |= (long) c << (8 * i);
            } else {
                k1 |= (long) c << (8 * (i - 8));
            }
        }
        p.k0 = k0;
        p.k1 = k1;
        p.kind = SHORT;
    }

    /** A lower-case hexadecimal digit's value, or -1. */
    private static int hex(int c) {
        return c < 128 ? HEX_VALUE[c] : -1;
    }

    /** The value of each ASCII character as a lower-case hexadecimal digit, -1 for the others. */
    private static final byte[] HEX_VALUE = new byte[128];

    static {
        java.util.Arrays.fill(HEX_VALUE, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX_VALUE[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX_VALUE[c] = (byte) (c - 'a' + 10);
        }
    }

    private static boolean dash(int i) {
        return i == 8 || i == 13 || i == 18 || i == 23;
    }

    /**
     * The {@code n} hexadecimal digits at {@code chars[at]} as a number, or negative when one is
     * not a lower-case digit ({@code n} at most 15: the value fits in 60 bits, the sign is free).
     */
    private static long digits(char[] chars, int at, int n) {
        long k = 0;
        int bad = 0;
        for (int i = at; i < at + n; i++) {
            int v = hex(chars[i]);
            bad |= v;
            k = k << 4 | (v & 0xF);
        }
        return bad < 0 ? -1 : k;
    }

    /**
     * A canonical GUID (8-4-4-4-12 lower-case digits) packed as its 32 digits: the first 16 in
     * k0, the rest in k1. The dashes are checked at their places and the digits read in runs
     * between them (a day 0 of a million hires packs a million ids).
     */
    private static boolean guid(char[] chars, int start, Packed p) {
        if (chars[start + 8] != '-' || chars[start + 13] != '-' || chars[start + 18] != '-' || chars[start + 23] != '-') {
            return false;
        }
        long a = digits(chars, start, 8);
        long b = digits(chars, start + 9, 4);
        long c = digits(chars, start + 14, 4);
        long d = digits(chars, start + 19, 4);
        long e = digits(chars, start + 24, 12);
        if ((a | b | c | d | e) < 0) {
            return false;
        }
        p.k0 = a << 32 | b << 16 | c;
        p.k1 = d << 48 | e;
        p.kind = GUID;
        return true;
    }

    /** The hash of a packed id (its words and packing), never 0. */
    static int hashPacked(long k0, long k1, int kind) {
        long h = k0 * 0x9E3779B97F4A7C15L + Long.rotateLeft(k1 * 0xC2B2AE3D27D4EB4FL, 31) + kind;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        int x = (int) h;
        return x == 0 ? 1 : x;
    }

    /** The hash of an id given its packing in {@code p} and, for an unpacked one, its String hash code. */
    static int hash(Packed p, int stringCode) {
        return p.kind == NOT_PACKED ? IdIndex.mixCode(stringCode) : hashPacked(p.k0, p.k1, p.kind);
    }

    /** The meta word's top 34 bits (hash and packing) of an id: what a slot holding it has there. */
    private static long tag(int hash, int kind) {
        return (hash & 0xFFFFFFFFL) << 2 | kind;
    }

    private static long meta(int hash, int kind, int value) {
        return tag(hash, kind) << 30 | value;
    }

    private static int valueOf(long meta) {
        return (int) meta & MAX_VALUE;
    }

    private static int hashOf(long meta) {
        return (int) (meta >>> 32);
    }

    private final Packed own = new Packed();

    // ---- single ids ----

    /** The slot holding {@code id} (packed in {@code p}, hash {@code h}), or the free slot where it goes. */
    private int slotFor(String id, Packed p, int h) {
        return slotFor(id, p.kind, p.k0, p.k1, h);
    }

    private int slotFor(String id, int kind, long k0, long k1, int h) {
        int cap = capacity;
        long tag = tag(h, kind);
        long[] t = slots;
        for (int i = home(h, cap);; i = i + 1 == cap ? 0 : i + 1) {
            long x = t[3 * i];
            if (x == 0) {
                return i;
            }
            if (x >>> 30 == tag && (kind != NOT_PACKED ? t[3 * i + 1] == k0 && t[3 * i + 2] == k1
                    : others[(int) t[3 * i + 1]].equals(id))) {
                return i;
            }
        }
    }

    private void roomForOne() {
        if ((long) (size + 1) * 4 > (long) capacity * 3) {
            grow();
        }
    }

    private void store(int i, String id, Packed p, int h, int value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("an id's value must be 0 to " + MAX_VALUE + ", was " + value);
        }
        long k0 = p.k0;
        if (slots[3 * i] == 0) {
            size++;
            if (p.kind == NOT_PACKED) {
                if (otherCount == others.length) {
                    others = java.util.Arrays.copyOf(others, Math.max(16, otherCount * 2));
                }
                k0 = otherCount;
                others[otherCount++] = id;
            }
        } else if (p.kind == NOT_PACKED) {
            k0 = slots[3 * i + 1]; // the same id again: its place among the others stays
        }
        slots[3 * i] = meta(h, p.kind, value);
        slots[3 * i + 1] = k0;
        slots[3 * i + 2] = p.k1;
    }

    /** Maps {@code id} to {@code value} (0 to {@link #MAX_VALUE}), replacing an earlier value of the same id. */
    void put(String id, int value) {
        roomForOne();
        Packed p = own;
        pack(id, p);
        int h = hash(p, id.hashCode());
        store(slotFor(id, p, h), id, p, h, value);
    }

    /** The value of {@code id}; when it has none, maps it to {@code value} and returns that. */
    int getIfAbsentPut(String id, int value) {
        roomForOne();
        Packed p = own;
        pack(id, p);
        int h = hash(p, id.hashCode());
        int i = slotFor(id, p, h);
        long x = slots[3 * i];
        if (x != 0) {
            return valueOf(x);
        }
        store(i, id, p, h, value);
        return value;
    }

    /** The value of {@code id}, or {@code absent} (no scratch: lookups from several threads at once are safe). */
    int get(String id, int absent) {
        int kind = kindOf(id);
        long k0 = kind == NOT_PACKED ? 0 : word(id, kind, 0);
        long k1 = kind == NOT_PACKED ? 0 : word(id, kind, 1);
        int h = kind == NOT_PACKED ? IdIndex.mixCode(id.hashCode()) : hashPacked(k0, k1, kind);
        long tag = tag(h, kind);
        long[] t = slots;
        int cap = capacity;
        for (int i = home(h, cap);; i = i + 1 == cap ? 0 : i + 1) {
            long x = t[3 * i];
            if (x == 0) {
                return absent;
            }
            if (x >>> 30 == tag && (kind != NOT_PACKED ? t[3 * i + 1] == k0 && t[3 * i + 2] == k1
                    : others[(int) t[3 * i + 1]].equals(id))) {
                return valueOf(x);
            }
        }
    }

    /** How {@code id} packs: as {@link #pack(String, Packed)} would, without its scratch. */
    static int kindOf(String id) {
        int n = id.length();
        if (n == 36) {
            boolean guid = true;
            for (int i = 0; i < 36 && guid; i++) {
                int c = id.charAt(i);
                guid = dash(i) ? c == '-' : hex(c) >= 0;
            }
            if (guid) {
                return GUID;
            }
        }
        if (n == 0 || n > 15) {
            return NOT_PACKED;
        }
        for (int i = 0; i < n; i++) {
            if (id.charAt(i) > 0xFF) {
                return NOT_PACKED;
            }
        }
        return SHORT;
    }

    /** Word {@code w} (0 or 1) of {@code id} packed as {@code kind}, as {@link #pack(String, Packed)} makes it. */
    static long word(String id, int kind, int w) {
        long k = 0;
        if (kind == GUID) {
            int digits = 0;
            for (int i = 0; i < 36; i++) {
                if (!dash(i)) {
                    if (digits >> 4 == w) {
                        k = k << 4 | hex(id.charAt(i));
                    }
                    digits++;
                }
            }
            return k;
        }
        int n = id.length();
        if (w == 1) {
            k = (long) n << 56;
        }
        for (int i = 8 * w; i < Math.min(n, 8 * w + 8); i++) {
            k |= (long) id.charAt(i) << (8 * (i - 8 * w));
        }
        return k;
    }

    /** Whether {@code id} is mapped. */
    boolean contains(String id) {
        return get(id, -1) >= 0;
    }

    // ---- batches ----

    /** Ids per block of the batch passes (a block's cache lines stay in the cache between its passes). */
    private static final int BLOCK = 256;

    /** The scratch of batch lookups for one thread: each id's hash, packing, words and home slot. */
    static final class Batch {
        final int[] hash = new int[BLOCK];
        final int[] kind = new int[BLOCK];
        final long[] k0 = new long[BLOCK];
        final long[] k1 = new long[BLOCK];
        final Packed p = new Packed();
        long sink;
    }

    private final Batch ownBatch = new Batch();

    /**
     * {@link #getIfAbsentPut} of each of {@code ids[0, n)} in turn, a new id's value being {@code
     * next} and one more for each new id before it; {@code out[j]} gets id {@code j}'s value. The
     * home slots of each block are loaded in a pass first so that their misses overlap. Returns how
     * many ids were new.
     */
    int getIfAbsentPutAll(String[] ids, int n, int next, int[] out) {
        while ((long) (size + n + 1) * 4 > (long) capacity * 3) {
            grow();
        }
        Batch b = ownBatch;
        Packed p = b.p;
        int added = 0;
        for (int from = 0; from < n; from += BLOCK) {
            int m = Math.min(n, from + BLOCK) - from;
            int cap = capacity;
            for (int j = 0; j < m; j++) {
                String id = ids[from + j];
                pack(id, p);
                b.hash[j] = hash(p, id.hashCode());
                b.kind[j] = p.kind;
                b.k0[j] = p.k0;
                b.k1[j] = p.k1;
            }
            b.sink += touch(b.hash, m, cap);
            for (int j = 0; j < m; j++) {
                String id = ids[from + j];
                int h = b.hash[j];
                p.kind = b.kind[j];
                p.k0 = b.k0[j];
                p.k1 = b.k1[j];
                int i = slotFor(id, p, h);
                long x = slots[3 * i];
                int v;
                if (x != 0) {
                    v = valueOf(x);
                } else {
                    v = next + added++;
                    store(i, id, p, h, v);
                }
                out[from + j] = v;
            }
        }
        return added;
    }

    /** {@link #getAll(char[], int[], int[], int, int[], int, Batch)} with this index's own scratch (one thread at a time). */
    void getAll(char[] chars, int[] starts, int[] lengths, int n, int[] out, int absent) {
        getAll(chars, starts, lengths, n, out, absent, ownBatch);
    }

    /** {@link #get} for each of {@code ids} into {@code out}. */
    void getAll(java.util.List<String> ids, int[] out, int absent) {
        for (int j = 0; j < ids.size(); j++) {
            out[j] = get(ids.get(j), absent);
        }
    }

    /**
     * {@link #get} of ids given as characters, as a parser holds them (id {@code j} is {@code
     * chars[starts[j], starts[j] + lengths[j])}), with
     * the calling thread's scratch {@code b}: in blocks, each packed and hashed in a first pass, its
     * home slots loaded in a second (the misses overlap), compared in a third. A packed id never
     * touches a String; an unpacked one is compared with the String stored.
     */
    void getAll(char[] chars, int[] starts, int[] lengths, int n, int[] out, int absent, Batch b) {
        long[] t = slots;
        int cap = capacity;
        Packed p = b.p;
        for (int from = 0; from < n; from += BLOCK) {
            int m = Math.min(n, from + BLOCK) - from;
            for (int j = 0; j < m; j++) {
                int start = starts[from + j];
                int length = lengths[from + j];
                // an id of 1 to 8 characters below U+0100 (most short ids) packed here, as pack does:
                // in locals, without a call and the scratch's fields in between (the reader's compiler does not inline pack)
                long k0 = 0;
                int kind = length >= 1 && length <= 8 ? SHORT : NOT_PACKED;
                for (int i = 0; i < length && kind == SHORT; i++) {
                    int c = chars[start + i];
                    if (c > 0xFF) {
                        kind = NOT_PACKED;
                    }
                    k0 |= (long) c << (8 * i);
                }
                long k1;
                if (kind == SHORT) {
                    k1 = (long) length << 56;
                } else {
                    pack(chars, start, length, p);
                    kind = p.kind;
                    k0 = p.k0;
                    k1 = p.k1;
                }
                b.hash[j] = kind == NOT_PACKED ? IdIndex.mixCode(IdIndex.code(chars, start, length)) : hashPacked(k0, k1, kind);
                b.kind[j] = kind;
                b.k0[j] = k0;
                b.k1[j] = k1;
            }
            b.sink += touch(b.hash, m, cap);
            for (int j = 0; j < m; j++) {
                int h = b.hash[j];
                int kind = b.kind[j];
                long k0 = b.k0[j];
                long k1 = b.k1[j];
                long tag = tag(h, kind);
                int v = absent;
                for (int i = home(h, cap);; i = i + 1 == cap ? 0 : i + 1) {
                    long x = t[3 * i];
                    if (x == 0) {
                        break;
                    }
                    if (x >>> 30 == tag && (kind != NOT_PACKED ? t[3 * i + 1] == k0 && t[3 * i + 2] == k1
                            : same(others[(int) t[3 * i + 1]], chars, starts[from + j], lengths[from + j]))) {
                        v = valueOf(x);
                        break;
                    }
                }
                out[from + j] = v;
            }
        }
    }

    /**
     * Loads the home slots of a block's {@code hash[0, m)} and the slot after each, in a loop of
     * their own so that their cache misses are in flight together (in the loop that packs and
     * hashes, few were). The 48 bytes from a home slot on span two cache lines in 5 of 8 cases:
     * a slot's words past its first line (2 of 8 slots), a probe that goes on to the next slot (a
     * third of the ids at the table's usual fill) missed one at a time in the compare pass when
     * only the home slot's first word was loaded here.
     */
    private long touch(int[] hash, int m, int cap) {
        long[] t = slots;
        int last = t.length - 1;
        long touched = 0;
        for (int j = 0; j < m; j++) {
            int at = 3 * home(hash[j], cap);
            touched += t[at] + t[Math.min(at + 5, last)];
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

    // ---- growth ----

    /** Makes room for {@code total} ids in all, so that adding them grows the table no more. */
    void reserve(int total) {
        while ((long) (total + 1) * 4 > (long) capacity * 3) {
            grow();
        }
    }

    /**
     * Tells how many ids are expected in all (a count ahead, which can be too high): growths then
     * jump towards the table that count fills to three quarters, up to eight times at once, instead
     * of doubling (each growth moves every slot).
     */
    void expect(int total) {
        expected = Math.max(expected, total);
    }

    /** A table's size for {@code ids} ids: filled to three quarters at most. */
    private static int roomFor(long ids) {
        return (int) Math.min(Integer.MAX_VALUE / 3 - 8, ids + ids / 3 + 2);
    }

    /** Where the hash {@code h} starts its probe in a table of {@code cap} slots: the hash scaled to it. */
    static int home(int h, int cap) {
        return (int) (((h & 0xFFFFFFFFL) * cap) >>> 32);
    }

    private void grow() {
        long[] old = slots;
        int oldCapacity = capacity;
        long next = (long) oldCapacity * 2;
        int room = roomFor(expected);
        if (expected > 0 && room > oldCapacity) {
            // towards the expected count's table, never past it (a later growth doubles if more come)
            next = Math.min(room, (long) oldCapacity * 8);
        }
        int cap = (int) Math.min(next, Integer.MAX_VALUE / 3 - 8);
        long[] t = new long[3 * cap];
        for (int i = 0; i < oldCapacity; i++) {
            long x = old[3 * i];
            if (x != 0) {
                int j = home(hashOf(x), cap);
                while (t[3 * j] != 0) {
                    j = j + 1 == cap ? 0 : j + 1;
                }
                t[3 * j] = x;
                t[3 * j + 1] = old[3 * i + 1];
                t[3 * j + 2] = old[3 * i + 2];
            }
        }
        slots = t;
        capacity = cap;
    }
}
