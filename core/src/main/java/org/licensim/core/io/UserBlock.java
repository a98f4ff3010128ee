package org.licensim.core.io;

import java.util.Arrays;
import java.util.List;

import org.licensim.core.directory.UserData;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.directory.Users;

/**
 * A run of a snapshot's users as read, flat: per user its id, accountEnabled, usage location
 * and a range of property entries (a property's index and its value, or its range of values for
 * a multi-valued one) in arrays the block reuses, no map or list per user. {@link
 * SnapshotReader}'s reading thread fills one block while another thread adds the previous one to
 * the directory. A user with fields the block does not hold (sign-in activity,
 * directory extensions, resolved states) is kept whole as a {@link UserData} instead.
 *
 * <p>A property given twice in one user object keeps its first place and its last value, as
 * {@link UserData}'s maps do.
 */
final class UserBlock {
    final int capacity;
    int size;
    final String[] ids;
    final boolean[] enabled;
    final boolean[] hasLocation;
    final String[] location;
    /** User j's entries are {@code [j == 0 ? 0 : entryEnd[j - 1], entryEnd[j])}. */
    final int[] entryEnd;
    /** Per entry: a STRING property's index, or {@code -1 - index} of a MULTI property. */
    int[] property = new int[64];
    String[] value = new String[64];
    int[] multiFrom = new int[64];
    int[] multiCount = new int[64];
    int entries;
    String[] multi = new String[64];
    int multiUsed;
    /**
     * Ids and multi-valued properties' values the parsing thread kept as characters, made into
     * Strings by the thread adding the block ({@link #makeStrings}): that thread waits for blocks
     * while the parsing thread, which every byte of the file goes through, is the one to spare.
     * {@code idFrom[j]} / {@code valueFrom[k]} (with their lengths) place them in {@link #chars};
     * a length of -1: the String is there already (or null).
     */
    char[] chars = new char[1 << 15];
    int charsUsed;
    final int[] idFrom;
    final int[] idLength;
    int[] valueFrom = new int[64];
    int[] valueLength = new int[64];
    /**
     * Per entry, a STRING property's value kept as characters ({@link #putStringChars}): where
     * in {@link #chars} and its length; a length of -1: {@link #value} holds it (or null).
     * Made a String by the thread adding the block, through the reader's cache of shared values
     * ({@link #makeStrings(int, ValueCache[])}): the parsing thread only copies the characters.
     */
    int[] stringFrom = new int[64];
    int[] stringLength = new int[64];
    /** Per user, the usage location kept as characters (a length of -1: {@link #location} holds it, or none). */
    final int[] locationFrom;
    final int[] locationLength;
    /** A user read whole (fields the block does not hold), else null; with its states. */
    final UserData[] whole;
    final List<JsonFields.RawState>[] states;
    /** How many users the file is expected to hold, for the thread adding the block ({@link PipelinedUsers#read}), or 0. */
    long expectUsers;
    /** Scratch of the thread adding the block: each user's dense index. */
    final int[] added;

    @SuppressWarnings("unchecked")
    UserBlock(int capacity) {
        this.capacity = capacity;
        ids = new String[capacity];
        enabled = new boolean[capacity];
        hasLocation = new boolean[capacity];
        location = new String[capacity];
        entryEnd = new int[capacity];
        whole = new UserData[capacity];
        states = new List[capacity];
        added = new int[capacity];
        idFrom = new int[capacity];
        idLength = new int[capacity];
        locationFrom = new int[capacity];
        locationLength = new int[capacity];
    }

