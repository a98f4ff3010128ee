package org.licensim.core.state;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seam for tests of what a store failure does: after {@link #failWritesAfter(long) n} more
 * value writes, every write to a persisted store's state map fails as a full disk would, until
 * {@link #clear()}. Nothing in licensim sets it; it is off (and costs one read of a field per
 * write) unless a test turns it on.
 */
public final class StoreFaults {
    private static final long OFF = Long.MIN_VALUE;
    private static final AtomicLong WRITES_LEFT = new AtomicLong(OFF);

    private StoreFaults() {
    }

    /** Lets {@code n} more value writes through, then fails every one (a full disk) until {@link #clear()}. */
    public static void failWritesAfter(long n) {
        WRITES_LEFT.set(n);
    }

    /** Writes succeed again (the disk has room). */
    public static void clear() {
        WRITES_LEFT.set(OFF);
    }

    static void beforeWrite(Path file) {
        if (WRITES_LEFT.get() != OFF && WRITES_LEFT.getAndDecrement() <= 0) {
            throw new java.io.UncheckedIOException(new IOException(file + ": No space left on device (simulated)"));
        }
    }
}
