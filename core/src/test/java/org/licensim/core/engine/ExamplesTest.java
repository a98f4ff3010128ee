package org.licensim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ExamplesTest {
    @Test
    @DisplayName("R3 R4 the shipped example: E3 from two groups is one seat with the union of their plans")
    void twoGroupsExample() throws Exception {
        Harness h = Harness.of(Path.of("..", "examples", "two-groups-e3.json"));
        JsonNode expected = Harness.JSON.readTree(Path.of("..", "examples", "two-groups-e3.state.json").toFile());
        assertEquals(expected, h.state());
    }
}
