package org.licensim.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.licensim.core.LicensimException;

/**
 * Before-images of the values an uncommitted event has overwritten, in a memory-mapped file.
 * The first write to a user after a commit appends the user's old value (or "absent") here
 * before the map is touched; a commit empties the log. A store reopened with records whose
 * base is its last commit rolls them back, which returns every value to that commit.
 *
 * <p>Layout: a 32-byte head (base commit number, record count, bytes used), then records
 * {@code [user int][length int, -1 = absent][bytes][crc int]}. The count is raised only after a
 * record is whole, so a record torn by a kill is never counted; its user's map value was not
 * yet touched either.
 */
final class UndoLog implements AutoCloseable {
    private static final int HEAD = 32;
    private static final int MIN_SIZE = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private MappedByteBuffer map;
    private final CRC32C crc = new CRC32C();

    UndoLog(Path file) {
        this.file = file;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = Math.max(MIN_SIZE, channel.size());
            map(size);
        } catch (IOException e) {
            throw new LicensimException(file + ": cannot open the store's undo log: " + e.getMessage(), e);
        }
    }

    private void map(long size) throws IOException {
        if (size > Integer.MAX_VALUE - 8) {
            throw new LicensimException(file + ": one event overwrote more than 2 GiB of state; the undo log cannot hold it");
        }
        allocate(channel, size);
        map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        map.order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Gives the file real disk blocks up to {@code size} by writing zeros past its end, before it
     * is mapped: a write through a mapping into a hole the full disk cannot fill kills the process
     * (SIGBUS), while a write through the channel fails with an {@link IOException} that can be
     * reported. Used by every file of the store that licensim maps itself.
     */
    static void allocate(FileChannel channel, long size) throws IOException {
        long at = channel.size();
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        while (at < size) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
            at += channel.write(zeros, at);
        }
    }

    Path file() {
        return file;
    }

    long base() {
        return map.getLong(0);
    }

    int count() {
        return map.getInt(8);
    }

    /** Starts logging for changes made after commit {@code commitNo}. */
    void begin(long commitNo) {
        map.putInt(8, 0);
        map.putInt(12, HEAD);
        map.putLong(0, commitNo);
    }

    /** Empties the log: called right after a commit record is written. */
    void clear() {
        map.putInt(8, 0);
        map.putInt(12, HEAD);
    }

    /** Appends user {@code u}'s before-image: {@code len} bytes of {@code value} from position 0, or absent when len < 0. */
    void append(int u, ByteBuffer value, int len) {
        int at = map.getInt(12);
        int need = 12 + Math.max(0, len);
        if (at + need > map.capacity()) {
            try {
                map(Math.max((long) map.capacity() * 2, (long) at + need + MIN_SIZE));
            } catch (IOException e) {
                throw new LicensimException(file + ": cannot grow the undo log: " + e.getMessage(), e);
            }
        }
        map.putInt(at, u);
        map.putInt(at + 4, len);
        for (int i = 0; i < len; i++) {
            map.put(at + 8 + i, value.get(i));
        }
        map.putInt(at + 8 + Math.max(0, len), checksum(at, len));
        map.putInt(12, at + need);
        map.putInt(8, map.getInt(8) + 1);
    }

    /** A logged before-image. */
    interface Restorer {
        void restore(int user, ByteBuffer value, int len);
    }

    /** Hands every whole record to {@code r}, newest first; a record failing its CRC is damage. */
    void rollback(Restorer r) {
        int n = count();
        int[] offsets = new int[n];
        int at = HEAD;
        for (int i = 0; i < n; i++) {
            offsets[i] = at;
            int len = map.getInt(at + 4);
            at += 12 + Math.max(0, len);
            if (at > map.capacity()) {
                throw new LicensimException(file + ": undo record " + i + " runs past the end of the log: the store is damaged");
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            int o = offsets[i];
            int u = map.getInt(o);
            int len = map.getInt(o + 4);
            if (len < -1 || o + 12 + Math.max(0, len) > map.capacity()
                    || checksum(o, len) != map.getInt(o + 8 + Math.max(0, len))) {
                throw new LicensimException(file + ": undo record " + i + " (user index " + u + ") fails its checksum: "
                        + "the store is damaged");
            }
            ByteBuffer v = map.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(o + 8).limit(o + 8 + Math.max(0, len))
                    .slice().order(ByteOrder.LITTLE_ENDIAN);
            r.restore(u, v, len);
        }
    }

    /** CRC32C of a record's user, length and bytes, read back from the map (no allocation). */
    private int checksum(int at, int len) {
        crc.reset();
        int end = at + 8 + Math.max(0, len);
        for (int i = at; i < end; i++) {
            crc.update(map.get(i));
        }
        return (int) crc.getValue();
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
