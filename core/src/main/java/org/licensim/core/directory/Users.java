package org.licensim.core.directory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * Every user of a tenant, columnar: dense index -> external id, flags, usage location and one
 * column per property of {@link UserSchema}. Deleted users keep their index (so indexes stay
 * dense and stable) with the deleted flag set. Proxy addresses are also counted per
 * case-folded address so that a collision (SPEC R16) is an O(addresses) check.
 */
public final class Users {
    private static final byte ENABLED = 1;
    private static final byte DELETED = 2;

    private final PackedIdIndex byId;
    private String[] ids;
    private byte[] flags;
    private int size;
    private int live;
    private final StringColumn usageLocation;
    private final Map<String, StringColumn> strings = new LinkedHashMap<>();
    private final Map<String, MultiColumn> multis = new LinkedHashMap<>();
    /** Per user its distinct folded addresses' codes ({@link #foldedAddresses}); the column's own dictionary is not used. */
    private final MultiColumn foldedProxyCodes;
    /** The distinct folded proxy addresses: R16 compares addresses without case. */
    private FoldedAddresses foldedAddresses = new FoldedAddresses(16);
    /** The proxyAddresses column, held apart from the map of columns (which declarations change) for the background count. */
    private final MultiColumn proxyColumn;
    /** The columns of {@link UserSchema#STRING_PROPERTIES} and {@link UserSchema#MULTI_PROPERTIES}, by index. */
    private final StringColumn[] stringColumns;
    private final MultiColumn[] multiColumns;
    /**
     * Per folded proxy address (its dictionary code: dense, in order of first use, so in user
     * order for a snapshot) how many users hold it: a plain array, read once per user with an
     * Exchange plan in a reconcile, where a hash map's probe was a cache miss per user.
     */
    private int[] proxyHolders = new int[16];
    /** How many folded addresses more than one user holds: none, and no user collides (R16). */
    private int sharedAddresses;
    /**
     * {@link #hasProxyCollision} of every user as one bit each ({@link #proxyCollisions}), made
     * when first asked and again after any address changed (null until then).
     */
    private long[] collisionBits;
    /** Graph's signInActivity, latest of its sign-in times, epoch seconds; only users whose export carried it. */
    private final org.eclipse.collections.impl.map.mutable.primitive.IntLongHashMap lastSignIn =
            new org.eclipse.collections.impl.map.mutable.primitive.IntLongHashMap();

    public Users(int capacity) {
        int cap = Math.max(16, capacity);
        byId = new PackedIdIndex(cap);
        ids = new String[cap];
        flags = new byte[cap];
        usageLocation = new StringColumn("usageLocation", cap);
        foldedProxyCodes = new MultiColumn("proxyAddresses(folded)", 16);
        for (String p : UserSchema.STRING_PROPERTIES) {
            strings.put(p, new StringColumn(p, cap));
        }
        for (String p : UserSchema.MULTI_PROPERTIES) {
            multis.put(p, new MultiColumn(p, cap, true));
        }
        proxyColumn = multis.get("proxyAddresses");
        stringColumns = schemaColumns();
        multiColumns = schemaMultiColumns();
    }

    /**
     * Makes room for {@code more} new users, each with a proxy address of its own: their ids and
     * folded addresses go into tables that no longer grow (and move every entry) while they come.
     */
    public void reserve(int more) {
        byId.reserve(size + more);
        foldedAddresses.reserve(foldedAddresses.size() + more);
    }

