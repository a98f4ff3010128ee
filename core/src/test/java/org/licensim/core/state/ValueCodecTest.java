package org.licensim.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
    private static final int E = StateStore.ENTRY_INTS;
    /** Products of 5, 64, 65 and 130 plans: one, one, two and three words. */
    private static final int[] WORDS = {1, 1, 2, 3};
    private static final long[][] FULL = {{0x1FL}, {-1L}, {-1L, 1L}, {-1L, -1L, 3L}};

    @Test
    @DisplayName("store values: random entries, edge values included, decode to what was encoded")
    void roundTrip() {
        long seed = 0x5EEDC0DEL;
        SplittableRandom r = new SplittableRandom(seed);
        ValueCodec c = new ValueCodec();
        byte[] a = new byte[1 << 16];
        for (int run = 0; run < 5_000; run++) {
            int u = r.nextInt(16_000_000);
            int n = 1 + r.nextInt(6);
            int[] in = new int[n * E];
            long[][] enabled = new long[n][];
            for (int i = 0; i < n; i++) {
                int o = i * E;
                int t = r.nextInt(WORDS.length);
                int src = r.nextBoolean() ? -(t + 1) : pick(r, 0, 1, 127, 128, 2_000_000, Integer.MAX_VALUE >>> 8);
                long key = src >= 0 && r.nextBoolean() ? StateStore.snapshotGroupKey(src, u)
                        : r.nextBoolean() ? (2L << 60) | ((long) r.nextInt(1 << 30) << 24) | r.nextInt(1 << 24)
                        : r.nextLong(0, Long.MAX_VALUE);
                in[o + StateStore.SRC] = src;
                in[o + StateStore.PRODUCT] = t;
                in[o + StateStore.MASK] = r.nextInt(0, 1 << 20);
                in[o + StateStore.STATE] = States.pack(1 + r.nextInt(3), r.nextInt(States.errorCount()));
                in[o + StateStore.KEY_HI] = (int) (key >>> 32);
                in[o + StateStore.KEY_LO] = (int) key;
                in[o + StateStore.TIME] = r.nextInt(4) == 0 ? StateStore.NO_TIME
                        : pick(r, 0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, r.nextInt());
                enabled[i] = new long[WORDS[t]];
                for (int w = 0; w < WORDS[t]; w++) {
                    enabled[i][w] = FULL[t][w] & (r.nextBoolean() ? -1L : r.nextLong());
                }
            }
            c.wrap(a, 0, a.length);
            c.putVarLong(n);
            for (int i = 0; i < n; i++) {
                c.putEntry(u, in, i * E, enabled[i], FULL[in[i * E + StateStore.PRODUCT]], WORDS[in[i * E + StateStore.PRODUCT]]);
            }
            int len = c.pos;
            assertTrue(len <= 3 + n * (ValueCodec.ENTRY_MAX_FIXED + 3 * ValueCodec.WORD_MAX), "bound, seed " + seed);

            c.wrap(a, 0, len);
            c.bad = false;
            assertEquals(n, c.varLong());
            int[] out = new int[n * E];
            long[] words = new long[3];
            for (int i = 0; i < n; i++) {
                assertNull(c.getEntry(u, out, i * E, words, WORDS, FULL), "seed " + seed + " run " + run);
                int t = out[i * E + StateStore.PRODUCT];
                assertArrayEquals(enabled[i], Arrays.copyOf(words, WORDS[t]), "words, seed " + seed + " run " + run);
            }
            assertEquals(len, c.pos, "every byte read");
            assertArrayEquals(in, out, "seed " + seed + " run " + run);

            // any shorter value is reported at some entry, never read past its end
            int cut = r.nextInt(1, len);
            c.wrap(a, 0, cut);
            c.bad = false;
            c.varLong();
            String bad = null;
            for (int i = 0; i < n && bad == null && !c.bad; i++) {
                bad = c.getEntry(u, out, i * E, words, WORDS, FULL);
            }
            assertTrue(bad != null || c.bad, "cut at " + cut + " of " + len + " not noticed, seed " + seed);
            assertTrue(c.pos <= cut);
        }
    }

    @Test
    @DisplayName("store values: an entry with nothing unusual takes eight bytes for a one-word product")
    void compact() {
        ValueCodec c = new ValueCodec();
        c.wrap(new byte[64], 0, 64);
        int u = 9_999_999;
        int[] e = new int[E];
        e[StateStore.SRC] = 1_500;
        e[StateStore.PRODUCT] = 0;
        e[StateStore.MASK] = 3;
        e[StateStore.STATE] = States.pack(States.ACTIVE, States.NONE);
        long key = StateStore.snapshotGroupKey(1_500, u);
        e[StateStore.KEY_HI] = (int) (key >>> 32);
        e[StateStore.KEY_LO] = (int) key;
        e[StateStore.TIME] = StateStore.NO_TIME;
        c.putEntry(u, e, 0, new long[] {0x1FL}, FULL[0], 1);
        assertEquals(2 + 1 + 1 + 1 + 1 + 1 + 1, c.pos);
    }

    @Test
    @DisplayName("store values: disabled bits outside the product's plans and bad state bytes are reported")
    void damage() {
        ValueCodec c = new ValueCodec();
        byte[] a = {2, 0, 0x10, 0, 0, 0, 0x40};
        c.wrap(a, 0, a.length);
        String bad = c.getEntry(7, new int[E], 0, new long[1], WORDS, FULL);
        assertNotNull(bad);
        assertTrue(bad.contains("outside"), bad);
        byte[] b = {2, 0, 0x70, 0, 0, 0, 0};
        c.wrap(b, 0, b.length);
        bad = c.getEntry(7, new int[E], 0, new long[1], WORDS, FULL);
        assertNotNull(bad);
        assertTrue(bad.contains("state byte"), bad);
        byte[] d = {1, 0, 0x10, 0, 0, 0, 0};
        c.wrap(d, 0, d.length);
        bad = c.getEntry(7, new int[E], 0, new long[1], WORDS, FULL);
        assertNotNull(bad);
        assertTrue(bad.contains("derived key"), bad);
    }

    private static int pick(SplittableRandom r, int... values) {
        return values[r.nextInt(values.length)];
    }
}
