package org.licensim.core.engine;

import org.licensim.core.state.StoreSource;
import org.licensim.core.state.StoredEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.ChildJvm;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.DifferentialTest.Scenario;
import org.licensim.core.event.Event;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.io.EventWriter;
import org.licensim.core.rules.RuleMembership;
import org.licensim.core.state.ChronicleStateStore;
import org.licensim.core.state.States;

/**
 * An engine on the persisted store: reopening gives what was closed; a process killed anywhere
 * leaves a store at a prefix of the events that the reference model agrees with, and resuming
 * finishes the events and agrees with the model again. (Damaged files: ChronicleStateStoreTest.)
 */
public class StoreSessionTest {
    static final StoreSource SOURCE = StoreSource.parse("random.json sha256:test");

    /** A store made from a random history and closed, for tests that damage its files. */
    public static Path madeStore(Path tmp, String name) {
        Scenario s = Scenario.generate(4242, 300);
        Path dir = tmp.resolve(name);
        runSession(s, s.events, dir, new ArrayList<>());
        return dir;
    }

    /** Runs {@code events} through a store session on {@code dir} in this JVM. */
    static Engine runSession(Scenario s, List<Event> events, Path dir, List<String> log) {
        return runSession(s, events, dir, log, e -> null);
    }

    /** As above; {@code check} sees the engine before the store closes and its answer must be null. */
    static Engine runSession(Scenario s, List<Event> events, Path dir, List<String> log,
                             java.util.function.Function<Engine, String> check) {
        Tenant t = s.load();
        try (EngineRun session = Engine.builder(t).feed(new ChangeFeed()).persisted(dir, SOURCE, log::add)) {
            for (Event e : events) {
                try {
                    session.apply(e);
                } catch (LicensimException rejected) {
                    // rejected events change nothing, in the store as in the model
                }
            }
            session.finish();
            assertNull(check.apply(session.engine()));
            return session.engine();
        }
    }

    /** The reference model after the events up to {@code lastSeq}. */
    static ReferenceModel model(Scenario s, long lastSeq) {
        Tenant t = s.load();
        new RuleMembership().applyTo(t);
        ReferenceModel m = new ReferenceModel(t);
        m.reconcile();
        for (Event e : s.events) {
            if (e.seq() > lastSeq) {
                break;
            }
            try {
                m.apply(e);
            } catch (ReferenceModel.Rejected ignored) {
                // as the engine
            }
        }
        return m;
    }

    /** Null when every user's stored entries are the model's, else the first difference. */
    static String compare(ChronicleStateStore store, ReferenceModel m, Tenant t) {
        for (int u = 0; u < Math.max(m.users.size(), store.users()); u++) {
            List<String> mine = new ArrayList<>();
            for (StoredEntry e : store.entries(u)) {
                TreeSet<Integer> plans = new TreeSet<>();
                int[] ps = t.subscriptions().product(e.product()).plans();
                for (int k = 0; k < ps.length; k++) {
                    if ((e.enabled()[k >>> 6] & (1L << k)) != 0) {
                        plans.add(ps[k]);
                    }
                }
                mine.add("src=" + e.src() + " t=" + e.product() + " " + States.stateName(e.state()) + "/"
                        + States.errorName(e.state()) + " key=" + e.key() + " plans=" + plans);
            }
            List<String> theirs = new ArrayList<>();
            if (u < m.users.size() && !m.users.get(u).deleted) {
                m.entries(u).forEach(x -> theirs.add(x.toString()));
            }
            if (!mine.equals(theirs)) {
                return "user u" + u + "\n  store: " + mine + "\n  model: " + theirs;
            }
        }
        return null;
    }