    /**
     * Room for {@code total} users in all in the ids, the flags and each column that holds a value
     * so far, made at once: a snapshot reader that can tell how many users come saves the arrays'
     * growth (each growth copies them). Columns no user has a value in yet stay as they are; the
     * id table grows towards it in jumps ({@link PackedIdIndex#expect}).
     */
    public void expect(int total) {
        if (total <= ids.length) {
            return;
        }
        byId.expect(total);
        ids = Arrays.copyOf(ids, total);
        flags = Arrays.copyOf(flags, total);
        usageLocation.expect(total, size);
        for (StringColumn c : stringColumns) {
            c.expect(total, size);
        }
        for (MultiColumn c : multiColumns) {
            c.expect(total, size);
        }
        int addresses = proxyColumn.valueCount();
        if (proxyIndexed && addresses > 0 && size > 0) {
            // counted as added: the folded addresses, their codes per user and the holders' counts too
            long more = (long) addresses * total / size;
            if (more < Integer.MAX_VALUE / 2) {
                foldedAddresses.reserve((int) more);
                foldedProxyCodes.reserve(total, (int) more);
                if (more > proxyHolders.length) {
                    proxyHolders = Arrays.copyOf(proxyHolders, (int) more);
                }
            }
        }
    }

    private Users(Users o) {
        o.proxyIndex();
        byId = o.byId.copy();
        ids = o.ids.clone();
        flags = o.flags.clone();
        size = o.size;
        live = o.live;
        usageLocation = o.usageLocation.copy();
        o.strings.forEach((k, v) -> strings.put(k, v.copy()));
        o.multis.forEach((k, v) -> multis.put(k, v.copy()));
        proxyColumn = multis.get("proxyAddresses");
        stringColumns = schemaColumns();
        multiColumns = schemaMultiColumns();
        foldedProxyCodes = o.foldedProxyCodes.copy();
        foldedAddresses = o.foldedAddresses.copy();
        proxyHolders = o.proxyHolders.clone();
        sharedAddresses = o.sharedAddresses;
        collisionBits = o.collisionBits;
        proxyIndexed = true;
        lastSignIn.putAll(o.lastSignIn);
        extensions.putAll(o.extensions);
    }

    private StringColumn[] schemaColumns() {
        StringColumn[] c = new StringColumn[UserSchema.STRING_PROPERTIES.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = strings.get(UserSchema.STRING_PROPERTIES.get(i));
        }
        return c;
    }

    private MultiColumn[] schemaMultiColumns() {
        MultiColumn[] c = new MultiColumn[UserSchema.MULTI_PROPERTIES.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = multis.get(UserSchema.MULTI_PROPERTIES.get(i));
        }
        return c;
    }

    /** A copy that shares nothing mutable with these users. */
    Users copy() {
        return new Users(this);
    }

    /** Adds a user and returns its dense index; the caller has checked that the id is new. */
    public int add(String id, boolean accountEnabled) {
        int u = size++;
        if (u == ids.length) {
            int cap = ids.length * 3 / 2 + 16;
            ids = Arrays.copyOf(ids, cap);
            flags = Arrays.copyOf(flags, cap);
        }
        ids[u] = id;
        flags[u] = accountEnabled ? ENABLED : 0;
        byId.put(id, u);
        live++;
        return u;
    }

    /**
     * Adds a user unless its id was ever used (by a user: the caller asks the groups), in one probe
     * of the id table where {@link #everExisted} then {@link #add} take two: a snapshot adds a
     * million users, each a cache miss in a table of millions. Returns the new index, or -1 when the
     * id is taken (nothing is added then).
     */
    public int addNew(String id, boolean accountEnabled) {
        int u = size;
        if (byId.getIfAbsentPut(id, u) != u) {
            return -1;
        }
        size++;
        if (u == ids.length) {
            int cap = ids.length * 3 / 2 + 16;
            ids = Arrays.copyOf(ids, cap);
            flags = Arrays.copyOf(flags, cap);
        }
        ids[u] = id;
        flags[u] = accountEnabled ? ENABLED : 0;
        live++;
        return u;
    }

