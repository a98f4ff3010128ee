package org.licensim.core.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.licensim.core.directory.UserData;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A snapshot's users array read on two threads, for a {@link SnapshotReader.Session}: the
 * reading thread parses users into {@link UserBlock}s, a second adds each finished block to the
 * session's directory while the next is parsed. Its own room so that the one-thread reader stays
 * readable beside it; the rules of when it is used and when it gives up are the session's.
 */
final class PipelinedUsers {
    private final SnapshotReader.Session s;

    PipelinedUsers(SnapshotReader.Session s) {
        this.s = s;
    }

    /**
     * The users array read on two threads: this one parses users into {@link UserBlock}s, a
     * second adds each finished block to the directory (the ids' table, the columns and their
     * dictionaries) while the next is parsed. Blocks are added in the order read, so every
     * index, code and table is what reading one user at a time gives. Only a snapshot whose
     * users are all valid is read so: at the first problem (or any user this path does not
     * take, e.g. one carrying directory extension values) it gives up with {@link Retry},
     * and the file is read again by the one-thread reader, which reports the problems in
     * their order and words.
     */
    void read(JsonParser p) throws IOException {
        boolean groupsFirst = s.dir.groups().size() > 0;
        List<UserBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            blocks.add(new UserBlock(USER_BLOCK));
        }
        // R16's counts as the users come, on the thread adding them (which waits for blocks half the time)
        s.dir.users().countProxyAddressesAsAdded();
        Pipeline<UserBlock> pipe = new Pipeline<>("licensim-read-users", blocks, this::addBlock, UserBlock::clear);
        boolean done = false;
        long first = s.fileBytes > 0 ? p.currentLocation().getByteOffset() : -1;
        int read = 0;
        try {
            UserBlock b = pipe.next();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw SnapshotReader.Retry.INSTANCE;
                }
                readUserFlat(p, b);
                if (s.problems.any()) {
                    throw SnapshotReader.Retry.INSTANCE;
                }
                if (b.full()) {
                    if (help == PipelinedGroups.HELP_ALWAYS
                            || help == PipelinedGroups.HELP_WHEN_WAITING && !pipe.emptyBlockReady()) {
                        if (!parsing.make(b)) {
                            throw SnapshotReader.Retry.INSTANCE; // not a country code: the one-thread reader says so
                        }
                        blocksMadeByParser++;
                    }
                    read += b.size;
                    if (read == EXPECT_AFTER && first >= 0) {
                        b.expectUsers = expected(first, p.currentLocation().getByteOffset(), read);
                    }
                    pipe.handOff(b);
                    b = pipe.next();
                }
            }
            pipe.finish(b);
            done = true;
        } catch (JsonProcessingException e) {
            // a user before this point may be a duplicate the other thread has not reached: read again
            throw SnapshotReader.Retry.INSTANCE;
        } finally {
            if (!done) {
                pipe.abandon();
            }
        }
        if (groupsFirst) {
            // groups came first: a user id that is a group's is a problem the one-thread reader reports
            for (int u = 0; u < s.dir.users().size(); u++) {
                if (s.dir.groups().everExisted(s.dir.users().id(u))) {
                    throw SnapshotReader.Retry.INSTANCE;
                }
            }
        }
    }

    /** Users per block of {@link #read}: enough that a hand-off is rare, few enough that a block stays in the cache. */
    static final int USER_BLOCK = 512;

    /** After how many users the rest are counted ahead ({@link #expected}): a multiple of {@link #USER_BLOCK}. */
    static final int EXPECT_AFTER = 4 * USER_BLOCK;

    /**
     * How many users the file holds if the rest of it were users like the {@code read} first ones
     * (from byte {@code first} to {@code now}): the directory's arrays are made that large at once
     * instead of growing by half again and again (each growth copies them; at 1M users the copies
     * were about 60 MB of a first read's allocation). Groups and assignments after the users make
     * it too many: only the arrays of the properties the first users have are made so, at most
     * a few bytes per user counted for the dozens each such property takes in the file.
     */
    private long expected(long first, long now, int read) {
        long perUser = Math.max(1, (now - first) / read);
        return read + Math.max(0, s.fileBytes - now) / perUser;
    }

    /** The second thread's part: adds the block's users in order; false at a taken id. */
    private boolean addBlock(UserBlock b) {
        var users = s.dir.users();
        if (b.expectUsers > 0) {
            users.expect((int) Math.min(b.expectUsers, Integer.MAX_VALUE - 16));
        }
        int n = b.size;
        if (!adding.make(b)) {
            return false; // not a country code: read again by the one-thread reader, which says so
        }
        users.addNewAll(b.ids, b.enabled, n, b.added);
        users.prefetchProxyAddresses(b.multi, 0, b.multiUsed);
        for (int j = 0; j < n; j++) {
            int u = b.added[j];
            if (u < 0) {
                return false;
            }
            UserData whole = b.whole[j];
            if (whole == null) {
                b.applyFlat(j, users, u);
            } else {
                s.userChanges.apply(whole, users, u);
                if (b.states[j] != null) {
                    s.rawStates.put(u, b.states[j]);
                }
            }
        }
        return true;
    }

    /**
     * The Strings of a block's kept characters made ({@link UserBlock#makeStrings(int, ValueCache[])})
     * and its usage locations checked, with one thread's own caches: the values of the user
     * properties most users share (not {@link UserSchema#UNIQUE_VALUED}: department, country, hire
     * date...), per property index, and of the usage location, and the last location checked.
     */
    static final class Values {
        private final ValueCache[] shared = sharedValueCaches();
        private final ValueCache locations = new ValueCache();
        /** The last usage location checked ({@link #locations}' String) and its country code: most users share it. */
        private String lastLocation;
        private String lastCountry;

        /** Makes block {@code b}'s Strings and checks its usage locations; false at one that is no country code. */
        boolean make(UserBlock b) {
            b.makeStrings(b.size, shared);
            for (int j = 0; j < b.size; j++) {
                if (b.locationKept(j)) {
                    String code = location(b.locationValue(j, locations));
                    if (code == null) {
                        return false;
                    }
                    b.locationChecked(j, code);
                }
            }
            return true;
        }

        /** {@link JsonFields#country} of {@code v}, the one before's again when it is the same String; null: none. */
        private String location(String v) {
            if (v == lastLocation) {
                return lastCountry;
            }
            String c = JsonFields.country(v);
            if (c != null) {
                lastLocation = v;
                lastCountry = c;
            }
            return c;
        }
    }

    /** The thread adding the blocks' own {@link Values}. */
    private final Values adding = new Values();
    /** The parsing thread's own, for the blocks it makes the Strings of itself ({@link #help}). */
    private final Values parsing = new Values();
    /** Which properties are shared (a cache each): the parsing thread keeps their values as characters. */
    private final boolean[] shared = sharedProperties();

    private static boolean[] sharedProperties() {
        ValueCache[] c = sharedValueCaches();
        boolean[] shared = new boolean[c.length];
        for (int i = 0; i < c.length; i++) {
            shared[i] = c[i] != null;
        }
        return shared;
    }

    /**
     * When the parsing thread makes the Strings of the block it hands off itself ({@link Values}):
     * {@link PipelinedGroups#HELP_WHEN_WAITING}, when no empty block is back for it to fill (the
     * thread adding them is behind: where users carry many values to add, proxy addresses say, it
     * is the slower one), so that it works instead of waiting. The Strings are the same values
     * (each thread has its caches), and the users are added in order by the other thread. Tests set
     * {@link PipelinedGroups#HELP_ALWAYS} or {@link PipelinedGroups#HELP_NEVER}.
     */
    int help = PipelinedGroups.HELP_WHEN_WAITING;
    /** How many blocks the parsing thread made the Strings of (tests). */
    int blocksMadeByParser;

    private static ValueCache[] sharedValueCaches() {
        ValueCache[] c = new ValueCache[org.licensim.core.directory.UserSchema.STRING_PROPERTIES.size()];
        for (int i = 0; i < c.length; i++) {
            if (!org.licensim.core.directory.UserSchema.UNIQUE_VALUED.contains(
                    org.licensim.core.directory.UserSchema.STRING_PROPERTIES.get(i))) {
                c[i] = new ValueCache();
            }
        }
        return c;
    }

    /** The field names met so far, as the parser gives them, and what each is ({@link JsonFields#userField}). */
    private final String[] names = new String[NAMES];
    private final int[] kinds = new int[NAMES];
    private int namesKnown;
    private static final int NAMES = 24;

    /**
     * {@link JsonFields#userField} of a name, found by identity among the names met so far
     * ({@link #nameIndex}): the parser gives a field name met before as the same String (its
     * canonical names), so a user's half dozen fields cost a few reference comparisons instead
     * of a hash map's probe each, on the thread every byte of the file goes through. Returns
     * where {@code f} is among them, added when there is room; -1: no room.
     */
    private int nameIndex(String f) {
        for (int i = 0; i < namesKnown; i++) {
            if (names[i] == f) {
                return i;
            }
        }
        if (namesKnown == NAMES) {
            return -1;
        }
        names[namesKnown] = f;
        kinds[namesKnown] = JsonFields.userField(f);
        quoted[namesKnown] = new com.fasterxml.jackson.core.io.SerializedString(f);
        return namesKnown++;
    }

    /** Each name of {@link #names} as Jackson matches it against the input's bytes ({@link JsonParser#nextFieldName}). */
    private final com.fasterxml.jackson.core.SerializableString[] quoted =
            new com.fasterxml.jackson.core.SerializableString[NAMES];

    /**
     * The field names the user before had, in order ({@link #names}' index of its k-th field):
     * the users of a snapshot mostly have the same fields in the same order, so the parser is
     * asked whether the next field is the one the user before had there, which it answers by
     * comparing the input's bytes with the name's; only a field name that differs is read and
     * looked up as usual (the parser's bytes hashed, its table of names probed).
     */
    private final int[] before = new int[NAMES];
    private int beforeCount;
    /** How many field names were the user before's at their place (tests). */
    long namesMatched;

    /**
     * The next field name of the user object being read as {@link #names}' index (the parser
     * on the name, as {@code nextToken() == FIELD_NAME} leaves it), or -1 when it has no
     * more (the parser at its end), or -2 - kind for a name with no room among {@link #names}
     * ({@link JsonFields#userField}'s kind). The {@code k}-th field is first matched with the
     * user before's.
     */
    private int nextField(JsonParser p, int k) throws IOException {
        if (k < beforeCount) {
            int i = before[k];
            if (p.nextFieldName(quoted[i])) {
                namesMatched++;
                return i;
            }
            if (p.currentToken() != JsonToken.FIELD_NAME) {
                return -1;
            }
        } else if (p.nextToken() != JsonToken.FIELD_NAME) {
            return -1;
        }
        String f = p.currentName();
        int i = nameIndex(f);
        if (i < 0) {
            beforeCount = Math.min(beforeCount, k); // the fields from here on are not predicted
            return -2 - JsonFields.userField(f);
        }
        if (k < NAMES) {
            before[k] = i;
            beforeCount = Math.max(beforeCount, k + 1);
        }
        return i;
    }

    /** Scratch of {@link #readUserFlat} for a user read whole. */
    private final Problems.Where[] flatIdWhere = new Problems.Where[1];

    /**
     * One user into block {@code b}: the usual fields flat, and the user read whole from the
     * first field the block does not hold. A problem is only recorded (the caller gives up).
     */
    void readUserFlat(JsonParser p, UserBlock b) throws IOException {
        b.begin();
        int j = b.size;
        UserData whole = null;
        List<JsonFields.RawState> states = null;
        for (int k = 0;; k++) {
            int i = nextField(p, k);
            if (i == -1) {
                break;
            }
            String f = i >= 0 ? names[i] : p.currentName();
            int field = i >= 0 ? kinds[i] : -2 - i;
            p.nextToken();
            if (whole == null) {
                switch (field >>> 8) {
                    case JsonFields.ID -> {
                        if (p.currentToken() == JsonToken.VALUE_STRING) {
                            b.idChars(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        } else {
                            b.id(s.fields.string(p));
                        }
                        continue;
                    }
                    case JsonFields.ENABLED -> {
                        b.enabled[j] = s.fields.bool(p, true);
                        continue;
                    }
                    case JsonFields.LOCATION -> {
                        checkKeptLocation(b, j); // given twice: the first value is checked too, as one at a time
                        if (p.currentToken() == JsonToken.VALUE_STRING) {
                            b.locationChars(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        } else {
                            b.location(s.fields.countryCode(p));
                        }
                        continue;
                    }
                    case JsonFields.STRING -> {
                        int prop = field & 255;
                        if (shared[prop] && p.currentToken() == JsonToken.VALUE_STRING) {
                            b.putStringChars(prop, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        } else {
                            b.putString(prop, s.fields.string(p));
                        }
                        continue;
                    }
                    case JsonFields.MULTI -> {
                        readMultiFlat(p, b, field & 255);
                        continue;
                    }
                    default -> {
                        if (f.startsWith("@odata.") || f.equals("assignedLicenses")) {
                            p.skipChildren();
                            continue;
                        }
                        checkKeptLocation(b, j); // the user is applied from the UserData
                        whole = b.toUserData();
                        states = new ArrayList<>();
                    }
                }
            }
            s.fields.readUserField(p, f, field, whole, flatIdWhere, states);
        }
        if (whole != null) {
            if (whole.hasDirectoryExtensions()) {
                // their values wait for the declarations with the user's position: the one-thread reader keeps it
                throw SnapshotReader.Retry.INSTANCE;
            }
            b.id(whole.id);
            b.enabled[j] = whole.accountEnabled == null || whole.accountEnabled;
            b.whole[j] = whole;
            b.states[j] = states.isEmpty() ? null : states;
        }
        if (b.badId()) {
            throw SnapshotReader.Retry.INSTANCE;
        }
        b.end();
    }

    /**
     * User {@code j}'s usage location kept as characters, if any, checked on this thread (without
     * the cache, which is the other thread's): a value that is no country code gives up.
     */
    private static void checkKeptLocation(UserBlock b, int j) {
        if (b.locationKept(j)) {
            String code = JsonFields.country(b.locationValue(j, null));
            if (code == null) {
                throw SnapshotReader.Retry.INSTANCE;
            }
            b.locationChecked(j, code);
        }
    }


    /** A multi-valued property's strings into the block, as {@link JsonFields#strings} reads them. */
    private void readMultiFlat(JsonParser p, UserBlock b, int property) throws IOException {
        b.startMulti(property);
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            s.fields.strings(p); // records the problem
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                b.addValueChars(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                continue;
            }
            String v = s.fields.string(p); // null, or a problem recorded
            if (v != null) {
                b.addValue(v);
            }
        }
    }
}
