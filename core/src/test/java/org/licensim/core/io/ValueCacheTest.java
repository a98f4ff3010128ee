package org.licensim.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** The reader's cache of shared property values gives each value as the parser has it, one String per value. */
class ValueCacheTest {
    /** Every string of a JSON array through one cache, in order. */
    private static List<String> cached(ValueCache cache, String jsonArray) throws Exception {
        List<String> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(jsonArray.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            p.nextToken();
            while (p.nextToken() == JsonToken.VALUE_STRING) {
                out.add(cache.get(p));
            }
        }
        return out;
    }

    @Test
    @DisplayName("a value met again is the String made the first time; escapes, non-ASCII and the empty string read as Jackson reads them")
    void sameValueSameString() throws Exception {
        ValueCache cache = new ValueCache();
        List<String> v = cached(cache, "[\"D1\", \"D2\", \"D1\", \"\", \"caf\\u00e9\", \"café\", \"a\\\"b\", \"a\\\"b\", \"\", \"D2\"]");
        assertEquals(List.of("D1", "D2", "D1", "", "café", "café", "a\"b", "a\"b", "", "D2"), v);
        assertSame(v.get(0), v.get(2));
        assertSame(v.get(1), v.get(9));
        assertSame(v.get(4), v.get(5));
        assertSame(v.get(6), v.get(7));
        assertSame(v.get(3), v.get(8));
    }

    @Test
    @DisplayName("values with colliding hashes stay apart, and past the limit new values are still read right (only not kept)")
    void collisionsAndLimit() throws Exception {
        ValueCache cache = new ValueCache();
        // "Aa" and "BB" have the same String hash
        List<String> v = cached(cache, "[\"Aa\", \"BB\", \"Aa\", \"BB\"]");
        assertEquals(List.of("Aa", "BB", "Aa", "BB"), v);
        assertSame(v.get(0), v.get(2));
        assertSame(v.get(1), v.get(3));
        StringBuilder sb = new StringBuilder("[");
        Random r = new Random(7);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ValueCache.LIMIT * 3; i++) {
            String s = "v" + r.nextInt(ValueCache.LIMIT * 2);
            expected.add(s);
            sb.append(i > 0 ? "," : "").append('"').append(s).append('"');
        }
        List<String> got = cached(cache, sb.append(']').toString());
        assertEquals(expected, got);
        // past the limit a value not kept is made each time it comes
        String late = "never-kept";
        List<String> twice = cached(cache, "[\"" + late + "\", \"" + late + "\"]");
        assertEquals(List.of(late, late), twice);
        assertNotSame(twice.get(0), twice.get(1));
    }
}
