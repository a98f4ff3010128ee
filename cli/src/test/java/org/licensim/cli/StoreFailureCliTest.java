package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.cli.CliTest.Result;
import org.licensim.core.ChildJvm;
import org.licensim.core.state.StoreDamage;
import org.licensim.core.state.StoreFaults;
import org.licensim.core.state.StoreHolder;

/**
 * docs/STORE.md "When the store fails": a store failure is never a rejected event, and damage
 * is found on any read, not only with --verify.
 */
class StoreFailureCliTest {
    private static final String SNAPSHOT = "../examples/contoso-small.json";
    private static final String EVENTS = "../examples/contoso-small.events.jsonl";

    @AfterEach
    void diskHasRoomAgain() {
        StoreFaults.clear();
    }

    @Test
    @DisplayName("A full disk under --on-reject skip stops the run naming the file and the seq; the same command resumes once there is room")
    void fullDiskUnderSkipStopsAndResumes(@TempDir Path tmp) throws Exception {
        // given: the state an in-memory resolve of the same input ends with
        Path expected = tmp.resolve("expected.json");
        assertEquals(0, CliTest.run("resolve", SNAPSHOT, "--events", EVENTS, "--out", expected.toString(), "--quiet").code());
        Path store = tmp.resolve("store");
        Path out = tmp.resolve("state.json");
        String[] command = {"resolve", SNAPSHOT, "--events", EVENTS, "--store", store.toString(), "--on-reject", "skip",
            "--out", out.toString(), "--quiet"};

        // when: the disk fills once the store has committed event seq 5
        StoreFaults.failWritesAfterSeq(5);
        Result failed = CliTest.run(command);

        // then: exit 1, one message naming the file, the event and the commit the store stays at; no output written
        assertEquals(1, failed.code(), failed.out() + failed.err());
        assertTrue(failed.err().startsWith("licensim: " + EVENTS + ":6: event seq 6: the store failed, the run stops: "
                + store.resolve("state.cm") + ": failed while writing the state of user index "), failed.err());
        assertTrue(failed.err().contains("No space left on device (simulated)"), failed.err());
        assertTrue(failed.err().contains("the store stays at its last commit (after event seq 5); remove the cause "
                + "(free disk space if it is full) and run the same command again to resume"), failed.err());
        assertEquals(1, failed.err().lines().count(), failed.err());
        assertFalse(failed.out().contains("events rejected"), failed.out());
        assertFalse(Files.exists(out), "no state file after a failed run");
        Result info = CliTest.run("state", store.toString(), "--verify");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("last applied event: seq 5"), info.out());

        // when: there is room again and the same command runs
        StoreFaults.clear();
        Result resumed = CliTest.run(command);

