package org.licensim.core.state;

import static org.licensim.core.state.StateStore.ENTRY_INTS;
import static org.licensim.core.state.StateStore.MASK;
import static org.licensim.core.state.StateStore.MAX_ENTRIES;
import static org.licensim.core.state.StateStore.PRODUCT;
import static org.licensim.core.state.StateStore.SRC;
import static org.licensim.core.state.StateStore.STATE;
import static org.licensim.core.state.StateStore.TIME;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.zip.CRC32C;

import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapSegmentContext;
import net.openhft.chronicle.values.Values;
import org.licensim.core.directory.PlanMasks;

/**
 * The persisted store's value I/O: one user's entries to and from its value in the state map
 * ({@code state.cm}, or {@code state.k.cm} after growth), in {@link ValueCodec}'s layout with a
 * CRC32C over the user index and the bytes. Every read checks the CRC and every bound, so a
 * damaged value is a {@link StoreFailure} naming the file and the user index, on any read.
 *
 * <p>A lookup that finds no value is checked too, since damage to a key or to Chronicle Map's
 * hash index hides a value rather than garbling it: the first miss in a segment of the map scans
 * that segment (every value's CRC, no entry with the key looked up, as many reachable entries
 * as the segment counts). A segment is scanned at most once per open (so a run pays at most one
 * more pass over the map), and never in a store this process created ({@link #markChecked}).
 * A full check ({@link #verifyAll}) does not stand for these scans: it reaches entries through
 * the segments, not through lookups, so it cannot see a key that lookups miss.
 *
 * <p>Decodes into buffers of its own (one user cached), so it is read by one thread at a time.
 */
final class StoreValues {
    private final List<StoredProduct> products;
    private final int[] words;
    private final long[][] full;
    private final int maxWords;
    private Path file;
    private ChronicleMap<IntValue, ByteBuffer> map;
    private final IntValue key = Values.newHeapInstance(IntValue.class);
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer old = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private final ValueCodec codec = new ValueCodec();
    private final long[] entryWords;
    private int[] parsed = new int[16 * ENTRY_INTS];
    private long[] parsedWords;
    private int cachedUser = -1;
    private int cachedCount;
    private PlanMasks masks;
    /** Segments whose entries have been checked since the map was opened; all of them once {@link #allChecked}. */
    private final BitSet checkedSegments = new BitSet();
    private boolean allChecked;

    StoreValues(List<StoredProduct> products, Path file, ChronicleMap<IntValue, ByteBuffer> map) {
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
        this.file = file;
        this.map = map;
    }

    Path file() {
        return file;
    }

    ChronicleMap<IntValue, ByteBuffer> map() {
        return map;
    }

    /** Continues on another generation's map (after growth); the old one is the caller's to close. */
    void switchTo(Path newFile, ChronicleMap<IntValue, ByteBuffer> newMap) {
        this.file = newFile;
        this.map = newMap;
        cachedUser = -1;
        checkedSegments.clear(); // other segments; a store this process created stays all checked
    }

    /** Every entry is known good (a store this process created, or copied while growing): no scan on a miss. */
    void markChecked() {
        allChecked = true;
    }

    void attach(PlanMasks m) {
        this.masks = m;
    }

    /** Values in the map (users with at least one entry). */
    long size() {
        return map.longSize();
    }

    // ------------------------------------------------------------------ reading