    /**
     * {@link #addNew} of each of {@code newIds[0, n)} in turn ({@code enabled[j]} its
     * accountEnabled), {@code out[j]} getting its index or -1 when the id was taken; the id table's
     * probes of the whole batch overlapped ({@link PackedIdIndex#getIfAbsentPutAll}).
     */
    public void addNewAll(String[] newIds, boolean[] enabled, int n, int[] out) {
        int first = size;
        int added = byId.getIfAbsentPutAll(newIds, n, first, out);
        if (first + added > ids.length) {
            int cap = Math.max(first + added, ids.length * 3 / 2 + 16);
            ids = Arrays.copyOf(ids, cap);
            flags = Arrays.copyOf(flags, cap);
        }
        int next = first;
        for (int j = 0; j < n; j++) {
            if (out[j] == next) {
                ids[next] = newIds[j];
                flags[next] = enabled[j] ? ENABLED : 0;
                next++;
            } else {
                out[j] = -1;
            }
        }
        size = next;
        live += added;
    }

    /**
     * {@link #set} of the property {@code UserSchema.STRING_PROPERTIES.get(property)}, its column
     * found by index (a snapshot reader sets millions of values).
     */
    public void setProperty(int u, int property, String value) {
        if (!extensions.isEmpty()) {
            set(u, UserSchema.STRING_PROPERTIES.get(property), value);
            return;
        }
        stringColumns[property].set(u, value);
    }

    /**
     * {@link #setMulti} of the property {@code UserSchema.MULTI_PROPERTIES.get(property)} to
     * {@code values[from, from + n)}, without a list made for them.
     */
    public void setMultiProperty(int u, int property, String[] values, int from, int n) {
        MultiColumn c = multiColumns[property];
        if (extensions.isEmpty() && (c != proxyColumn || (!proxyIndexed && !proxyCountStarted))) {
            c.set(u, values, from, n);
            return;
        }
        if (extensions.isEmpty() && proxyIndexed && foldedProxyCodes.count(u) == 0) {
            // counted as added (a new user: no address of its own to uncount first)
            c.set(u, values, from, n);
            indexProxyAddresses(u);
            return;
        }
        setMulti(u, UserSchema.MULTI_PROPERTIES.get(property), java.util.List.of(Arrays.copyOfRange(values, from, from + n)));
    }

    /** Dense index of a live user, or -1. */
    public int indexOf(String id) {
        int u = byId.get(id, -1);
        return u >= 0 && !isDeleted(u) ? u : -1;
    }

    /** {@link #indexOf} of each id into {@code out} (at least as long), the lookups of a batch overlapped. */
    public void indexesOf(java.util.List<String> ids, int[] out) {
        byId.getAll(ids, out, -1);
        for (int j = 0; j < ids.size(); j++) {
            if (out[j] >= 0 && isDeleted(out[j])) {
                out[j] = -1;
            }
        }
    }

    /**
     * {@link #indexesOf} for ids given as characters (id {@code j} is {@code chars[starts[j],
     * starts[j] + lengths[j])}): a snapshot's member
     * ids are looked up without a String made for each.
     */
    public void indexesOf(char[] chars, int[] starts, int[] lengths, int n, int[] out) {
        byId.getAll(chars, starts, lengths, n, out, -1);
        if (live == size) {
            return; // no user deleted
        }
        for (int j = 0; j < n; j++) {
            if (out[j] >= 0 && isDeleted(out[j])) {
                out[j] = -1;
            }
        }
    }

    /**
     * The scratch of a thread that looks ids up while another does too ({@link #indexesOf(char[],
     * int[], int[], int, int[], Lookups)}); users are not added meanwhile.
     */
    public static final class Lookups {
        private final PackedIdIndex.Batch batch = new PackedIdIndex.Batch();
    }

    /** {@link #indexesOf(char[], int[], int[], int, int[])} with the calling thread's own scratch. */
    public void indexesOf(char[] chars, int[] starts, int[] lengths, int n, int[] out, Lookups scratch) {
        byId.getAll(chars, starts, lengths, n, out, -1, scratch.batch);
        if (live == size) {
            return; // no user deleted: no flag to read (a cache miss per id when the table is large)
        }
        for (int j = 0; j < n; j++) {
            if (out[j] >= 0 && isDeleted(out[j])) {
                out[j] = -1;
            }
        }
    }


