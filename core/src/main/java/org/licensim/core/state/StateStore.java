package org.licensim.core.state;

/**
 * Per-user resolved state: a short list of fixed-size int entries, one per (source, product).
 * Readers copy into a caller's scratch array, so a lookup allocates nothing.
 *
 * <p>Entry layout ({@link #ENTRY_INTS} ints): {@link #SRC} the source (a group index >= 0, or
 * {@code -(product + 1)} for a direct assignment), {@link #PRODUCT} tenant product index,
 * {@link #MASK} id of the source's enabled plans in the tenant's
 * {@link org.licensim.core.directory.PlanMasks}, {@link #STATE} {@link States#pack state and error},
 * {@link #KEY_HI}/{@link #KEY_LO} the demand's place in SPEC R11 order, {@link #TIME} seconds since
 * 2000-01-01T00:00Z of the last change ({@link #NO_TIME} when it comes from a snapshot).
 *
 * <p>The family: {@link HeapStateStore} (on the heap), {@link ChronicleStateStore} (persisted,
 * docs/STORE.md) and the decorator {@link TalliedStore} (running totals over any store). Callers
 * learn what a store can do from it, never from its class: {@link #totals()},
 * {@link #concurrentReads()}, {@link #source()}. A decorator passes on what it does not add.
 */
public interface StateStore extends AutoCloseable {
    int ENTRY_INTS = 7;
    int SRC = 0;
    int PRODUCT = 1;
    int MASK = 2;
    int STATE = 3;
    int KEY_HI = 4;
    int KEY_LO = 5;
    int TIME = 6;
    int NO_TIME = Integer.MIN_VALUE;
    /** Longest entry list a user may have; a user past it is reported, not truncated. */
    int MAX_ENTRIES = 4096;

    /** Number of entries of user {@code u} (0 for a user never written). */
    int count(int u);

    /** Copies user {@code u}'s entries into {@code dst} from index 0; returns the entry count. */
    int read(int u, int[] dst);

    /** Replaces user {@code u}'s entries with the first {@code count} entries of {@code src}. */
    default void write(int u, int[] src, int count) {
        write(u, src, 0, count);
    }

    /** Replaces user {@code u}'s entries with {@code count} entries of {@code src} starting at int {@code offset}. */
    void write(int u, int[] src, int offset, int count);

    /** A hint before many writes: about {@code users} users with {@code entries} entries in all. */
    default void reserve(int users, long entries) {
    }

    /** Makes room for users [0, {@code users}) before {@link #bulkLoad}s of that many (a reconcile's output). */
    default void prepareBulkLoad(int users) {
    }

    /**
     * Loads {@code n} users at once from a reconcile worker's output: {@code index} holds
     * (user, offset, count) triples into {@code data}. The users must not have been written
     * before. A store may adopt {@code data} instead of copying it (the heap store does), so the
     * caller must not touch it again.
     */
    default void bulkLoad(int[] data, int[] index, int n) {
        for (int i = 0; i < n; i++) {
            write(index[3 * i], data, index[3 * i + 1], index[3 * i + 2]);
        }
    }

    /**
     * {@link #bulkLoad} of several reconcile workers' outputs at once: output {@code w} is
     * {@code data[w]} with {@code n[w]} (user, offset, count) triples in {@code index[w]}. The
     * outputs' users are disjoint, and below the count given to {@link #prepareBulkLoad} first.
     * A store whose per-user index can be filled from several threads at once does so with
     * {@code runAll} (which runs its argument for every w in [0, {@code data.length}), on as
     * many threads as it has); any other loads the outputs one after another.
     */
    default void bulkLoadAll(int[][] data, int[][] index, int[] n,
                             java.util.function.Consumer<java.util.function.IntConsumer> runAll) {
        for (int w = 0; w < data.length; w++) {
            bulkLoad(data[w], index[w], n[w]);
        }
    }

    /**
     * A per-user index that a reconcile's {@code workers} fill directly as they resolve users
     * [0, {@code users}), when this store has one ({@link BulkIndex}: the heap store, while
     * empty); null otherwise, and then the outputs come through {@link #bulkLoadAll}. A
     * decorator that must see every entry written keeps the default.
     */
    default BulkIndex bulkIndex(int users, int workers) {
        return null;
    }

    /**
     * Marks everything written so far as the state after event {@code lastSeq} (-1: the snapshot
     * alone). The engine calls it after a reconcile and after each applied event; a persisted
     * store makes the writes since the previous commit durable as one step, the heap store has
     * nothing to do.
     */
    default void commit(long lastSeq) {
    }

    /** One past the highest user index ever written. */
    int users();

    /** The totals the store keeps as it is written, when it keeps them ({@link TalliedStore}). */
    default java.util.Optional<StoreTotals> totals() {
        return java.util.Optional.empty();
    }

    /**
     * Whether {@link #count} and {@link #read} may be called from several threads at once while
     * nothing writes (the heap store: plain arrays). A store that decodes into buffers of its own
     * (the persisted one) is read by one thread.
     */
    default boolean concurrentReads() {
        return false;
    }

    /** Where a persisted store's state came from (checked when it is resumed); empty for a store in memory. */
    default java.util.Optional<StoreSource> source() {
        return java.util.Optional.empty();
    }

    @Override
    void close();

    static int direct(int product) {
        return -(product + 1);
    }

    static boolean isDirect(int src) {
        return src < 0;
    }

    static int directProduct(int src) {
        return -src - 1;
    }

    /** Canonical entry order: direct sources first (by product), then groups by index, then product. */
    static boolean before(int srcA, int tA, int srcB, int tB) {
        boolean dA = srcA < 0;
        boolean dB = srcB < 0;
        if (dA != dB) {
            return dA;
        }
        if (srcA != srcB) {
            return dA ? srcA > srcB : srcA < srcB;
        }
        return tA < tB;
    }

    /** Writes one entry's fields at {@code at} of {@code es} (the entry layout in one place). */
    static void put(int[] es, int at, int src, int product, int mask, int state, long key, int time) {
        es[at + SRC] = src;
        es[at + PRODUCT] = product;
        es[at + MASK] = mask;
        es[at + STATE] = state;
        es[at + KEY_HI] = (int) (key >>> 32);
        es[at + KEY_LO] = (int) key;
        es[at + TIME] = time;
    }

    /** An instant as the TIME field: seconds since 2000-01-01T00:00Z, clamped to an int. */
    static int seconds(java.time.Instant t) {
        long s = t.getEpochSecond() - 946_684_800L;
        return (int) Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE, s));
    }

    /** The instant of a TIME field, or null for {@link #NO_TIME}. */
    static java.time.Instant instant(int seconds) {
        return seconds == NO_TIME ? null : java.time.Instant.ofEpochSecond(seconds + 946_684_800L);
    }

    /**
     * The R11 key of a demand that exists in the snapshot: group {@code g}'s licence for user
     * {@code u}. Snapshot demands come before every event's; among them, by group, then user.
     */
    static long snapshotGroupKey(int g, int u) {
        return (1L << 60) | ((long) g << 24) | u;
    }

    /**
     * The R11 key of the {@code n}-th demand created by event {@code seq}. An event creates its
     * demands in user order, so n keeps that order without depending on dense user indexes
     * (which change when a snapshot is written without deleted users and read back).
     */
    static long eventKey(long seq, int n) {
        return (2L << 60) | (seq << 24) | n;
    }

    static long key(int[] e, int at) {
        return ((long) e[at + KEY_HI] << 32) | (e[at + KEY_LO] & 0xFFFFFFFFL);
    }
}
