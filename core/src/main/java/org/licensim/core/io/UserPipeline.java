package org.licensim.core.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;

/**
 * Hands {@link UserBlock}s from the thread that parses a snapshot's users to a thread of its
 * own that adds them to the directory, in the order they were filled. A few blocks go round
 * between the two (filled, added, emptied, filled again), so the parser runs at most that many
 * blocks ahead and nothing is allocated per block. When the adding thread refuses a block (a
 * taken id) or fails, it takes and drops the remaining blocks until the end so that the parser
 * never waits for ever, and the parser gives up at its next hand-off ({@link
 * SnapshotReader.Retry}).
 */
final class UserPipeline {
    /** Users per block: enough that a hand-off is rare, few enough that a block's lines stay in the cache. */
    static final int BLOCK = 512;
    private static final int BLOCKS = 4;
    /** Marks the end: no more blocks. */
    private static final UserBlock END = new UserBlock(1);

    private final BlockingQueue<UserBlock> filled = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final BlockingQueue<UserBlock> empty = new ArrayBlockingQueue<>(BLOCKS);
    private final Predicate<UserBlock> add;
    private final Thread adder;
    /** Set by the adding thread: a block was refused or it failed; read by the parser at each hand-off. */
    private volatile boolean refused;
    private volatile Throwable failure;

    /** {@code add} is called on the adding thread for each block in order; false refuses it (the parser gives up). */
    UserPipeline(Predicate<UserBlock> add) {
        this.add = add;
        for (int i = 0; i < BLOCKS; i++) {
            empty.add(new UserBlock(BLOCK));
        }
        adder = new Thread(this::run, "licensim-read-users");
        adder.setDaemon(true);
        adder.start();
    }

    private void run() {
        try {
            for (UserBlock b; (b = filled.take()) != END;) {
                if (!refused) {
                    try {
                        if (!add.test(b)) {
                            refused = true;
                        }
                    } catch (Throwable t) {
                        failure = t;
                        refused = true;
                    }
                }
                b.clear();
                empty.put(b);
            }
        } catch (InterruptedException e) {
            // abandoned: the parser has given up and does not wait for this thread
            refused = true;
        }
    }

    /** The first block to fill. */
    UserBlock first() throws IOException {
        return take();
    }

    /** Gives a filled block to the adding thread and returns an empty one (waiting for it if all are in use). */
    UserBlock handOff(UserBlock b) throws IOException {
        put(b);
        if (refused) {
            throw SnapshotReader.Retry.INSTANCE;
        }
        return take();
    }

    /**
     * Gives the last block, waits until every block is added, and gives up when one was
     * refused (an adding thread's failure is thrown as it was).
     */
    void finish(UserBlock last) throws IOException {
        if (last.size > 0) {
            put(last);
        }
        put(END);
        try {
            adder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the snapshot's users");
        }
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (refused) {
            throw SnapshotReader.Retry.INSTANCE;
        }
    }

    /** Stops the adding thread after the parser gave up (what it added is thrown away with the reader's session). */
    void abandon() {
        refused = true;
        adder.interrupt();
    }

    private UserBlock take() throws IOException {
        try {
            return empty.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the snapshot's users");
        }
    }

    private void put(UserBlock b) throws IOException {
        try {
            filled.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the snapshot's users");
        }
    }
}