    /** Keeps {@code c[off, off + len)} in {@link #chars}; returns where. */
    private int keep(char[] c, int off, int len) {
        if (charsUsed + len > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(charsUsed + len, chars.length * 2));
        }
        int at = charsUsed;
        System.arraycopy(c, off, chars, at, len);
        charsUsed += len;
        return at;
    }

    /** The id of the user being read, as the parser's characters (made a String by {@link #makeStrings}). */
    void idChars(char[] c, int off, int len) {
        int j = size;
        ids[j] = null;
        idFrom[j] = keep(c, off, len);
        idLength[j] = len;
    }

    /** The id of the user being read as a String (or null). */
    void id(String id) {
        ids[size] = id;
        idLength[size] = -1;
    }

    /**
     * Whether the id of the user being read is missing, blank or too long (what the one-thread
     * reader refuses), without making it a String.
     */
    boolean badId() {
        int j = size;
        int n = idLength[j];
        if (n < 0) {
            String id = ids[j];
            return id == null || id.isBlank() || org.licensim.core.directory.Ids.tooLong(id);
        }
        if (n > org.licensim.core.directory.Ids.MAX_LENGTH) {
            return true;
        }
        for (int k = idFrom[j], end = k + n; k < end; k++) {
            if (!Character.isWhitespace(chars[k])) {
                return false;
            }
        }
        return true; // empty or only white space: blank, as String.isBlank says (no white space outside the BMP)
    }

    /**
     * The Strings of users [0, {@code users})' ids and of every value kept as characters, made:
     * by the thread adding the block, or before a user is read whole.
     */
    void makeStrings(int users) {
        makeStrings(users, null);
    }

    /**
     * {@link #makeStrings(int)}, a STRING property's value kept as characters found in
     * {@code caches[property]} when there is one (null: none at all), else made.
     */
    void makeStrings(int users, ValueCache[] caches) {
        for (int j = 0; j < users; j++) {
            if (idLength[j] >= 0 && ids[j] == null) {
                ids[j] = new String(chars, idFrom[j], idLength[j]);
            }
        }
        for (int k = 0; k < multiUsed; k++) {
            if (valueLength[k] >= 0 && multi[k] == null) {
                multi[k] = new String(chars, valueFrom[k], valueLength[k]);
            }
        }
        for (int e = 0; e < entries; e++) {
            int p = property[e];
            int n = stringLength[e];
            if (p >= 0 && n >= 0 && value[e] == null) { // a MULTI entry's stringLength is not its own
                ValueCache c = caches == null ? null : caches[p];
                value[e] = c != null ? c.get(chars, stringFrom[e], n) : new String(chars, stringFrom[e], n);
            }
        }
    }

    /** Whether user {@code j}'s usage location is kept as characters ({@link #locationChars}), not yet checked. */
    boolean locationKept(int j) {
        return locationLength[j] >= 0;
    }

    void clear() {
        Arrays.fill(ids, 0, size, null);
        Arrays.fill(location, 0, size, null);
        Arrays.fill(whole, 0, size, null);
        Arrays.fill(states, 0, size, null);
        Arrays.fill(value, 0, entries, null);
        Arrays.fill(multi, 0, multiUsed, null);
        size = 0;
        charsUsed = 0;
        expectUsers = 0;
        entries = 0;
        multiUsed = 0;
    }

    boolean full() {
        return size == capacity;
    }

    /** Starts user {@code size} (finished by {@link #end}). */
    void begin() {
        int j = size;
        ids[j] = null;
        idLength[j] = -1;
        enabled[j] = true;
        hasLocation[j] = false;
        location[j] = null;
        locationLength[j] = -1;
    }

    void end() {
        entryEnd[size] = entries;
        size++;
    }

    private int firstEntry() {
        return size == 0 ? 0 : entryEnd[size - 1];
    }

    /** The entry of {@code key} of the user being read, or a new one at the end. */
    private int entry(int key) {
        for (int e = firstEntry(); e < entries; e++) {
            if (property[e] == key) {
                return e;
            }
        }
        if (entries == property.length) {
            int cap = entries * 2;
            property = Arrays.copyOf(property, cap);
            value = Arrays.copyOf(value, cap);
            multiFrom = Arrays.copyOf(multiFrom, cap);
            multiCount = Arrays.copyOf(multiCount, cap);
            stringFrom = Arrays.copyOf(stringFrom, cap);
            stringLength = Arrays.copyOf(stringLength, cap);
        }
        property[entries] = key;
        return entries++;
    }

    /** Property {@code UserSchema.STRING_PROPERTIES.get(p)} of the user being read. */
    void putString(int p, String v) {
        int e = entry(p); // first: it may grow the arrays
        value[e] = v;
        stringLength[e] = -1;
    }

    /** {@link #putString} of the parser's characters (made a String by {@link #makeStrings(int, ValueCache[])}). */
    void putStringChars(int p, char[] c, int off, int len) {
        int e = entry(p); // first: it may grow the arrays
        int at = keep(c, off, len);
        value[e] = null;
        stringFrom[e] = at;
        stringLength[e] = len;
    }

    /**
     * The usage location of the user being read as the parser's characters, checked and made
     * its country code by the thread adding the block ({@link #location(int)}).
     */
    void locationChars(char[] c, int off, int len) {
        int j = size;
        hasLocation[j] = true;
        location[j] = null;
        locationFrom[j] = keep(c, off, len);
        locationLength[j] = len;
    }

    /** The usage location of the user being read as a country code already checked (or null). */
    void location(String code) {
        int j = size;
        hasLocation[j] = true;
        location[j] = code;
        locationLength[j] = -1;
    }

    /** User {@code j}'s usage location kept as characters ({@link #locationChars}), as given. */
    String locationValue(int j, ValueCache cache) {
        return cache != null ? cache.get(chars, locationFrom[j], locationLength[j])
                : new String(chars, locationFrom[j], locationLength[j]);
    }

    /** User {@code j}'s usage location is the country code {@code code}, checked from its characters. */
    void locationChecked(int j, String code) {
        location[j] = code;
        locationLength[j] = -1;
    }

    /** Starts the values of multi-valued property {@code UserSchema.MULTI_PROPERTIES.get(p)}; then {@link #addValue}. */
    void startMulti(int p) {
        int e = entry(-1 - p);
        multiFrom[e] = multiUsed;
        multiCount[e] = 0;
        openMulti = e;
    }

    private int openMulti;

    void addValue(String v) {
        if (multiUsed == multi.length) {
            growMulti();
        }
        valueLength[multiUsed] = -1;
        multi[multiUsed++] = v;
        multiCount[openMulti]++;
    }

    /** {@link #addValue} of the parser's characters (made a String by {@link #makeStrings}). */
    void addValueChars(char[] c, int off, int len) {
        if (multiUsed == multi.length) {
            growMulti();
        }
        int at = keep(c, off, len);
        valueFrom[multiUsed] = at;
        valueLength[multiUsed] = len;
        multi[multiUsed++] = null;
        multiCount[openMulti]++;
    }

    private void growMulti() {
        multi = Arrays.copyOf(multi, multiUsed * 2);
        valueFrom = Arrays.copyOf(valueFrom, multiUsed * 2);
        valueLength = Arrays.copyOf(valueLength, multiUsed * 2);
    }

    /** The user being read as a {@link UserData} (its fields so far), to go on reading it whole. */
    UserData toUserData() {
        makeStrings(size + 1); // the user being read included
        int j = size;
        UserData d = new UserData();
        d.id = ids[j];
        if (!enabled[j]) {
            d.accountEnabled = false;
        }
        if (hasLocation[j]) {
            d.hasUsageLocation = true;
            d.usageLocation = location[j];
        }
        for (int e = firstEntry(); e < entries; e++) {
            int p = property[e];
            if (p >= 0) {
                d.strings.put(UserSchema.STRING_PROPERTIES.get(p), value[e]);
            } else {
                d.multi.put(UserSchema.MULTI_PROPERTIES.get(-1 - p),
                        new java.util.ArrayList<>(Arrays.asList(multi).subList(multiFrom[e], multiFrom[e] + multiCount[e])));
            }
        }
        // the entries stay (garbage in this block): the user is applied from the UserData
        return d;
    }

    /**
     * Writes the values of user {@code j} (a user held flat, not whole) to {@code u}, what
     * {@link UserData.Changes#apply} does with the same fields.
     */
    void applyFlat(int j, Users users, int u) {
        if (hasLocation[j]) {
            users.setUsageLocation(u, location[j]);
        }
        for (int e = j == 0 ? 0 : entryEnd[j - 1], end = entryEnd[j]; e < end; e++) {
            int p = property[e];
            if (p >= 0) {
                users.setProperty(u, p, value[e]);
            } else {
                users.setMultiProperty(u, -1 - p, multi, multiFrom[e], multiCount[e]);
            }
        }
    }
}
