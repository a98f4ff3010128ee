package org.licensim.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.values.Values;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.PlanMasks;
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

    /** A product as the store knows it: enough to print a state without the tenant. */
    public record StoredProduct(String skuId, String skuPartNumber, String[] planIds, String[] planNames) {
        public int words() {
            return Math.max(1, (planIds.length + 63) >>> 6);
        }
    }

    /** One decoded entry, for readers without a tenant ({@code licensim state}). */
    public record StoredEntry(int src, int product, int state, long key, int time, long[] enabled) {
    }

    private final Path dir;
    private final List<StoredProduct> products;
    private final int[] words;
    private ChronicleMap<IntValue, ByteBuffer> state;
    private IdMaps ids;
    private final CommitHeader header;
    private final UndoLog undo;
    private StoreManifest manifest;
    private final StoreLock lock;
    private Consumer<String> log = line -> { };
    private final IntValue key = Values.newHeapInstance(IntValue.class);
    private final CRC32C crc = new CRC32C();
    private final IntHashSet touched = new IntHashSet();
    private ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer old = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private final long[][] full;
    private final int maxWords;
    private final ValueCodec codec = new ValueCodec();
    private final long[] entryWords;
    private int[] parsed = new int[16 * ENTRY_INTS];
    private long[] parsedWords;
    private int cachedUser = -1;
    private int cachedCount;
    private boolean logging;
    private int highUser;
    private Tenant tenant;
    private PlanMasks masks;
    private final String recovery;

    private ChronicleStateStore(Path dir, StoreLock lock, StoreManifest manifest, ChronicleMap<IntValue, ByteBuffer> state,
                                IdMaps ids, CommitHeader header, UndoLog undo, String recovery) {
        this.dir = dir;
        this.lock = lock;
        this.manifest = manifest;
        List<StoredProduct> products = manifest.products();
        this.products = products;
        this.words = new int[products.size()];
        this.full = new long[products.size()][];
        int most = 1;
        for (int t = 0; t < words.length; t++) {
            words[t] = products.get(t).words();
            most = Math.max(most, words[t]);
            int plans = products.get(t).planIds().length;
            full[t] = new long[words[t]];
            for (int i = 0; i < plans; i++) {
                full[t][i >>> 6] |= 1L << i;
            }
        }
        this.maxWords = most;
        this.entryWords = new long[most];
        this.parsedWords = new long[16 * most];
        this.state = state;
        this.ids = ids;
        this.header = header;
        this.undo = undo;
        this.recovery = recovery;
        this.highUser = header.current().users();
    }

    // ------------------------------------------------------------------ create, open

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

    /**
     * Creates an empty store in {@code dir} (which must not exist or be empty) for {@code tenant}'s
     * products; {@code source} describes where the state comes from (the snapshot's name and
     * digest) and is checked when the store is resumed. If creating fails (a full disk, say),
     * nothing is left behind: the directory is as it was.
     */
    public static ChronicleStateStore create(Path dir, Tenant tenant, String source, Sizing sizing) {
        boolean made;
        try {
            made = !Files.exists(dir);
            if (!made) {
                if (!Files.isDirectory(dir)) {
                    throw new LicensimException(dir + ": exists and is not a directory; a store is a directory");
                }
                try (var s = Files.list(dir)) {
                    if (s.anyMatch(f -> !f.getFileName().toString().equals(StoreLock.FILE))) {
                        throw new LicensimException(dir + ": is not empty and holds no licensim store (no " + MANIFEST
                                + "); give a new or empty directory");
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LicensimException(dir + ": cannot create the store directory: " + e.getMessage(), e);
        }
        StoreLock lock;
        try {
            lock = StoreLock.acquire(dir, "building the store");
        } catch (RuntimeException e) {
            if (made && StoreFiles.onlyLockFile(dir)) {
                StoreFiles.removeWhatCreateMade(dir, true); // the disk was too full even for the lock's few bytes
            }
            throw e;
        }
        CommitHeader header = null;
        UndoLog undo = null;
        ChronicleMap<IntValue, ByteBuffer> st = null;
        IdMaps ids = null;
        try {
            // the commit record (saying "being built") before the manifest: a directory with a
            // manifest always has one, so a build killed anywhere is recognised as unfinished
            header = CommitHeader.create(dir.resolve(COMMIT), new CommitHeader.Slot(1, LAYOUT, CommitHeader.BUILDING, -1, 0, 0, 0));
            header.setWriterOpen(true);
            StoreManifest m = StoreManifest.create(tenant, source, sizing);
            m.write(dir);
            undo = new UndoLog(dir.resolve(UNDO));
            st = StoreFiles.stateMap(dir, m, 0, false, false);
            ids = StoreFiles.idMaps(dir, m, 0, false, false);
            m.setAutoResizes(Math.min(st.remainingAutoResizes(), ids.remainingAutoResizes()));
            StoreFiles.recordMapHeaders(dir, m, 0);
            m.write(dir);
            ChronicleStateStore s = new ChronicleStateStore(dir, lock, m, st, ids, header, undo, null);
            s.attach(tenant);
            return s;
        } catch (RuntimeException e) {
            StoreFiles.closeAfterFailure(st, ids, undo);
            if (header != null) {
                header.close();
            }
            StoreFiles.removeWhatCreateMade(dir, made);
            lock.close();
            throw e;
        }
    }

    /**
     * If the store in {@code dir} was killed during its first build (it never committed, so it
     * holds nothing to keep), empties it so that it can be built again, and says so; returns
     * false and changes nothing for any other directory. Takes the store's lock, so a build
     * still running in another process is refused, not removed.
     */
    public static boolean discardUnfinishedBuild(Path dir) {
        if (!unfinished(dir)) {
            return false;
        }
        try (StoreLock lock = StoreLock.acquire(dir, "rebuilding a store whose first build was stopped")) {
            if (!unfinished(dir)) {
                return false; // finished by another process meanwhile
            }
            StoreFiles.removeWhatCreateMade(dir, false);
            return true;
        }
    }

    /**
     * Whether {@code dir} holds a first build that never finished. A build writes its commit
     * record ("being built") before its manifest and commits only after both, so: without a
     * manifest, any directory of licensim's files alone (a commit record half written included);
     * with one, a commit record that still says "being built" (or, from an older build order, none).
     */
    private static boolean unfinished(Path dir) {
        Path commit = dir.resolve(COMMIT);
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            return Files.isRegularFile(commit) && StoreFiles.onlyLicensimFiles(dir);
        }
        return Files.isRegularFile(commit) ? CommitHeader.isBuilding(commit) : StoreFiles.onlyLicensimFiles(dir);
    }

    /** Whether {@code dir} holds a store (its manifest exists). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /** {@link #open(Path, boolean, String)} for a writer. */
    public static ChronicleStateStore open(Path dir, boolean verifyAll) {
        return open(dir, verifyAll, "writing the store");
    }

    /**
     * Opens an existing store for {@code purpose} (said to any other process that tries to open it
     * meanwhile), recovering it to its last commit if its last writer was killed, and verifies
     * it: manifest, commit record, value and id counts and, with {@code verifyAll}, every value
     * and every id entry. Any damage is a {@link LicensimException} naming the file; a failed open
     * leaves the store as it found it.
     */
    public static ChronicleStateStore open(Path dir, boolean verifyAll, String purpose) {
        if (!Files.isDirectory(dir)) {
            throw new LicensimException(dir + ": no such store directory");
        }
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new LicensimException(dir + ": not a licensim store (no " + MANIFEST + ")");
        }
        StoreLock lock = StoreLock.acquire(dir, purpose);
        CommitHeader header = null;
        UndoLog undo = null;
        ChronicleMap<IntValue, ByteBuffer> st = null;
        IdMaps ids = null;
        boolean crashed = false;
        try {
            if (!Files.isRegularFile(dir.resolve(COMMIT)) && StoreFiles.onlyLicensimFiles(dir)) {
                throw new LicensimException(dir + ": this store was still being built (its first reconcile) when the "
                        + "process writing it stopped, so it holds no usable state; delete the directory and resolve again");
            }
            StoreManifest m = StoreManifest.read(dir);
            header = CommitHeader.open(dir.resolve(COMMIT));
            CommitHeader.Slot c = header.current();
            if (c.layout() != LAYOUT) {
                throw new LicensimException(header.file() + ": commit record of layout " + c.layout()
                        + ", this licensim reads " + LAYOUT + " only");
            }
            if (c.status() == CommitHeader.BUILDING) {
                throw new LicensimException(dir + ": this store was still being built (its first reconcile) when the "
                        + "process writing it stopped, so it holds no usable state; delete the directory and resolve again");
            }
            StoreFiles.removeOtherGenerations(dir, m.generation());
            StoreFiles.checkMapHeaders(dir, m);
            crashed = header.writerWasOpen();
            undo = new UndoLog(dir.resolve(UNDO));
            boolean uncommitted = undo.count() > 0 && undo.base() == c.commitNo();
            boolean recover = crashed || uncommitted;
            st = StoreFiles.stateMap(dir, m, m.generation(), true, recover);
            ids = StoreFiles.idMaps(dir, m, m.generation(), true, recover);
            ChronicleStateStore s = new ChronicleStateStore(dir, lock, m, st, ids, header, undo,
                    recover ? "recovered to commit " + c.commitNo() + " (last applied event seq " + c.lastSeq() + ")" : null);
            if (recover) {
                header.setWriterOpen(true);
                ids.pruneBeyond(c.users(), c.groups());
            }
            if (uncommitted) {
                s.rollback();
            }
            s.check(verifyAll);
            header.setWriterOpen(true);
            return s;
        } catch (RuntimeException e) {
            StoreFiles.closeAfterFailure(st, ids, undo);
            if (header != null) {
                header.setWriterOpen(crashed);
                header.close();
            }
            lock.close();
            throw e;
        }
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
        this.masks = t.masks();
    }

    // ------------------------------------------------------------------ integrity

    private void check(boolean verifyAll) {
        CommitHeader.Slot c = header.current();
        Path stateFile = dir.resolve(StoreFiles.fileOf(STATE_FILE, manifest.generation()));
        long n = state.longSize();
        if (n != c.entries()) {
            throw new LicensimException(stateFile + ": holds " + n + " user values but the last commit recorded "
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
        if (!verifyAll) {
            return;
        }
        try {
            long[] seen = {0};
            state.forEachEntry(e -> {
                int u = e.key().get().getValue();
                ByteBuffer v = e.value().getUsing(buf);
                if (v != buf) {
                    buf = v.order(ByteOrder.LITTLE_ENDIAN);
                }
                buf.order(ByteOrder.LITTLE_ENDIAN);
                decodeCheck(u, buf);
                seen[0]++;
            });
            if (seen[0] != c.entries()) {
                throw new LicensimException(stateFile + ": " + seen[0] + " values read, " + c.entries() + " committed");
            }
        } catch (LicensimException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw new LicensimException(stateFile + ": Chronicle Map cannot read it (" + e.getClass().getSimpleName()
                    + "): the store is damaged and cannot be trusted; rebuild it from its snapshot and events", e);
        }
        ids.verify(c.users(), c.groups());
    }

    /**
     * Checks a value's CRC and decodes every entry into {@link #parsed} (its enabled plan words
     * into {@link #parsedWords}); returns its entry count. Anything that does not fit is a
     * {@link LicensimException} naming the file and the user index.
     */
    private int decodeCheck(int u, ByteBuffer v) {
        int len = v.limit();
        if (len < 5) {
            throw damaged(u, "value of " + len + " bytes is too short");
        }
        if (!v.hasArray()) {
            throw new IllegalStateException("Chronicle returned a direct buffer for a value");
        }
        byte[] a = v.array();
        int base = v.arrayOffset();
        if (checksum(u, v, len - 4) != v.getInt(len - 4)) {
            throw damaged(u, "checksum mismatch");
        }
        codec.wrap(a, base, base + len - 4);
        codec.bad = false;
        long n = codec.varLong();
        if (codec.bad || n < 0 || n > MAX_ENTRIES) {
            throw damaged(u, "entry count " + (codec.bad ? "(unreadable)" : n) + " is out of range");
        }
        int count = (int) n;
        if (parsed.length < count * ENTRY_INTS) {
            parsed = new int[Math.max(count * ENTRY_INTS, parsed.length * 2)];
            parsedWords = new long[Math.max(count * maxWords, parsedWords.length * 2)];
        }
        for (int i = 0; i < count; i++) {
            String bad = codec.getEntry(u, parsed, i * ENTRY_INTS, entryWords, words, full);
            if (bad != null) {
                throw damaged(u, "entry " + i + ": " + bad);
            }
            System.arraycopy(entryWords, 0, parsedWords, i * maxWords, words[parsed[i * ENTRY_INTS + PRODUCT]]);
        }
        if (codec.pos != codec.limit) {
            throw damaged(u, "value length " + len + " does not match its " + count + " entries");
        }
        return count;
    }

    /** CRC32C of the user index and the first {@code len} bytes of {@code v}. */
    private int checksum(int u, ByteBuffer v, int len) {
        crc.reset();
        crc.update(u >>> 24);
        crc.update(u >>> 16);
        crc.update(u >>> 8);
        crc.update(u);
        if (v.hasArray()) {
            crc.update(v.array(), v.arrayOffset(), len);
        } else {
            for (int i = 0; i < len; i++) {
                crc.update(v.get(i));
            }
        }
        return (int) crc.getValue();
    }

    private LicensimException damaged(int u, String what) {
        return new LicensimException(dir.resolve(StoreFiles.fileOf(STATE_FILE, manifest.generation())) + ": the value of user index "
                + u + " is damaged (" + what
                + "); the store cannot be trusted: rebuild it from its snapshot and events");
    }

    // ------------------------------------------------------------------ StateStore

    /** Loads and decodes user {@code u}'s value into {@link #parsed}; returns its entry count, or -1 when absent. */
    private int load(int u) {
        if (u == cachedUser) {
            return cachedCount;
        }
        key.setValue(u);
        ByteBuffer v;
        try {
            v = state.getUsing(key, buf);
        } catch (RuntimeException | Error e) {
            throw damaged(u, "Chronicle Map cannot read it: " + e.getClass().getSimpleName());
        }
        int n;
        if (v == null) {
            n = -1;
        } else {
            if (v != buf) {
                buf = v;
            }
            buf.order(ByteOrder.LITTLE_ENDIAN);
            n = decodeCheck(u, buf);
        }
        cachedUser = u;
        cachedCount = n;
        return n;
    }

    @Override
    public int count(int u) {
        return Math.max(0, load(u));
    }

    @Override
    public int read(int u, int[] dst) {
        int n = load(u);
        if (n <= 0) {
            return 0;
        }
        System.arraycopy(parsed, 0, dst, 0, n * ENTRY_INTS);
        for (int i = 0; i < n; i++) {
            int o = i * ENTRY_INTS;
            dst[o + MASK] = maskId(dst[o + PRODUCT], dst[o + MASK], i * maxWords);
        }
        return n;
    }

    /** The tenant's id of the plans at {@code parsedWords[at..]}: the stored id when it still means those plans, else interned. */
    private int maskId(int t, int stored, int at) {
        if (masks == null) {
            throw new IllegalStateException("attach(tenant) before the engine reads the store");
        }
        int w = words[t];
        if (stored >= 0 && stored < masks.size() && masks.product(stored) == t && masks.wordCount(stored) == w) {
            boolean same = true;
            for (int i = 0; i < w && same; i++) {
                same = masks.word(stored, i) == parsedWords[at + i];
            }
            if (same) {
                return stored;
            }
        }
        return masks.intern(t, Arrays.copyOfRange(parsedWords, at, at + w));
    }

    @Override
    public void write(int u, int[] src, int offset, int n) {
        if (masks == null) {
            throw new IllegalStateException("attach(tenant) before the engine writes the store");
        }
        if (logging && !touched.contains(u)) {
            touched.add(u);
            key.setValue(u);
            ByteBuffer v = state.getUsing(key, old);
            if (v != null && v != old) {
                old = v.order(ByteOrder.LITTLE_ENDIAN);
            }
            undo.append(u, old, v == null ? -1 : old.limit());
        } else if (!logging && header.current().status() == CommitHeader.CLEAN) {
            undo.begin(header.current().commitNo());
            logging = true;
            write(u, src, offset, n);
            return;
        }
        cachedUser = -1;
        key.setValue(u);
        try {
            put(u, src, offset, n);
        } catch (RuntimeException e) {
            throw wrapped(e, "writing the state of user index " + u);
        }
        if (u >= highUser) {
            highUser = u + 1;
        }
        if (bulkTotal > 0 && (++bulkDone & 0xFFFF) == 0) {
            bulkProgress();
        }
    }

    private void put(int u, int[] src, int offset, int n) {
        if (n == 0) {
            state.remove(key);
        } else {
            int bound = 3 + 4;
            for (int i = 0; i < n; i++) {
                bound += ValueCodec.ENTRY_MAX_FIXED + ValueCodec.WORD_MAX * words[src[offset + i * ENTRY_INTS + PRODUCT]];
            }
            if (buf.capacity() < bound || !buf.hasArray()) {
                buf = ByteBuffer.allocate(Math.max(bound, buf.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
            }
            buf.clear();
            codec.wrap(buf.array(), buf.arrayOffset(), buf.arrayOffset() + bound);
            codec.putVarLong(n);
            for (int i = 0; i < n; i++) {
                int o = offset + i * ENTRY_INTS;
                int t = src[o + PRODUCT];
                int id = src[o + MASK];
                int wc = masks.wordCount(id);
                for (int w = 0; w < words[t]; w++) {
                    entryWords[w] = w < wc ? masks.word(id, w) : 0L;
                }
                codec.putEntry(u, src, o, entryWords, full[t], words[t]);
            }
            int at = codec.pos - buf.arrayOffset();
            buf.putInt(at, checksum(u, buf, at));
            buf.limit(at + 4);
            state.put(key, buf);
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
        bulkTotal = 0;
        int users = header.current().users();
        int groups = header.current().groups();
        try {
            if (tenant != null) {
                for (int u = users; u < tenant.users().size(); u++) {
                    ids.putUser(tenant.users().id(u), u);
                }
                users = Math.max(users, tenant.users().size());
                for (int g = groups; g < tenant.groups().size(); g++) {
                    ids.putGroup(g, tenant.groups().id(g));
                }
                groups = Math.max(groups, tenant.groups().size());
            }
        } catch (RuntimeException e) {
            throw wrapped(e, "recording new ids");
        }
        CommitHeader.Slot c = header.current();
        header.write(new CommitHeader.Slot(c.commitNo() + 1, LAYOUT, CommitHeader.CLEAN, lastSeq, state.longSize(),
                users, groups));
        undo.clear();
        touched.clear();
        logging = false;
        if (needsGrowth()) {
            grow();
        }
    }

    /**
     * Whether the map files should be rebuilt larger before the next event: more users or groups
     * than they were sized for, or Chronicle Map's own room to grow (extra segment tiers, a hard
     * limit) half used. Checked at each commit, so a single event never has to grow a map past
     * its limit.
     */
    private boolean needsGrowth() {
        Sizing s = manifest.sizing();
        int reserve = (manifest.autoResizes() + 1) / 2;
        return state.longSize() > s.users() || ids.users.longSize() > s.users() || ids.groups.longSize() > s.groups()
                || state.remainingAutoResizes() < reserve || ids.remainingAutoResizes() < reserve;
    }

    /**
     * Copies every value and id into map files of the next generation, sized for four times
     * today's counts, and switches to them by rewriting the manifest (whole or not at all). A
     * kill before the switch leaves the old generation in use (the new files are removed on the
     * next open); after it, the new one. Runs right after a commit, when the undo log is empty.
     */
    private void grow() {
        long t0 = System.nanoTime();
        Sizing was = manifest.sizing();
        long users = Math.max(state.longSize(), ids.users.longSize());
        Sizing next = new Sizing(Math.max(was.users() * 2, users * 4 + 1000),
                Math.max(was.groups() * 2, ids.groups.longSize() * 4 + 1000), averageEntries(), was.averageIdLength());
        int gen = manifest.generation() + 1;
        StoreManifest m = manifest.copy();
        m.setGeneration(gen);
        m.setSizing(next);
        StoreFiles.removeOtherGenerations(dir, manifest.generation());
        ChronicleMap<IntValue, ByteBuffer> st = null;
        IdMaps copy = null;
        try {
            st = StoreFiles.stateMap(dir, m, gen, false, false);
            ChronicleMap<IntValue, ByteBuffer> into = st;
            state.forEachEntry(e -> into.put(e.key().get(), e.value().get()));
            copy = StoreFiles.idMaps(dir, m, gen, false, false);
            IdMaps to = copy;
            ids.users.forEachEntry(e -> to.users.put(e.key().get(), e.value().get()));
            ids.groups.forEachEntry(e -> to.groups.put(e.key().get(), e.value().get()));
            m.setAutoResizes(Math.min(st.remainingAutoResizes(), copy.remainingAutoResizes()));
            StoreFiles.recordMapHeaders(dir, m, gen);
            m.write(dir);
        } catch (RuntimeException e) {
            StoreFiles.closeQuietly(st);
            if (copy != null) {
                copy.close();
            }
            StoreFiles.removeOtherGenerations(dir, manifest.generation());
            throw wrapped(e, "growing the store past its sizing of " + was.users() + " users");
        }
        int old = manifest.generation();
        state.close();
        ids.close();
        state = st;
        ids = copy;
        manifest = m;
        StoreFiles.removeOtherGenerations(dir, gen);
        cachedUser = -1;
        log.accept(String.format("store %s grown from %,d to %,d users' room (generation %d -> %d, %,d ms)", dir,
                was.users(), next.users(), old, gen, (System.nanoTime() - t0) / 1_000_000));
    }

    /** Average entries per stored user now (for a new generation's value sizing). */
    private double averageEntries() {
        long n = state.longSize();
        if (n == 0) {
            return manifest.sizing().entriesPerUser();
        }
        long bytes = 0;
        long[] total = {0};
        state.forEachEntry(e -> total[0] += e.value().size());
        bytes = total[0];
        double perEntry = 7 + (products.isEmpty() ? 1 : (double) Arrays.stream(words).sum() / words.length);
        return Math.max(1.0, (bytes / (double) n - 5) / perEntry);
    }

    /** Receives one line per store event worth telling (a growth); no user data. */
    public void setLog(Consumer<String> log) {
        this.log = log;
    }

    /** An I/O failure or a Chronicle Map limit met while writing, as an error that says the store is at its last commit. */
    private LicensimException wrapped(RuntimeException e, String doing) {
        if (e instanceof LicensimException l) {
            return l;
        }
        return new LicensimException(dir + ": failed while " + doing + " (" + e.getClass().getSimpleName() + ": "
                + e.getMessage() + "); the store stays at its last commit (event seq " + header.current().lastSeq()
                + "): free disk space if it is full, then resume", e);
    }

    /** Returns every value written since the last commit to what it was then. */
    private void rollback() {
        undo.rollback((u, v, len) -> {
            key.setValue(u);
            if (len < 0) {
                state.remove(key);
            } else {
                state.put(key, v);
            }
        });
        undo.clear();
        cachedUser = -1;
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

    /** What the manifest says the state came from (snapshot name and digest). */
    public String source() {
        return manifest.source();
    }

    /** Non-null when opening found a killed writer and returned the store to its last commit. */
    public String recovery() {
        return recovery;
    }

    public List<StoredProduct> products() {
        return products;
    }

    /** Index of user {@code id}, or -1 when the store has no such user. */
    public int userIndex(String id) {
        int u = ids.user(id);
        return u < 0 || u >= header.current().users() ? -1 : u;
    }

    /** Id of group index {@code g}, or null. */
    public String groupId(int g) {
        if (g < 0 || g >= header.current().groups()) {
            return null;
        }
        return ids.group(g);
    }

    /** User {@code u}'s entries, decoded with their enabled-plan words (allocates: for display and tests). */
    public List<StoredEntry> entries(int u) {
        List<StoredEntry> out = new ArrayList<>();
        int n = load(u);
        for (int i = 0; i < n; i++) {
            int o = i * ENTRY_INTS;
            int t = parsed[o + PRODUCT];
            long[] m = Arrays.copyOfRange(parsedWords, i * maxWords, i * maxWords + words[t]);
            out.add(new StoredEntry(parsed[o + SRC], t, parsed[o + STATE], StateStore.key(parsed, o), parsed[o + TIME], m));
        }
        return out;
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
        RuntimeException failed = null;
        if (logging) {
            try {
                rollback();
                logging = false;
            } catch (RuntimeException e) {
                failed = wrapped(e, "rolling back the writes after the last commit");
            }
        }
        try {
            state.close();
            ids.close();
            undo.close();
            if (failed == null) {
                header.setWriterOpen(false);
                header.force();
            }
            header.close();
        } catch (RuntimeException e) {
            failed = failed != null ? failed : wrapped(e, "closing the store");
        } finally {
            lock.close();
        }
        if (failed != null) {
            throw failed;
        }
    }
}
