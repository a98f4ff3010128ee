package org.licensim.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonSyntaxTest {
    private static String wordsFor(String json) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> new ObjectMapper().readTree(json));
        return JsonSyntax.words(e);
    }

    @Test
    @DisplayName("a file cut inside an array says where the array opened, not the parser's source description")
    void unclosedArray() {
        assertEquals("the input ends before the array [ opened at line 1, column 11 is closed",
                wordsFor("{\"users\": [\n"));
    }

    @Test
    @DisplayName("a file cut inside an object says so, with the object's line and column")
    void unclosedObject() {
        assertEquals("the input ends before the object { opened at line 1, column 1 is closed",
                wordsFor("{\"tenant\": {\"id\": 1}\n"));
    }

    @Test
    @DisplayName("other syntax errors keep Jackson's own words")
    void otherErrors() {
        assertEquals("Unexpected character ('}' (code 125)): expected a valid value (JSON String, Number, Array, Object "
                + "or token 'null', 'true' or 'false')", wordsFor("{\"a\": }"));
        assertEquals("the input ends within/between Object entries", wordsFor("{\"a\": 1, "));
    }
}
