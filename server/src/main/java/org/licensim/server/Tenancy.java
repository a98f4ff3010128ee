package org.licensim.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.Rejection;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.EventWriter;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.io.SnapshotWriter;

/**
 * One tenant served to many clients: the engine, a read-write lock around it (reads run
 * together, a write has the engine alone, so a read never sees half a write), the one writer
 * thread that applies changes in arrival order, the queue of group licence jobs it drains at
 * the configured rate, and the log of every accepted change in licensim's event format.
 *
 * <p>With a store directory, the log is made durable (fsync) before a write is answered, several
 * writes sharing one fsync when they arrive together; the starting snapshot is kept beside it and
 * a restart replays the log onto it (docs/SERVE.md, "Durability").
 */
public final class Tenancy implements AutoCloseable {
    /** Processing states of a group (Graph's licenseProcessingState.state). */
    static final String QUEUED = "QueuedForProcessing";
    static final String IN_PROGRESS = "ProcessingInProgress";
    static final String COMPLETE = "ProcessingComplete";

    /** Writes one writer pass applies before it logs and answers them together. */
    private static final int MAX_BATCH = 512;

    final Engine engine;
    final Tenant tenant;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Integer> byUpn = new HashMap<>();
    private final EventLog log;
    private final GroupQueue groupQueue;
    private final LinkedBlockingQueue<Write<?>> writes = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<Integer, String> processing = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<GroupJob> jobs = new ConcurrentLinkedQueue<>();
    private final double processingRate;
    private final Thread writer;
    private final LinkedBlockingQueue<Commit> commits = new LinkedBlockingQueue<>();
    private final Thread committer;
    private final AtomicLong acceptedJobs = new AtomicLong();
    /** Group jobs of an earlier run of the store, accepted and not finished then, queued again when it opened. */
    final int resumedGroupJobs;
    /** Set once by {@link GraphServer} before it listens: what a store that served before held (null: a new store, or none). */
    GraphServer.Reopened reopened;
    private volatile boolean running = true;
    private volatile String broken;

    /** A change: runs on the writer thread under the write lock; applies its events through {@code c}. */
    @FunctionalInterface
    interface Change<T> {
        T run(Changes c);
    }

    /** What a {@link Change} is given: the engine's next seq and time, and where events go. */
    final class Changes {
        private final List<Event> applied;

        private Changes(List<Event> applied) {
            this.applied = applied;
        }

        long nextSeq() {
            return engine.lastAppliedSeq() + 1;
        }

        Instant now() {
            return Instant.now().truncatedTo(ChronoUnit.MILLIS);
        }

        /** Applies {@code e} (a {@link Rejection} changes nothing and propagates) and logs it once the batch is done. */
        void apply(Event e) {
            engine.apply(e);
            applied.add(e);
            afterApply(e);
        }
    }

    private static final class Write<T> {
        final Change<T> change;
        final CompletableFuture<T> done = new CompletableFuture<>();

        Write(Change<T> change) {
            this.change = change;
        }
    }

    /** A group assignLicense accepted with 202 and waiting for the writer. */
    record GroupJob(long id, int group, Event.AssignLicense request, int members) {
    }

    /**
     * @param engine         a reconciled engine over the tenant to serve
     * @param log            where accepted events go (may be null: not recorded)
     * @param queue          the durable record of accepted group jobs (may be null)
     * @param processingRate members per second a group job takes; 0 or less: as fast as the engine goes
     */
    Tenancy(Engine engine, EventLog log, GroupQueue queue, double processingRate) throws IOException {
        this.engine = engine;
        this.tenant = engine.tenant();
        this.log = log;
        this.groupQueue = queue;
        this.processingRate = processingRate;
        Users users = tenant.users();
        for (int u = 0; u < users.size(); u++) {
            if (!users.isDeleted(u)) {
                indexUpn(u);
            }
        }
        if (queue != null) {
            for (GroupJob j : queue.pending()) {
                int g = tenant.groups().indexOf(j.request().groupId());
                if (g >= 0) {
                    processing.put(g, QUEUED);
                    jobs.add(new GroupJob(j.id(), g, j.request(), tenant.groups().userMembers(g).getCardinality()));
                }
                acceptedJobs.set(Math.max(acceptedJobs.get(), j.id()));
            }
        }
        resumedGroupJobs = jobs.size();
        this.writer = new Thread(this::writerLoop, "licensim-writer");
        writer.setDaemon(true);
        this.committer = new Thread(this::committerLoop, "licensim-committer");
        committer.setDaemon(true);
        writer.start();
        committer.start();
    }

