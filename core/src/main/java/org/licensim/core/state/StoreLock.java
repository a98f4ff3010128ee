package org.licensim.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.licensim.core.LicensimException;

/**
 * One process at a time per store: an exclusive OS file lock on {@code DIR/lock}, taken by every
 * writer and by every reader before it looks at the store's files, and held until the store is
 * closed. The lock file says who holds it (process id, what it is doing, since when), so a
 * refused process can name the other one. The operating system releases the lock when its
 * holder dies, however it dies, so a killed writer never leaves a stale lock behind; and since
 * only the holder opens the maps, recovery after a kill never runs under a live writer.
 */
final class StoreLock implements AutoCloseable {
    static final String FILE = "lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of the store in {@code dir} for {@code purpose} (e.g. "resolve --store"), or
     * refuses naming the process that holds it.
     */
    static StoreLock acquire(Path dir, String purpose) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LicensimException(file + ": cannot open the store's lock file: " + e.getMessage(), e);
        }
        try {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new LicensimException(dir + ": this store is already open in this process; close it before "
                        + "opening it again");
            }
            if (l == null) {
                throw new LicensimException(dir + ": the store is in use by another process (" + holder(ch)
                        + "); a store has one user at a time: wait for that process to finish, or stop it");
            }
            String me = "pid " + ProcessHandle.current().pid() + ", " + purpose + ", since " + Instant.now() + "\n";
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            return new StoreLock(file, ch, l);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new LicensimException(file + ": cannot lock the store: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** What the lock file says about its holder, or a plain phrase when it says nothing readable. */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(256);
            int n = ch.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).trim();
            return s.isEmpty() || !s.startsWith("pid ") ? "a process whose id the lock file does not give" : s;
        } catch (IOException e) {
            return "a process whose id the lock file does not give";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the first error is the one to report
        }
    }

    /** Releases the lock; the file stays (deleting it would race with the next process taking it). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new LicensimException(file + ": cannot release the store's lock: " + e.getMessage(), e);
        }
    }
}