        // then: it resumes after seq 5 and ends where the in-memory resolve does
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resumed after seq 5"), resumed.out());
        assertEquals(Files.readString(expected), Files.readString(out));
    }

    @Test
    @DisplayName("A value hidden by a damaged key is an error naming the file on state --user without --verify, not \"no licences\"")
    void hiddenValueWithoutVerify(@TempDir Path tmp) throws Exception {
        // given: a store in which Lidia holds licences, and a flipped byte in the key beside her value
        Path store = tmp.resolve("store");
        assertEquals(0, CliTest.run("resolve", SNAPSHOT, "--events", EVENTS, "--store", store.toString(), "--quiet").code());
        String lidia = "a1b2c3d4-0009-4000-8000-000000000009";
        Result before = CliTest.run("state", store.toString(), "--user", lidia);
        assertEquals(0, before.code(), before.err());
        assertFalse(before.out().contains("no licences"), before.out());
        Path file = StoreDamage.hideValue(store, lidia);

        // when: her state is asked without --verify
        Result after = CliTest.run("state", store.toString(), "--user", lidia);

        // then: an error naming the file, not an answer
        assertEquals(1, after.code(), after.out());
        assertTrue(after.err().startsWith("licensim: " + file + ": the value of user index "), after.err());
        assertTrue(after.err().contains("the store cannot be trusted: rebuild it from its snapshot and events"), after.err());
        assertFalse(after.out().contains("no licences"), after.out());
    }

    @Test
    @DisplayName("A user id hidden by a damaged id map is an error naming the file, not \"no user with that id\"")
    void hiddenUserIdWithoutVerify(@TempDir Path tmp) throws Exception {
        Path store = tmp.resolve("store");
        assertEquals(0, CliTest.run("resolve", SNAPSHOT, "--events", EVENTS, "--store", store.toString(), "--quiet").code());
        String lidia = "a1b2c3d4-0009-4000-8000-000000000009";
        Path file = StoreDamage.hideUserId(store, lidia, "user-ids.cm");

        Result after = CliTest.run("state", store.toString(), "--user", lidia);

        assertEquals(1, after.code(), after.out());
        assertTrue(after.err().startsWith("licensim: " + file + ": "), after.err());
        assertTrue(after.err().contains("the store is damaged and cannot be trusted"), after.err());
        assertFalse(after.err().contains("no user with that id"), after.err());
    }

    @Test
    @DisplayName("R22: an id of 1,024 characters enters a store and is found again; one of 1,025 is a rejected event, never a store stop")
    void longIdsAreRefusedAtTheEvent(@TempDir Path tmp) throws Exception {
        // given: the example's events, then a user created with an id at the limit and one past it
        String first = Files.readAllLines(Path.of(EVENTS)).get(0);
        String atLimit = "a".repeat(1024);
        String past = "b".repeat(1025);
        Path events = tmp.resolve("events.jsonl");
        Files.writeString(events, Files.readString(Path.of(EVENTS))
                + userCreated(first, 17, atLimit, "limit@contoso.com") + "\n"
                + userCreated(first, 18, past, "past@contoso.com") + "\n");
        Path store = tmp.resolve("store");

        // when: resolved into a store, going on past rejected events
        Result r = CliTest.run("resolve", SNAPSHOT, "--events", events.toString(), "--store", store.toString(),
                "--on-reject", "skip");

        // then: the long id is a rejected event naming its length, and the store holds every other event
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(events + ":18: event seq 18 (UserCreated) rejected: id \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb...\" "
                + "of 1,025 characters is longer than the 1,024 characters licensim keeps for a user or group id"), r.out());
        assertTrue(r.out().contains("state after event seq 17"), r.out());
        Result info = CliTest.run("state", store.toString(), "--user", atLimit);
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().startsWith("user " + atLimit + ": state after event seq 17"), info.out());
        Result again = CliTest.run("resolve", SNAPSHOT, "--events", events.toString(), "--store", store.toString(),
                "--on-reject", "skip", "--quiet");
        assertEquals(0, again.code(), again.err());
    }

    /** The first example event (a UserCreated) again with another seq, id and userPrincipalName. */
    private static String userCreated(String template, long seq, String id, String upn) {
        return template.replaceFirst("\"seq\":1,", "\"seq\":" + seq + ",")
                .replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"" + id + "\"")
                .replaceFirst("\"userPrincipalName\":\"[^\"]*\"", "\"userPrincipalName\":\"" + upn + "\"");
    }

    @Test
    @DisplayName("Deleting DIR/lock does not let a second process in beside a live one: the commit record is locked too")
    void deletedLockFileStillRefuses(@TempDir Path tmp) throws Exception {
        // given: a store held open by another process, and its lock file deleted
        Path store = tmp.resolve("store");
        assertEquals(0, CliTest.run("resolve", SNAPSHOT, "--events", EVENTS, "--store", store.toString(), "--quiet").code());
        Process holder = ChildJvm.start(ChildJvm.command(StoreHolder.class.getName(), List.of(), store.toString()));
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = out.readLine();
        } while (line != null && !line.startsWith("holding pid"));
        assertTrue(line != null, "the other process holds the store");
        try {
            Files.delete(store.resolve("lock"));

            // when: a reader and a writer come
            Result reader = CliTest.run("state", store.toString());
            Result writer = CliTest.run("resolve", SNAPSHOT, "--events", EVENTS, "--store", store.toString(), "--quiet");

            // then: both refused, naming the commit record
            for (Result r : List.of(reader, writer)) {
                assertEquals(1, r.code(), r.out());
                assertTrue(r.err().startsWith("licensim: " + store + ": the store is in use by another process (it holds "
                        + "commit.bin; the store's lock file was removed or replaced while it ran)"), r.err());
            }
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
        // and the holder's store is intact once it is gone
        Result after = CliTest.run("state", store.toString(), "--verify");
        assertEquals(0, after.code(), after.err());
        assertFalse(after.err().contains("not closed cleanly"), after.err());
    }
}
