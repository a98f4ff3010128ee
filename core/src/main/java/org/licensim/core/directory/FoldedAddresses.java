package org.licensim.core.directory;

import java.util.Locale;

/**
 * The distinct case-folded proxy addresses of SPEC R16, each a dense code in order of first use:
 * what a {@link Dictionary} of {@code address.toLowerCase(Locale.ROOT)} would give, without a
 * folded String made and kept per address. A snapshot of a million users brings a million
 * addresses, almost all distinct: their folded copies were 64 MB of a first read's allocation,
 * and the read's one young collection came from it.
 *
 * <p>An address of Latin-1 characters only (nearly all: {@code SMTP:} and an e-mail address)
 * folds character by character ({@link Character#toLowerCase(char)} is what {@link
 * String#toLowerCase(Locale)} does for such a string), so it is hashed and compared through its
 * folded characters and kept as given. Any other address is folded with {@link
 * String#toLowerCase(Locale)} (where one character may fold to two, or depend on the next) and its
 * folded form kept. Either kind compares with the other through folded characters, so two
 * addresses get one code exactly when their {@code toLowerCase(Locale.ROOT)} forms are equal.
 *
 * <p>Open addressing with linear probing as {@link IdIndex} (up to three quarters full): per slot a long holding the folded
 * form's mixed {@link String#hashCode} (never 0: 0 is a free slot) and the code, whose top bit
 * says the kept key is already folded; the keys beside. Codes are never removed.
 */
final class FoldedAddresses {
    private static final int FOLDED = 0x8000_0000;
    private long[] slots;
    private String[] keys;
    private int size;

    FoldedAddresses(int expected) {
        int capacity = 16;
        while (full(expected, capacity)) {
            capacity *= 2;
        }
        slots = new long[capacity];
        keys = new String[capacity];
    }

    /**
     * Whether {@code n} keys are too many for {@code capacity} slots: more than three quarters. An
     * {@link IdIndex} keeps half free; here a count ahead ({@link Users#expect}) that guessed a
     * fifth too many addresses (groups after the users) should not double a table of millions.
     */
    private static boolean full(long n, int capacity) {
        return n * 4 > (long) capacity * 3;
    }

    private FoldedAddresses(FoldedAddresses o) {
        slots = o.slots.clone();
        keys = o.keys.clone();
        size = o.size;
    }

    /** A copy that shares nothing mutable with this one (keys are strings, shared). */
    FoldedAddresses copy() {
        return new FoldedAddresses(this);
    }

    /** How many distinct folded addresses there are (the next code). */
    int size() {
        return size;
    }

    /** Makes room for {@code total} folded addresses in all, so that adding them moves no slot. */
    void reserve(int total) {
        while (full(total, keys.length)) {
            grow();
        }
    }

    /** Latin-1 addresses about to be interned ({@link #prefetch}), in order, with their folded hashes. */
    private String[] aheadKey = new String[0];
    private int[] aheadHash = new int[0];
    private int aheadAt;
    private int aheadCount;
    /** What {@link #prefetch}'s loads read, kept so that they are made. */
    @SuppressWarnings("unused")
    private long sink;

    /**
     * Hashes the Latin-1 ones of {@code values[from, from + n)} (nulls and others skipped) and loads
     * their home slots, in a pass of their own: interning them next, in this order, finds the table's
     * lines in the cache, their misses overlapped instead of one after another (a snapshot's block of
     * users brings hundreds of new addresses, each a miss in a table of millions). Only a hint: an
     * address interned that is not among them, or after the table grew, is hashed and probed as usual.
     */
    void prefetch(String[] values, int from, int n) {
        if (aheadKey.length < n) {
            aheadKey = new String[n];
            aheadHash = new int[n];
        }
        int count = 0;
        for (int k = from, end = from + n; k < end; k++) {
            String v = values[k];
            if (v != null) {
                long h = latin1Hash(v);
                if (h != NOT_LATIN1) {
                    aheadKey[count] = v;
                    aheadHash[count++] = (int) h;
                }
            }
        }
        aheadCount = count;
        aheadAt = 0;
        int mask = keys.length - 1;
        long touched = 0;
        for (int k = 0; k < count; k++) {
            int i = mix(aheadHash[k]) & mask;
            touched += slots[i] + (keys[i] == null ? 0 : 1);
        }
        sink += touched;
    }

    private static final long NOT_LATIN1 = Long.MIN_VALUE;

    /** The {@link String#hashCode} of a Latin-1 address lower-cased, or {@link #NOT_LATIN1}. */
    private static long latin1Hash(String address) {
        int h = 0;
        for (int k = 0, n = address.length(); k < n; k++) {
            char c = address.charAt(k);
            if (c >= 256) {
                return NOT_LATIN1;
            }
            h = 31 * h + lower(c);
        }
        return h;
    }

    /** The code of {@code address} case-folded, a new one (the next) when no address folding to it was seen. */
    int intern(String address) {
        long hash = NOT_LATIN1;
        boolean ahead = false;
        // the addresses of a prefetch come in its order; others (another property's values) are skipped past
        for (int k = aheadAt, end = Math.min(aheadCount, aheadAt + 8); k < end; k++) {
            if (aheadKey[k] == address) {
                hash = aheadHash[k];
                aheadAt = k + 1;
                ahead = true;
                break;
            }
        }
        if (!ahead) {
            hash = latin1Hash(address);
        }
        boolean latin1 = hash != NOT_LATIN1;
        String key = address;
        int h = (int) hash;
        if (!latin1) {
            key = address.toLowerCase(Locale.ROOT);
            h = key.hashCode();
        }
        if (full(size + 1, keys.length)) {
            grow();
        }
        int mixed = mix(h);
        int mask = keys.length - 1;
        int i = mixed & mask;
        for (long x; (x = slots[i]) != 0; i = (i + 1) & mask) {
            if ((int) (x >>> 32) == mixed && sameFolded(key, !latin1, keys[i], ((int) x & FOLDED) != 0)) {
                return (int) x & ~FOLDED;
            }
        }
        int code = size++;
        keys[i] = key;
        slots[i] = ((long) mixed << 32) | ((code | (latin1 ? 0 : FOLDED)) & 0xFFFF_FFFFL);
        return code;
    }

    /** {@link Character#toLowerCase(char)} of a Latin-1 character, ASCII without a table look-up. */
    private static char lower(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return Character.toLowerCase(c);
    }

    /** Whether two keys fold alike: a key {@code folded} is its folded form, else Latin-1 as given. */
    private static boolean sameFolded(String a, boolean aFolded, String b, boolean bFolded) {
        int n = a.length();
        if (b.length() != n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            char x = a.charAt(k);
            char y = b.charAt(k);
            if (x != y && (aFolded ? x : lower(x)) != (bFolded ? y : lower(y))) {
                return false;
            }
        }
        return true;
    }

    /** Murmur3's finaliser, never 0: {@link IdIndex}'s. */
    private static int mix(int code) {
        return IdIndex.mixCode(code);
    }

    private void grow() {
        long[] oldSlots = slots;
        String[] oldKeys = keys;
        slots = new long[oldSlots.length * 2];
        keys = new String[oldSlots.length * 2];
        int mask = slots.length - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            long x = oldSlots[i];
            if (x != 0) {
                int j = (int) (x >>> 32) & mask;
                while (slots[j] != 0) {
                    j = (j + 1) & mask;
                }
                slots[j] = x;
                keys[j] = oldKeys[i];
            }
        }
    }
}
