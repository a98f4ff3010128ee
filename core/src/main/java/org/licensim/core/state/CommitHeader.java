package org.licensim.core.state;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.licensim.core.LicensimException;

/**
 * The persisted store's commit record: two fixed 64-byte slots in a memory-mapped file, written
 * alternately, each with its own CRC. A commit writes the slot not in use, so a process killed
 * in the middle of writing one leaves the other, older slot intact; the valid slot with the
 * higher commit number wins. A byte after the slots says whether a writer has the store open
 * (set on open, cleared on a clean close), so a reopen knows that it must recover.
 */
final class CommitHeader implements AutoCloseable {
    static final int MAGIC = 0x4C53_5354; // "LSST"
    static final int BUILDING = 1;
    static final int CLEAN = 2;
    private static final int SLOT = 64;
    private static final int WRITER_FLAG = 2 * SLOT;
    private static final int SIZE = 256;

    /** One commit: what the store holds after it. */
    record Slot(long commitNo, int layout, int status, long lastSeq, long entries, int users, int groups) {
    }

    private final Path file;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private Slot current;
    private int currentIndex = -1;

    private CommitHeader(Path file, FileChannel channel, MappedByteBuffer map) {
        this.file = file;
        this.channel = channel;
        this.map = map;
        map.order(ByteOrder.LITTLE_ENDIAN);
    }

    static CommitHeader create(Path file, Slot first) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                UndoLog.allocate(ch, SIZE);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            CommitHeader h = new CommitHeader(file, ch, ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
            h.write(first);
            return h;
        } catch (IOException e) {
            throw new LicensimException(file + ": cannot create the store's commit header: " + e.getMessage(), e);
        }
    }

    static CommitHeader open(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new LicensimException(file + ": missing: the store's commit header is gone; this is not a "
                        + "complete licensim store");
            }
            long size = Files.size(file);
            if (size != SIZE) {
                throw new LicensimException(file + ": the store's commit header is " + size + " bytes, expected " + SIZE
                        + " (truncated or overwritten): the store is damaged");
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            CommitHeader h = new CommitHeader(file, ch, ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
            Slot a = h.readSlot(0);
            Slot b = h.readSlot(1);
            if (a == null && b == null) {
                h.close();
                throw new LicensimException(file + ": neither commit record is valid (bad magic or checksum): the store "
                        + "is damaged or is not a licensim store");
            }
            if (b == null || (a != null && a.commitNo() > b.commitNo())) {
                h.current = a;
                h.currentIndex = 0;
            } else {
                h.current = b;
                h.currentIndex = 1;
            }
            return h;
        } catch (IOException e) {
            throw new LicensimException(file + ": cannot read the store's commit header: " + e.getMessage(), e);
        }
    }

    /** Whether the store whose commit record is {@code file} never finished its first build (false when unreadable). */
    static boolean isBuilding(Path file) {
        try {
            CommitHeader h = open(file);
            boolean building = h.current().status() == BUILDING;
            h.close();
            return building;
        } catch (RuntimeException e) {
            return false;
        }
    }

    Slot current() {
        return current;
    }

    /** Writes {@code s} to the slot not in use; from then on it is the store's commit. */
    void write(Slot s) {
        int index = currentIndex == 0 ? 1 : 0;
        int at = index * SLOT;
        map.putInt(at + 4, s.layout());
        map.putLong(at + 8, s.commitNo());
        map.putInt(at + 16, s.status());
        map.putLong(at + 20, s.lastSeq());
        map.putLong(at + 28, s.entries());
        map.putInt(at + 36, s.users());
        map.putInt(at + 40, s.groups());
        map.putInt(at + 44, crc(at));
        map.putInt(at, MAGIC);
        // the older slot is now stale; blank its magic only after the new one is whole
        if (currentIndex >= 0) {
            map.putInt(currentIndex * SLOT, 0);
        }
        current = s;
        currentIndex = index;
    }

    boolean writerWasOpen() {
        return map.get(WRITER_FLAG) != 0;
    }

    void setWriterOpen(boolean open) {
        map.put(WRITER_FLAG, (byte) (open ? 1 : 0));
    }

    /** Forces the header to disk (used on close; a killed process's writes reach the file anyway). */
    void force() {
        map.force();
    }

    private Slot readSlot(int index) {
        int at = index * SLOT;
        if (map.getInt(at) != MAGIC || map.getInt(at + 44) != crc(at)) {
            return null;
        }
        return new Slot(map.getLong(at + 8), map.getInt(at + 4), map.getInt(at + 16), map.getLong(at + 20),
                map.getLong(at + 28), map.getInt(at + 36), map.getInt(at + 40));
    }

    private int crc(int at) {
        CRC32C c = new CRC32C();
        for (int i = at + 4; i < at + 44; i++) {
            c.update(map.get(i));
        }
        return (int) c.getValue();
    }

    Path file() {
        return file;
    }

    /**
     * Takes an exclusive OS lock on the commit record itself, held until {@link #close()}: the
     * second lock of {@link StoreLock}. {@code DIR/lock} can be deleted and made again by another
     * process, which then holds a lock of its own on a new file; the commit record cannot be taken
     * away from under a writer without destroying the store, so a process that gets past a
     * replaced lock file is refused here, before it reads or recovers anything.
     */
    void lockOrRefuse(Path dir) {
        try {
            if (channel.tryLock() == null) {
                throw new LicensimException(dir + ": the store is in use by another process (it holds " + file.getFileName()
                        + "; the store's lock file was removed or replaced while it ran); a store has one user at a "
                        + "time: wait for that process to finish, or stop it");
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new LicensimException(dir + ": this store is already open in this process; close it before opening it again");
        } catch (IOException e) {
            throw new LicensimException(file + ": cannot lock the store's commit record: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new LicensimException(file + ": cannot close: " + e.getMessage(), e);
        }
    }
}
