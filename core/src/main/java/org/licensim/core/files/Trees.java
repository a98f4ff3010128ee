package org.licensim.core.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.licensim.core.LicensimException;

/** Directory trees licensim made itself (temporary stores, catch-up stores): deleted whole. */
public final class Trees {
    private Trees() {
    }

    /** Deletes {@code dir} and everything below it; nothing when it does not exist. */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new LicensimException(dir + ": cannot delete: " + e.getMessage(), e);
        }
    }
}
