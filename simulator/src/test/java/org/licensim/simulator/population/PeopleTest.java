package org.licensim.simulator.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import net.datafaker.Faker;

class PeopleTest {

    @Test
    @DisplayName("name pools drawn in English are the names the US locale gives for the same seed, first and last, in order")
    void englishPoolsAreTheUsPools() {
        for (long seed : new long[] {42, 1_000_000, -7}) {
            // given the pools as they were drawn with Locale.US
            Faker us = new Faker(Locale.US, new Random(seed));
            Set<String> first = new LinkedHashSet<>();
            Set<String> last = new LinkedHashSet<>();
            for (int i = 0; i < 4_500 && (first.size() < 1_500 || last.size() < 1_500); i++) {
                if (first.size() < 1_500) {
                    first.add(us.name().firstName());
                }
                if (last.size() < 1_500) {
                    last.add(us.name().lastName());
                }
            }
            // when they are drawn as the simulator draws them now
            People.Names names = People.names(seed);
            // then they are the same names in the same order
            assertEquals(1_500, names.first().length, "a full pool of first names");
            assertArrayEquals(first.toArray(String[]::new), names.first(), "first names, seed " + seed);
            assertArrayEquals(last.toArray(String[]::new), names.last(), "last names, seed " + seed);
            assertTrue(names.firstKey()[0].matches("[a-z0-9]+|user"), names.firstKey()[0]);
        }
    }

    @Test
    @DisplayName("the pools of a seed are drawn once and shared by the people made with it")
    void poolsAreSharedPerSeed() {
        assertSame(People.names(5), People.names(5));
        assertArrayEquals(People.names(5).last(), People.names(5).last());
    }
}
