package org.licensim.core.io;

import java.util.Arrays;

/**
 * The member ids of the snapshot group being read, as characters in one buffer with each id's
 * position: no String is made for an id that is only looked up (every group that
 * {@link SnapshotReader} reads reuses one).
 */
final class MemberIds {
    char[] chars = new char[1 << 12];
    int[] starts = new int[256];
    int[] lengths = new int[256];
    int[] lines = new int[256];
    int[] columns = new int[256];
    int count;
    private int used;
    /**
     * When the ids are a chunk of a group's list handed to another thread ({@link
     * PipelinedGroups#read}): the group's index and list of users, its place
     * in the groups array, the list position of the first id here, each id's user index (-1: not
     * a user) and whether any was not a user.
     */
    int group;
    /** The group's list of users found (the other thread adds to it, in order). */
    org.eclipse.collections.impl.list.mutable.primitive.IntArrayList list;
    int element;
    int base;
    int[] found = new int[0];
    boolean missing;
    /** Whether {@link #found} was filled before the chunk was handed off (by the parsing thread, helping). */
    boolean lookedUp;

    void clear() {
        count = 0;
        used = 0;
        missing = false;
        lookedUp = false;
    }

    void add(char[] text, int offset, int length, int line, int column) {
        if (count == starts.length) {
            int cap = count * 2;
            starts = Arrays.copyOf(starts, cap);
            lengths = Arrays.copyOf(lengths, cap);
            lines = Arrays.copyOf(lines, cap);
            columns = Arrays.copyOf(columns, cap);
        }
        if (used + length > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(used + length, chars.length * 2));
        }
        System.arraycopy(text, offset, chars, used, length);
        starts[count] = used;
        lengths[count] = length;
        lines[count] = line;
        columns[count] = column;
        used += length;
        count++;
    }

    /** Member {@code i}'s id as a String (for the few not found among the users). */
    String id(int i) {
        return new String(chars, starts[i], lengths[i]);
    }
}
