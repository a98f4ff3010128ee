package org.licensim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.openhft.chronicle.map.ChronicleMap;

/** The one place for JVM flags is really used, and Chronicle Map works with them and stays silent. */
class JvmFlagsTest {
    static List<String> flagsFromBuild() throws Exception {
        try (InputStream in = JvmFlagsTest.class.getResourceAsStream("/licensim-jvm.flags")) {
            assertNotNull(in, "core's filtered resource licensim-jvm.flags is missing");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            assertFalse(text.contains("${"), "the flags file was not filtered by Maven: " + text);
            return List.of(text.split("\\s+"));
        }
    }

    @Test
    @DisplayName("the test JVM runs with every flag of licensim-jvm.flags (surefire reads the same property)")
    void surefireUsesTheFlags() throws Exception {
        List<String> running = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : flagsFromBuild()) {
            assertTrue(running.contains(flag), "test JVM lacks " + flag + "; it has " + running);
        }
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
    }

    @Test
    @DisplayName("chronicle-analytics, which would send usage data to a third party, is not on the classpath")
    void noAnalytics() {
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("net.openhft.chronicle.analytics.Analytics"));
        assertFalse(System.getProperty("java.class.path").contains("chronicle-analytics"),
                "chronicle-analytics jar on the classpath: " + System.getProperty("java.class.path"));
    }

    @Test
    @DisplayName("Chronicle Map persists to a file and reopens with these flags")
    void chronicleMapPersists(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("smoke.dat");
        try (ChronicleMap<Long, Long> map = ChronicleMap.of(Long.class, Long.class).name("smoke").entries(1_000)
                .createPersistedTo(file.toFile())) {
            for (long i = 0; i < 1_000; i++) {
                map.put(i, i * i);
            }
        }
        assertTrue(Files.size(file) > 0);
        try (ChronicleMap<Long, Long> map = ChronicleMap.of(Long.class, Long.class).name("smoke").entries(1_000)
                .createPersistedTo(file.toFile())) {
            assertEquals(1_000, map.size());
            assertEquals(998_001L, map.get(999L));
        }
        Path home = Path.of(System.getProperty("user.home"));
        try (var s = Files.list(home)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".chronicle.analytics")),
                    "Chronicle wrote analytics files into " + home);
        }
    }
}
