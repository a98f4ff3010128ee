package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AssignmentsTest {
    @Test
    @DisplayName("R1 the users with direct licences are listed ascending, each once, after licences are added, replaced and removed")
    void usersWithDirectAscending() {
        SplittableRandom rnd = new SplittableRandom(5);
        Assignments a = new Assignments();
        TreeMap<Integer, Integer> held = new TreeMap<>();
        for (int step = 0; step < 20_000; step++) {
            int u = rnd.nextInt(3_000);
            int product = rnd.nextInt(3);
            if (rnd.nextInt(3) > 0) {
                if (a.findDirect(u, product) == null) {
                    held.merge(u, 1, Integer::sum);
                }
                a.putDirect(u, new Assignments.License(product, new long[0], 0, step));
            } else if (rnd.nextInt(4) == 0) {
                a.removeAllDirect(u);
                held.remove(u);
            } else {
                if (a.findDirect(u, product) != null && held.merge(u, -1, Integer::sum) == 0) {
                    held.remove(u);
                }
                a.removeDirect(u, product);
            }
        }
        int[] expected = held.keySet().stream().mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, a.usersWithDirect());
        assertArrayEquals(expected, a.copy().usersWithDirect(), "a copy lists the same users");
        assertEquals(held.values().stream().mapToInt(Integer::intValue).sum(), a.directCount());
    }
}