    // ---- reads

    /** Runs {@code read} under the read lock: it sees the tenant between two writes, never during one. */
    <T> T read(java.util.function.Supplier<T> read) {
        lock.readLock().lock();
        try {
            return read.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A user's index by id or userPrincipalName (case-insensitive), or -1. Under the read lock. */
    int user(String idOrUpn) {
        int u = tenant.users().indexOf(idOrUpn);
        if (u >= 0 && !tenant.users().isDeleted(u)) {
            return u;
        }
        if (u < 0) {
            Integer v = byUpn.get(idOrUpn.toLowerCase(Locale.ROOT));
            if (v != null && !tenant.users().isDeleted(v)) {
                return v;
            }
        }
        return -1;
    }

    /** A live group's index, or -1. */
    int group(String id) {
        int g = tenant.groups().indexOf(id);
        return g >= 0 && !tenant.groups().isDeleted(g) ? g : -1;
    }

    /** Graph's licenseProcessingState.state of group {@code g}. */
    String processingState(int g) {
        return processing.getOrDefault(g, COMPLETE);
    }

    private void indexUpn(int u) {
        String upn = tenant.users().get(u, "userPrincipalName");
        if (upn != null) {
            byUpn.put(upn.toLowerCase(Locale.ROOT), u);
        }
    }

    private void afterApply(Event e) {
        // a switch expression: a kind of event added later does not compile here until it says whether it names a user
        // by a new userPrincipalName
        String named = switch (e.kind()) {
            case UserCreated -> ((Event.UserCreated) e).user().id;
            case UserAttributesChanged -> ((Event.UserAttributesChanged) e).attributes().strings.containsKey("userPrincipalName")
                    ? ((Event.UserAttributesChanged) e).userId() : null;
            // a deleted user's name stays indexed: lookups check that the user is live
            case UserDeleted, MemberAdded, MemberRemoved, GroupCreated, GroupDeleted, GroupRuleChanged,
                    LicenseAssignedToGroup, LicenseRemovedFromGroup, GroupDisabledPlansChanged, LicenseAssignedToUser,
                    LicenseRemovedFromUser, AssignLicense, UnitsChanged, Reprocess -> null;
        };
        if (named == null) {
            return;
        }
        int u = tenant.users().indexOf(named);
        if (e.kind() == Event.Kind.UserAttributesChanged) {
            byUpn.values().removeIf(v -> v == u); // its old name (a new user has none)
        }
        indexUpn(u);
    }

    // ---- writes

    /**
     * Runs {@code change} on the writer thread, after the writes that arrived before it, and
     * returns its result once it is applied and (with a store) durable. A {@link GraphError} or an
     * engine {@link Rejection} from the change comes back as it was thrown, and nothing changed.
     */
    <T> T write(Change<T> change) {
        if (broken != null) {
            throw new GraphError(503, "serviceNotAvailable", broken);
        }
        Write<T> w = new Write<>(change);
        writes.add(w);
        try {
            return w.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraphError(503, "serviceNotAvailable", "interrupted while waiting for the writer");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Accepts a group's assignLicense for processing (Graph answers 202): the group becomes
     * QueuedForProcessing now and is processed by the writer when its turn comes. With a store, the
     * job is durable before this returns. Called from a {@link Change}, after the engine checked it.
     */
    void enqueueGroupJob(int g, Event.AssignLicense request) {
        if (broken != null) {
            throw new GraphError(503, "serviceNotAvailable", broken);
        }
        synchronized (jobs) {
            long id = acceptedJobs.incrementAndGet();
            if (groupQueue != null) {
                try {
                    groupQueue.accepted(id, request);
                } catch (IOException e) {
                    fail("the group queue could not be written: " + e.getMessage());
                    throw new GraphError(503, "serviceNotAvailable", broken);
                }
            }
            processing.put(g, QUEUED);
            jobs.add(new GroupJob(id, g, request, read(() -> tenant.groups().userMembers(g).getCardinality())));
        }
        if (Thread.currentThread() != writer) {
            // wakes a writer waiting for work (never the writer itself: an interrupt would close its log's channel)
            writer.interrupt();
        }
    }

    /** Group jobs not yet finished (for tests and the admin route). */
    int pendingGroupJobs() {
        return jobs.size();
    }

    private void writerLoop() {
        List<Write<?>> batch = new ArrayList<>();
        List<Event> applied = new ArrayList<>();
        GroupJob current = null;
        long due = 0;
        while (running) {
            batch.clear();
            applied.clear();
            try {
                long waitNanos = 1_000_000_000L;
                if (current == null && !jobs.isEmpty()) {
                    current = jobs.peek();
                    processing.put(current.group(), IN_PROGRESS);
                    due = System.nanoTime() + (processingRate > 0 ? (long) (current.members() / processingRate * 1e9) : 0);
                }
                if (current != null) {
                    waitNanos = Math.max(0, due - System.nanoTime());
                }
                Write<?> first = waitNanos == 0 ? writes.poll() : writes.poll(waitNanos, TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    writes.drainTo(batch, MAX_BATCH - 1);
                    runBatch(batch, applied);
                }
                if (current != null && System.nanoTime() - due >= 0) {
                    runGroupJob(current);
                    jobs.poll();
                    current = null;
                }
            } catch (InterruptedException e) {
                // woken by a new group job or by close(): the loop re-reads its state
                Thread.interrupted();
            }
        }
    }

    private void runBatch(List<Write<?>> batch, List<Event> applied) {
        Object[] results = new Object[batch.size()];
        RuntimeException[] errors = new RuntimeException[batch.size()];
        lock.writeLock().lock();
        try {
            Changes c = new Changes(applied);
            for (int i = 0; i < batch.size(); i++) {
                int before = applied.size();
                try {
                    results[i] = batch.get(i).change.run(c);
                } catch (RuntimeException e) {
                    if (applied.size() != before) {
                        // a change that applied some events and then failed: the engine holds them, so they are logged
                        fail("a request failed half way (" + e + "); writes are refused from now on");
                    }
                    errors[i] = e;
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        List<Integer> done = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            @SuppressWarnings("unchecked")
            Write<Object> w = (Write<Object>) batch.get(i);
            if (errors[i] != null) {
                w.done.completeExceptionally(errors[i]); // changed nothing: answered at once
            } else {
                done.add(i);
            }
        }
        List<Write<?>> answered = new ArrayList<>(batch); // the writer reuses its batch list for the next one
        Runnable answer = () -> {
            for (int i : done) {
                @SuppressWarnings("unchecked")
                Write<Object> w = (Write<Object>) answered.get(i);
                w.done.complete(results[i]);
            }
        };
        if (log == null || applied.isEmpty()) {
            answer.run();
            return;
        }
        commits.add(new Commit(new ArrayList<>(applied), answer, failure -> {
            for (int i : done) {
                answered.get(i).done.completeExceptionally(failure);
            }
        }));
    }

    /** Events to make durable, then what to do: answer their writes, or fail them. */
    private record Commit(List<Event> events, Runnable durable, java.util.function.Consumer<RuntimeException> failed) {
    }

    /**
     * The committer: appends the events of every commit waiting (one write, one fsync with a store)
     * and then answers their writes, while the writer already applies the next ones. The log stays
     * in apply order, so what is durable is always a prefix of what was applied.
     */
    private void committerLoop() {
        List<Commit> all = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        while (true) {
            Commit first;
            try {
                first = commits.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (!running && !writer.isAlive()) {
                    return;
                }
                continue;
            }
            all.clear();
            events.clear();
            all.add(first);
            commits.drainTo(all);
            for (Commit c : all) {
                events.addAll(c.events());
            }
            RuntimeException failure = logged(events);
            for (Commit c : all) {
                try {
                    if (failure == null) {
                        c.durable().run();
                    } else {
                        c.failed().accept(failure);
                    }
                } catch (RuntimeException e) {
                    fail("answering committed writes failed (" + e + "); writes are refused from now on");
                }
            }
        }
    }

    /** Appends {@code applied} to the log (durable with a store); the failure to answer with, or null. */
    private RuntimeException logged(List<Event> applied) {
        if (log == null || applied.isEmpty()) {
            return null;
        }
        try {
            log.append(applied);
            return null;
        } catch (IOException e) {
            fail("the event log could not be written (" + e.getMessage() + "); writes are refused from now on");
            return new GraphError(503, "serviceNotAvailable", broken);
        }
    }

    private void runGroupJob(GroupJob job) {
        List<Event> applied = new ArrayList<>(1);
        lock.writeLock().lock();
        try {
            Event.AssignLicense r = job.request();
            Event e = new Event.AssignLicense(engine.lastAppliedSeq() + 1, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                    null, r.groupId(), r.addLicenses(), r.removeLicenses());
            try {
                new Changes(applied).apply(e);
            } catch (Rejection rejected) {
                // Entra reports a group job that cannot be done on the group, not to the caller who was answered 202
                System.err.println("licensim serve: group " + r.groupId() + ": licence change not applied: "
                        + rejected.detail());
            }
        } finally {
            lock.writeLock().unlock();
        }
        Runnable finished = () -> {
            if (groupQueue != null && broken == null) {
                try {
                    groupQueue.done(job.id());
                } catch (IOException e) {
                    fail("the group queue could not be written: " + e.getMessage());
                }
            }
        };
        if (log == null) {
            finished.run();
        } else {
            commits.add(new Commit(new ArrayList<>(applied), finished, failure -> { }));
        }
        synchronized (jobs) {
            boolean more = false;
            for (GroupJob j : jobs) {
                if (j != job && j.group() == job.group()) {
                    more = true;
                }
            }
            processing.put(job.group(), more ? QUEUED : COMPLETE);
        }
    }

    private void fail(String why) {
        if (broken == null) {
            broken = why;
            System.err.println("licensim serve: " + why);
        }
    }

    /** Writes the tenant as it is now (a snapshot with its resolved state), between two writes. */
    void writeSnapshot(OutputStream out) throws IOException {
        lock.readLock().lock();
        try {
            SnapshotWriter.write(engine, out);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        running = false;
        writer.interrupt();
        try {
            writer.join(5_000);
            committer.join(5_000); // never interrupted: it may be writing the log
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (log != null) {
            log.close();
        }
        if (groupQueue != null) {
            groupQueue.close();
        }
    }

    // ---- opening

    /** A tenant loaded, with how many changes of its event log were replayed onto it. */
    record Loaded(Engine engine, long replayed) {
    }

    /**
     * The tenant of {@code snapshot} (JSON bytes), reconciled, with {@code events} replayed on it
     * (a store's log after a restart; may be null). A rejected event in the log is an error: the
     * log holds only events the engine accepted.
     */
    static Loaded load(byte[] snapshot, String name, Path events) throws IOException {
        Tenant t;
        try {
            t = SnapshotReader.withDefaults().read(new java.io.ByteArrayInputStream(snapshot), name);
        } catch (IOException e) {
            throw new LicensimException("cannot read " + name + ": " + e.getMessage(), e);
        }
        Engine engine = Engine.builder(t).reconcile();
        long replayed = 0;
        if (events != null && Files.exists(events)) {
            try (EventReader r = EventReader.open(events)) {
                for (Event e = r.next(); e != null; e = r.next()) {
                    try {
                        engine.apply(e);
                        replayed++;
                    } catch (Rejection x) {
                        throw new LicensimException(events + ":" + r.line() + ": " + x.getMessage()
                                + " (the log holds only accepted events: was it made from another snapshot?)");
                    }
                }
            }
        }
        return new Loaded(engine, replayed);
    }

    /** The log of accepted events: JSON Lines, each batch appended whole, and with {@code durable} fsynced. */
    static final class EventLog implements AutoCloseable {
        private final LineFile file;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 12);

        EventLog(Path file, boolean durable) throws IOException {
            this.file = new LineFile(file, durable, "the event log");
        }

        synchronized void append(List<Event> events) throws IOException {
            buf.reset();
            try (EventWriter w = new EventWriter(new NonClosing(buf))) {
                for (Event e : events) {
                    w.write(e);
                }
            }
            file.append(buf.toByteArray());
        }

        @Override
        public void close() {
            file.close();
        }
    }

    /** An output stream whose close does not close the stream under it. */
    static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
