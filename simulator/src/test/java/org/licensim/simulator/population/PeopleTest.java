package org.licensim.simulator.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.UserData;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.Scenarios;

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

    /** The ids as they were made before they were made as bytes: a char per hex digit from Character.forDigit. */
    private static String guidAsChars(long seed, int kind, long n) {
        long a = Rng.mix(seed * 0x9E3779B97F4A7C15L + kind * 0xC2B2AE3D27D4EB4FL + n);
        long b = Rng.mix(a ^ 0xD1B54A32D192ED03L);
        a = (a & ~0xF000L) | 0x4000L;
        b = (b & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        StringBuilder sb = new StringBuilder();
        long[][] parts = {{a >>> 32, 8}, {a >>> 16, 4}, {a, 4}, {b >>> 48, 4}, {b, 12}};
        for (long[] p : parts) {
            if (sb.length() > 0) {
                sb.append('-');
            }
            char[] c = new char[(int) p[1]];
            long v = p[0];
            for (int i = c.length - 1; i >= 0; i--) {
                c[i] = Character.forDigit((int) (v & 0xF), 16);
                v >>>= 4;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    @Test
    @DisplayName("a simulated directory id is a version-4 GUID in lower-case hex, the same id for the same seed, kind and number")
    void guidsAreTheIdsTheyWere() {
        // given seeds, kinds and numbers, among them the extremes
        long[] seeds = {0, 1, 42, 1_000_000, -7, Long.MAX_VALUE, Long.MIN_VALUE};
        int checked = 0;
        for (long seed : seeds) {
            for (int kind = 0; kind < 3; kind++) {
                for (long n = 0; n < 2_000; n += 7) {
                    // when the id is made
                    String id = People.guid(seed, kind, n);
                    // then it is the id made digit by digit, and has the GUID's shape
                    assertEquals(guidAsChars(seed, kind, n), id, "seed " + seed + ", kind " + kind + ", n " + n);
                    assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
                    checked++;
                }
            }
        }
        assertEquals(7 * 3 * 286, checked);
        assertEquals(People.guid(5, 0, 123_456_789L), People.guid(5, 0, 123_456_789L));
    }

    /** The UPNs of {@code n} people drawn from one seed, with the UPN counts kept in a flat table or a map. */
    private static List<String> upns(Scenario s, boolean flat, int n) {
        int was = People.flatUpnCountUsers;
        People people;
        try {
            People.flatUpnCountUsers = flat ? 0 : Integer.MAX_VALUE;
            people = new People(s);
        } finally {
            People.flatUpnCountUsers = was;
        }
        Rng rng = new Rng(99);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(people.identity(rng, People.guid(1, 0, i), new UserData()));
        }
        return out;
    }

    @Test
    @DisplayName("UPNs stay unique: a name pair drawn again gets the next number, whether a large scenario counts pairs in a table or a small one in a map")
    void upnCountsFlatOrMapped() {
        // given a scenario and 40,000 people drawn from one seed (1,500 x 1,500 name pairs: some drawn twice)
        Scenario s = Scenarios.shipped("small", Catalog.loadDefault());
        // when their UPNs are counted per name pair in a flat table, and in a map
        List<String> flat = upns(s, true, 40_000);
        List<String> mapped = upns(s, false, 40_000);
        // then both give the same UPNs, all distinct, the repeated pairs numbered from 2
        assertEquals(mapped, flat);
        assertEquals(40_000, new java.util.HashSet<>(flat).size(), "unique UPNs");
        long numbered = flat.stream().filter(u -> u.matches("[^@]*[0-9]@.*")).count();
        assertTrue(numbered > 50 && numbered < 2_000, "pairs drawn again: " + numbered);
        assertTrue(flat.stream().anyMatch(u -> u.matches("[^@]*[^0-9]2@.*")), "a second UPN of a pair ends in 2");
    }

    @Test
    @DisplayName("a hire date is written as ISO yyyy-MM-dd, one String per date shared by the people hired that day")
    void hireDatesAreSharedText() {
        // given two people hired on the same date and one on another
        Scenario s = Scenarios.shipped("small", Catalog.loadDefault());
        People people = new People(s);
        Rng rng = new Rng(3);
        LocalDate day = LocalDate.of(2019, 3, 7);
        UserData a = people.newUser(rng, People.guid(1, 0, 0), 0, 0, day);
        UserData b = people.newUser(rng, People.guid(1, 0, 1), 1, 0, LocalDate.of(2019, 3, 7));
        UserData c = people.newUser(rng, People.guid(1, 0, 2), 0, 0, day.plusDays(1));
        // then their hire dates read as the dates, the same date as the same String
        assertEquals("2019-03-07", a.strings.get("employeeHireDate"));
        assertSame(a.strings.get("employeeHireDate"), b.strings.get("employeeHireDate"));
        assertEquals("2019-03-08", c.strings.get("employeeHireDate"));
    }
}
