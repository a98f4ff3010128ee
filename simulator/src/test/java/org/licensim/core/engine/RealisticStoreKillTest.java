package org.licensim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.ChildJvm;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.files.Trees;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.EventWriter;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.io.SnapshotWriter;
import org.licensim.core.rules.RuleMembership;
import org.licensim.core.state.ChronicleStateStore;
import org.licensim.simulator.run.Simulation;
import org.licensim.simulator.scenario.Scenarios;

/**
 * The kill -9 test at the size an administrator runs: a tenant of 20,000 users with 90 days of
 * the simulator's churn (hires, leavers, transfers, attribute and group edits), resolved into a
 * persisted store by a child JVM that is killed during its first build (the snapshot is the
 * tenant at the end of the simulation's day 0, so that build resolves and writes all 20,000
 * users), during the catch-up replay of a resumed run, and while applying events. Every store it leaves behind reopens
 * equal to the reference model at the store's last committed event (or, killed before its first
 * commit, is rebuilt), and every resumed run ends equal to the model after the whole history.
 * First builds killed alike (nothing on disk yet, or a store refused as still being built) are
 * resumed once per kind: the rest would repeat the same run from nothing (in one run, 5 of the
 * 14 whole runs to the end the test made).
 *
 * <p>Each child is mostly one thread, so two run at a time: the kill chains (a first build, a
 * store killed while applying, then that store killed in its catch-up), each with its own random
 * draws, and the resumes, each started as soon as its store has been compared with the model
 * while the model goes on through the history. A kill still lands at a random moment of that
 * child's build, or after a drawn number of that child's events. The children find Chronicle's
 * value classes compiled by the build in core's classes ({@code ChronicleValueClasses}) instead of
 * each running javac, and a store left by two kills (applying, then its catch-up) is compared
 * with the model once.
 * (On a loaded 2-core machine: 348-420 s when one child ran at a time and the model, rebuilding
 * its proxy-address counts at every hire, took 223 s of it; 88-117 s now.)
 *
 * <p>It lives in the simulator module because the simulator makes the history; it is in the
 * engine's package to use the engine's test model ({@link ReferenceModel}) and child
 * ({@link StoreChild}) from core's test jar.
 */
class RealisticStoreKillTest {
    private static final int USERS = 20_000;
    private static final int DAYS = 90;
    /** Children still running if the test fails; killed when it ends. */
    private static final List<Process> CHILDREN = new CopyOnWriteArrayList<>();
    /**
     * The parent's own store opens while kill chains run, one at a time: Chronicle would make its
     * value classes on the first open if the build could not (core's ChronicleValueClasses).
     */
    private static final Object OPENING = new Object();

