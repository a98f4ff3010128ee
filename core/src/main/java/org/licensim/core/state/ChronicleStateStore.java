package org.licensim.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.map.ChronicleMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;

/**
 * The persisted {@link StateStore}: every user's resolved state in a Chronicle Map file, off the
 * Java heap, with the integrity Chronicle Map does not give by itself (docs/STORE.md).
 *
 * <p>A store is a directory: {@code lock} (one process at a time, {@link StoreLock}),
 * {@code manifest.json} (layout version, the tenant's products and their plans, where the state
 * came from, sizing, the generation of the map files; checksummed), {@code state.cm} (user index
 * to value), {@code user-ids.cm} and {@code group-ids.cm} (the ids, each entry checksummed:
 * {@link IdMaps}), {@code commit.bin} (the last commit: sequence of the last applied event,
 * value count, id counts; two CRC'd slots) and {@code undo.bin} (before-images of uncommitted
 * writes). A store that outgrows its sizing is copied at a commit into map files of the next
 * generation ({@code state.1.cm}, ...), switched to by rewriting the manifest.
 *
 * <p>A value is {@code [n][n entries][crc]} ({@link ValueCodec}); the CRC32C covers the user
 * index and every byte before it, so a flipped byte or a value under the wrong key is caught on
 * read. Opening checks the manifest, the commit record, the exact value and id counts and (by
 * default) every value and id entry, and refuses a damaged store with an error naming the file.
 * Chronicle Map's own header is not checked: it holds mutable state the map changes as it grows.
 *
 * <p>Crash safety: between commits the first write to each user logs its before-image in
 * {@code undo.bin}; {@link #commit(long)} writes the commit record, then empties the log. A
 * reopen after a kill rolls back an uncommitted log and drops ids recorded after the last
 * commit, so the store equals its last commit: a prefix of the applied events, with the last
 * one's sequence in {@link #lastSeq()}. A store killed while being built (before its first
 * commit) says so and is refused. The commit record and the undo log allocate their disk space
 * before they map it, and the map files are not sparse, so a full disk is an I/O error naming the
 * file, never a crash of the process in the middle of a write.
 *
 * <p>Any failure of the store while it is written or read (I/O, space, an entry too large,
 * damage) is a {@link StoreFailure} naming the file, never an ordinary refusal.
 *
 * <p>Split by job: this class is the {@link StateStore} and the commit protocol (undo log,
 * commit record, rollback, close); {@link StoreOpening} creates, recovers and opens;
 * {@link StoreValues} encodes, checks and decodes values; {@link StoreGrowth} moves to a larger
 * generation of map files; {@link StoreManifest}, {@link IdMaps}, {@link CommitHeader},
 * {@link UndoLog}, {@link StoreLock} and {@link StoreFiles} own their files.
 */
public final class ChronicleStateStore implements StateStore {
    /** Layout of values and files; a store of another layout is refused, never misread. */
    public static final int LAYOUT = 3;
    static final String MANIFEST = StoreManifest.FILE;
    static final String STATE_FILE = "state.cm";
    static final String USER_IDS = "user-ids.cm";
    static final String GROUP_IDS = "group-ids.cm";
    static final String COMMIT = "commit.bin";
    static final String UNDO = "undo.bin";
    /** The three map files, by their generation-0 names. */
    static final List<String> MAP_FILES = List.of(STATE_FILE, USER_IDS, GROUP_IDS);

    /** Sizing of a new store: users it should hold (growth included) and average entries per user. */
    public record Sizing(long users, long groups, double entriesPerUser, double averageIdLength) {
        /** From a loaded tenant: its users plus a quarter for growth, entries from its group and direct assignments. */
        public static Sizing of(Tenant t) {
            long entries = t.assignments().directCount();
            for (int g = 0; g < t.groups().size(); g++) {
                int products = t.assignments().ofGroup(g).length;
                if (products > 0) {
                    entries += (long) products * t.groups().userMembers(g).getLongCardinality();
                }
            }
            int users = Math.max(1, t.users().size());
            long idChars = 0;
            int sample = Math.min(t.users().size(), 1000);
            for (int u = 0; u < sample; u++) {
                idChars += t.users().id(u).length();
            }
            return new Sizing(users + users / 4 + 1000, t.groups().size() + t.groups().size() / 4 + 1000,
                    Math.max(1.0, (double) entries / users),
                    sample == 0 ? 36 : Math.max(8.0, (double) idChars / sample));
        }
    }

    private final Path dir;
    private final List<StoredProduct> products;
    private final StoreValues values;
    private IdMaps ids;
    private final CommitHeader header;
    private final UndoLog undo;
    private StoreManifest manifest;
    private final StoreLock lock;
    private final String recovery;
    private Consumer<String> log = line -> { };
    private final IntHashSet touched = new IntHashSet();
    private boolean logging;
    private int highUser;
    private Tenant tenant;
    /** Set by the first failure while writing: the store is at its last commit and takes no more writes. */
    private StoreFailure failed;

