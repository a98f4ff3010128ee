package org.licensim.core.state;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.values.Values;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.PlanMasks;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.files.AtomicFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The persisted {@link StateStore}: every user's resolved state in a Chronicle Map file, off the
 * Java heap, with the integrity Chronicle Map does not give by itself (docs/ARCHITECTURE.md,
 * "Persisted state").
 *
 * <p>A store is a directory: {@code manifest.json} (layout version, the tenant's products and
 * their plans, where the state came from, sizing), {@code state.cm} (user index to value),
 * {@code user-ids.cm} (user id to index), {@code group-ids.cm} (group index to id),
 * {@code commit.bin} (the last commit: sequence of the last applied event, value count, id
 * counts; two CRC'd slots) and {@code undo.bin} (before-images of uncommitted writes).
 *
 * <p>A value is {@code [n][n entries][crc]}: each entry is the seven ints of
 * {@link StateStore} followed by the enabled-plan mask words of its product, so the value
 * says which plans are enabled without the tenant's interned mask table; the CRC32C covers
 * the user index and every byte before it, so a flipped byte or a value under the wrong key
 * is caught on read. Opening verifies the commit record, the value count and (by default)
 * every value's checksum, and refuses a damaged store with an error naming the file.
 *
 * <p>Crash safety: between commits the first write to each user logs its before-image in
 * {@code undo.bin}; {@link #commit(long)} writes the commit record, then empties the log. A
 * reopen after a kill rolls back an uncommitted log, so the store equals its last commit: a
 * prefix of the applied events, with the last one's sequence in {@link #lastSeq()}. A store
 * killed while being built (before its first commit) says so and is refused.
 */
public final class ChronicleStateStore implements StateStore {
    /** Layout of values and files; a store of another layout is refused, never misread. */
    public static final int LAYOUT = 2;
    static final String MANIFEST = "manifest.json";
    static final String STATE_FILE = "state.cm";
    static final String USER_IDS = "user-ids.cm";
    static final String GROUP_IDS = "group-ids.cm";
    static final String COMMIT = "commit.bin";
    static final String UNDO = "undo.bin";
    private static final ObjectMapper JSON = new ObjectMapper();

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
    private final ChronicleMap<IntValue, ByteBuffer> state;
    private final ChronicleMap<CharSequence, Integer> userIds;
    private final ChronicleMap<IntValue, CharSequence> groupIds;
    private final CommitHeader header;
    private final UndoLog undo;
    private final ObjectNode manifest;
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

    private ChronicleStateStore(Path dir, ObjectNode manifest, List<StoredProduct> products,
                                ChronicleMap<IntValue, ByteBuffer> state, ChronicleMap<CharSequence, Integer> userIds,
                                ChronicleMap<IntValue, CharSequence> groupIds, CommitHeader header, UndoLog undo,
                                String recovery) {
        this.dir = dir;
        this.manifest = manifest;
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
        this.userIds = userIds;
        this.groupIds = groupIds;
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
            int sample = Math.min(users, 1000);
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
     * digest) and is checked when the store is resumed.
     */
    public static ChronicleStateStore create(Path dir, Tenant tenant, String source, Sizing sizing) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new LicensimException(dir + ": exists and is not a directory; a store is a directory");
                }
                try (var s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new LicensimException(dir + ": is not empty and holds no licensim store (no " + MANIFEST
                                + "); give a new or empty directory");
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LicensimException(dir + ": cannot create the store directory: " + e.getMessage(), e);
        }
        List<StoredProduct> products = productsOf(tenant);
        ObjectNode m = JSON.createObjectNode();
        m.put("format", "licensim-state-store");
        m.put("layout", LAYOUT);
        m.put("source", source);
        ObjectNode size = m.putObject("sizing");
        size.put("users", sizing.users());
        size.put("groups", sizing.groups());
        size.put("entriesPerUser", sizing.entriesPerUser());
        size.put("averageValueBytes", averageValueBytes(products, sizing.entriesPerUser()));
        size.put("averageIdLength", sizing.averageIdLength());
        ArrayNode ps = m.putArray("products");
        for (StoredProduct p : products) {
            ObjectNode o = ps.addObject();
            o.put("skuId", p.skuId());
            o.put("skuPartNumber", p.skuPartNumber());
            ArrayNode plans = o.putArray("plans");
            for (int i = 0; i < p.planIds().length; i++) {
                plans.addObject().put("servicePlanId", p.planIds()[i]).put("servicePlanName", p.planNames()[i]);
            }
        }
        AtomicFile.write(dir.resolve(MANIFEST), "store manifest", out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, m));
        CommitHeader header = CommitHeader.create(dir.resolve(COMMIT),
                new CommitHeader.Slot(1, LAYOUT, CommitHeader.BUILDING, -1, 0, 0, 0));
        header.setWriterOpen(true);
        ChronicleStateStore s = new ChronicleStateStore(dir, m, products,
                stateMap(dir, m, false, false), userIdMap(dir, m, false, false), groupIdMap(dir, m, false, false), header,
                new UndoLog(dir.resolve(UNDO)), null);
        ObjectNode heads = m.putObject("fileHeaders");
        for (String f : List.of(STATE_FILE, USER_IDS, GROUP_IDS)) {
            heads.put(f, headerCrc(dir.resolve(f)));
        }
        AtomicFile.write(dir.resolve(MANIFEST), "store manifest", out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, m));
        s.attach(tenant);
        return s;
    }

    /** Whether {@code dir} holds a store (its manifest exists). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /**
     * Opens an existing store, recovering it to its last commit if its writer was killed, and
     * verifies it: commit record, value count and, with {@code verifyAll}, every value's
     * checksum. Any damage is a {@link LicensimException} naming the file.
     */
    public static ChronicleStateStore open(Path dir, boolean verifyAll) {
        if (!Files.isDirectory(dir)) {
            throw new LicensimException(dir + ": no such store directory");
        }
        Path mf = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) {
            throw new LicensimException(dir + ": not a licensim store (no " + MANIFEST + ")");
        }
        ObjectNode m;
        try {
            JsonNode n = JSON.readTree(mf.toFile());
            if (!(n instanceof ObjectNode o) || !"licensim-state-store".equals(o.path("format").asText())) {
                throw new LicensimException(mf + ": not a licensim store manifest (format must be \"licensim-state-store\")");
            }
            m = o;
        } catch (IOException e) {
            throw new LicensimException(mf + ": unreadable store manifest: " + e.getMessage(), e);
        }
        int layout = m.path("layout").asInt(-1);
        if (layout != LAYOUT) {
            throw new LicensimException(mf + ": the store has layout version " + m.path("layout")
                    + " and this licensim reads layout " + LAYOUT + " only; rebuild the store from its snapshot");
        }
        List<StoredProduct> products = new ArrayList<>();
        for (JsonNode p : m.path("products")) {
            JsonNode plans = p.path("plans");
            String[] ids = new String[plans.size()];
            String[] names = new String[plans.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = plans.get(i).path("servicePlanId").asText();
                names[i] = plans.get(i).path("servicePlanName").asText();
            }
            products.add(new StoredProduct(p.path("skuId").asText(), p.path("skuPartNumber").asText(), ids, names));
        }
        CommitHeader header = CommitHeader.open(dir.resolve(COMMIT));
        CommitHeader.Slot c = header.current();
        if (c.layout() != LAYOUT) {
            header.close();
            throw new LicensimException(header.file() + ": commit record of layout " + c.layout() + ", this licensim reads "
                    + LAYOUT + " only");
        }
        if (c.status() == CommitHeader.BUILDING) {
            header.close();
            throw new LicensimException(dir + ": this store was still being built (its first reconcile) when the process "
                    + "writing it stopped, so it holds no usable state; delete the directory and resolve again");
        }
        for (String f : List.of(STATE_FILE, USER_IDS, GROUP_IDS)) {
            Path file = dir.resolve(f);
            long want = m.path("fileHeaders").path(f).asLong(-1);
            if (Files.isRegularFile(file) && want != headerCrc(file)) {
                header.close();
                throw new LicensimException(file + ": its first " + HEADER_BYTES + " bytes (Chronicle Map's header) are not "
                        + "the ones it was created with: the file was replaced or damaged");
            }
        }
        boolean crashed = header.writerWasOpen();
        UndoLog undo = new UndoLog(dir.resolve(UNDO));
        boolean uncommitted = undo.count() > 0 && undo.base() == c.commitNo();
        boolean recover = crashed || uncommitted;
        ChronicleMap<IntValue, ByteBuffer> st = null;
        ChronicleMap<CharSequence, Integer> ui = null;
        ChronicleMap<IntValue, CharSequence> gi = null;
        try {
            st = stateMap(dir, m, true, recover);
            ui = userIdMap(dir, m, true, recover);
            gi = groupIdMap(dir, m, true, recover);
            ChronicleStateStore s = new ChronicleStateStore(dir, m, products, st, ui, gi, header, undo,
                    recover ? "recovered to commit " + c.commitNo() + " (last applied event seq " + c.lastSeq() + ")" : null);
            header.setWriterOpen(true);
            if (uncommitted) {
                s.rollback();
            }
            s.check(verifyAll);
            return s;
        } catch (RuntimeException e) {
            closeQuietly(st);
            closeQuietly(ui);
            closeQuietly(gi);
            undo.close();
            header.close();
            throw e;
        }
    }

    /** Bytes at the start of a Chronicle Map file that never change after creation (its self-describing header). */
    static final int HEADER_BYTES = 4096;

    /** CRC32C of the first {@link #HEADER_BYTES} bytes of {@code file} (fewer if it is shorter); -1 if missing. */
    static long headerCrc(Path file) {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // keep reading until the header is in or the file ends
            }
            b.flip();
            CRC32C c = new CRC32C();
            c.update(b);
            return c.getValue();
        } catch (java.nio.file.NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new LicensimException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(ChronicleMap<?, ?> m) {
        if (m != null) {
            try {
                m.close();
            } catch (RuntimeException ignored) {
                // already failing: the first error is the one to report
            }
        }
    }

    /**
     * Connects the store to the engine's tenant: mask ids are translated against its interned
     * masks and its new user and group ids are recorded at each commit. The tenant's products
     * must be the store's, in the same order.
     */
    public void attach(Tenant t) {
        List<StoredProduct> mine = productsOf(t);
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

    private static List<StoredProduct> productsOf(Tenant t) {
        Subscriptions subs = t.subscriptions();
        List<StoredProduct> out = new ArrayList<>();
        for (int p = 0; p < subs.size(); p++) {
            Product pr = subs.product(p);
            int[] plans = pr.plans();
            String[] ids = new String[plans.length];
            String[] names = new String[plans.length];
            for (int i = 0; i < plans.length; i++) {
                ids[i] = t.catalog().plan(plans[i]).servicePlanId();
                names[i] = t.catalog().plan(plans[i]).servicePlanName();
            }
            out.add(new StoredProduct(pr.skuId(), pr.skuPartNumber(), ids, names));
        }
        return out;
    }

    /**
     * Expected bytes of a value ({@link ValueCodec}): an entry is about nine bytes (a group index
     * of two, one byte each for product, state, derived key, no time and mask id) plus a byte
     * per plan word with nothing disabled; the count and the CRC add five.
     */
    private static int averageValueBytes(List<StoredProduct> products, double entriesPerUser) {
        double w = 0;
        for (StoredProduct p : products) {
            w += p.words();
        }
        double perEntry = 7 + (products.isEmpty() ? 1 : w / products.size());
        return (int) Math.ceil(5 + entriesPerUser * perEntry);
    }

    private static ChronicleMap<IntValue, ByteBuffer> stateMap(Path dir, ObjectNode m, boolean existing, boolean recover) {
        JsonNode s = m.path("sizing");
        ChronicleMapBuilder<IntValue, ByteBuffer> b = ChronicleMap.of(IntValue.class, ByteBuffer.class)
                .name("licensim-state")
                .entries(Math.max(1000, s.path("users").asLong(1000)))
                .averageValueSize(Math.max(16, s.path("averageValueBytes").asInt(64)))
                .maxBloatFactor(8);
        return persisted(b, dir.resolve(STATE_FILE), existing, recover);
    }

    private static ChronicleMap<CharSequence, Integer> userIdMap(Path dir, ObjectNode m, boolean existing, boolean recover) {
        JsonNode s = m.path("sizing");
        ChronicleMapBuilder<CharSequence, Integer> b = ChronicleMap.of(CharSequence.class, Integer.class)
                .name("licensim-user-ids")
                .entries(Math.max(1000, s.path("users").asLong(1000)))
                .averageKeySize(Math.max(8, s.path("averageIdLength").asDouble(36)))
                .maxBloatFactor(8);
        return persisted(b, dir.resolve(USER_IDS), existing, recover);
    }

    private static ChronicleMap<IntValue, CharSequence> groupIdMap(Path dir, ObjectNode m, boolean existing, boolean recover) {
        ChronicleMapBuilder<IntValue, CharSequence> b = ChronicleMap.of(IntValue.class, CharSequence.class)
                .name("licensim-group-ids")
                .entries(Math.max(1000, m.path("sizing").path("groups").asLong(1000)))
                .averageValueSize(40)
                .maxBloatFactor(8);
        return persisted(b, dir.resolve(GROUP_IDS), existing, recover);
    }

    private static <K, V> ChronicleMap<K, V> persisted(ChronicleMapBuilder<K, V> b, Path file, boolean existing,
                                                       boolean recover) {
        File f = file.toFile();
        try {
            if (existing) {
                if (!f.isFile()) {
                    throw new LicensimException(file + ": missing: the store is damaged");
                }
                if (f.length() == 0) {
                    throw new LicensimException(file + ": is empty (truncated to 0 bytes): the store is damaged");
                }
                return recover ? b.recoverPersistedTo(f, true) : b.createPersistedTo(f);
            }
            return b.createPersistedTo(f);
        } catch (LicensimException e) {
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            throw new LicensimException(file + ": cannot open as a Chronicle Map (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): the file is damaged or is not part of a licensim store", e);
        }
    }

    // ------------------------------------------------------------------ integrity

    private void check(boolean verifyAll) {
        CommitHeader.Slot c = header.current();
        long n = state.longSize();
        if (n != c.entries()) {
            throw new LicensimException(dir.resolve(STATE_FILE) + ": holds " + n + " user values but the last commit recorded "
                    + c.entries() + ": the file was truncated, replaced or damaged");
        }
        if (userIds.longSize() < c.users()) {
            throw new LicensimException(dir.resolve(USER_IDS) + ": holds " + userIds.longSize() + " user ids but the last "
                    + "commit recorded " + c.users() + ": the file was truncated, replaced or damaged");
        }
        if (groupIds.longSize() < c.groups()) {
            throw new LicensimException(dir.resolve(GROUP_IDS) + ": holds " + groupIds.longSize() + " group ids but the "
                    + "last commit recorded " + c.groups() + ": the file was truncated, replaced or damaged");
        }
        if (verifyAll) {
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
                throw new LicensimException(dir.resolve(STATE_FILE) + ": " + seen[0] + " values read, " + c.entries() + " committed");
            }
        }
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
        return new LicensimException(dir.resolve(STATE_FILE) + ": the value of user index " + u + " is damaged (" + what
                + "); the store cannot be trusted: rebuild it from its snapshot and events");
    }

    // ------------------------------------------------------------------ StateStore

    /** Loads and decodes user {@code u}'s value into {@link #parsed}; returns its entry count, or -1 when absent. */
    private int load(int u) {
        if (u == cachedUser) {
            return cachedCount;
        }
        key.setValue(u);
        ByteBuffer v = state.getUsing(key, buf);
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
        if (u >= highUser) {
            highUser = u + 1;
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

    /**
     * Makes every write since the last commit durable as one step: records the new user and group
     * ids of the attached tenant, writes the commit record ({@code lastSeq}, value count), and
     * empties the undo log. A process killed before the record is written reopens at the
     * previous commit; after it, at this one.
     */
    @Override
    public void commit(long lastSeq) {
        int users = header.current().users();
        int groups = header.current().groups();
        if (tenant != null) {
            for (int u = users; u < tenant.users().size(); u++) {
                userIds.put(tenant.users().id(u), u);
            }
            users = Math.max(users, tenant.users().size());
            for (int g = groups; g < tenant.groups().size(); g++) {
                key.setValue(g);
                groupIds.put(key, tenant.groups().id(g));
            }
            groups = Math.max(groups, tenant.groups().size());
        }
        CommitHeader.Slot c = header.current();
        header.write(new CommitHeader.Slot(c.commitNo() + 1, LAYOUT, CommitHeader.CLEAN, lastSeq, state.longSize(),
                users, groups));
        undo.clear();
        touched.clear();
        logging = false;
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
        return manifest.path("source").asText();
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
        Integer u = userIds.get(id);
        return u == null || u >= header.current().users() ? -1 : u;
    }

    /** Id of group index {@code g}, or null. */
    public String groupId(int g) {
        if (g < 0 || g >= header.current().groups()) {
            return null;
        }
        key.setValue(g);
        CharSequence s = groupIds.get(key);
        return s == null ? null : s.toString();
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
        for (String f : List.of(STATE_FILE, USER_IDS, GROUP_IDS)) {
            try {
                b += Files.size(dir.resolve(f));
            } catch (IOException e) {
                throw new LicensimException(dir.resolve(f) + ": " + e.getMessage(), e);
            }
        }
        return b;
    }

    /**
     * Closes the store. Writes after the last commit are rolled back first, so a closed store
     * always equals a commit; the writer flag is cleared last.
     */
    @Override
    public void close() {
        if (logging) {
            rollback();
            logging = false;
        }
        state.close();
        userIds.close();
        groupIds.close();
        undo.close();
        header.setWriterOpen(false);
        header.force();
        header.close();
    }
}
