package org.licensim.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.values.Values;

/**
 * Damage of the kind that hides an entry instead of garbling it, made on purpose for tests: a
 * flipped byte in the key of a user's value in the state map, or in a user id in the id map.
 * A lookup then misses the entry; every checksum of a value still holds.
 */
public final class StoreDamage {
    private StoreDamage() {
    }

    /** Flips a bit of the key (the user index) stored beside user {@code id}'s value; returns the file changed. */
    public static Path hideValue(Path dir, String id) throws IOException {
        byte[] value;
        int u;
        Path file;
        try (ChronicleStateStore s = ChronicleStateStore.open(dir, true, "a test damaging the store")) {
            u = s.userIndex(id);
            if (u < 0) {
                throw new IllegalArgumentException("no user " + id + " in " + dir);
            }
            IntValue key = Values.newHeapInstance(IntValue.class);
            key.setValue(u);
            StoreValues values = s.values();
            ByteBuffer v = values.map().get(key);
            value = new byte[v.remaining()];
            v.duplicate().get(value);
            file = values.file();
        }
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, value, 0);
        if (at < 0 || indexOf(bytes, value, at + 1) >= 0) {
            throw new IllegalStateException("the value of user index " + u + " is not found exactly once in " + file);
        }
        // the key (the user index, 4 bytes little-endian) lies just before the value and its length
        for (int k = at - 4; k >= Math.max(0, at - 16); k--) {
            if (ByteBuffer.wrap(bytes, k, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() == u) {
                bytes[k] ^= 0x40;
                Files.write(file, bytes);
                return file;
            }
        }
        throw new IllegalStateException("the key of user index " + u + " is not just before its value in " + file);
    }

    /** Flips a bit of one character of user id {@code id} where the id map stores it; returns the file changed. */
    public static Path hideUserId(Path dir, String id, String idFile) throws IOException {
        Path file = dir.resolve(idFile);
        byte[] bytes = Files.readAllBytes(file);
        byte[] want = id.getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, want, 0);
        if (at < 0 || indexOf(bytes, want, at + 1) >= 0) {
            throw new IllegalStateException("user id " + id + " is not found exactly once in " + file);
        }
        bytes[at + want.length - 1] ^= 0x01;
        Files.write(file, bytes);
        return file;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