    @Test
    @DisplayName("R11 kill -9 at 20,000 users with 90 days of churn: first build, catch-up and apply phases each reopen at a committed prefix the model agrees with")
    void killsAtRealisticSize(@TempDir Path tmp) throws Exception {
        int perPhase = 7 * Math.max(1, Integer.getInteger("licensim.soak", 1) > 1 ? 5 : 1);
        Catalog catalog = Catalog.loadDefault();
        Simulation sim = new Simulation(Scenarios.shipped("small", catalog).with(20261201L, USERS, DAYS), catalog);
        // the children start from the tenant at the end of day 0 (20,000 users, their groups and
        // licences), so a first build resolves and writes them all; the history is the 90 days after
        Path events = tmp.resolve("events.jsonl");
        Path snap = tmp.resolve("day0.json");
        boolean[] day0Done = {false};
        try (OutputStream out = Files.newOutputStream(events); EventWriter w = new EventWriter(out)) {
            sim.run((day, days, n, nanos) -> {
                if (day == 0) {
                    directoryOnly(sim.engine(), snap);
                    day0Done[0] = true;
                }
            }, e -> {
                if (day0Done[0]) {
                    w.write(e);
                }
            });
        }
        List<Event> history = new ArrayList<>();
        try (EventReader r = EventReader.open(events)) {
            for (Event e = r.next(); e != null; e = r.next()) {
                history.add(e);
            }
        }
        assertTrue(history.size() > 2_000, "months of churn: " + history.size() + " events");
        assertEquals(USERS, SnapshotReader.withDefaults().read(snap).users().size(), "day 0's users in the snapshot");
        List<String> cmd = ChildJvm.command(StoreChild.class.getName(), List.of("-Xmx1g", "-XX:TieredStopAtLevel=1"),
                snap.toString(), events.toString());
        SplittableRandom rnd = new SplittableRandom(0x5EED);

        // how long a child takes to build the store ("started"), to place first-build kills inside it
        long t0 = System.nanoTime();
        Process first = start(cmd, tmp.resolve("probe"));
        long buildNanos = ChildJvm.read(first, "started", Long.MAX_VALUE).nanos() - t0;
        kill(first);

        // two children at a time (each is mostly one thread): every kill chain, and every resume, is independent
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Kill>>> chains = new ArrayList<>();
            for (int k = 0; k < perPhase; k++) {
                Path built = tmp.resolve("build" + k);
                Path applied = tmp.resolve("apply" + k);
                SplittableRandom r = rnd.split(); // each chain its own draws, whatever the order the two run in
                chains.add(pool.submit(() -> killChain(cmd, built, applied, r, buildNanos, history)));
            }
            List<Kill> kills = new ArrayList<>();
            for (Future<List<Kill>> c : chains) {
                kills.addAll(get(c));
            }
            checkKilled(kills, snap, history, pool, cmd, perPhase);
        } finally {
            pool.shutdownNow();
            CHILDREN.forEach(Process::destroyForcibly);
        }
        Trees.delete(tmp.resolve("probe"));
    }

    /**
     * One chain of three kills: a first build killed at a random moment before its first commit
     * ({@code built}); a store killed after a random number of applied events ({@code applied});
     * then that store resumed and killed again while its events are read again (catch-up).
     */
    private static List<Kill> killChain(List<String> cmd, Path built, Path applied, SplittableRandom rnd, long buildNanos,
                                        List<Event> history) throws Exception {
        List<Kill> kills = new ArrayList<>();
        // 1. first build: killed at a random moment before the store's first commit
        Process p = start(cmd, built);
        ChildJvm.Seen s = ChildJvm.read(p, null, System.nanoTime() + (long) (buildNanos * (0.2 + 0.75 * rnd.nextDouble())));
        kill(p);
        kills.add(new Kill("first build", built, s.last()));
        // 2. apply: killed after a random number of events
        int at = 25 * (1 + rnd.nextInt(history.size() / 25 - 1));
        p = start(cmd, applied);
        s = ChildJvm.read(p, "applied " + at, Long.MAX_VALUE);
        kill(p);
        kills.add(new Kill("apply", applied, s.last()));
        // 3. catch-up: the killed store resumed, and killed again while its events are read again
        long seq;
        synchronized (OPENING) {
            try (ChronicleStateStore st = ChronicleStateStore.open(applied, true)) {
                seq = st.lastSeq();
            }
        }
        int upTo = (int) history.stream().filter(e -> e.seq() <= seq).count();
        if (upTo >= 50) {
            int again = 25 * (1 + rnd.nextInt(upTo / 25 - 1));
            p = start(cmd, applied);
            s = ChildJvm.read(p, "applied " + again, Long.MAX_VALUE);
            kill(p);
            kills.add(new Kill("catch-up", applied, s.last() + " (store at seq " + seq + ")"));
        }
        return kills;
    }

    /**
     * Every killed store reopens at a committed prefix equal to the model there (compared in seq
     * order, the model applying the history once), or is absent, or is refused as still being
     * built; then every store resumes to the end and equals the model. A store is resumed (on the
     * pool) as soon as its last comparison is done, so resumes run while the model goes on.
     */
    private static void checkKilled(List<Kill> kills, Path snap, List<Event> history, ExecutorService pool,
                                    List<String> cmd, int perPhase) throws Exception {
        StringBuilder report = new StringBuilder();
        List<Opened> opened = new ArrayList<>();
        int refusedBuilds = 0;
        // first builds killed alike (nothing written yet, or refused as still being built): one of each is resumed
        List<Path> sameAsEarlier = new ArrayList<>();
        boolean seenEmpty = false;
        boolean seenRefused = false;
        for (Kill k : kills) {
            if (!ChronicleStateStore.exists(k.dir)) {
                report.append(String.format("  %-11s %-40s no store yet%n", k.phase, k.last));
                if (seenEmpty) {
                    sameAsEarlier.add(k.dir);
                }
                seenEmpty = true;
                continue;
            }
            try (ChronicleStateStore st = ChronicleStateStore.open(k.dir, true)) {
                opened.add(new Opened(k, st.lastSeq()));
            } catch (LicensimException e) {
                assertEquals("first build", k.phase, k.phase + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("still being built"), e.getMessage());
                refusedBuilds++;
                if (seenRefused) {
                    sameAsEarlier.add(k.dir);
                }
                seenRefused = true;
                report.append(String.format("  %-11s %-40s refused: still being built%n", k.phase, k.last));
            }
        }
        // every store resumes to the end (a store killed in its first build is built again); of the first builds
        // killed alike, one resumes (the others would repeat the same run from nothing)
        List<Path> dirs = kills.stream().map(k -> k.dir).distinct().filter(d -> !sameAsEarlier.contains(d)).toList();
        Map<Path, Future<?>> resumed = new LinkedHashMap<>();
        for (Path dir : dirs) {
            if (opened.stream().noneMatch(o -> o.kill.dir.equals(dir))) {
                resumed.put(dir, pool.submit(() -> resume(cmd, dir)));
            }
        }
        opened.sort(Comparator.comparingLong(Opened::seq));
        ReferenceModel model = model(snap);
        int next = 0;
        // a store killed while applying and then in its catch-up is one store, left by both kills: compared once
        Map<Path, Long> comparedAt = new HashMap<>();
        for (int i = 0; i < opened.size(); i++) {
            Opened o = opened.get(i);
            Path dir = o.kill.dir;
            if (comparedAt.containsKey(dir)) {
                assertEquals(comparedAt.get(dir), o.seq, dir + ": one store, one committed seq");
            } else {
                while (next < history.size() && history.get(next).seq() <= o.seq) {
                    apply(model, history.get(next++));
                }
                try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
                    String d = StoreSessionTest.compare(st, model, SnapshotReader.withDefaults().read(snap));
                    assertNull(d, kills.stream().filter(k -> k.dir.equals(dir))
                            .map(k -> k.phase + " kill (child's last line: " + k.last + ")").collect(Collectors.joining(", then "))
                            + ": reopened store at seq " + o.seq + " differs from the model: " + d);
                }
                comparedAt.put(dir, o.seq);
            }
            report.append(String.format("  %-11s %-40s reopened at seq %d, equal to the model%n", o.kill.phase,
                    o.kill.last, o.seq));
            if (opened.subList(i + 1, opened.size()).stream().noneMatch(later -> later.kill.dir.equals(dir))) {
                resumed.put(dir, pool.submit(() -> resume(cmd, dir)));
            }
        }
        while (next < history.size()) {
            apply(model, history.get(next++));
        }
        for (Path dir : dirs) {
            get(resumed.get(dir));
            try (ChronicleStateStore st = ChronicleStateStore.open(dir, true)) {
                assertEquals(history.get(history.size() - 1).seq(), st.lastSeq(), dir + ": resumed to the end");
                assertNull(StoreSessionTest.compare(st, model, SnapshotReader.withDefaults().read(snap)),
                        dir + ": resumed store differs from the model after the whole history");
            }
        }
        long byPhase = kills.stream().map(k -> k.phase).distinct().count();
        System.out.println("RealisticStoreKillTest: " + USERS + " users, " + history.size() + " events over " + DAYS
                + " days; " + kills.size() + " kills (" + refusedBuilds + " first builds refused, then rebuilt), "
                + opened.size() + " stores reopened at a committed prefix equal to the model, " + dirs.size()
                + " resumed to the end equal to it (" + sameAsEarlier.size() + " first builds killed like an earlier one not resumed)\n" + report);
        assertEquals(3, byPhase, "kills in all three phases");
        assertTrue(kills.size() >= 20, "at least 20 kills, made " + kills.size());
        assertTrue(opened.stream().filter(o -> o.kill.phase.equals("apply") && o.seq > 0).count() >= perPhase / 2,
                "kills in the apply phase must leave stores in the middle of the events:\n" + report);
    }

    /** Runs the store in {@code dir} to the end of the events in a child; fails unless it ends cleanly. */
    private static Void resume(List<String> cmd, Path dir) throws Exception {
        Process p = start(cmd, dir);
        ChildJvm.Seen s = ChildJvm.read(p, "done", Long.MAX_VALUE);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, dir + ": resumed run failed: " + s.all());
        return null;
    }

    private static void apply(ReferenceModel model, Event e) {
        try {
            model.apply(e);
        } catch (ReferenceModel.Rejected ignored) {
            // refused events change nothing, in the store as in the model
        }
    }

    /** A pool task's result; what failed in it is thrown here as itself. */
    private static <T> T get(Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * The engine's tenant as a snapshot of the directory only: its users, groups and licences
     * without the resolved state SnapshotWriter adds (each source's state and R11 demandOrder,
     * lastAppliedSeq), which a store loads as it is and the reference model, which resolves a
     * snapshot from nothing, does not read. Both then resolve the 20,000 users themselves.
     */
    private static void directoryOnly(Engine engine, Path snap) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            SnapshotWriter.write(engine, out);
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode root =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(out.toByteArray());
            root.remove("lastAppliedSeq");
            for (com.fasterxml.jackson.databind.JsonNode u : root.get("users")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) u).remove("licenseAssignmentStates");
            }
            json.writeValue(snap.toFile(), root);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Kill(String phase, Path dir, String last) {
    }

    private record Opened(Kill kill, long seq) {
    }

    private static ReferenceModel model(Path snap) {
        Tenant t = SnapshotReader.withDefaults().read(snap);
        new RuleMembership().applyTo(t);
        ReferenceModel m = new ReferenceModel(t);
        m.reconcile();
        return m;
    }

    private static Process start(List<String> cmd, Path dir) throws Exception {
        List<String> c = new ArrayList<>(cmd);
        c.add(dir.toString());
        Process p = ChildJvm.start(c);
        CHILDREN.add(p);
        return p;
    }
}
