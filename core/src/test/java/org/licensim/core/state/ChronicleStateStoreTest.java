package org.licensim.core.state;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.LicensimException;
import org.licensim.core.engine.StoreSessionTest;

/** The persisted store's own integrity: damaged files are refused by name, never read as an empty or wrong state. */
class ChronicleStateStoreTest {
    private static Path made(Path tmp, String name) {
        return StoreSessionTest.madeStore(tmp, name);
    }

    private static String refused(Path dir) {
        LicensimException e = assertThrows(LicensimException.class, () -> ChronicleStateStore.open(dir, true).close());
        return e.getMessage();
    }

    @Test
    @DisplayName("a truncated, a garbage and an incompatible store are each refused with an error naming the file")
    void damagedStoresAreRefused(@TempDir Path tmp) throws IOException {
        Path a = made(tmp, "truncated");
        try (RandomAccessFile f = new RandomAccessFile(a.resolve("state.cm").toFile(), "rw")) {
            f.setLength(0);
        }
        String m = refused(a);
        assertTrue(m.contains("state.cm") && m.contains("truncated"), m);

        Path b = made(tmp, "garbage");
        long size = Files.size(b.resolve("state.cm"));
        byte[] junk = new byte[(int) size];
        new SplittableRandom(9).nextBytes(junk);
        Files.write(b.resolve("state.cm"), junk);
        m = refused(b);
        assertTrue(m.contains("state.cm"), m);

        Path c = made(tmp, "layout");
        String manifest = Files.readString(c.resolve("manifest.json"));
        Files.writeString(c.resolve("manifest.json"), manifest.replace("\"layout\" : " + ChronicleStateStore.LAYOUT, "\"layout\" : 99"));
        m = refused(c);
        assertTrue(m.contains("manifest.json") && m.contains("layout version 99"), m);

        Path d = made(tmp, "header");
        Files.write(d.resolve("commit.bin"), new byte[256]);
        m = refused(d);
        assertTrue(m.contains("commit.bin"), m);

        Path e = made(tmp, "users-truncated");
        try (RandomAccessFile f = new RandomAccessFile(e.resolve("user-ids.cm").toFile(), "rw")) {
            f.setLength(0);
        }
        m = refused(e);
        assertTrue(m.contains("user-ids.cm"), m);
    }

    @Test
    @DisplayName("a flipped byte inside a stored value is caught by its checksum, naming the file and the user")
    void flippedByteIsCaught(@TempDir Path tmp) throws IOException {
        Path dir = made(tmp, "flipped");
        int flipped = 0;
        // flip bytes in the data area until one lands inside a value: the checksum must catch it
        Path file = dir.resolve("state.cm");
        byte[] orig = Files.readAllBytes(file);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int attempt = 0; attempt < 400 && flipped == 0; attempt++) {
            byte[] bytes = orig.clone();
            // a value's enabled-plan words are mostly 0xFF or 0x00 bytes: find one of those past the header
            int at = orig.length / 8 + rnd.nextInt(orig.length - orig.length / 8);
            if (bytes[at] == 0) {
                continue;
            }
            bytes[at] ^= 0x10;
            Files.write(file, bytes);
            try {
                ChronicleStateStore.open(dir, true).close();
            } catch (LicensimException e) {
                if (e.getMessage().contains("checksum mismatch") || e.getMessage().contains("is damaged")) {
                    assertTrue(e.getMessage().contains("state.cm"), e.getMessage());
                    flipped++;
                }
            }
        }
        Files.write(file, orig);
        assertTrue(flipped > 0, "no flipped byte was reported as damage");
        try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
            assertTrue(st.entries() > 0);
        }
    }
}
