package org.licensim.core.io;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;

/**
 * The string values of one user property seen so far, found by the parser's characters: a
 * value met again (a department, a country, a hire date: most users share theirs with many) is
 * the String made the first time, so no String is made and none hashed again for each user
 * (the dictionary that codes the column finds the cached String's hash kept). Open addressing
 * over the characters' {@link String#hashCode}, a value's home slot the top bits of that code
 * times the golden ratio: String codes of values that differ in their last characters (dates:
 * "2016-01-01", "2016-01-02") are close together, and their low bits as the home put them in long
 * runs (3,650 hire dates in 8,192 slots: 4.9 slots read per value met, 1.2 now). At most {@link
 * #LIMIT} values are kept, later new values are made as usual.
 */
final class ValueCache {
    static final int LIMIT = 4096;
    /** Starts small (a reader has one per property) and doubles up to twice the limit. */
    private String[] values = new String[16];
    /** Each value's characters, compared with the parser's in one go (a String's charAt checks its coder per call). */
    private char[][] keys = new char[16][];
    private int[] hashes = new int[16];
    /** 32 less the table's bits: a code's home slot is {@code (code * 0x9E3779B9) >>> shift}. */
    private int shift = 28;
    private int size;

    /** The home slot of the String code {@code h} in a table of {@code 1 << (32 - shift)} slots. */
    static int home(int h, int shift) {
        return (h * 0x9E3779B9) >>> shift;
    }

    /** The parser's current string value (its token must be a VALUE_STRING). */
    String get(JsonParser p) throws IOException {
        return get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    /** The value {@code chars[off, off + len)}: the String made when it was first met, or a new one. */
    String get(char[] chars, int off, int len) {
        int h = 0;
        for (int k = off, end = off + len; k < end; k++) {
            h = 31 * h + chars[k];
        }
        int mask = values.length - 1;
        int i = home(h, shift);
        for (String v; (v = values[i]) != null; i = (i + 1) & mask) {
            char[] k = keys[i];
            if (hashes[i] == h && k.length == len && java.util.Arrays.equals(k, 0, len, chars, off, off + len)) {
                return v;
            }
        }
        String v = new String(chars, off, len);
        if (size < LIMIT) {
            values[i] = v;
            keys[i] = java.util.Arrays.copyOfRange(chars, off, off + len);
            hashes[i] = h;
            size++;
            if (size * 2 > values.length && values.length < LIMIT * 2) {
                grow();
            }
        }
        return v;
    }

    private void grow() {
        String[] oldValues = values;
        char[][] oldKeys = keys;
        int[] oldHashes = hashes;
        values = new String[oldValues.length * 2];
        keys = new char[oldValues.length * 2][];
        hashes = new int[oldValues.length * 2];
        shift--;
        int mask = values.length - 1;
        for (int k = 0; k < oldValues.length; k++) {
            if (oldValues[k] != null) {
                int h = oldHashes[k];
                int i = home(h, shift);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                values[i] = oldValues[k];
                keys[i] = oldKeys[k];
                hashes[i] = h;
            }
        }
    }
}