    ChronicleStateStore(Path dir, StoreLock lock, StoreManifest manifest, ChronicleMap<IntValue, ByteBuffer> state,
                        IdMaps ids, CommitHeader header, UndoLog undo, String recovery) {
        this.dir = dir;
        this.lock = lock;
        this.manifest = manifest;
        this.products = manifest.products();
        this.values = new StoreValues(products, dir.resolve(StoreFiles.fileOf(STATE_FILE, manifest.generation())), state);
        this.ids = ids;
        this.header = header;
        this.undo = undo;
        this.recovery = recovery;
        this.highUser = header.current().users();
    }

    // ------------------------------------------------------------------ create, open

    /**
     * Creates an empty store in {@code dir} (which must not exist or be empty) for {@code tenant}'s
     * products; {@code source} says where the state comes from and is checked when the store is
     * resumed. If creating fails (a full disk, say), nothing is left behind.
     */
    public static ChronicleStateStore create(Path dir, Tenant tenant, StoreSource source, Sizing sizing) {
        return StoreOpening.create(dir, tenant, source, sizing);
    }

    /**
     * If the store in {@code dir} was killed during its first build (it never committed, so it
     * holds nothing to keep), empties it so that it can be built again, and says so; returns
     * false and changes nothing for any other directory.
     */
    public static boolean discardUnfinishedBuild(Path dir) {
        return StoreOpening.discardUnfinishedBuild(dir);
    }

    /** Whether {@code dir} holds a store (its manifest exists). */
    public static boolean exists(Path dir) {
        return StoreOpening.exists(dir);
    }

    /** {@link #open(Path, boolean, String)} for a writer. */
    public static ChronicleStateStore open(Path dir, boolean verifyAll) {
        return open(dir, verifyAll, "writing the store");
    }

    /**
     * Opens an existing store for {@code purpose} (said to any other process that tries to open it
     * meanwhile), recovering it to its last commit if its last writer was killed, and verifies
     * it: manifest, commit record, value and id counts and, with {@code verifyAll}, every value
     * and every id entry. Any damage is a {@link StoreFailure} naming the file; a failed open
     * leaves the store as it found it.
     */
    public static ChronicleStateStore open(Path dir, boolean verifyAll, String purpose) {
        return StoreOpening.open(dir, verifyAll, purpose);
    }

    /**
     * Connects the store to the engine's tenant: mask ids are translated against its interned
     * masks and its new user and group ids are recorded at each commit. The tenant's products
     * must be the store's, in the same order.
     */
    public void attach(Tenant t) {
        List<StoredProduct> mine = StoreManifest.productsOf(t);
        if (mine.size() != products.size()) {
            throw new LicensimException(dir + ": the store holds " + products.size() + " products, the tenant has "
                    + mine.size() + "; the store was made from another tenant");
        }
        for (int i = 0; i < mine.size(); i++) {
            if (!mine.get(i).skuId().equals(products.get(i).skuId())
                    || mine.get(i).planIds().length != products.get(i).planIds().length) {
                throw new LicensimException(dir + ": product " + i + " of the store is " + products.get(i).skuPartNumber()
                        + ", the tenant's is " + mine.get(i).skuPartNumber() + "; the store was made from another tenant");
            }
        }
        this.tenant = t;
        values.attach(t.masks());
    }

    // ------------------------------------------------------------------ integrity

    /** The value I/O (for tests that look at the bytes). */
    StoreValues values() {
        return values;
    }

    /** Created by this process: every entry is its own, so a lookup that misses needs no scan. */
    void markChecked() {
        values.markChecked();
        ids.markChecked();
    }

    /** The checks of an open: value and id counts against the commit record; with {@code verifyAll} every value and id. */
    void check(boolean verifyAll) {
        CommitHeader.Slot c = header.current();
        long n = values.size();
        if (n != c.entries()) {
            throw new StoreFailure(values.file() + ": holds " + n + " user values but the last commit recorded "
                    + c.entries() + ": the file was truncated, replaced or damaged");
        }
        if (ids.users.longSize() != c.users()) {
            throw IdMaps.damaged(dir.resolve(StoreFiles.fileOf(USER_IDS, manifest.generation())), "it holds "
                    + ids.users.longSize() + " user ids but the last commit recorded " + c.users());
        }
        if (ids.groups.longSize() != c.groups()) {
            throw IdMaps.damaged(dir.resolve(StoreFiles.fileOf(GROUP_IDS, manifest.generation())), "it holds "
                    + ids.groups.longSize() + " group ids but the last commit recorded " + c.groups());
        }
        if (verifyAll) {
            values.verifyAll(c.entries());
            ids.verify(c.users(), c.groups());
        }
    }

