package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The users' id table with short ids and canonical GUIDs packed into its slots, against
 * java.util.HashMap: ids that pack, ids that nearly pack (upper-case GUIDs, 16 characters, a
 * character above U+00FF, NUL characters, the empty id) and ids that share a String hash code.
 */
class PackedIdIndexTest {
    /** Ids of every kind the packings meet, including pairs that a careless packing would confuse. */
    private static List<String> ids(SplittableRandom rnd, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String g = new java.util.UUID(rnd.nextLong(), rnd.nextLong()).toString();
            switch (i % 12) {
                case 0 -> ids.add("u" + i);
                case 1 -> ids.add(g);
                case 2 -> ids.add(g.toUpperCase(java.util.Locale.ROOT));       // not canonical: kept as a String
                case 3 -> ids.add(g.replace("-", "").substring(0, 15));        // 15 characters: packed short
                case 4 -> ids.add(g.replace("-", "").substring(0, 16));        // 16: not packed
                case 5 -> ids.add("u" + i + "\u0100");                         // above U+00FF: not packed
                case 6 -> ids.add("u" + i + "\u00e9");                         // Latin-1: packed
                case 7 -> ids.add("u" + (i / 12) + "\0");                      // a NUL is not the end
                case 8 -> ids.add("u" + (i / 12) + "\0\0");
                case 9 -> ids.add(g.substring(0, 35) + "g");                   // 36 characters, not a GUID
                case 10 -> ids.add(g.replace('-', '_'));
                default -> ids.add("user-" + rnd.nextInt(1_000_000) + "@" + i);
            }
        }
        ids.add("");
        ids.add("Aa");  // "Aa" and "BB" have the same String.hashCode
        ids.add("BB");
        ids.add("AaAaAaAaAaAaAaAaAa"); // and these, unpacked
        ids.add("BBBBBBBBBBBBBBBBBB");
        return ids;
    }

    @Test
    @DisplayName("R20 ids of every kind map to their index through many growths, one at a time, in batches and as "
            + "characters; unknown ids and ids that only nearly match are absent")
    void matchesHashMap() {
        SplittableRandom rnd = new SplittableRandom(17);
        List<String> all = ids(rnd, 120_000);
        PackedIdIndex index = new PackedIdIndex(4);
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            int had = index.getIfAbsentPut(all.get(i), i);
            Integer before = expected.putIfAbsent(all.get(i), i);
            assertEquals(before == null ? i : before, had, all.get(i));
        }
        index.put("u0", 424_242); // a second put replaces
        expected.put("u0", 424_242);
        assertEquals(expected.size(), index.size());
        assertTrue((long) index.size() * 4 <= (long) index.capacity() * 3, "filled to at most three quarters");
        List<String> probes = new ArrayList<>(expected.keySet());
        for (String id : new ArrayList<>(expected.keySet())) {
            // near misses: one character changed, one more, one fewer, other case
            for (String near : new String[] {id + "x", id.isEmpty() ? "y" : id.substring(1),
                id.isEmpty() ? "z" : id.substring(0, id.length() - 1), id.toUpperCase(java.util.Locale.ROOT),
                id.replace('a', 'b')}) {
                if (!expected.containsKey(near)) {
                    probes.add(near);
                }
            }
            if (probes.size() > 400_000) {
                break;
            }
        }
        java.util.Collections.shuffle(probes, new java.util.Random(5));
        for (String id : probes) {
            assertEquals(expected.getOrDefault(id, -1).intValue(), index.get(id, -1), id);
            assertEquals(expected.containsKey(id), index.contains(id), id);
        }
        int[] out = new int[probes.size()];
        index.getAll(probes, out, -1);
        char[] chars = new char[probes.stream().mapToInt(String::length).sum()];
        int[] starts = new int[probes.size()];
        int[] lengths = new int[probes.size()];
        int at = 0;
        for (int j = 0; j < probes.size(); j++) {
            String id = probes.get(j);
            id.getChars(0, id.length(), chars, at);
            starts[j] = at;
            lengths[j] = id.length();
            at += id.length();
        }
        int[] byChars = new int[probes.size()];
        index.getAll(chars, starts, lengths, probes.size(), byChars, -1);
        int[] byCharsOwn = new int[probes.size()];
        index.getAll(chars, starts, lengths, probes.size(), byCharsOwn, -1, new PackedIdIndex.Batch());
        for (int j = 0; j < probes.size(); j++) {
            int want = expected.getOrDefault(probes.get(j), -1);
            assertEquals(want, out[j], probes.get(j));
            assertEquals(want, byChars[j], probes.get(j));
            assertEquals(want, byCharsOwn[j], probes.get(j));
        }
        // a copy shares nothing mutable
        PackedIdIndex copy = index.copy();
        copy.put("only-in-the-copy", 5);
        copy.put("u0", 6);
        assertEquals(-1, index.get("only-in-the-copy", -1));
        assertEquals(424_242, index.get("u0", -1));
        assertEquals(6, copy.get("u0", -1));
        assertEquals(expected.size() + 1, copy.size());
    }

    @Test
    @DisplayName("a GUID with any one character changed to one that is not a lower-case digit (or a dash out of place) does not pack as a GUID, from a String or from characters")
    void everyCharacterOfAGuidIsChecked() {
        String g = "0f8fad5b-d9cb-469f-a165-70867728950e";
        PackedIdIndex.Packed p = new PackedIdIndex.Packed();
        // upper case, past 'f', an ASCII neighbour of the digits, the digits' values above U+00FF
        // (a table indexed by the low byte would take U+0130 as '0'), a dash where a digit is, a digit where a dash is
        for (int i = 0; i < 36; i++) {
            char c = g.charAt(i);
            char[] others = c == '-' ? new char[] {'0', 'a', '_', (char) ('-' + 0x100)}
                    : new char[] {Character.toUpperCase(c) == c ? 'G' : Character.toUpperCase(c), 'g', '/', ':', '`',
                        (char) (c + 0x100), (char) (c + 0x80), '-'};
            for (char o : others) {
                String id = g.substring(0, i) + o + g.substring(i + 1);
                PackedIdIndex.pack(id, p);
                assertEquals(PackedIdIndex.NOT_PACKED, p.kind, id);
                assertEquals(PackedIdIndex.NOT_PACKED, PackedIdIndex.kindOf(id), id);
                char[] chars = ("x" + id).toCharArray();
                PackedIdIndex.pack(chars, 1, 36, p);
                assertEquals(PackedIdIndex.NOT_PACKED, p.kind, id);
            }
        }
        // and every digit's value lands in its place
        for (int i = 0; i < 36; i++) {
            if (g.charAt(i) == '-') {
                continue;
            }
            for (char o : "0123456789abcdef".toCharArray()) {
                String id = g.substring(0, i) + o + g.substring(i + 1);
                PackedIdIndex.pack(id, p);
                assertEquals(PackedIdIndex.GUID, p.kind, id);
                java.util.UUID u = java.util.UUID.fromString(id);
                assertEquals(u.getMostSignificantBits(), p.k0, id);
                assertEquals(u.getLeastSignificantBits(), p.k1, id);
            }
        }
    }

    @Test
    @DisplayName("the packings: a canonical GUID and a short id pack one-to-one, anything else is not packed")
    void packings() {
        PackedIdIndex.Packed p = new PackedIdIndex.Packed();
        String g = "0f8fad5b-d9cb-469f-a165-70867728950e";
        PackedIdIndex.pack(g, p);
        assertEquals(PackedIdIndex.GUID, p.kind);
        assertEquals(0x0f8fad5bd9cb469fL, p.k0);
        assertEquals(0xa16570867728950eL, p.k1);
        assertEquals(PackedIdIndex.GUID, PackedIdIndex.kindOf(g));
        assertEquals(p.k0, PackedIdIndex.word(g, PackedIdIndex.GUID, 0));
        assertEquals(p.k1, PackedIdIndex.word(g, PackedIdIndex.GUID, 1));
        PackedIdIndex.pack("u12", p);
        assertEquals(PackedIdIndex.SHORT, p.kind);
        assertEquals('u' | '1' << 8 | '2' << 16, p.k0);
        assertEquals(3L << 56, p.k1);
        for (String not : new String[] {"", "0F8FAD5B-D9CB-469F-A165-70867728950E", "0f8fad5b-d9cb-469f-a165-70867728950",
            "0f8fad5bd9cb469fa16570867728950e", "0123456789abcdef", "u\u0100", "0f8fad5b-d9cb-469f-a165_70867728950e"}) {
            PackedIdIndex.pack(not, p);
            assertEquals(PackedIdIndex.NOT_PACKED, p.kind, not);
            assertEquals(PackedIdIndex.NOT_PACKED, PackedIdIndex.kindOf(not), not);
            char[] c = ("[" + not + "]").toCharArray();
            PackedIdIndex.pack(c, 1, not.length(), p);
            assertEquals(PackedIdIndex.NOT_PACKED, p.kind, not);
        }
        // from characters as from the String, in the middle of a buffer
        SplittableRandom rnd = new SplittableRandom(2);
        PackedIdIndex.Packed q = new PackedIdIndex.Packed();
        for (String id : ids(rnd, 2_000)) {
            PackedIdIndex.pack(id, p);
            char[] c = ("ab" + id + "cd").toCharArray();
            PackedIdIndex.pack(c, 2, id.length(), q);
            assertEquals(p.kind, q.kind, id);
            assertEquals(p.k0, q.k0, id);
            assertEquals(p.k1, q.k1, id);
            assertEquals(p.kind, PackedIdIndex.kindOf(id), id);
            if (p.kind != PackedIdIndex.NOT_PACKED) {
                assertEquals(p.k0, PackedIdIndex.word(id, p.kind, 0), id);
                assertEquals(p.k1, PackedIdIndex.word(id, p.kind, 1), id);
            }
        }
    }

    @Test
    @DisplayName("a batch of new ids (new, known, repeated within the batch) gives what one at a time gives; a value "
            + "past 30 bits is refused")
    void batchOfNewIds() {
        SplittableRandom rnd = new SplittableRandom(9);
        List<String> pool = ids(rnd, 30_000);
        PackedIdIndex one = new PackedIdIndex(4);
        PackedIdIndex batch = new PackedIdIndex(4);
        int next = 0;
        for (int round = 0; round < 150; round++) {
            int n = 1 + rnd.nextInt(700);
            String[] ids = new String[n];
            for (int j = 0; j < n; j++) {
                ids[j] = j > 0 && rnd.nextInt(8) == 0 ? ids[rnd.nextInt(j)] : pool.get(rnd.nextInt(pool.size()));
            }
            int[] expected = new int[n];
            int added = 0;
            for (int j = 0; j < n; j++) {
                expected[j] = one.getIfAbsentPut(ids[j], next + added);
                added += expected[j] == next + added ? 1 : 0;
            }
            int[] got = new int[n];
            assertEquals(added, batch.getIfAbsentPutAll(ids, n, next, got), "round " + round);
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(got), "round " + round);
            next += added;
            assertEquals(one.size(), batch.size());
        }
        assertTrue(batch.size() > 10_000, "the batches added ids");
        assertThrows(IllegalArgumentException.class, () -> batch.put("too-big", PackedIdIndex.MAX_VALUE + 1));
        assertFalse(batch.contains("too-big"));
    }

    @Test
    @DisplayName("ids added after a count ahead (right, twice too high, far too high, too low) map as without it")
    void expected() {
        int n = 200_000;
        PackedIdIndex plain = new PackedIdIndex(16);
        for (int u = 0; u < n; u++) {
            plain.put("u" + u, u);
        }
        for (int told : new int[] {n, 2 * n - 1, 20 * n, n / 10}) {
            PackedIdIndex index = new PackedIdIndex(16);
            String[] batch = new String[500];
            int[] out = new int[500];
            for (int from = 0; from < n; from += batch.length) {
                if (from == 2_000) {
                    index.expect(told);
                }
                int k = Math.min(batch.length, n - from);
                for (int j = 0; j < k; j++) {
                    batch[j] = "u" + (from + j);
                }
                assertEquals(k, index.getIfAbsentPutAll(batch, k, from, out), "told " + told);
            }
            for (int u = 0; u < n + 100; u++) {
                assertEquals(u < n ? u : -1, index.get("u" + u, -1), "told " + told + ", id u" + u);
            }
            assertEquals(n, index.size());
            assertTrue((long) n * 4 <= (long) index.capacity() * 3, "told " + told + ": " + index.capacity());
            if (told == n) {
                // sized once for the count told: at most three quarters full, not much emptier
                assertTrue(index.capacity() <= n + n / 3 + 2, "told " + told + ": " + index.capacity());
            } else {
                assertTrue(index.capacity() <= 8 * plain.capacity(), "told " + told + ": " + index.capacity());
            }
        }
    }
    /** The hash an id's slot holds (its packing's, or its String's). */
    private static int hashOf(String id) {
        PackedIdIndex.Packed p = new PackedIdIndex.Packed();
        PackedIdIndex.pack(id, p);
        return PackedIdIndex.hash(p, id.hashCode());
    }

    @Test
    @DisplayName("R20 packed ids whose whole 32-bit hashes are equal (short ids, GUIDs) keep their own values, found "
            + "by their words; as characters too")
    void wholeHashCollisions() {
        List<String[]> pairs = new ArrayList<>();
        for (String kind : new String[] {"short", "guid"}) {
            Map<Integer, String> seen = new HashMap<>();
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; pairs.size() < (kind.equals("short") ? 2 : 4); i++) {
                String id = kind.equals("short") ? "u" + i
                        : new java.util.UUID(rnd.nextLong(), rnd.nextLong()).toString();
                String other = seen.putIfAbsent(hashOf(id), id);
                if (other != null) {
                    pairs.add(new String[] {other, id});
                }
            }
        }
        PackedIdIndex index = new PackedIdIndex(4);
        int v = 0;
        for (String[] pair : pairs) {
            assertEquals(hashOf(pair[0]), hashOf(pair[1]), pair[0] + " " + pair[1]);
            assertTrue(PackedIdIndex.kindOf(pair[0]) != PackedIdIndex.NOT_PACKED, pair[0]);
            index.put(pair[0], v++);
        }
        // the second of each pair is absent though a slot with its hash and packing is there
        for (String[] pair : pairs) {
            assertEquals(-1, index.get(pair[1], -1), pair[1]);
            int[] out = new int[1];
            index.getAll(pair[1].toCharArray(), new int[] {0}, new int[] {pair[1].length()}, 1, out, -1);
            assertEquals(-1, out[0], pair[1]);
        }
        for (String[] pair : pairs) {
            index.put(pair[1], v++);
        }
        for (int k = 0; k < pairs.size(); k++) {
            String[] pair = pairs.get(k);
            assertEquals(k, index.get(pair[0], -1), pair[0]);
            assertEquals(pairs.size() + k, index.get(pair[1], -1), pair[1]);
            int[] out = new int[2];
            char[] chars = (pair[0] + pair[1]).toCharArray();
            index.getAll(chars, new int[] {0, pair[0].length()}, new int[] {pair[0].length(), pair[1].length()}, 2,
                    out, -1);
            assertEquals(k, out[0], pair[0]);
            assertEquals(pairs.size() + k, out[1], pair[1]);
        }
    }

    @Test
    @DisplayName("R20 ids whose probes start at the table's last slot wrap to its first, found and absent alike, "
            + "packed and not")
    void probesWrapAround() {
        PackedIdIndex index = new PackedIdIndex(8);
        int cap = index.capacity();
        List<String> last = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (int i = 0; last.size() < 6 || absent.size() < 4; i++) {
            String id = i % 3 == 2 ? "a-long-unpacked-id-" + i : "u" + i;
            if (PackedIdIndex.home(hashOf(id), cap) == cap - 1) {
                (last.size() < 6 ? last : absent).add(id);
            }
        }
        for (int k = 0; k < last.size(); k++) {
            index.put(last.get(k), 100 + k);
        }
        assertEquals(cap, index.capacity(), "no growth: the probes wrap in the table as made");
        for (int k = 0; k < last.size(); k++) {
            assertEquals(100 + k, index.get(last.get(k), -1), last.get(k));
        }
        for (String id : absent) {
            assertEquals(-1, index.get(id, -1), id);
            assertFalse(index.contains(id), id);
        }
        List<String> probes = new ArrayList<>(last);
        probes.addAll(absent);
        int[] out = new int[probes.size()];
        StringBuilder all = new StringBuilder();
        int[] starts = new int[probes.size()];
        int[] lengths = new int[probes.size()];
        for (int j = 0; j < probes.size(); j++) {
            starts[j] = all.length();
            lengths[j] = probes.get(j).length();
            all.append(probes.get(j));
        }
        index.getAll(all.toString().toCharArray(), starts, lengths, probes.size(), out, -1);
        for (int j = 0; j < probes.size(); j++) {
            assertEquals(j < last.size() ? 100 + j : -1, out[j], probes.get(j));
        }
    }

    @Test
    @DisplayName("R20 ids of one to eight characters looked up as characters (packed in the lookup's own loop): a "
            + "character above U+00FF at any place leaves the id unpacked, found or absent as its String is")
    void shortIdsByCharacters() {
        PackedIdIndex index = new PackedIdIndex(8);
        List<String> probes = new ArrayList<>();
        int v = 0;
        for (int n = 1; n <= 8; n++) {
            String plain = "abcdefgh".substring(0, n);
            probes.add(plain);
            probes.add(plain.substring(0, n - 1) + "\u00ff");
            for (int at = 0; at < n; at++) {
                char[] c = plain.toCharArray();
                c[at] = '\u0101';
                probes.add(new String(c));
            }
        }
        List<String> stored = new ArrayList<>();
        for (int k = 0; k < probes.size(); k += 2) { // every other one stored, the rest absent
            index.put(probes.get(k), v++);
            stored.add(probes.get(k));
        }
        probes.add("");
        StringBuilder all = new StringBuilder();
        int[] starts = new int[probes.size()];
        int[] lengths = new int[probes.size()];
        for (int j = 0; j < probes.size(); j++) {
            starts[j] = all.length();
            lengths[j] = probes.get(j).length();
            all.append(probes.get(j));
        }
        int[] out = new int[probes.size()];
        index.getAll(all.toString().toCharArray(), starts, lengths, probes.size(), out, -1);
        for (int j = 0; j < probes.size(); j++) {
            String id = probes.get(j);
            assertEquals(stored.contains(id) ? stored.indexOf(id) : -1, out[j], id);
            assertEquals(index.get(id, -1), out[j], id);
        }
    }
}
