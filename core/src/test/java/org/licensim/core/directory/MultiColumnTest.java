package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A multi-valued column that keeps its strings until codes are asked for answers as one that
 * interns from the start: before and after the switch, through changes, and in copies.
 */
class MultiColumnTest {
    @Test
    @DisplayName("a column keeping strings gives the values, counts and codes an interning column gives, through changes and copies")
    void keptStringsMatchCodes() {
        MultiColumn kept = new MultiColumn("proxyAddresses", 4, true);
        MultiColumn coded = new MultiColumn("proxyAddresses", 4, false);
        SplittableRandom rnd = new SplittableRandom(17);
        int users = 3_000;
        for (int step = 0; step < 10_000; step++) {
            int u = rnd.nextInt(users);
            List<String> vals = new ArrayList<>();
            for (int i = rnd.nextInt(4); i > 0; i--) {
                vals.add("smtp:a" + rnd.nextInt(5_000) + "@x.com");
            }
            kept.set(u, vals);
            coded.set(u, vals);
        }
        MultiColumn copy = kept.copy();
        for (int u = 0; u < users + 10; u++) {
            assertEquals(coded.get(u), kept.get(u), "user " + u);
            assertEquals(coded.count(u), kept.count(u), "user " + u);
            for (int i = 0; i < kept.count(u); i++) {
                assertEquals(coded.get(u).get(i), kept.value(u, i));
            }
        }
        kept.compact();
        // codes asked for: the kept column switches to a dictionary; each code names its value
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < kept.count(u); i++) {
                assertEquals(kept.value(u, i), kept.dictionary().value(kept.code(u, i)));
                assertEquals(coded.dictionary().value(coded.code(u, i)), kept.dictionary().value(kept.code(u, i)));
            }
        }
        kept.set(0, List.of("smtp:new@x.com"));
        assertEquals(List.of("smtp:new@x.com"), kept.get(0));
        assertEquals(coded.get(0), copy.get(0), "the copy is not changed by its original");
    }
}
