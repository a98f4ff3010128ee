package org.licensim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchArgsTest {
    @Test
    @DisplayName("Counts take 1000000, 1_000_000 and 1,000,000; a bad count is named with its value")
    void counts() {
        assertEquals(1_000_000, BenchArgs.count("USERS", "1000000"));
        assertEquals(1_000_000, BenchArgs.count("USERS", "1_000_000"));
        assertEquals(1_000_000, BenchArgs.count("USERS", "1,000,000"));
        assertEquals(0, BenchArgs.whole("WARMUP", "0"));
        assertEquals("USERS must be a whole number from 1 to 2147483647, not \"1M\"",
                assertThrows(BenchArgs.Bad.class, () -> BenchArgs.count("USERS", "1M")).getMessage());
        assertEquals("USERS must be a whole number from 1 to 2147483647, not \"0\"",
                assertThrows(BenchArgs.Bad.class, () -> BenchArgs.count("USERS", "0")).getMessage());
        assertEquals("WARMUP must be a whole number from 0 to 2147483647, not \"-1\"",
                assertThrows(BenchArgs.Bad.class, () -> BenchArgs.whole("WARMUP", "-1")).getMessage());
        assertEquals("REPEATS must be a whole number from 1 to 2147483647, not \"9999999999\"",
                assertThrows(BenchArgs.Bad.class, () -> BenchArgs.count("REPEATS", "9999999999")).getMessage());
    }

    @Test
    @DisplayName("A shape is one of the listed names; a wrong case is pointed at the right one")
    void shapes() {
        assertEquals(BenchTenant.Shape.scarce, BenchArgs.choice("SHAPE", "scarce", BenchTenant.Shape.class));
        assertEquals("SHAPE \"ManySmall\": did you mean manySmall? (case matters)", assertThrows(BenchArgs.Bad.class,
                () -> BenchArgs.choice("SHAPE", "ManySmall", BenchTenant.Shape.class)).getMessage());
        assertEquals("SHAPE must be one of manySmall, fewBig, scarce, not \"huge\"", assertThrows(BenchArgs.Bad.class,
                () -> BenchArgs.choice("SHAPE", "huge", BenchTenant.Shape.class)).getMessage());
    }

    @Test
    @DisplayName("An input must be a readable file, an output a file name in a folder that exists")
    void files(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("t.json"), "{}");
        assertEquals(f, BenchArgs.input("SNAPSHOT", f.toString()));
        assertEquals("SNAPSHOT " + dir.resolve("none.json") + ": no such file (or it cannot be read)",
                assertThrows(BenchArgs.Bad.class, () -> BenchArgs.input("SNAPSHOT", dir.resolve("none.json").toString()))
                        .getMessage());
        assertEquals("SNAPSHOT " + dir + " is a folder, not a file",
                assertThrows(BenchArgs.Bad.class, () -> BenchArgs.input("SNAPSHOT", dir.toString())).getMessage());
        assertEquals(dir.resolve("out.json"), BenchArgs.output("OUT", dir.resolve("out.json").toString()));
        assertEquals("OUT " + dir.resolve("no/out.json") + ": the folder " + dir.resolve("no") + " does not exist",
                assertThrows(BenchArgs.Bad.class, () -> BenchArgs.output("OUT", dir.resolve("no/out.json").toString()))
                        .getMessage());
        assertEquals("OUT " + dir + " is a folder; give a file name",
                assertThrows(BenchArgs.Bad.class, () -> BenchArgs.output("OUT", dir.toString())).getMessage());
    }
}
