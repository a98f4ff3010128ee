package org.licensim.core.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a persisted store's state came from: the snapshot's file name and the SHA-256 of its
 * bytes. A store records it when created and a resume is refused unless it is the same. The
 * manifest keeps it as one string, {@code "NAME sha256:HEX"} ({@link #toString()}); a store made
 * by a program that gave a plain description (a benchmark) has no digest.
 */
public record StoreSource(String name, String sha256) {
    private static final String MARK = " sha256:";

    /** The source of snapshot file {@code snapshot}: its name and the SHA-256 of its content. */
    public static StoreSource ofFile(Path snapshot) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(snapshot)) {
            byte[] b = new byte[1 << 16];
            for (int n = in.read(b); n > 0; n = in.read(b)) {
                md.update(b, 0, n);
            }
        }
        return new StoreSource(snapshot.getFileName().toString(), HexFormat.of().formatHex(md.digest()));
    }

    /** A source without a digest (a description only). */
    public static StoreSource described(String text) {
        return new StoreSource(text, null);
    }

    /** Reads back what {@link #toString()} wrote (as a manifest records it). */
    public static StoreSource parse(String recorded) {
        int at = recorded.lastIndexOf(MARK);
        return at < 0 ? new StoreSource(recorded, null)
                : new StoreSource(recorded.substring(0, at), recorded.substring(at + MARK.length()));
    }

    /** Whether both name the same bytes (same digest), whatever the file was called. */
    public boolean sameContent(StoreSource o) {
        return sha256 != null && sha256.equals(o.sha256);
    }

    @Override
    public String toString() {
        return sha256 == null ? name : name + MARK + sha256;
    }
}
