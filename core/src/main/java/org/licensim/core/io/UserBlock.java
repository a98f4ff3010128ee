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
    }

    void clear() {
        Arrays.fill(ids, 0, size, null);
        Arrays.fill(location, 0, size, null);
        Arrays.fill(whole, 0, size, null);
        Arrays.fill(states, 0, size, null);
        Arrays.fill(value, 0, entries, null);
        Arrays.fill(multi, 0, multiUsed, null);
        size = 0;
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
        enabled[j] = true;
        hasLocation[j] = false;
        location[j] = null;
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
        }
        property[entries] = key;
        return entries++;
    }

    /** Property {@code UserSchema.STRING_PROPERTIES.get(p)} of the user being read. */
    void putString(int p, String v) {
        int e = entry(p); // first: it may grow the arrays
        value[e] = v;
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
            multi = Arrays.copyOf(multi, multiUsed * 2);
        }
        multi[multiUsed++] = v;
        multiCount[openMulti]++;
    }

    /** The user being read as a {@link UserData} (its fields so far), to go on reading it whole. */
    UserData toUserData() {
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