    @Test
    @DisplayName("a store closed and reopened holds what the reference model holds; resuming with more events continues it")
    void closeAndReopen(@TempDir Path tmp) {
        for (long seed = 1; seed <= 6; seed++) {
            Scenario s = Scenario.generate(0xC0FFEEL + seed, 600);
            Path dir = tmp.resolve("store" + seed);
            List<String> log = new ArrayList<>();
            runSession(s, s.events.subList(0, 300), dir, log);
            long n;
            try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
                assertNull(st.recovery(), "a cleanly closed store needs no recovery");
                n = st.lastSeq();
                assertTrue(n > 0 && n <= 300, "last seq " + n);
                Tenant t = s.load();
                assertNull(compare(st, model(s, n), t), "seed " + seed + " after reopen");
            }
            log.clear();
            Engine e = runSession(s, s.events, dir, log);
            assertTrue(log.stream().anyMatch(l -> l.startsWith("caught up to seq " + n)), log.toString());
            ReferenceModel full = model(s, Long.MAX_VALUE);
            try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
                assertEquals(e.lastAppliedSeq(), st.lastSeq());
                assertNull(compare(st, full, s.load()), "seed " + seed + " after resuming");
            }
            assertTrue(Files.notExists(dir.resolve("catch-up")), "the catch-up store is removed");
        }
    }

    @Test
    @DisplayName("resuming with a different snapshot, or with too few events, is refused by name")
    void resumeChecksItsInput(@TempDir Path tmp) {
        Scenario s = Scenario.generate(77, 200);
        Path dir = tmp.resolve("store");
        runSession(s, s.events, dir, new ArrayList<>());
        Tenant t = s.load();
        new RuleMembership().applyTo(t);
        LicensimException other = assertThrows(LicensimException.class, () -> Engine.builder(t)
                .persisted(dir, StoreSource.parse("other.json sha256:x"), l -> { }));
        assertTrue(other.getMessage().contains("was made from " + SOURCE), other.getMessage());
        LicensimException few = assertThrows(LicensimException.class,
                () -> runSession(s, s.events.subList(0, 10), dir, new ArrayList<>()));
        assertTrue(few.getMessage().contains("events given end at seq"), few.getMessage());
        Scenario different = Scenario.generate(78, 200);
        LicensimException mismatch = assertThrows(LicensimException.class,
                () -> runSession(different, different.events, dir, new ArrayList<>()));
        assertTrue(mismatch.getMessage().contains(dir.toString()), mismatch.getMessage());
    }

    @Test
    @DisplayName("a child JVM killed at random points leaves a store at a prefix the model agrees with; resuming completes it")
    void killedChildJvm(@TempDir Path tmp) throws Exception {
        int kills = 20 * Math.max(1, Integer.getInteger("licensim.soak", 1) > 1 ? 5 : 1);
        SplittableRandom rnd = new SplittableRandom(0xDEAD);
        int midStream = 0;
        int building = 0;
        StringBuilder report = new StringBuilder();
        for (int k = 0; k < kills; k++) {
            Scenario s = Scenario.generate(0xB00L + k, 1500);
            Path snap = tmp.resolve("snap" + k + ".json");
            Path events = tmp.resolve("events" + k + ".jsonl");
            Files.writeString(snap, s.snapshot);
            try (OutputStream out = Files.newOutputStream(events); EventWriter w = new EventWriter(out)) {
                for (Event e : s.events) {
                    w.write(e);
                }
            }
            Path dir = tmp.resolve("store" + k);
            List<String> cmd = ChildJvm.command(StoreChild.class.getName(), List.of("-Xmx256m"), snap.toString(),
                    events.toString(), dir.toString());
            Process p = ChildJvm.start(cmd);
            // half the kills at a random event count, half at a random time (startup and the first build included)
            boolean byCount = k % 2 == 0;
            int target = 25 * (1 + rnd.nextInt(1500 / 25 - 1));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800 + rnd.nextInt(3500));
            String last = ChildJvm.read(p, byCount ? "applied " + target : null, byCount ? Long.MAX_VALUE : deadline).last();
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            long lastSeq = Long.MIN_VALUE;
            if (ChronicleStateStore.exists(dir)) {
                try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
                    lastSeq = st.lastSeq();
                    String d = compare(st, model(s, lastSeq), s.load());
                    assertNull(d, "kill " + k + " (child's last line: " + last + "): reopened store at seq " + lastSeq
                            + " differs from the model: " + d);
                } catch (LicensimException e) {
                    assertTrue(e.getMessage().contains("still being built"), "kill " + k + ": " + e.getMessage());
                    building++;
                    deleteTree(dir);
                }
            }
            if (lastSeq > 0 && lastSeq < s.events.get(s.events.size() - 1).seq()) {
                midStream++;
            }
            report.append(String.format("  kill %2d: child's last line %-14s store at seq %s%n", k, last,
                    lastSeq == Long.MIN_VALUE ? "-" : Long.toString(lastSeq)));
            ReferenceModel full = model(s, Long.MAX_VALUE);
            int kill = k;
            runSession(s, s.events, dir, new ArrayList<>(),
                    e -> DifferentialTest.Scenario.compare(e, full, "kill " + kill + ", resumed to the end", null));
            try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
                assertNull(compare(st, full, s.load()), "kill " + k + ": resumed store");
            }
        }
        System.out.println("StoreSessionTest: " + kills + " kills, " + midStream + " in the middle of the events, "
                + building + " during the first build\n" + report);
        assertTrue(midStream >= kills / 3, "too few kills landed in the middle of the events to prove anything:\n" + report);
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
