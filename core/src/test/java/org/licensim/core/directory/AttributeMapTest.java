package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link AttributeMap} against {@link LinkedHashMap}, the map it stands in for, under random operations. */
class AttributeMapTest {
    @Test
    @DisplayName("random puts, removes, clears and iterator removes (small maps and maps past the index threshold): the same entries in the same order as a LinkedHashMap, equal to it both ways")
    void behavesAsALinkedHashMap() {
        SplittableRandom rnd = new SplittableRandom(37);
        for (int run = 0; run < 300; run++) {
            int keyCount = run % 3 == 0 ? 40 : 12; // past AttributeMap.INDEXED, or never
            AttributeMap<String> ours = new AttributeMap<>();
            LinkedHashMap<String, String> theirs = new LinkedHashMap<>();
            for (int op = 0; op < 400; op++) {
                // equal keys as other String objects half the time: found by equals, not only identity
                String key = rnd.nextInt(20) == 0 ? null : new String("k" + rnd.nextInt(keyCount));
                String value = rnd.nextInt(10) == 0 ? null : "v" + rnd.nextInt(1000);
                switch (rnd.nextInt(10)) {
                    case 0, 1, 2, 3, 4 -> assertEquals(theirs.put(key, value), ours.put(key, value), "put " + key);
                    case 5 -> assertEquals(theirs.remove(key), ours.remove(key), "remove " + key);
                    case 6 -> {
                        assertEquals(theirs.get(key), ours.get(key), "get " + key);
                        assertEquals(theirs.containsKey(key), ours.containsKey(key), "containsKey " + key);
                    }
                    case 7 -> {
                        // remove through the entry iterator, every third entry
                        Iterator<Map.Entry<String, String>> a = theirs.entrySet().iterator();
                        Iterator<Map.Entry<String, String>> b = ours.entrySet().iterator();
                        int i = 0;
                        while (a.hasNext()) {
                            assertTrue(b.hasNext());
                            Map.Entry<String, String> x = a.next();
                            Map.Entry<String, String> y = b.next();
                            assertEquals(x, y);
                            if (i++ % 3 == 1) {
                                a.remove();
                                b.remove();
                            }
                        }
                        assertTrue(!b.hasNext());
                    }
                    case 8 -> {
                        // write through an entry, as a LinkedHashMap's entry does
                        for (Map.Entry<String, String> e : ours.entrySet()) {
                            if (e.getKey() != null && e.getKey().equals(key)) {
                                assertEquals(theirs.put(key, value), e.setValue(value));
                            }
                        }
                    }
                    default -> {
                        if (rnd.nextInt(8) == 0) {
                            theirs.clear();
                            ours.clear();
                        }
                    }
                }
                assertSame(theirs, ours);
            }
        }
    }

    private static void assertSame(LinkedHashMap<String, String> theirs, AttributeMap<String> ours) {
        assertEquals(theirs.size(), ours.size());
        assertEquals(theirs.isEmpty(), ours.isEmpty());
        List<String> a = new ArrayList<>();
        theirs.forEach((k, v) -> a.add(k + "=" + v));
        List<String> b = new ArrayList<>();
        ours.forEach((k, v) -> b.add(k + "=" + v));
        assertEquals(a, b, "forEach order");
        assertEquals(new ArrayList<>(theirs.keySet()), new ArrayList<>(ours.keySet()), "keySet order");
        assertEquals(new ArrayList<>(theirs.values()), new ArrayList<>(ours.values()), "values order");
        assertEquals(theirs, ours);
        assertEquals(ours, theirs);
        assertEquals(theirs.hashCode(), ours.hashCode());
        assertEquals(theirs.toString(), ours.toString());
    }

    @Test
    @DisplayName("changing the map while walking it fails as a LinkedHashMap does, not silently")
    void changesDuringAWalkAreRefused() {
        AttributeMap<String> m = new AttributeMap<>();
        m.put("a", "1");
        m.put("b", "2");
        assertThrows(ConcurrentModificationException.class, () -> m.forEach((k, v) -> m.put(k + "x", v)));
        Iterator<Map.Entry<String, String>> it = m.entrySet().iterator();
        it.next();
        m.remove("b");
        assertThrows(ConcurrentModificationException.class, it::next);
        Iterator<Map.Entry<String, String>> again = m.entrySet().iterator();
        assertThrows(IllegalStateException.class, again::remove);
    }
}
