package org.licensim.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    @DisplayName("building a store reports how far its first write has got, with the time so far and to go")
    void buildReportsProgress(@TempDir Path tmp) throws IOException {
        java.util.List<String> log = new java.util.ArrayList<>();
        long was = ChronicleStateStore.bulkReportNanos;
        ChronicleStateStore.bulkReportNanos = 0; // every 65,536 users, not every two seconds: the test must not depend on speed
        StringBuilder json = new StringBuilder("{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, "
                + "\"subscribedSkus\": [{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 200000}}], \"users\": [");
        StringBuilder members = new StringBuilder();
        for (int u = 0; u < 140_000; u++) {
            json.append(u == 0 ? "" : ", ").append("{\"id\": \"u").append(u).append("\", \"usageLocation\": \"NL\"}");
            members.append(u == 0 ? "" : ", ").append("\"u").append(u).append('"');
        }
        json.append("], \"groups\": [{\"id\": \"all\", \"members\": [").append(members)
                .append("]}], \"assignments\": [{\"groupId\": \"all\", \"skuId\": \"EMS\"}]}");
        try {
            org.licensim.core.directory.Tenant t = org.licensim.core.io.SnapshotReader.withDefaults().read(
                    new java.io.ByteArrayInputStream(json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)), "big.json");
            new org.licensim.core.rules.RuleMembership().applyTo(t);
            org.licensim.core.engine.Engine.builder(t).persisted(tmp.resolve("progress"), StoreSource.parse("big.json"), log::add).close();
        } finally {
            ChronicleStateStore.bulkReportNanos = was;
        }
        java.util.List<String> writing = log.stream().filter(l -> l.contains("writing the resolved state")).toList();
        assertEquals(2, writing.size(), log.toString());
        assertTrue(writing.get(0).matches(".*: writing the resolved state, 65,536 of 140,000 users \\(46%\\), \\d+ s so far, "
                + "about \\d+ s to go"), writing.get(0));
        assertTrue(writing.get(1).contains("131,072 of 140,000 users (93%)"), writing.get(1));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("created store ")), log.toString());
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
        // the map file is allocated whole and mostly zeros: flip among the bytes that hold something
        int[] used = java.util.stream.IntStream.range(4096, orig.length).filter(i -> orig[i] != 0).toArray();
        for (int attempt = 0; attempt < 400 && flipped == 0; attempt++) {
            byte[] bytes = orig.clone();
            int at = used[rnd.nextInt(used.length)];
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

    @Test
    @DisplayName("--verify covers every file: a byte flipped in the manifest, the commit record, the values, the user ids or the group ids is refused naming that file")
    void flippedByteInEachFile(@TempDir Path tmp) throws IOException {
        Path dir = made(tmp, "each");
        String before = dump(dir);
        byte[] manifest = Files.readAllBytes(dir.resolve("manifest.json"));
        caught(dir, "manifest.json", positions(manifest, "sha256:"), before);
        byte[] commit = Files.readAllBytes(dir.resolve("commit.bin"));
        // the slot in use starts with the magic "LSST" (little endian); its last applied seq is at +20
        int slot = commit[0] == 0x54 && commit[3] == 0x4C ? 0 : 64;
        caught(dir, "commit.bin", new int[] {slot + 20, slot + 28, slot + 36}, before);
        byte[] users = Files.readAllBytes(dir.resolve("user-ids.cm"));
        caught(dir, "user-ids.cm", positions(users, "u1"), before);
        byte[] groups = Files.readAllBytes(dir.resolve("group-ids.cm"));
        caught(dir, "group-ids.cm", positions(groups, "g"), before);
        byte[] state = Files.readAllBytes(dir.resolve("state.cm"));
        caught(dir, "state.cm", java.util.stream.IntStream.range(4096, state.length).filter(i -> state[i] != 0).toArray(),
                before);
        // a clean store's undo log holds no record: a flipped byte there changes nothing
        byte[] undo = Files.readAllBytes(dir.resolve("undo.bin"));
        for (int at : new int[] {40, 4000, undo.length - 1}) {
            byte[] b = undo.clone();
            b[at] ^= 0x20;
            Files.write(dir.resolve("undo.bin"), b);
            assertEquals(before, dump(dir), "undo.bin byte " + at);
        }
        Files.write(dir.resolve("undo.bin"), undo);
    }

    /** Offsets of every occurrence of {@code text}'s bytes in {@code b} (the byte in the middle of each). */
    private static int[] positions(byte[] b, String text) {
        byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i + t.length <= b.length; i++) {
            boolean m = true;
            for (int k = 0; k < t.length && m; k++) {
                m = b[i + k] == t[k];
            }
            if (m) {
                out.add(i + t.length / 2);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Flips one byte at each of (up to 40 of) {@code at} in turn: every flip is either refused by a
     * verifying open with a message naming {@code file}, or leaves the store reading exactly as
     * {@code before}; and at least one is refused.
     */
    private static void caught(Path dir, String file, int[] at, String before) throws IOException {
        Path f = dir.resolve(file);
        byte[] orig = Files.readAllBytes(f);
        int refused = 0;
        SplittableRandom rnd = new SplittableRandom(file.hashCode());
        for (int n = 0; n < Math.min(40, at.length) && refused == 0; n++) {
            int i = at[at.length <= 40 ? n : rnd.nextInt(at.length)];
            byte[] b = orig.clone();
            b[i] ^= 0x01;
            Files.write(f, b);
            try {
                String now = dump(dir);
                assertEquals(before, now, file + " byte " + i + " flipped: not refused, so it must read as before");
            } catch (LicensimException e) {
                assertTrue(e.getMessage().contains(file), file + " byte " + i + ": " + e.getMessage());
                refused++;
            }
            Files.write(f, orig);
        }
        assertTrue(refused > 0, "no flipped byte of " + file + " was refused");
        assertEquals(before, dump(dir), file + " restored");
    }

    /** Everything a store says, read with every check on. */
    private static String dump(Path dir) {
        StringBuilder sb = new StringBuilder();
        try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
            sb.append(st.source().orElseThrow()).append(' ').append(st.lastSeq()).append(' ').append(st.entries()).append('\n');
            for (int u = 0; u < st.userCount(); u++) {
                for (StoredEntry e : st.entries(u)) {
                    sb.append(u).append(':').append(e.src()).append('/').append(e.product()).append('/').append(e.state())
                            .append('/').append(e.key()).append('/').append(java.util.Arrays.toString(e.enabled())).append(' ');
                }
                sb.append('\n');
            }
            for (int g = 0; g < st.groupCount(); g++) {
                sb.append(st.groupId(g)).append(' ');
            }
        }
        return sb.toString();
    }
}
