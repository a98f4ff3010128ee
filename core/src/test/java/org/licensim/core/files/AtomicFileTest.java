package org.licensim.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.LicensimException;

class AtomicFileTest {
    private static void write(Path p, String text) {
        AtomicFile.write(p, "the output", out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @DisplayName("Outputs: missing parent folders are created, and nothing but the file is left beside it")
    void createsParents(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("a/b/out.json");
        write(out, "{}");
        assertEquals("{}", Files.readString(out));
        assertEquals(List.of("out.json"), names(dir.resolve("a/b")));
    }

    @Test
    @DisplayName("Outputs: a failed write removes its temporary and the folders it created, and keeps the previous file")
    void failureLeavesNothing(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("new/deeper/out.json");
        LicensimException e = assertThrows(LicensimException.class,
                () -> AtomicFile.write(out, "the output", o -> {
                    o.write(1);
                    throw new IOException("No space left on device");
                }));
        assertTrue(e.getMessage().startsWith("cannot write the output to " + out + ": No space left on device"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("new")), "the folders made for the write are gone");
        Path kept = dir.resolve("kept.json");
        Files.writeString(kept, "old");
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(kept, "x", o -> {
            o.write('n');
            throw new IllegalStateException("boom");
        }));
        assertEquals("old", Files.readString(kept));
        assertEquals(List.of("kept.json"), names(dir));
        assertTrue(AtomicFile.pending().isEmpty(), "no temporary left registered for the shutdown hook");
    }

    @Test
    @DisplayName("Outputs: a group of files is moved in only when every one is complete; a failure keeps all the earlier files")
    void groupAllOrNothing(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, "old a");
        Files.writeString(b, "old b");
        // when: the third file's body fails after two complete ones, in a folder the group made
        LicensimException e = assertThrows(LicensimException.class, () -> {
            try (AtomicFile.Group g = new AtomicFile.Group()) {
                g.write(a, "file a", o -> o.write("new a".getBytes(StandardCharsets.UTF_8)));
                g.write(b, "file b", o -> o.write("new b".getBytes(StandardCharsets.UTF_8)));
                g.write(dir.resolve("sub/c.json"), "file c", o -> {
                    o.write('c');
                    throw new IOException("No space left on device");
                });
                g.commit();
            }
        });
        // then: named, and nothing changed or left behind
        assertEquals("cannot write file c to " + dir.resolve("sub/c.json") + ": No space left on device", e.getMessage());
        assertEquals("old a", Files.readString(a));
        assertEquals("old b", Files.readString(b));
        assertEquals(List.of("a.json", "b.json"), names(dir));
        assertTrue(AtomicFile.pending().isEmpty(), "no temporary left registered for the shutdown hook");
        // and a group that completes replaces them all, streams included
        try (AtomicFile.Group g = new AtomicFile.Group()) {
            g.write(a, "file a", o -> o.write("new a".getBytes(StandardCharsets.UTF_8)));
            try (var o = g.open(dir.resolve("sub/c.json"), "file c")) {
                o.write("c".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("old a", Files.readString(a), "nothing moves in before commit");
            g.commit();
        }
        assertEquals("new a", Files.readString(a));
        assertEquals("c", Files.readString(dir.resolve("sub/c.json")));
        assertEquals(List.of("a.json", "b.json", "sub"), names(dir));
        assertThrows(LicensimException.class, () -> {
            try (AtomicFile.Group g = new AtomicFile.Group()) {
                g.write(a, "file a", o -> o.write(1));
                g.write(a, "file a", o -> o.write(2));
            }
        });
        assertEquals("new a", Files.readString(a));
    }

    @Test
    @DisplayName("Outputs: a replaced file keeps its permissions (0600 stays 0600), and a user's own OUT.tmp is not touched")
    void keepsPermissionsAndForeignTmp(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("secret.json");
        Files.writeString(out, "old");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
        Path users = dir.resolve("secret.json.tmp");
        Files.writeString(users, "mine");
        write(out, "new");
        assertEquals("new", Files.readString(out));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals("mine", Files.readString(users));
        assertEquals(List.of("secret.json", "secret.json.tmp"), names(dir));
    }

    @Test
    @DisplayName("Outputs: a symbolic link at the path is refused, and neither the link nor its target changes")
    void refusesSymlink(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("target.json");
        Files.writeString(target, "target");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), target);
        LicensimException e = assertThrows(LicensimException.class, () -> write(link, "new"));
        assertTrue(e.getMessage().contains(link + ": it is a symbolic link (to " + target + ")"), e.getMessage());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("target", Files.readString(target));
        assertEquals(List.of("link.json", "target.json"), names(dir));
    }

    @Test
    @DisplayName("Outputs: a directory or a device at the path is refused, saying what it is")
    void refusesNonRegular(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectory(dir.resolve("out.json"));
        LicensimException d = assertThrows(LicensimException.class, () -> write(sub, "x"));
        assertTrue(d.getMessage().endsWith(": it is a directory; licensim replaces only regular files: give a file name"),
                d.getMessage());
        LicensimException dev = assertThrows(LicensimException.class, () -> write(Path.of("/dev/null"), "x"));
        assertTrue(dev.getMessage().contains("/dev/null: it is not a regular file (a device, pipe or socket)"), dev.getMessage());
    }

    @Test
    @DisplayName("Outputs: a write error names its reason and the path that caused it, not only the file asked for")
    void namesReason(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        Path out = file.resolve("out.json");
        LicensimException e = assertThrows(LicensimException.class, () -> write(out, "x"));
        assertEquals("cannot write the output to " + out + ": a part of the path is a file, not a folder", e.getMessage());
        Path deeper = file.resolve("sub/out.json");
        LicensimException d = assertThrows(LicensimException.class, () -> write(deeper, "x"));
        assertEquals("cannot write the output to " + deeper + ": a part of the path is a file, not a folder", d.getMessage());
    }
}
