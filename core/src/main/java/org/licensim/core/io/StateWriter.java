package org.licensim.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Engine;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;
import org.licensim.core.state.UserEntries;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes the resolved state (docs/FORMATS.md): per product Graph's subscribedSku with
 * consumedUnits, per user Graph's assignedLicenses and licenseAssignmentStates, per licensed
 * group the members with licence errors. Streams with Jackson's generator; a file is written
 * to a temporary sibling and moved into place, so a crash never leaves half a file.
 */
public final class StateWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private StateWriter() {
    }

    public static void write(Engine engine, Path file) {
        AtomicFile.write(file, "resolved state", out -> write(engine, out));
    }

    public static void write(Engine engine, OutputStream out) throws IOException {
        write(engine, out, engine.store().concurrentReads()
                ? Math.min(MAX_RENDERERS, Runtime.getRuntime().availableProcessors()) : 1);
    }

    /** Renderers at most: past a few, the one thread writing the file is what they wait for, and each holds chunks in memory. */
    static final int MAX_RENDERERS = 4;

    /**
     * {@link #write(Engine, OutputStream)} with the users rendered on {@code threads} threads (the
     * store says whether its reads may run at once: the heap store's may, alone or tallied; a
     * persisted store is read by one thread). The bytes are the
     * same for any number.
     */
    static void write(Engine engine, OutputStream out, int threads) throws IOException {
        Tenant tenant = engine.tenant();
        Groups groups = tenant.groups();
        Subscriptions subs = tenant.subscriptions();
        int[] inError = new int[subs.size()];
        IntObjectHashMap<java.util.List<byte[]>> groupErrors = new IntObjectHashMap<>();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.setPrettyPrinter(new LinePerRecordPrinter());
            g.writeStartObject();
            g.writeStringField("tenantId", tenant.settings().id());
            if (engine.lastAppliedSeq() < 0) {
                g.writeNullField("lastAppliedSeq");
            } else {
                g.writeNumberField("lastAppliedSeq", engine.lastAppliedSeq());
            }
            g.writeArrayFieldStart("users");
            g.flush();
            if (writeUsers(engine, out, threads, inError, groupErrors)) {
                g.writeRaw('\n'); // how the printer ends a top-level array that has elements
            }
            g.writeEndArray();
            g.writeArrayFieldStart("subscribedSkus");
            for (int t = 0; t < subs.size(); t++) {
                g.writeStartObject();
                SnapshotWriter.writeSku(g, subs, t);
                g.writeNumberField("consumedUnits", engine.consumed(t));
                g.writeNumberField("usersInError", inError[t]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("groups");
            for (int gi = 0; gi < groups.size(); gi++) {
                if (groups.isDeleted(gi) || tenant.assignments().ofGroup(gi).length == 0) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("id", groups.id(gi));
                g.writeStringField("displayName", groups.displayName(gi));
                g.writeArrayFieldStart("membersWithLicenseErrors");
                java.util.List<byte[]> parts = groupErrors.get(gi);
                if (parts != null) {
                    // the chunks' ids, rendered by the renderers in user order: a chunk's are after the one's before it
                    g.flush();
                    for (int i = 0; i < parts.size(); i++) {
                        if (i > 0) {
                            out.write(',');
                        }
                        out.write(parts.get(i));
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** Users per chunk: a chunk's JSON (about 1.4 KB a user on the bench tenants) stays a few megabytes. */
    static final int CHUNK_USERS = 2048;

    /**
     * The users array's elements, written to {@code out} after the generator's {@code [}:
     * chunks of {@link #CHUNK_USERS} users rendered by their own generators on {@code workers}
     * threads and written in user order, a few chunks ahead at most. Each chunk counts its users
     * in error per product and its groups' members with errors, added to {@code inError} and
     * {@code groupErrors}. Returns whether any user was written.
     */
    private static boolean writeUsers(Engine engine, OutputStream out, int workers, int[] inError,
                                      IntObjectHashMap<java.util.List<byte[]>> groupErrors) throws IOException {
        Tenant tenant = engine.tenant();
        StateStore store = engine.store();
        int n = tenant.users().size();
        int chunks = (n + CHUNK_USERS - 1) / CHUNK_USERS;
        int threads = Math.min(workers, chunks);
        boolean any = false;
        java.util.Queue<byte[]> spare = new java.util.concurrent.ConcurrentLinkedQueue<>();
        if (threads <= 1) {
            UserRenderer r = new UserRenderer(tenant);
            for (int c = 0; c < chunks; c++) {
                any = r.render(store, c * CHUNK_USERS, Math.min(n, (c + 1) * CHUNK_USERS), spare).writeTo(out, any, inError,
                        groupErrors);
            }
            return any;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, job -> {
            Thread t = new Thread(job, "licensim-state-writer");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<UserRenderer> renderers = ThreadLocal.withInitial(() -> new UserRenderer(tenant));
        try {
            java.util.ArrayDeque<java.util.concurrent.Future<Chunk>> ahead = new java.util.ArrayDeque<>();
            int next = 0;
            for (int c = 0; c < chunks; c++) {
                while (next < chunks && ahead.size() < 2 * threads) {
                    int from = next * CHUNK_USERS;
                    int to = Math.min(n, from + CHUNK_USERS);
                    ahead.add(pool.submit(() -> renderers.get().render(store, from, to, spare)));
                    next++;
                }
                any = done(ahead.poll()).writeTo(out, any, inError, groupErrors);
            }
            return any;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A rendered chunk, or its renderer's failure as it was thrown. */
    private static Chunk done(java.util.concurrent.Future<Chunk> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing the resolved state");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * One chunk's users as JSON (bytes [from, to) of {@code bytes}: each user after a newline,
     * separated by commas), its counts, and per group its members with errors, in user order, as
     * the JSON array's elements ({@code "id","id"}).
     */
    private static final class Chunk {
        final int[] inError;
        final IntObjectHashMap<byte[]> groupErrorIds = new IntObjectHashMap<>();
        Blocks bytes;
        long from;
        long to;

        Chunk(int products) {
            inError = new int[products];
        }

        /** Writes the users ({@code any}: after a comma) and adds the counts; returns whether any user was written so far. */
        boolean writeTo(OutputStream out, boolean any, int[] totalInError,
                        IntObjectHashMap<java.util.List<byte[]>> totalGroupErrors) throws IOException {
            for (int t = 0; t < inError.length; t++) {
                totalInError[t] += inError[t];
            }
            groupErrorIds.forEachKeyValue((g, ids) -> totalGroupErrors.getIfAbsentPut(g, java.util.ArrayList::new).add(ids));
            if (to == from) {
                bytes.recycle();
                return any;
            }
            if (any) {
                out.write(',');
            }
            bytes.writeTo(out, from, to);
            bytes.recycle();
            return true;
        }
    }

    /**
     * A byte buffer in blocks of 64 KB: growing it copies nothing, and no block is large enough to
     * be a humongous object for G1 (a chunk's few megabytes in one array were: writing 1M users
     * that way took 9.4 s against 7.7 s for one generator). Blocks come from, and go back to
     * once written, a pool shared by the write's renderers, so that the document is not
     * allocated a second time in buffers.
     */
    private static final class Blocks extends OutputStream {
        private static final int BLOCK = 1 << 16;
        private final java.util.Queue<byte[]> spare;
        private final java.util.ArrayList<byte[]> full = new java.util.ArrayList<>();
        private byte[] block;
        private int at;

        Blocks(java.util.Queue<byte[]> spare) {
            this.spare = spare;
            block = fresh();
        }

        private byte[] fresh() {
            byte[] b = spare.poll();
            return b != null ? b : new byte[BLOCK];
        }

        /** Hands every block back to the pool; the buffer is not used again. */
        void recycle() {
            spare.addAll(full);
            spare.add(block);
            full.clear();
            block = null;
        }

        @Override
        public void write(int b) {
            if (at == BLOCK) {
                next();
            }
            block[at++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (at == BLOCK) {
                    next();
                }
                int k = Math.min(len, BLOCK - at);
                System.arraycopy(b, off, block, at, k);
                at += k;
                off += k;
                len -= k;
            }
        }

        private void next() {
            full.add(block);
            block = fresh();
            at = 0;
        }

        long size() {
            return (long) full.size() * BLOCK + at;
        }

        /** Writes bytes [from, to) to {@code out}. */
        void writeTo(OutputStream out, long from, long to) throws IOException {
            for (int i = 0; i <= full.size(); i++) {
                long start = (long) i * BLOCK;
                byte[] b = i < full.size() ? full.get(i) : block;
                int lo = (int) Math.max(0, Math.min(BLOCK, from - start));
                int hi = (int) Math.max(0, Math.min(i < full.size() ? BLOCK : at, to - start));
                if (hi > lo) {
                    out.write(b, lo, hi - lo);
                }
            }
        }
    }

    /**
     * Renders chunks of users; one per thread (its encoded values and disabled-plan arrays are its
     * own). A user's line is put together from bytes encoded once (field names, product and group
     * ids, state names, disabledPlans arrays) and the user's id and UPN, escaped as Jackson's
     * generator escapes them: the bytes of the generator with {@link LinePerRecordPrinter}, which
     * this replaced (a call and a printer's context walk per token were most of writing a state),
     * checked byte for byte against it by StateWriterBytesTest.
     */
    private static final class UserRenderer {
        private final Tenant tenant;
        private final Users users;
        private final Subscriptions subs;
        private final DisabledPlans disabled = new DisabledPlans();
        private final org.licensim.core.directory.StringColumn upns;
        private final Encoded names;
        private final int[] countedStamp;
        private int userStamp;
        /**
         * One user's JSON, then copied to the chunk in one write; and at the end of a chunk its
         * groups' members with errors. Big enough for both (a chunk's ids of 2,048 users): a buffer
         * that grew after the renderer was compiled sent it back to the interpreter, to be
         * compiled again.
         */
        private byte[] line = new byte[1 << 18];
        private int at;
        /**
         * Per group (by index), the chunk's members with errors in user order, and the groups that
         * have any: an array, not a hash map, in the per-user path (a map's first collision there
         * sent the compiled renderer back to the interpreter, and it was compiled again).
         */
        private IntArrayList[] errorsOf = new IntArrayList[0];
        private final IntArrayList errorGroups = new IntArrayList();

        UserRenderer(Tenant tenant) {
            this.tenant = tenant;
            this.users = tenant.users();
            this.subs = tenant.subscriptions();
            this.names = new Encoded(tenant);
            this.countedStamp = new int[subs.size()];
            this.upns = users.column("userPrincipalName");
        }

        /** Users [from, to) that are live and have entries, as the users array's elements. */
        Chunk render(StateStore store, int from, int to, java.util.Queue<byte[]> spare) throws IOException {
            Blocks buf = new Blocks(spare);
            Chunk chunk = new Chunk(subs.size());
            chunk.from = 0;
            // each element on a line of its own, after a comma but the first: the printer's layout of a top-level array
            UserEntries.forEach(store, users, from, to, (u, es, n) -> {
                at = 0;
                if (buf.size() > 0) {
                    put(',');
                }
                put('\n');
                user(u, es, n, chunk);
                buf.write(line, 0, at);
            });
            chunk.to = buf.size();
            chunk.bytes = buf;
            for (int i = 0; i < errorGroups.size(); i++) {
                int g = errorGroups.get(i);
                IntArrayList us = errorsOf[g];
                at = 0;
                for (int k = 0; k < us.size(); k++) {
                    if (k > 0) {
                        put(',');
                    }
                    string(users.id(us.get(k)));
                }
                chunk.groupErrorIds.put(g, Arrays.copyOf(line, at));
                us.clear();
            }
            errorGroups.clear();
            return chunk;
        }

        /** User {@code u} is a member of group {@code g} with a licence error (once per user and group). */
        private void memberWithError(int g, int u) {
            if (g >= errorsOf.length) {
                errorsOf = Arrays.copyOf(errorsOf, Math.max(g + 1, tenant.groups().size()));
            }
            IntArrayList l = errorsOf[g];
            if (l == null) {
                l = new IntArrayList();
                errorsOf[g] = l;
            }
            if (l.isEmpty()) {
                errorGroups.add(g);
                l.add(u);
            } else if (l.getLast() != u) {
                l.add(u);
            }
        }

        private void user(int u, int[] es, int n, Chunk chunk) {
            put(K_ID);
            string(users.id(u));
            put(K_UPN);
            String upn = upns.get(u);
            if (upn == null) {
                put(NULL);
            } else {
                string(upn);
            }
            put(K_ASSIGNED);
            boolean first = true;
            for (int t = 0; t < subs.size(); t++) {
                long[] union = null;
                int only = -1;
                for (int i = 0; i < n; i++) {
                    int e = i * StateStore.ENTRY_INTS;
                    if (es[e + StateStore.PRODUCT] == t && States.holds(es[e + StateStore.STATE])) {
                        int mask = es[e + StateStore.MASK];
                        if (only == -1 && union == null) {
                            only = mask; // the usual case: one held source, its plans as they are
                        } else {
                            if (union == null) {
                                union = tenant.masks().copy(only);
                            }
                            long[] m = tenant.masks().copy(mask);
                            for (int w = 0; w < m.length; w++) {
                                union[w] |= m[w];
                            }
                        }
                    }
                }
                if (only != -1 || union != null) {
                    if (!first) {
                        put(',');
                    }
                    first = false;
                    put(K_SKU_FIRST);
                    put(names.sku(t));
                    put(K_DISABLED);
                    put(union != null ? utf8(disabledJson(tenant.catalog(), subs.product(t), union))
                            : disabled.of(tenant, t, only));
                    put('}');
                }
            }
            put(K_STATES);
            int counted = ++userStamp;
            for (int i = 0; i < n; i++) {
                int e = i * StateStore.ENTRY_INTS;
                int src = es[e + StateStore.SRC];
                int t = es[e + StateStore.PRODUCT];
                int state = es[e + StateStore.STATE];
                if (i > 0) {
                    put(',');
                }
                put(K_SKU_FIRST);
                put(names.sku(t));
                put(K_BY_GROUP);
                if (StateStore.isDirect(src)) {
                    put(NULL);
                } else {
                    put(names.group(src));
                    if (state != States.pack(States.ACTIVE, States.NONE)) {
                        memberWithError(src, u);
                    }
                }
                put(K_STATE);
                put(names.state(state));
                put(K_ERROR);
                put(names.error(state));
                put(K_DISABLED);
                put(disabled.of(tenant, t, es[e + StateStore.MASK]));
                put(K_UPDATED);
                Instant when = StateStore.instant(es[e + StateStore.TIME]);
                if (when == null) {
                    put(NULL);
                } else {
                    string(when.toString());
                }
                put('}');
                if (States.state(state) == States.ERROR && countedStamp[t] != counted) {
                    countedStamp[t] = counted;
                    chunk.inError[t]++;
                }
            }
            put(K_END);
        }

        private void room(int more) {
            if (at + more > line.length) {
                line = Arrays.copyOf(line, Math.max(at + more, line.length * 2));
            }
        }

        private void put(char c) {
            room(1);
            line[at++] = (byte) c;
        }

        private void put(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, line, at, b.length);
            at += b.length;
        }

        /** {@code s} as a JSON string: printable ASCII as it is, anything else through Jackson's own encoding. */
        private void string(String s) {
            int n = s.length();
            room(n + 2);
            int start = at;
            line[at++] = '"';
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                    at = start;
                    put(quoted(s));
                    return;
                }
                line[at++] = (byte) c;
            }
            line[at++] = '"';
        }
    }

    /** {@code s} as Jackson's generator writes a string value (quotes included), in UTF-8. */
    static byte[] quoted(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length() + 8);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeString(s);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * {@code s} quoted as Jackson writes a {@link com.fasterxml.jackson.core.io.SerializedString}
     * value (how product and group ids and state names were written): its encoder's escapes, which
     * for a character outside the Basic Multilingual Plane differ from the generator's.
     */
    static byte[] quotedSerialized(String s) {
        byte[] body = new com.fasterxml.jackson.core.io.SerializedString(s).asQuotedUTF8();
        byte[] out = new byte[body.length + 2];
        out[0] = '"';
        System.arraycopy(body, 0, out, 1, body.length);
        out[out.length - 1] = '"';
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static final byte[] NULL = utf8("null");
    private static final byte[] K_ID = utf8("{\"id\":");
    private static final byte[] K_UPN = utf8(",\"userPrincipalName\":");
    private static final byte[] K_ASSIGNED = utf8(",\"assignedLicenses\":[");
    private static final byte[] K_SKU_FIRST = utf8("{\"skuId\":");
    private static final byte[] K_DISABLED = utf8(",\"disabledPlans\":");
    private static final byte[] K_STATES = utf8("],\"licenseAssignmentStates\":[");
    private static final byte[] K_BY_GROUP = utf8(",\"assignedByGroup\":");
    private static final byte[] K_STATE = utf8(",\"state\":");
    private static final byte[] K_ERROR = utf8(",\"error\":");
    private static final byte[] K_UPDATED = utf8(",\"lastUpdatedDateTime\":");
    private static final byte[] K_END = utf8("]}");

    /** The JSON array of product {@code p}'s plans not in {@code enabled}: their ids, catalog order. */
    static String disabledJson(Catalog catalog, Product p, long[] enabled) {
        StringBuilder sb = new StringBuilder("[");
        int[] plans = p.plans();
        for (int i = 0; i < plans.length; i++) {
            if ((enabled[i >>> 6] & (1L << i)) == 0) {
                // plan ids are GUIDs: nothing in them needs escaping
                sb.append(sb.length() > 1 ? ",\"" : "\"").append(catalog.plan(plans[i]).servicePlanId()).append('"');
            }
        }
        return sb.append(']').toString();
    }

    /** The values every user repeats (product ids, group ids, state and error names), each encoded once as a JSON string. */
    private static final class Encoded {
        private final Tenant tenant;
        private final byte[][] skus;
        private byte[][] groups = new byte[0][];
        /** By state ({@code packed >>> 8}) and by error ({@code packed & 0xFF}): what the names depend on. */
        private byte[][] states = new byte[8][];
        private final byte[][] errors = new byte[1 << 8][];

        Encoded(Tenant tenant) {
            this.tenant = tenant;
            skus = new byte[tenant.subscriptions().size()][];
            for (int t = 0; t < skus.length; t++) {
                skus[t] = quotedSerialized(tenant.subscriptions().product(t).skuId());
            }
        }

        byte[] sku(int t) {
            return skus[t];
        }

        byte[] group(int g) {
            if (g >= groups.length) {
                groups = Arrays.copyOf(groups, Math.max(g + 1, tenant.groups().size()));
            }
            byte[] s = groups[g];
            if (s == null) {
                s = quotedSerialized(tenant.groups().id(g));
                groups[g] = s;
            }
            return s;
        }

        byte[] state(int state) {
            if (state >>> 8 >= states.length) {
                states = Arrays.copyOf(states, (state >>> 8) + 1);
            }
            byte[] b = states[state >>> 8];
            if (b == null) {
                b = quotedSerialized(States.stateName(state));
                states[state >>> 8] = b;
            }
            return b;
        }

        byte[] error(int state) {
            byte[] b = errors[state & 0xFF];
            if (b == null) {
                b = quotedSerialized(States.errorName(state));
                errors[state & 0xFF] = b;
            }
            return b;
        }
    }

    /**
     * The disabledPlans arrays of (product, plan mask) pairs, made once each: a tenant has a few
     * hundred such pairs and a million users repeat them (writing each GUID through the generator
     * was most of the writer's time).
     */
    private static final class DisabledPlans {
        private final org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap<byte[]> made =
                new org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap<>();

        byte[] of(Tenant tenant, int t, int mask) {
            long key = ((long) t << 32) | (mask & 0xFFFFFFFFL);
            byte[] s = made.get(key);
            if (s == null) {
                s = utf8(disabledJson(tenant.catalog(), tenant.subscriptions().product(t), tenant.masks().copy(mask)));
                made.put(key, s);
            }
            return s;
        }
    }
}