    // ------------------------------------------------------------------ StateStore

    @Override
    public int count(int u) {
        return Math.max(0, values.load(u));
    }

    @Override
    public int read(int u, int[] dst) {
        return values.read(u, dst);
    }

    @Override
    public void write(int u, int[] src, int offset, int n) {
        if (tenant == null) {
            throw new IllegalStateException("attach(tenant) before the engine writes the store");
        }
        if (failed != null) {
            throw failed;
        }
        Path at = undo.file();
        try {
            if (!logging && header.current().status() == CommitHeader.CLEAN) {
                undo.begin(header.current().commitNo());
                logging = true;
            }
            if (logging && touched.add(u)) {
                values.logBefore(u, undo);
            }
            at = values.file();
            StoreFaults.beforeWrite(at, header.current().lastSeq());
            values.put(u, src, offset, n);
        } catch (RuntimeException e) {
            throw failure(e, at, "writing the state of user index " + u);
        }
        if (u >= highUser) {
            highUser = u + 1;
        }
        if (bulkTotal > 0 && (++bulkDone & 0xFFFF) == 0) {
            bulkProgress();
        }
    }

    @Override
    public int users() {
        return highUser;
    }

    @Override
    public void reserve(int users, long entries) {
        // sized when created (Sizing); Chronicle Map grows up to its bloat factor beyond that
    }

    /** Where the state came from, as the manifest records it. */
    @Override
    public Optional<StoreSource> source() {
        return Optional.of(StoreSource.parse(manifest.source()));
    }

    /** A reconcile's writes are about to come: they are counted and reported on the log (phase, share, time to go). */
    @Override
    public void prepareBulkLoad(int users) {
        bulkTotal = users;
        bulkDone = 0;
        bulkStart = System.nanoTime();
        bulkReported = bulkStart;
    }

    /** At most how often a bulk load reports (a test sets 0 to see every report). */
    static long bulkReportNanos = 2_000_000_000L;
    /** Users a bulk load will write (0: none under way), written so far, and when it started and last reported. */
    private long bulkTotal;
    private long bulkDone;
    private long bulkStart;
    private long bulkReported;

    /** Every 64k users of a bulk load, at most every two seconds: how far, how long so far, about how long to go. */
    private void bulkProgress() {
        long now = System.nanoTime();
        if (now - bulkReported < bulkReportNanos || bulkDone >= bulkTotal) {
            return;
        }
        bulkReported = now;
        double spent = (now - bulkStart) / 1e9;
        log.accept(String.format(java.util.Locale.ROOT, "store %s: writing the resolved state, %,d of %,d users (%d%%), "
                + "%.0f s so far, about %.0f s to go", dir, bulkDone, bulkTotal, 100 * bulkDone / bulkTotal, spent,
                spent / bulkDone * (bulkTotal - bulkDone)));
    }

    /**
     * Makes every write since the last commit durable as one step: records the new user and group
     * ids of the attached tenant, writes the commit record ({@code lastSeq}, value count), and
     * empties the undo log. A process killed before the record is written reopens at the
     * previous commit; after it, at this one.
     */
    @Override
    public void commit(long lastSeq) {
        if (failed != null) {
            throw failed;
        }
        bulkTotal = 0;
        int users = header.current().users();
        int groups = header.current().groups();
        Path at = dir.resolve(StoreFiles.fileOf(USER_IDS, manifest.generation()));
        try {
            if (tenant != null) {
                for (int u = users; u < tenant.users().size(); u++) {
                    ids.putUser(tenant.users().id(u), u);
                }
                users = Math.max(users, tenant.users().size());
                at = dir.resolve(StoreFiles.fileOf(GROUP_IDS, manifest.generation()));
                for (int g = groups; g < tenant.groups().size(); g++) {
                    ids.putGroup(g, tenant.groups().id(g));
                }
                groups = Math.max(groups, tenant.groups().size());
            }
            at = header.file();
            CommitHeader.Slot c = header.current();
            header.write(new CommitHeader.Slot(c.commitNo() + 1, LAYOUT, CommitHeader.CLEAN, lastSeq, values.size(),
                    users, groups));
        } catch (RuntimeException e) {
            throw failure(e, at, "committing the state after event seq " + lastSeq);
        }
        undo.clear();
        touched.clear();
        logging = false;
        if (StoreGrowth.needed(manifest, values, ids)) {
            grow();
        }
    }

