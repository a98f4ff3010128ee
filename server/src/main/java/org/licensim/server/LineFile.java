package org.licensim.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file of lines, the durable records of a store's server (the event log, the group
 * job queue): each append is written whole and, when durable, fsynced before it returns; opening
 * cuts a line a killed process left half written.
 */
final class LineFile implements AutoCloseable {
    private final FileChannel channel;
    private final boolean durable;
    private final String what;

    /** {@code what} names the file in messages ("the event log"). */
    LineFile(Path file, boolean durable, String what) throws IOException {
        this.durable = durable;
        this.what = what;
        truncateToLastLine(file);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /** Appends {@code lines} (whole lines, each ending in a line feed); with {@code durable}, on disk when it returns. */
    synchronized void append(byte[] lines) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(lines);
        while (b.hasRemaining()) {
            channel.write(b);
        }
        if (durable) {
            channel.force(false);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            System.err.println("licensim serve: closing " + what + ": " + e.getMessage());
        }
    }

    /**
     * Cuts {@code file} after its last complete line: a line a killed process left half written was
     * never acknowledged (its fsync had not returned), so it is not part of the tenant.
     */
    static void truncateToLastLine(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep != size) {
                ch.truncate(keep);
                ch.force(true);
            }
        }
    }
}