    /** Whether the id was ever used, deleted users included (ids are never reused). */
    public boolean everExisted(String id) {
        return byId.contains(id);
    }

    public String id(int u) {
        return ids[u];
    }

    /** The user as people read it: the userPrincipalName, or the id when the user has none. */
    public String nameOf(int u) {
        String upn = strings.get("userPrincipalName").get(u);
        return upn == null || upn.isBlank() ? ids[u] : upn;
    }

    /** Number of indexes handed out, deleted users included. */
    public int size() {
        return size;
    }

    /** Number of users not deleted. */
    public int liveCount() {
        return live;
    }

    public boolean isDeleted(int u) {
        return (flags[u] & DELETED) != 0;
    }

    public boolean accountEnabled(int u) {
        return (flags[u] & ENABLED) != 0;
    }

    /** The user's last sign-in (epoch seconds) as the export's signInActivity gave it, or {@link Long#MIN_VALUE} when unknown. */
    public long lastSignIn(int u) {
        return lastSignIn.getIfAbsent(u, Long.MIN_VALUE);
    }

    public void setLastSignIn(int u, long epochSeconds) {
        lastSignIn.put(u, epochSeconds);
    }

    /** Whether any user came with sign-in activity (an export with {@code signInActivity} selected). */
    public boolean hasSignInActivity() {
        return !lastSignIn.isEmpty();
    }

    public void setAccountEnabled(int u, boolean enabled) {
        flags[u] = (byte) (enabled ? flags[u] | ENABLED : flags[u] & ~ENABLED);
    }

    public void delete(int u) {
        if (!isDeleted(u)) {
            setProxyAddresses(u, List.of());
            flags[u] |= DELETED;
            live--;
        }
    }

    public StringColumn usageLocation() {
        return usageLocation;
    }

    /** Usage location code in {@link #usageLocation()}'s dictionary, or {@link Dictionary#NULL}. */
    public int usageLocationCode(int u) {
        return usageLocation.code(u);
    }

    public void setUsageLocation(int u, String country) {
        usageLocation.set(u, country);
    }

    private final Map<String, DirectoryExtension> extensions = new LinkedHashMap<>();

    /** Declares a directory extension property (SPEC section 4): its column exists from now on. */
    public void declare(DirectoryExtension e) {
        extensions.put(e.name().toLowerCase(java.util.Locale.ROOT), e);
        if (e.multiValued()) {
            multis.computeIfAbsent(e.name(), n -> new MultiColumn(n, Math.max(16, size)));
        } else {
            strings.computeIfAbsent(e.name(), n -> new StringColumn(n, Math.max(16, size)));
        }
    }

