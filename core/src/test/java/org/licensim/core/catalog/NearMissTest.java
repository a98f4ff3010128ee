package org.licensim.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NearMissTest {
    @Test
    @DisplayName("Levenshtein distance: letters left out, added or changed")
    void distance() {
        assertEquals(0, NearMiss.distance("abc", "abc"));
        assertEquals(1, NearMiss.distance("ENTERPRISEPAK", "ENTERPRISEPACK"));
        assertEquals(1, NearMiss.distance("simulte", "simulate"));
        assertEquals(3, NearMiss.distance("kitten", "sitting"));
        assertEquals(4, NearMiss.distance("", "abcd"));
    }

    @Test
    @DisplayName("A mistyped product part number is pointed at the real one, closest first, ignoring case; far names are not")
    void productsOfTheCatalog() {
        List<String> parts = NearMiss.partNumbers(Catalog.loadDefault());
        assertEquals("ENTERPRISEPACK", NearMiss.among("ENTERPRISEPAK", parts, 3).get(0));
        assertEquals("ENTERPRISEPACK", NearMiss.among("enterprisepack ", parts, 3).get(0));
        assertEquals(List.of(), NearMiss.among("ENTERPRISEPACK", List.of("ENTERPRISEPACK"), 3), "the name itself is not a near miss");
        assertEquals(List.of(), NearMiss.among("NOTHINGLIKEIT", parts, 3));
        assertEquals(" (did you mean EMS?)", NearMiss.suffix("EMZ", List.of("EMS", "ENTERPRISEPACK")));
        assertEquals("", NearMiss.suffix("POWERBI", List.of("EMS")));
    }
}
