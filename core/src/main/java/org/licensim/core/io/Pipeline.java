package org.licensim.core.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Hands blocks of a snapshot's records from the thread that parses them to a thread of its own
 * that works on them, in the order they were filled. A few blocks go round between the two
 * (filled, worked on, given back, filled again), so the parser runs at most that many blocks
 * ahead and nothing is allocated per block. A block given back passes through {@code
 * onReturn} on the parser's thread, in the order they were handed off, before it is filled
 * again (and at {@link #finish}). When the working thread refuses a block or fails, it passes
 * the remaining blocks back untouched until the end so that the parser never waits for ever,
 * and the parser gives up at its next hand-off ({@link SnapshotReader.Retry}).
 */
final class Pipeline<B> {
    private final BlockingQueue<Object> filled;
    private final BlockingQueue<B> empty;
    private final Predicate<B> work;
    private final Consumer<B> onReturn;
    private final Thread worker;
    private final int blocks;
    /** Set by the working thread: a block was refused or it failed; read by the parser at each hand-off. */
    private volatile boolean refused;
    private volatile Throwable failure;
    private static final Object END = new Object();

    /**
     * {@code work} is called on the working thread for each block in order (false refuses it);
     * {@code onReturn} on the parser's thread for each block given back, before it is reused.
     */
    Pipeline(String name, List<B> blocks, Predicate<B> work, Consumer<B> onReturn) {
        this.work = work;
        this.onReturn = onReturn;
        this.blocks = blocks.size();
        filled = new ArrayBlockingQueue<>(blocks.size() + 1);
        empty = new ArrayBlockingQueue<>(blocks.size());
        empty.addAll(blocks);
        worker = new Thread(this::run, name);
        worker.setDaemon(true);
        worker.start();
    }

    @SuppressWarnings("unchecked")
    private void run() {
        try {
            for (Object o; (o = filled.take()) != END;) {
                B b = (B) o;
                if (!refused) {
                    try {
                        if (!work.test(b)) {
                            refused = true;
                        }
                    } catch (Throwable t) {
                        failure = t;
                        refused = true;
                    }
                }
                empty.put(b);
            }
        } catch (InterruptedException e) {
            // abandoned: the parser has given up and does not wait for this thread
            refused = true;
        }
    }

    /** A block to fill (given back blocks pass through onReturn first). */
    B next() throws IOException {
        B b;
        try {
            b = empty.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the snapshot");
        }
        onReturn.accept(b);
        return b;
    }

    /** Whether a block is back to be filled now, so that {@link #next} would not wait (a moment's answer). */
    boolean emptyBlockReady() {
        return !empty.isEmpty();
    }

    /** Gives a filled block to the working thread; gives up when it refused one. */
    void handOff(B b) throws IOException {
        put(b);
        if (refused) {
            throw SnapshotReader.Retry.INSTANCE;
        }
    }

    /**
     * Hands off the last block (filled or not), waits until every block is worked on and passes
     * them all through onReturn; gives up when one was refused (a working thread's failure is
     * thrown as it was).
     */
    void finish(B last) throws IOException {
        put(last);
        put(END);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the snapshot");
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
        for (int i = 0; i < blocks; i++) {
            onReturn.accept(empty.remove());
        }
    }

    /** Stops the working thread after the parser gave up (what it did is thrown away with the reader's session). */
    void abandon() {
        refused = true;
        worker.interrupt();
    }

    private void put(Object b) throws IOException {
        try {
            filled.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the snapshot");
        }
    }
}
