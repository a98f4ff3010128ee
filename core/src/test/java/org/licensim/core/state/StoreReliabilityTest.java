package org.licensim.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.ChildJvm;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserData;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.EngineRun;
import org.licensim.core.event.Event;
import org.licensim.core.io.SnapshotReader;

/**
 * The persisted store under the conditions a real run meets: another process holding it, a
 * tenant growing far past the size the store was made for, a tenant with no users, and a disk
 * that fills up in the middle of a run. In each case the store either works or refuses with a
 * message naming the store and what to do, and is never left unreadable.
 */
class StoreReliabilityTest {
    private static final Instant TIME = Instant.parse("2026-06-01T09:00:00Z");
    private static final StoreSource SOURCE = StoreSource.parse("tenant.json sha256:test");

    /** {@code users} users in one licensed group "lic" (ENTERPRISEPACK, seats for everyone). */
    static Tenant tenant(int users) {
        StringBuilder sb = new StringBuilder("{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"US\"}, "
                + "\"subscribedSkus\": [{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 1000000}}], "
                + "\"users\": [");
        for (int u = 0; u < users; u++) {
            sb.append(u > 0 ? "," : "").append("{\"id\": \"user-").append(u).append("\", \"usageLocation\": \"US\"}");
        }
        sb.append("], \"groups\": [{\"id\": \"lic\", \"displayName\": \"Licensed\", \"members\": [");
        for (int u = 0; u < users; u++) {
            sb.append(u > 0 ? "," : "").append("\"user-").append(u).append('"');
        }
        sb.append("]}], \"assignments\": [{\"groupId\": \"lic\", \"skuId\": \"ENTERPRISEPACK\"}]}");
        try {
            return SnapshotReader.withDefaults().read(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)),
                    "tenant.json");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Events creating users {@code from..to-1}, each joining "lic", with seqs from {@code seq}. */
    static List<Event> hires(int from, int to, long seq) {
        List<Event> out = new ArrayList<>();
        for (int u = from; u < to; u++) {
            UserData d = new UserData();
            d.id = "user-" + u;
            d.usageLocation = "US";
            d.hasUsageLocation = true;
            out.add(new Event.UserCreated(seq++, TIME, d));
            out.add(new Event.MemberAdded(seq++, TIME, "lic", d.id));
        }
        return out;
    }

