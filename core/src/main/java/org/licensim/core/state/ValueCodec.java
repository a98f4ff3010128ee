package org.licensim.core.state;

/**
 * The byte layout of one user's value in the persisted store (layout 2): variable-length
 * integers, because most fields of most entries are small and the store holds one value per
 * user at ten million users.
 *
 * <pre>
 * value  = varint n, n x entry, crc32c (4 bytes, little-endian)
 * entry  = zigzag src, varint product, byte (state &lt;&lt; 4 | error),
 *          key: 0 when it is the snapshot key of (src, user), else 1 + zigzag long,
 *          time: 0 for {@link StateStore#NO_TIME}, else 1 + zigzag int,
 *          varint mask id (the writer's interned id: a hint, checked against the words),
 *          the product's plan words as varints of the DISABLED plans (all-enabled is one 0 byte each)
 * </pre>
 *
 * A decoder checks every bound and returns -1 at the first thing that does not fit, so a
 * damaged value is reported, never misread. Methods work on a byte array and a position held
 * by the codec, and allocate nothing.
 */
final class ValueCodec {
    /** Upper bound of an entry's bytes before its plan words. */
    static final int ENTRY_MAX_FIXED = 5 + 5 + 1 + 11 + 6 + 5;
    /** Upper bound of one plan word's bytes. */
    static final int WORD_MAX = 10;

    byte[] a;
    int pos;
    int limit;

    void wrap(byte[] bytes, int from, int to) {
        a = bytes;
        pos = from;
        limit = to;
    }

    // ------------------------------------------------------------------ writing (caller sized the array)

    void putVarLong(long v) {
        while ((v & ~0x7FL) != 0) {
            a[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        a[pos++] = (byte) v;
    }

    void putByte(int b) {
        a[pos++] = (byte) b;
    }

    /** Writes entry {@code o} of {@code src} for user {@code u}, its plan words from {@code enabled} ({@code full} per word). */
    void putEntry(int u, int[] src, int o, long[] enabled, long[] full, int words) {
        int s = src[o + StateStore.SRC];
        putVarLong(zigzag(s));
        putVarLong(src[o + StateStore.PRODUCT]);
        int st = src[o + StateStore.STATE];
        putByte(States.state(st) << 4 | States.error(st));
        long key = StateStore.key(src, o);
        if (s >= 0 && key == StateStore.snapshotGroupKey(s, u)) {
            putByte(0);
        } else {
            putVarLong(1 + zigzag(key));
        }
        int time = src[o + StateStore.TIME];
        putVarLong(time == StateStore.NO_TIME ? 0 : 1 + (zigzag(time) & 0xFFFFFFFFL));
        putVarLong(src[o + StateStore.MASK]);
        for (int w = 0; w < words; w++) {
            putVarLong(full[w] & ~enabled[w]);
        }
    }

    // ------------------------------------------------------------------ reading

    /** Set when a read ran past the limit or met a varint longer than ten bytes. */
    boolean bad;

    /** The next varint; 0 and {@link #bad} set when it runs past the limit or is longer than ten bytes. */
    long varLong() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= limit) {
                bad = true;
                return 0;
            }
            byte b = a[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        bad = true;
        return 0;
    }

    /**
     * Reads one entry for user {@code u} into {@code dst} at {@code o} (the MASK field gets the
     * stored hint) and its enabled words into {@code enabled}, given the product's word count
     * and full masks from {@code words}/{@code full}. Returns null when it fits, else what is wrong.
     */
    String getEntry(int u, int[] dst, int o, long[] enabled, int[] words, long[][] full) {
        bad = false;
        long s = varLong();
        if (bad || s > 0xFFFFFFFFL) {
            return "source field is damaged";
        }
        int src = unzigzag((int) s);
        long t = varLong();
        if (bad || t < 0 || t >= words.length) {
            return "product index " + (bad ? "(unreadable)" : t) + " is out of range";
        }
        if (pos >= limit) {
            return "entry runs past the value";
        }
        int sb = a[pos++] & 0xFF;
        if ((sb >>> 4) < States.ACTIVE || (sb >>> 4) > States.ERROR || (sb & 0xF) >= States.errorCount()) {
            return "state byte " + sb + " is not a state";
        }
        long k = varLong();
        if (bad) {
            return "key field is damaged";
        }
        long key;
        if (k == 0) {
            if (src < 0) {
                return "a direct source with a derived key";
            }
            key = StateStore.snapshotGroupKey(src, u);
        } else {
            key = unzigzag(k - 1);
        }
        long tm = varLong();
        if (bad || tm < 0 || tm > 0x1_0000_0000L) {
            return "time field is damaged";
        }
        long mask = varLong();
        if (bad || mask < 0 || mask > Integer.MAX_VALUE) {
            return "mask field is damaged";
        }
        int p = (int) t;
        int w = words[p];
        for (int i = 0; i < w; i++) {
            long d = varLong();
            if (bad) {
                return "plan words run past the value";
            }
            if ((d & ~full[p][i]) != 0) {
                return "disabled plans outside the product's plans";
            }
            enabled[i] = full[p][i] & ~d;
        }
        StateStore.put(dst, o, src, p, (int) mask, States.pack(sb >>> 4, sb & 0xF), key,
                tm == 0 ? StateStore.NO_TIME : unzigzag((int) (tm - 1)));
        return null;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static int zigzag(int v) {
        return (v << 1) ^ (v >> 31);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static int unzigzag(int v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