    /** Loads and decodes user {@code u}'s value into {@link #parsed}; returns its entry count, or -1 when absent. */
    int load(int u) {
        if (u == cachedUser) {
            return cachedCount;
        }
        key.setValue(u);
        ByteBuffer v;
        try {
            v = map.getUsing(key, buf);
        } catch (RuntimeException | Error e) {
            throw damaged(u, "Chronicle Map cannot read it: " + e.getClass().getSimpleName());
        }
        int n;
        if (v == null) {
            checkMiss(u);
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

    int read(int u, int[] dst) {
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

    /** User {@code u}'s entries, decoded with their enabled-plan words (allocates: for display and tests). */
    List<StoredEntry> entries(int u) {
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

    /**
     * Checks a value's CRC and decodes every entry into {@link #parsed} (its enabled plan words
     * into {@link #parsedWords}); returns its entry count. Anything that does not fit is a
     * {@link StoreFailure} naming the file and the user index.
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

    /**
     * A lookup of user {@code u} found no value: unless its segment has been checked, scans it
     * (see the class) so that a value hidden by damage is an error, not an absent user.
     */
    private void checkMiss(int u) {
        if (allChecked) {
            return;
        }
        int segment;
        try (ExternalMapQueryContext<IntValue, ByteBuffer, ?> c = map.queryContext(key)) {
            segment = c.segmentIndex();
        } catch (RuntimeException | Error e) {
            throw damaged(u, "Chronicle Map cannot look it up: " + e.getClass().getSimpleName());
        }
        if (checkedSegments.get(segment)) {
            return;
        }
        long[] reached = {0};
        long counted;
        try (MapSegmentContext<IntValue, ByteBuffer, ?> c = map.segmentContext(segment)) {
            c.forEachSegmentEntry(e -> {
                int k = e.key().get().getValue();
                if (k == u) {
                    throw damaged(u, "its entry is in segment " + segment + " but a lookup does not find it: "
                            + "the map's index is damaged");
                }
                ByteBuffer v = e.value().getUsing(buf);
                if (v != buf) {
                    buf = v;
                }
                buf.order(ByteOrder.LITTLE_ENDIAN);
                decodeCheck(k, buf);
                reached[0]++;
            });
            counted = c.size();
        } catch (StoreFailure e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw damaged(u, "Chronicle Map cannot read segment " + segment + " of the map: " + e.getClass().getSimpleName());
        }
        if (reached[0] != counted) {
            throw new StoreFailure(file + ": segment " + segment + " of the map counts " + counted + " values but "
                    + reached[0] + " are reachable: the store is damaged and cannot be trusted; rebuild it from its "
                    + "snapshot and events");
        }
        checkedSegments.set(segment);
    }

    /**
     * Checks every value (CRC, decoding) and that there are exactly {@code committed} of them;
     * Chronicle Map failing to read its own file counts as damage too.
     */
    void verifyAll(long committed) {
        try {
            long[] seen = {0};
            map.forEachEntry(e -> {
                int u = e.key().get().getValue();
                ByteBuffer v = e.value().getUsing(buf);
                if (v != buf) {
                    buf = v.order(ByteOrder.LITTLE_ENDIAN);
                }
                buf.order(ByteOrder.LITTLE_ENDIAN);
                decodeCheck(u, buf);
                seen[0]++;
            });
            if (seen[0] != committed) {
                throw new StoreFailure(file + ": " + seen[0] + " values read, " + committed + " committed: "
                        + "the store is damaged and cannot be trusted; rebuild it from its snapshot and events");
            }
        } catch (StoreFailure e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw new StoreFailure(file + ": Chronicle Map cannot read it (" + e.getClass().getSimpleName()
                    + "): the store is damaged and cannot be trusted; rebuild it from its snapshot and events", e);
        } finally {
            cachedUser = -1;
        }
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

    StoreFailure damaged(int u, String what) {
        return new StoreFailure(file + ": the value of user index " + u + " is damaged (" + what
                + "); the store cannot be trusted: rebuild it from its snapshot and events");
    }

    // ------------------------------------------------------------------ writing

    /** Appends user {@code u}'s value as it is now (its before-image) to {@code undo}. */
    void logBefore(int u, UndoLog undo) {
        key.setValue(u);
        ByteBuffer v = map.getUsing(key, old);
        if (v != null && v != old) {
            old = v.order(ByteOrder.LITTLE_ENDIAN);
        }
        undo.append(u, old, v == null ? -1 : old.limit());
    }

    /** Replaces user {@code u}'s value with {@code n} entries of {@code src} from int {@code offset} (none: removed). */
    void put(int u, int[] src, int offset, int n) {
        cachedUser = -1;
        key.setValue(u);
        if (n == 0) {
            map.remove(key);
            return;
        }
        if (masks == null) {
            throw new IllegalStateException("attach(tenant) before the engine writes the store");
        }
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
        map.put(key, buf);
    }

    /** Puts back a before-image from the undo log ({@code len} < 0: the user had no value). */
    void restore(int u, ByteBuffer v, int len) {
        cachedUser = -1;
        key.setValue(u);
        if (len < 0) {
            map.remove(key);
        } else {
            map.put(key, v);
        }
    }

    /** Average entries per stored user now (for a new generation's value sizing), or {@code otherwise} when empty. */
    double averageEntries(double otherwise) {
        long n = map.longSize();
        if (n == 0) {
            return otherwise;
        }
        long[] total = {0};
        map.forEachEntry(e -> total[0] += e.value().size());
        double perEntry = 7 + (products.isEmpty() ? 1 : (double) Arrays.stream(words).sum() / words.length);
        return Math.max(1.0, (total[0] / (double) n - 5) / perEntry);
    }
}