    /** Moves to a larger generation of map files ({@link StoreGrowth}), right after a commit. */
    private void grow() {
        long t0 = System.nanoTime();
        long was = manifest.sizing().users();
        int old = manifest.generation();
        StoreGrowth.Grown g;
        try {
            g = StoreGrowth.grow(dir, manifest, values, ids);
        } catch (RuntimeException e) {
            throw failure(e, dir, "growing the store past its sizing of "
                    + was + " users");
        }
        values.map().close();
        ids.close();
        values.switchTo(g.stateFile(), g.state());
        ids = g.ids();
        manifest = g.manifest();
        StoreFiles.removeOtherGenerations(dir, manifest.generation());
        log.accept(String.format("store %s grown from %,d to %,d users' room (generation %d -> %d, %,d ms)", dir,
                was, manifest.sizing().users(), old, manifest.generation(), (System.nanoTime() - t0) / 1_000_000));
    }

    /** Receives one line per store event worth telling (a growth); no user data. */
    public void setLog(Consumer<String> log) {
        this.log = log;
    }

    /**
     * A failure met while writing {@code file}, as a {@link StoreFailure} that names the file and
     * says the store is at its last commit. The store takes no further writes: the writes since
     * that commit are rolled back when it is closed.
     */
    private StoreFailure failure(RuntimeException e, Path file, String doing) {
        if (e instanceof StoreFailure f) {
            failed = f;
            return f;
        }
        String why = e instanceof LicensimException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        failed = new StoreFailure(file + ": failed while " + doing + " (" + why + "); the store stays at its last commit "
                + "(after event seq " + header.current().lastSeq() + "); remove the cause (free disk space if it is "
                + "full) and run the same command again to resume", e);
        return failed;
    }

    /** Returns every value written since the last commit to what it was then. */
    void rollback() {
        undo.rollback(values::restore);
        undo.clear();
    }

    // ------------------------------------------------------------------ reading without a tenant

    public Path dir() {
        return dir;
    }

    /** Sequence number of the last event the store's state reflects, or -1 (a snapshot only). */
    public long lastSeq() {
        return header.current().lastSeq();
    }

    /** Values (users with at least one entry) in the last commit. */
    public long entries() {
        return header.current().entries();
    }

    /** User ids recorded (users of the tenant at the last commit, deleted ones included). */
    public int userCount() {
        return header.current().users();
    }

    public int groupCount() {
        return header.current().groups();
    }

    /** Non-null when opening found a killed writer and returned the store to its last commit. */
    public String recovery() {
        return recovery;
    }

    public List<StoredProduct> products() {
        return products;
    }

    /**
     * Index of user {@code id}, or -1 when the store has no such user. A lookup that misses is
     * checked ({@link IdMaps#user}), and an index past the committed users is damage: either is
     * a {@link StoreFailure} naming the file.
     */
    public int userIndex(String id) {
        int u = ids.user(id);
        if (u >= header.current().users()) {
            throw IdMaps.damaged(dir.resolve(StoreFiles.fileOf(USER_IDS, manifest.generation())), "user id \"" + id
                    + "\" has index " + u + ", past the " + header.current().users() + " users of the last commit");
        }
        return u;
    }

    /** Id of group index {@code g}, or null when there is no such index; a committed group without an id is damage. */
    public String groupId(int g) {
        if (g < 0 || g >= header.current().groups()) {
            return null;
        }
        String id = ids.group(g);
        if (id == null) {
            throw IdMaps.damaged(dir.resolve(StoreFiles.fileOf(GROUP_IDS, manifest.generation())), "group index " + g
                    + " of the last commit's " + header.current().groups() + " groups is not found");
        }
        return id;
    }

    /** User {@code u}'s entries, decoded with their enabled-plan words (allocates: for display and tests). */
    public List<StoredEntry> entries(int u) {
        return values.entries(u);
    }

    /** Off-heap bytes of the three map files (their mapped size on disk). */
    public long offHeapBytes() {
        long b = 0;
        for (String f : MAP_FILES) {
            try {
                b += Files.size(dir.resolve(StoreFiles.fileOf(f, manifest.generation())));
            } catch (IOException e) {
                throw new LicensimException(dir.resolve(StoreFiles.fileOf(f, manifest.generation())) + ": " + e.getMessage(), e);
            }
        }
        return b;
    }

    /**
     * Closes the store. Writes after the last commit are rolled back first, so a closed store
     * always equals a commit; the writer flag is cleared last. If the rollback itself fails (the
     * disk is full, say), the files are still closed and the flag stays set: the next open rolls
     * back again from the undo log, which a failed rollback leaves in place.
     */
    @Override
    public void close() {
        RuntimeException failure = null;
        if (logging) {
            try {
                rollback();
                logging = false;
            } catch (RuntimeException e) {
                failure = failure(e, undo.file(), "rolling back the writes after the last commit");
            }
        }
        try {
            values.map().close();
            ids.close();
            undo.close();
            if (failure == null) {
                header.setWriterOpen(false);
                header.force();
            }
            header.close();
        } catch (RuntimeException e) {
            failure = failure != null ? failure : failure(e, header.file(), "closing the store");
        } finally {
            lock.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
