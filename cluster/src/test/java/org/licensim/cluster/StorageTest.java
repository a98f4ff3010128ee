package org.licensim.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.LicensimException;

/**
 * The job's file access both ways: plain paths through java.nio, and the Hadoop branch that
 * {@code hdfs://}, {@code s3a://} or {@code abfss://} paths take, driven here through Hadoop's own
 * local file system ({@code file:} URIs), the one Hadoop file system this machine has.
 */
class StorageTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("plain paths and Hadoop file systems list, read and write alike; a missing file is refused by name")
    void bothBranches() throws IOException {
        Files.writeString(dir.resolve("b.json"), "{}");
        Files.writeString(dir.resolve("a.json"), "[1]");
        Files.writeString(dir.resolve("notes.txt"), "x");
        Files.createDirectories(dir.resolve("sub.json"));
        for (boolean hadoop : List.of(false, true)) {
            Storage st = new Storage(Map.of(), hadoop);
            String root = hadoop ? dir.toUri().toString() : dir.toString();
            List<String> files = st.jsonFiles(root);
            assertEquals(2, files.size(), files.toString());
            assertTrue(files.get(0).endsWith("a.json") && files.get(1).endsWith("b.json"), files.toString());
            assertArrayEquals("[1]".getBytes(StandardCharsets.UTF_8), st.read(files.get(0), "tenant snapshot"));
            assertTrue(st.isDirectory(root));
            assertFalse(st.isDirectory(files.get(0)));
            assertTrue(st.exists(files.get(1)));
            String out = Storage.resolve(Storage.resolve(root, hadoop ? "out-h" : "out-n"), "t/plan.json");
            st.write(out, "plan", "{\"ok\": true}".getBytes(StandardCharsets.UTF_8));
            st.write(out, "plan", "{\"ok\": 2}".getBytes(StandardCharsets.UTF_8)); // replaced whole
            assertEquals("{\"ok\": 2}", new String(st.read(out, "plan"), StandardCharsets.UTF_8));
            Path written = dir.resolve(hadoop ? "out-h" : "out-n").resolve("t");
            try (var left = Files.list(written)) {
                assertTrue(left.map(p -> p.getFileName().toString()).noneMatch(n -> n.endsWith(".tmp")));
            }
            String missing = Storage.resolve(root, "missing.json");
            LicensimException e = assertThrows(LicensimException.class, () -> st.read(missing, "tenant snapshot"));
            assertEquals("tenant snapshot not found: " + missing, e.getMessage());
            assertFalse(st.exists(missing));
        }
    }

    @Test
    @DisplayName("what counts as a plain path: no scheme, a file: URI, or a colon after a slash")
    void plainPaths() {
        assertTrue(Storage.isPlainPath("tenants/a.json"));
        assertTrue(Storage.isPlainPath("/data/x:y.json"));
        assertTrue(Storage.isPlainPath("file:/data/a.json"));
        assertFalse(Storage.isPlainPath("hdfs://nn:8020/plans/a.json"));
        assertFalse(Storage.isPlainPath("abfss://plans@acct.dfs.core.windows.net/a.json"));
    }
}
