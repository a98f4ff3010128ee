package org.licensim.core.state;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where Chronicle's native helpers go. Chronicle Map loads JNA (through its thread-affinity
 * library) and jffi (through its POSIX library, for {@code fallocate}); each unpacks a native
 * library from its jar into a file before loading it (JNA into {@code ~/.cache/JNA/temp}, jffi
 * into {@code /tmp}) and deletes it after. licensim writes only where it is told to and in its
 * own build, so before the first store is opened this points both at {@code native/} in the
 * build directory that holds licensim's classes ({@code cli/target/native} for the launcher's
 * jar): JNA's {@code jna.tmpdir}, jffi's {@code jffi.extract.dir}. A value given with {@code -D}
 * is kept. When that directory cannot be made (licensim's jar on a read-only disk), the helpers
 * keep their defaults (docs/STORE.md).
 */
final class NativeHelpers {
    static final String JNA = "jna.tmpdir";
    static final String JFFI = "jffi.extract.dir";
    private static volatile boolean done;

    private NativeHelpers() {
    }

    /** Sets the two properties once, before any Chronicle class is loaded by a store. */
    static void configure() {
        if (done) {
            return;
        }
        synchronized (NativeHelpers.class) {
            if (done) {
                return;
            }
            Path dir = buildDir();
            if (dir != null) {
                if (System.getProperty(JNA) == null) {
                    System.setProperty(JNA, dir.toString());
                }
                if (System.getProperty(JFFI) == null) {
                    System.setProperty(JFFI, dir.toString());
                }
            }
            done = true;
        }
    }

    /** {@code native/} beside the jar or class directory licensim's classes come from, made if needed; null when it cannot be. */
    static Path buildDir() {
        try {
            var source = NativeHelpers.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path code = Path.of(source.getLocation().toURI());
            Path dir = code.toAbsolutePath().getParent().resolve("native");
            Files.createDirectories(dir);
            return Files.isWritable(dir) ? dir : null;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