    @Test
    @DisplayName("a store grown 20x past its sizing is rebuilt into larger files at a commit, says so, and reopens with every user")
    void growsTwentyTimes(@TempDir Path tmp) throws IOException {
        int start = 1_000;
        int end = 20_000;
        Path dir = tmp.resolve("store");
        List<String> log = new ArrayList<>();
        List<Event> events = hires(start, end, 1);
        try (EngineRun s = Engine.builder(tenant(start)).persisted(dir, SOURCE, log::add)) {
            for (Event e : events) {
                s.apply(e);
            }
            s.finish();
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("grown from")), "the growth is reported: " + log);
        String manifest = Files.readString(dir.resolve(StoreManifest.FILE));
        assertFalse(manifest.contains("\"generation\" : 0"), "the store moved to larger files: " + manifest);
        assertFalse(Files.exists(dir.resolve(ChronicleStateStore.STATE_FILE)), "the first generation's files are gone");
        try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
            assertEquals(end, st.userCount());
            assertEquals(end, st.entries(), "every user holds its licence");
            assertEquals(events.get(events.size() - 1).seq(), st.lastSeq());
            for (int u : new int[] {0, start - 1, start, end / 2, end - 1}) {
                assertEquals(u, st.userIndex("user-" + u), "user-" + u + "'s id survived the growth");
                List<StoredEntry> es = st.entries(u);
                assertEquals(1, es.size(), "user-" + u);
                assertEquals(0, es.get(0).src(), "user-" + u + "'s licence comes from group lic");
            }
            assertEquals("lic", st.groupId(0));
        }
    }

    @Test
    @DisplayName("map files of another generation (a growth killed before its switch) are removed on open; the store is intact")
    void leftoverGenerationIsRemoved(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        try (EngineRun s = Engine.builder(tenant(50)).persisted(dir, SOURCE, l -> { })) {
            s.finish();
        }
        Files.write(dir.resolve(StoreFiles.fileOf(ChronicleStateStore.STATE_FILE, 1)), new byte[4096]);
        Files.write(dir.resolve(StoreFiles.fileOf(ChronicleStateStore.USER_IDS, 1)), new byte[4096]);
        try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
            assertEquals(50, st.entries());
        }
        assertFalse(Files.exists(dir.resolve("state.1.cm")));
        assertFalse(Files.exists(dir.resolve("user-ids.1.cm")));
    }

    @Test
    @DisplayName("a store killed at any point of its first build is refused as still being built, and the next run builds it again")
    void killedFirstBuild(@TempDir Path tmp) throws IOException {
        Path full = tmp.resolve("full");
        try (EngineRun s = Engine.builder(tenant(30)).persisted(full, SOURCE, l -> { })) {
            s.finish();
        }
        // the files a first build has written when it is killed: its commit record says "being built" until the end
        for (String[] keep : new String[][] {{"lock", "commit.bin"}, {"lock", "commit.bin", "manifest.json"},
                {"lock", "manifest.json"}, {"lock", "commit.bin", "manifest.json", "undo.bin", "state.cm"},
                // killed while its manifest was being written (after the commit record): the writer's own temporary file
                {"lock", "commit.bin", ".manifest.json" + org.licensim.core.files.AtomicFile.TEMP_MARK + "0123456789ab.tmp"}}) {
            Path dir = tmp.resolve("killed-" + keep.length + "-" + keep[keep.length - 1]);
            Files.createDirectories(dir);
            for (String f : keep) {
                Files.copy(full.resolve(f.startsWith(".manifest.json") ? "manifest.json" : f), dir.resolve(f));
            }
            if (keep.length == 2 && keep[1].equals("commit.bin")) {
                // killed between creating the commit record and writing its first slot: all zeros
                Files.write(dir.resolve("commit.bin"), new byte[256]);
            } else if (Files.exists(dir.resolve("commit.bin"))) {
                try (CommitHeader h = CommitHeader.open(dir.resolve("commit.bin"))) {
                    h.write(new CommitHeader.Slot(h.current().commitNo() + 1, ChronicleStateStore.LAYOUT,
                            CommitHeader.BUILDING, -1, 0, 0, 0));
                }
            }
            if (ChronicleStateStore.exists(dir)) {
                LicensimException e = assertThrows(LicensimException.class, () -> ChronicleStateStore.open(dir, true).close());
                assertTrue(e.getMessage().contains("still being built"), String.join(",", keep) + ": " + e.getMessage());
            }
            List<String> log = new ArrayList<>();
            try (EngineRun s = Engine.builder(tenant(30)).persisted(dir, SOURCE, log::add)) {
                s.finish();
            }
            try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
                assertEquals(30, st.entries(), String.join(",", keep) + " then rebuilt: " + log);
            }
        }
    }

    @Test
    @DisplayName("a tenant with no users makes a store that reopens (no NullPointerException in the sizing)")
    void tenantWithoutUsers(@TempDir Path tmp) {
        Path dir = tmp.resolve("store");
        try (EngineRun s = Engine.builder(tenant(0)).persisted(dir, SOURCE, l -> { })) {
            s.apply(hires(0, 3, 1).get(0));
            s.finish();
        }
        try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
            assertEquals(1, st.userCount());
            assertEquals(1, st.lastSeq());
        }
    }

    @Test
    @DisplayName("one process at a time: a second writer and a reader are refused naming the holder's pid; after it, the store opens as it was")
    void oneWriterAtATime(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("store");
        try (EngineRun s = Engine.builder(tenant(200)).persisted(dir, SOURCE, l -> { })) {
            for (Event e : hires(200, 300, 1)) {
                s.apply(e);
            }
            s.finish();
        }
        Process holder = child(StoreHolder.class.getName(), dir.toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertTrue(first != null && first.startsWith("holding pid " + holder.pid()), "holder said: " + first);
        try {
            LicensimException writer = assertThrows(LicensimException.class,
                    () -> Engine.builder(tenant(200)).persisted(dir, SOURCE, l -> { }).close());
            assertTrue(writer.getMessage().contains("in use by another process (pid " + holder.pid()), writer.getMessage());
            assertTrue(writer.getMessage().contains("a test holding the store"), writer.getMessage());
            LicensimException reader = assertThrows(LicensimException.class,
                    () -> ChronicleStateStore.open(dir, false, "reading").close());
            assertTrue(reader.getMessage().contains("pid " + holder.pid()), reader.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals("released", out.readLine());
        try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
            assertNull(st.recovery(), "the holder closed cleanly: nothing to recover");
            assertEquals(300, st.entries());
            assertEquals(200, st.lastSeq());
        }
    }

    @Test
    @DisplayName("disk full in the middle of a store run (a small tmpfs): a clear error, and the store reopens at its last commit and resumes")
    void diskFull(@TempDir Path tmp) throws Exception {
        Path mnt = tmp.resolve("small-disk");
        Files.createDirectories(mnt);
        assumeTrue(mount(mnt, "24m"), "needs root to mount a tmpfs (CI and the developers' machines run as root)");
        try {
            // creating a store on a full disk fails with a message and leaves nothing behind
            Path full = mnt.resolve("everything");
            fill(full);
            try (OutputStream o = Files.newOutputStream(full, java.nio.file.StandardOpenOption.APPEND)) {
                o.write(new byte[6 * 64 * 1024]);
            } catch (IOException stillFull) {
                // as full as it gets
            }
            Path never = mnt.resolve("never");
            LicensimException refused = assertThrows(LicensimException.class,
                    () -> Engine.builder(tenant(2_000)).persisted(never, SOURCE, l -> { }).close());
            assertTrue(refused.getMessage().contains(never.toString()), refused.getMessage());
            assertFalse(Files.exists(never), "a store that could not be created leaves no directory behind");
            Files.delete(full);

            Path dir = mnt.resolve("store");
            List<Event> events = hires(2_000, 60_000, 1);
            long committed;
            LicensimException failure = null;
            Path filler = mnt.resolve("filler");
            try (EngineRun s = Engine.builder(tenant(2_000)).persisted(dir, SOURCE, l -> { })) {
                fill(filler);
                try {
                    for (Event e : events) {
                        s.apply(e);
                    }
                } catch (LicensimException e) {
                    failure = e;
                }
                committed = s.persisted().orElseThrow().store().lastSeq();
            } catch (LicensimException e) {
                failure = failure != null ? failure : e;
                committed = -2;
            }
            assertTrue(failure != null, "a full disk must stop the run");
            assertTrue(failure.getMessage().contains(dir.toString()) || failure.getMessage().contains("small-disk"),
                    failure.getMessage());
            Files.delete(filler);
            long at;
            try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
                at = st.lastSeq();
                assertTrue(committed == -2 || at == committed, "reopened at the last commit " + committed + ", not " + at);
                assertTrue(at > 0 && at < events.get(events.size() - 1).seq(), "stopped in the middle: " + at);
            }
            try (EngineRun s = Engine.builder(tenant(2_000)).persisted(dir, SOURCE, l -> { })) {
                for (Event e : events.subList(0, 4_000)) {
                    s.apply(e);
                }
                s.finish();
            }
            try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
                assertEquals(Math.max(at, 4_000), st.lastSeq(), "resumed after space was freed");
            }
            System.out.println("StoreReliabilityTest: disk full stopped the run with: " + failure.getMessage()
                    + "\n  reopened at seq " + at);
        } finally {
            new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Fills the file system of {@code file} but for a few hundred KiB, with {@code file}. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream o = Files.newOutputStream(file)) {
            while (true) {
                o.write(block);
            }
        } catch (IOException full) {
            // the disk is full now
        }
        long keep = Math.max(0, Files.size(file) - 6 * block.length);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(keep);
        }
    }

    private static boolean mount(Path at, String size) {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Process child(String main, String... args) throws Exception {
        return ChildJvm.start(ChildJvm.command(main, List.of(), args));
    }
}
