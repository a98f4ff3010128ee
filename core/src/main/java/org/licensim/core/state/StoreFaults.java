package org.licensim.core.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A seam for tests of what a store failure does: once a persisted store has committed event
 * {@link #failWritesAfterSeq seq S}, every further write to its state map fails as on a full
 * disk, until {@link #clear()}. Nothing in licensim sets it; it is off (one read of a field per
 * write) unless a test turns it on.
 */
public final class StoreFaults {
    private static final long OFF = Long.MAX_VALUE;
    private static volatile long failAfter = OFF;

    private StoreFaults() {
    }

    /** Writes fail once the store's last commit is event seq {@code seq} or later (the disk is full from then on). */
    public static void failWritesAfterSeq(long seq) {
        failAfter = seq;
    }

    /** Writes succeed again (the disk has room). */
    public static void clear() {
        failAfter = OFF;
    }

    /** Called before a value is written to {@code file} of a store whose last commit is {@code committedSeq}. */
    static void beforeWrite(Path file, long committedSeq) {
        if (committedSeq >= failAfter) {
            throw new UncheckedIOException(new IOException(file + ": No space left on device (simulated)"));
        }
    }
}