    /** The declared extension named {@code name} (any case), or null. */
    public DirectoryExtension extension(String name) {
        return extensions.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Every declared extension, in declaration order. */
    public java.util.Collection<DirectoryExtension> extensions() {
        return java.util.Collections.unmodifiableCollection(extensions.values());
    }

    public StringColumn column(String property) {
        StringColumn c = strings.get(property);
        if (c == null) {
            throw new IllegalArgumentException("not a single-valued user property: " + property);
        }
        return c;
    }

    public MultiColumn multiColumn(String property) {
        MultiColumn c = multis.get(property);
        if (c == null) {
            throw new IllegalArgumentException("not a multi-valued user property: " + property);
        }
        return c;
    }

    public void set(int u, String property, String value) {
        DirectoryExtension d = extensions.isEmpty() ? null : extensions.get(property.toLowerCase(java.util.Locale.ROOT));
        column(d == null ? property : d.name()).set(u, d == null ? value : d.canonical(value));
    }

    public String get(int u, String property) {
        return column(property).get(u);
    }

    public void setMulti(int u, String property, List<String> values) {
        if (property.equals("proxyAddresses")) {
            setProxyAddresses(u, values == null ? List.of() : values);
            return;
        }
        DirectoryExtension d = extensions.isEmpty() ? null : extensions.get(property.toLowerCase(java.util.Locale.ROOT));
        if (d == null) {
            multiColumn(property).set(u, values);
            return;
        }
        List<String> canonical = new java.util.ArrayList<>();
        for (String v : values == null ? List.<String>of() : values) {
            canonical.add(d.canonical(v));
        }
        multiColumn(d.name()).set(u, canonical);
    }

    private void setProxyAddresses(int u, List<String> values) {
        if (!proxyIndexed && !proxyCountStarted) {
            // a snapshot's users: the folded addresses are counted once, when first asked (proxyIndex)
            proxyColumn.set(u, values);
            return;
        }
        proxyIndex(); // a count under way in the background is waited for
        for (int i = 0; i < foldedProxyCodes.count(u); i++) {
            addHolder(foldedProxyCodes.code(u, i), -1);
        }
        proxyColumn.set(u, values);
        indexProxyAddresses(u);
    }

    /** Scratch of {@link #indexProxyAddresses}: a user's distinct folded address codes. */
    private int[] foldedScratch = new int[4];

    /** Sets user {@code u}'s distinct folded addresses from its addresses, in order, and counts them held. */
    private void indexProxyAddresses(int u) {
        MultiColumn raw = proxyColumn;
        int n = raw.count(u);
        if (foldedScratch.length < n) {
            foldedScratch = new int[n];
        }
        FoldedAddresses folded = foldedAddresses;
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            int code = folded.intern(raw.value(u, i));
            boolean seen = false;
            for (int k = 0; k < distinct && !seen; k++) {
                seen = foldedScratch[k] == code;
            }
            if (!seen) {
                foldedScratch[distinct++] = code;
            }
        }
        foldedProxyCodes.setCodes(u, foldedScratch, distinct);
        for (int i = 0; i < distinct; i++) {
            addHolder(foldedScratch[i], 1);
        }
    }

    /**
     * Whether the folded addresses are counted ({@link #proxyIndex}). A snapshot's users are added
     * before: their addresses are kept as given and counted in one pass, on a thread of its own
     * once the snapshot's users are read ({@link #countProxyAddressesInBackground}) or else when
     * R16 is first asked, so that reading a user is not a probe of a table of a million folded
     * addresses.
     */
    private volatile boolean proxyIndexed;
    /** Whether {@link #countProxyAddressesInBackground} started the count (set and read by the writing thread). */
    private boolean proxyCountStarted;

