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
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The state writer as it was before users were put together from encoded bytes: every token
 * through Jackson's generator and {@link LinePerRecordPrinter}. Kept as the reference the
 * writer's bytes are compared with (StateWriterBytesTest).
 */
final class GeneratorStateWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private GeneratorStateWriter() {
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
        Users users = tenant.users();
        Groups groups = tenant.groups();
        Subscriptions subs = tenant.subscriptions();
        int[] inError = new int[subs.size()];
        IntObjectHashMap<IntArrayList> groupErrors = new IntObjectHashMap<>();
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
                IntArrayList errs = groupErrors.get(gi);
                if (errs != null) {
                    int[] sorted = errs.toArray();
                    Arrays.sort(sorted);
                    for (int u : sorted) {
                        g.writeString(users.id(u));
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
                                      IntObjectHashMap<IntArrayList> groupErrors) throws IOException {
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

    /** One chunk's users as JSON (bytes [from, to) of {@code bytes}: each user after a newline, separated by commas) and its counts. */
    private static final class Chunk {
        final int[] inError;
        final IntObjectHashMap<IntArrayList> groupErrors = new IntObjectHashMap<>();
        Blocks bytes;
        long from;
        long to;

        Chunk(int products) {
            inError = new int[products];
        }

        /** Writes the users ({@code any}: after a comma) and adds the counts; returns whether any user was written so far. */
        boolean writeTo(OutputStream out, boolean any, int[] totalInError, IntObjectHashMap<IntArrayList> totalGroupErrors)
                throws IOException {
            for (int t = 0; t < inError.length; t++) {
                totalInError[t] += inError[t];
            }
            groupErrors.forEachKeyValue((g, us) -> totalGroupErrors.getIfAbsentPut(g, IntArrayList::new).addAll(us));
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

    /** Renders chunks of users; one per thread (its encoded names and disabled-plan arrays are its own). */
    private static final class UserRenderer {
        private final Tenant tenant;
        private final Users users;
        private final Subscriptions subs;
        private final DisabledPlans disabled = new DisabledPlans();
        private final Encoded names;
        private final int[] countedStamp;
        private int userStamp;

        UserRenderer(Tenant tenant) {
            this.tenant = tenant;
            this.users = tenant.users();
            this.subs = tenant.subscriptions();
            this.names = new Encoded(tenant);
            this.countedStamp = new int[subs.size()];
        }

        /** Users [from, to) that are live and have entries, as the users array's elements. */
        Chunk render(StateStore store, int from, int to, java.util.Queue<byte[]> spare) throws IOException {
            Blocks buf = new Blocks(spare);
            Chunk chunk = new Chunk(subs.size());
            try (JsonGenerator g = JSON.createGenerator(buf, JsonEncoding.UTF8)) {
                // the same nesting as the document's, so that the printer lays the users out as there
                g.setPrettyPrinter(new LinePerRecordPrinter());
                g.writeStartObject();
                g.writeFieldName("users");
                g.writeStartArray();
                g.flush();
                chunk.from = buf.size();
                UserEntries.forEach(store, users, from, to, (u, es, n) -> user(g, u, es, n, chunk));
                g.flush();
                chunk.to = buf.size();
            }
            chunk.bytes = buf;
            return chunk;
        }

        private void user(JsonGenerator g, int u, int[] es, int n, Chunk chunk) throws IOException {
            g.writeStartObject();
            g.writeFieldName(F_ID);
            g.writeString(users.id(u));
            g.writeFieldName(F_UPN);
            String upn = users.get(u, "userPrincipalName");
            if (upn == null) {
                g.writeNull();
            } else {
                g.writeString(upn);
            }
            g.writeFieldName(F_ASSIGNED);
            g.writeStartArray();
            for (int t = 0; t < subs.size(); t++) {
                long[] union = null;
                int only = -1;
                for (int i = 0; i < n; i++) {
                    int at = i * StateStore.ENTRY_INTS;
                    if (es[at + StateStore.PRODUCT] == t && States.holds(es[at + StateStore.STATE])) {
                        int mask = es[at + StateStore.MASK];
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
                    g.writeStartObject();
                    g.writeFieldName(F_SKU);
                    g.writeString(names.sku(t));
                    g.writeFieldName(F_DISABLED);
                    g.writeRawValue(union != null ? disabledJson(tenant.catalog(), subs.product(t), union)
                            : disabled.of(tenant, t, only));
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeFieldName(F_STATES);
            g.writeStartArray();
            int counted = ++userStamp;
            for (int i = 0; i < n; i++) {
                int at = i * StateStore.ENTRY_INTS;
                int src = es[at + StateStore.SRC];
                int t = es[at + StateStore.PRODUCT];
                int state = es[at + StateStore.STATE];
                g.writeStartObject();
                g.writeFieldName(F_SKU);
                g.writeString(names.sku(t));
                g.writeFieldName(F_BY_GROUP);
                if (StateStore.isDirect(src)) {
                    g.writeNull();
                } else {
                    g.writeString(names.group(src));
                    if (state != States.pack(States.ACTIVE, States.NONE)) {
                        IntArrayList l = chunk.groupErrors.getIfAbsentPut(src, IntArrayList::new);
                        if (l.isEmpty() || l.getLast() != u) {
                            l.add(u);
                        }
                    }
                }
                g.writeFieldName(F_STATE);
                g.writeString(names.state(state));
                g.writeFieldName(F_ERROR);
                g.writeString(names.error(state));
                g.writeFieldName(F_DISABLED);
                g.writeRawValue(disabled.of(tenant, t, es[at + StateStore.MASK]));
                Instant when = StateStore.instant(es[at + StateStore.TIME]);
                g.writeFieldName(F_UPDATED);
                if (when == null) {
                    g.writeNull();
                } else {
                    g.writeString(when.toString());
                }
                g.writeEndObject();
                if (States.state(state) == States.ERROR && countedStamp[t] != counted) {
                    countedStamp[t] = counted;
                    chunk.inError[t]++;
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

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

    /** Field names, encoded once (every user repeats them). */
    private static final SerializedString F_ID = new SerializedString("id");
    private static final SerializedString F_UPN = new SerializedString("userPrincipalName");
    private static final SerializedString F_ASSIGNED = new SerializedString("assignedLicenses");
    private static final SerializedString F_STATES = new SerializedString("licenseAssignmentStates");
    private static final SerializedString F_SKU = new SerializedString("skuId");
    private static final SerializedString F_DISABLED = new SerializedString("disabledPlans");
    private static final SerializedString F_BY_GROUP = new SerializedString("assignedByGroup");
    private static final SerializedString F_STATE = new SerializedString("state");
    private static final SerializedString F_ERROR = new SerializedString("error");
    private static final SerializedString F_UPDATED = new SerializedString("lastUpdatedDateTime");

    /** The values every user repeats (product ids, group ids, state and error names), encoded once each. */
    private static final class Encoded {
        private final Tenant tenant;
        private final SerializedString[] skus;
        private SerializedString[] groups = new SerializedString[0];
        private final org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<SerializedString> states =
                new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<>();
        private final org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<SerializedString> errors =
                new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<>();

        Encoded(Tenant tenant) {
            this.tenant = tenant;
            skus = new SerializedString[tenant.subscriptions().size()];
            for (int t = 0; t < skus.length; t++) {
                skus[t] = new SerializedString(tenant.subscriptions().product(t).skuId());
            }
        }

        SerializedString sku(int t) {
            return skus[t];
        }

        SerializedString group(int g) {
            if (g >= groups.length) {
                groups = Arrays.copyOf(groups, Math.max(g + 1, tenant.groups().size()));
            }
            SerializedString s = groups[g];
            if (s == null) {
                s = new SerializedString(tenant.groups().id(g));
                groups[g] = s;
            }
            return s;
        }

        SerializedString state(int state) {
            return states.getIfAbsentPut(state, () -> new SerializedString(States.stateName(state)));
        }

        SerializedString error(int state) {
            return errors.getIfAbsentPut(state, () -> new SerializedString(States.errorName(state)));
        }
    }

    /**
     * The disabledPlans arrays of (product, plan mask) pairs, made once each: a tenant has a few
     * hundred such pairs and a million users repeat them (writing each GUID through the generator
     * was most of the writer's time).
     */
    private static final class DisabledPlans {
        private final org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap<String> made =
                new org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap<>();

        String of(Tenant tenant, int t, int mask) {
            long key = ((long) t << 32) | (mask & 0xFFFFFFFFL);
            String s = made.get(key);
            if (s == null) {
                s = disabledJson(tenant.catalog(), tenant.subscriptions().product(t), tenant.masks().copy(mask));
                made.put(key, s);
            }
            return s;
        }
    }
}