    /**
     * Starts counting the users' folded proxy addresses on a thread of its own (a snapshot reader
     * calls this when its users are read, and goes on with the groups meanwhile). Whoever needs
     * the counts, or changes an address, waits for it; nothing else of these users is touched by it.
     */
    public void countProxyAddressesInBackground() {
        if (proxyIndexed || proxyCountStarted) {
            return;
        }
        proxyCountStarted = true;
        int users = size;
        // whoever takes the lock first counts (this thread, or a caller of proxyIndex); the other finds it done
        Thread t = new Thread(() -> indexAll(users), "licensim-proxy-count");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Counts R16's folded proxy addresses of each user as it is added from now on, on the adding
     * thread, instead of in one pass once they are all there: a snapshot's two-thread reader asks
     * for it before its first user, so that the count runs beside the parsing of the users (where
     * the adding thread waited for blocks more than half the time) and not beside the groups'
     * member lookups, which kept both cores busy. Only while no user has been added.
     */
    public void countProxyAddressesAsAdded() {
        if (size == 0 && !proxyIndexed && !proxyCountStarted) {
            proxyIndexed = true;
        }
    }

    /**
     * A hint before users are added with these values ({@link #setMultiProperty}): when their
     * proxy addresses are counted as they are added, the folded table's lines of the addresses
     * among {@code values[from, from + n)} are loaded in one pass first ({@link FoldedAddresses#prefetch}).
     */
    public void prefetchProxyAddresses(String[] values, int from, int n) {
        if (proxyIndexed && !proxyCountStarted && extensions.isEmpty()) {
            foldedAddresses.prefetch(values, from, n);
        }
    }

    /** Counts every live user's folded proxy addresses if not done yet (R16's collision counts). */
    private void proxyIndex() {
        if (!proxyIndexed) {
            indexAll(-1);
        }
    }

    /** The count of users [0, {@code users}) ({@code users} < 0: every user); one at a time, under this object's lock. */
    private synchronized void indexAll(int users) {
        if (proxyIndexed) {
            return;
        }
        // from scratch: a count that failed part way (out of memory on its thread) left nothing usable
        int n = users < 0 ? size : users;
        // every table at its final size at once: a million addresses grew each of them twenty times
        int addresses = proxyColumn.valueCount();
        proxyHolders = new int[Math.max(16, addresses)];
        sharedAddresses = 0;
        foldedProxyCodes.reserve(n, addresses);
        foldedAddresses.reserve(addresses);
        for (int u = 0; u < n; u++) {
            if (proxyColumn.count(u) > 0) {
                indexProxyAddresses(u);
            }
        }
        proxyIndexed = true; // published last: a reader that sees it sees the counts
    }

    private void addHolder(int code, int delta) {
        collisionBits = null; // the holders of this address may collide differently now
        if (code >= proxyHolders.length) {
            proxyHolders = java.util.Arrays.copyOf(proxyHolders, Math.max(code + 1, proxyHolders.length * 2));
        }
        int was = proxyHolders[code];
        int now = was + delta;
        proxyHolders[code] = now;
        sharedAddresses += (now > 1 ? 1 : 0) - (was > 1 ? 1 : 0);
    }

    /**
     * Whether one of the user's proxy addresses is also another live user's (SPEC R16).
     * Addresses compare without case. Allocation-free: folded codes are kept per user.
     */
    public boolean hasProxyCollision(int u) {
        proxyIndex();
        if (sharedAddresses == 0) {
            return false;
        }
        for (int i = 0; i < foldedProxyCodes.count(u); i++) {
            if (proxyHolders[foldedProxyCodes.code(u, i)] > 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #hasProxyCollision} of every user, user u's at bit {@code u & 63} of word
     * {@code u >>> 6} (at least {@link #size} bits): for a reconcile, which asks it of most users
     * one after the other, a bit read where the question is three dependent reads. Made when
     * first asked after the counts or a change of an address (on every core), then kept; the
     * caller does not modify it.
     */
    public long[] proxyCollisions() {
        proxyIndex();
        long[] bits = collisionBits;
        if (bits == null || bits.length < (size + 63) >>> 6) {
            bits = collisions();
            collisionBits = bits;
        }
        return bits;
    }

    private long[] collisions() {
        long[] bits = new long[(size + 63) >>> 6];
        if (sharedAddresses == 0) {
            return bits;
        }
        int[] holders = proxyHolders;
        MultiColumn codes = foldedProxyCodes;
        int users = size;
        // blocks of 65,536 users on the common pool: each writes its own words of the bits
        java.util.stream.IntStream.range(0, (users + 65535) >>> 16).parallel().forEach(b -> {
            for (int u = b << 16, end = Math.min(users, u + 65536); u < end; u++) {
                for (int i = 0, n = codes.count(u); i < n; i++) {
                    if (holders[codes.code(u, i)] > 1) {
                        bits[u >>> 6] |= 1L << u;
                        break;
                    }
                }
            }
        });
        return bits;
    }

    /** Whether any proxy address is held by more than one user (then R16 can refuse someone). */
    public boolean sharesProxyAddresses() {
        proxyIndex();
        return sharedAddresses > 0;
    }
}
