package org.licensim.core.state;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.licensim.core.LicensimException;
import org.licensim.core.files.Trees;
import org.licensim.core.state.ChronicleStateStore.Sizing;

/**
 * The files of a persisted store as files: which map files make up a generation, making and
 * opening them with Chronicle Map (sized from the manifest), the check of their self-describing
 * headers, and tidying up after a failed create or an interrupted growth. The store itself
 * ({@link ChronicleStateStore}) owns what is in them.
 */
final class StoreFiles {
    private StoreFiles() {
    }

    static boolean onlyLockFile(Path dir) {
        try (var s = Files.list(dir)) {
            return s.allMatch(f -> f.getFileName().toString().equals(StoreLock.FILE));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * After a failed create: the directory back to absent (it was made here) or empty but for its
     * lock file (it was given empty; an empty store directory with a lock file is still taken by create).
     */
    static void removeWhatCreateMade(Path dir, boolean made) {
        try (var s = Files.list(dir)) {
            for (Path f : s.toList()) {
                if (!f.getFileName().toString().equals(StoreLock.FILE)) {
                    Trees.delete(f);
                }
            }
            if (made) {
                Files.deleteIfExists(dir.resolve(StoreLock.FILE));
                Files.deleteIfExists(dir);
            }
        } catch (IOException | RuntimeException ignored) {
            // the creation error is the one to report; what could not be removed is named by the next create
        }
    }

    /** Whether {@code dir} holds nothing but files a store is made of (a build killed before its commit record). */
    static boolean onlyLicensimFiles(Path dir) {
        try (var s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).allMatch(n -> n.equals(StoreLock.FILE) || n.startsWith("manifest.json")
                    || n.startsWith("." + StoreManifest.FILE + org.licensim.core.files.AtomicFile.TEMP_MARK)
                    || n.equals(ChronicleStateStore.UNDO) || n.equals(ChronicleStateStore.COMMIT) || ChronicleStateStore.MAP_FILES.stream().anyMatch(b -> generationOf(n, b) >= 0));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A Chronicle Map file starts with an 8-byte magic, a 4-byte length and that many bytes of
     * text describing the map (key and value classes, sizing); this part never changes, unlike
     * the mutable state that follows it. Its CRC32C is recorded in the manifest, so a file that
     * was replaced or overwritten is refused before Chronicle Map reads it (a garbage file can
     * make Chronicle wait a minute on what it takes for a held lock).
     */
    static long mapHeaderCrc(Path file) {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head) > 0) {
                // the fixed part first
            }
            if (head.hasRemaining()) {
                return -2;
            }
            int len = head.getInt(8) & 0x3FFF_FFFF;
            if (len <= 0 || len > 1 << 20 || 12L + len > ch.size()) {
                return -2;
            }
            ByteBuffer b = ByteBuffer.allocate(12 + len);
            ch.position(0);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // the whole self-describing header
            }
            b.flip();
            CRC32C c = new CRC32C();
            c.update(b);
            return c.getValue();
        } catch (java.nio.file.NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new LicensimException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static void recordMapHeaders(Path dir, StoreManifest m, int gen) {
        m.clearMapHeaders();
        for (String base : ChronicleStateStore.MAP_FILES) {
            m.setMapHeader(base, mapHeaderCrc(dir.resolve(fileOf(base, gen))));
        }
    }

    static void checkMapHeaders(Path dir, StoreManifest m) {
        for (String base : ChronicleStateStore.MAP_FILES) {
            Path file = dir.resolve(fileOf(base, m.generation()));
            long want = m.mapHeader(base);
            if (Files.isRegularFile(file) && sizeOf(file) > 0 && want != mapHeaderCrc(file)) {
                throw new LicensimException(file + ": its Chronicle Map header (the part that describes the map and "
                        + "never changes) is not the one it was created with: the file was replaced or damaged");
            }
        }
    }

    /** Map files of generations other than {@code current}: left by a growth that a kill interrupted, or already replaced. */
    static void removeOtherGenerations(Path dir, int current) {
        try (var s = Files.list(dir)) {
            for (Path f : s.toList()) {
                String n = f.getFileName().toString();
                for (String base : ChronicleStateStore.MAP_FILES) {
                    int g = generationOf(n, base);
                    if (g >= 0 && g != current) {
                        Files.delete(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new LicensimException(dir + ": cannot remove map files of an earlier generation: " + e.getMessage(), e);
        }
    }

    /** The generation of file {@code name} if it is a map file of {@code base} ("state.cm"), else -1. */
    static int generationOf(String name, String base) {
        if (name.equals(base)) {
            return 0;
        }
        String stem = base.substring(0, base.length() - 3);
        if (name.startsWith(stem + ".") && name.endsWith(".cm")) {
            try {
                return Integer.parseInt(name.substring(stem.length() + 1, name.length() - 3));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /** The file of map {@code base} ("state.cm") in generation {@code g}. */
    static String fileOf(String base, int g) {
        return g == 0 ? base : base.substring(0, base.length() - 3) + "." + g + ".cm";
    }

    /** Closes what a failed create or open had opened (any of them may be null). */
    static void closeAfterFailure(ChronicleMap<?, ?> state, IdMaps ids, UndoLog undo) {
        closeQuietly(state);
        if (ids != null) {
            closeQuietly(ids.users);
            closeQuietly(ids.groups);
        }
        if (undo != null) {
            undo.close();
        }
    }

    static void closeQuietly(ChronicleMap<?, ?> m) {
        if (m != null) {
            try {
                m.close();
            } catch (RuntimeException ignored) {
                // already failing: the first error is the one to report
            }
        }
    }

    static ChronicleMap<IntValue, ByteBuffer> stateMap(Path dir, StoreManifest m, int gen, boolean existing,
                                                               boolean recover) {
        Sizing s = m.sizing();
        ChronicleMapBuilder<IntValue, ByteBuffer> b = ChronicleMap.of(IntValue.class, ByteBuffer.class)
                .name("licensim-state")
                .entries(Math.max(1000, s.users()))
                .averageValueSize(Math.max(16, m.averageValueBytes()))
                .maxBloatFactor(8)
                .sparseFile(false);
        return persisted(b, dir.resolve(fileOf(ChronicleStateStore.STATE_FILE, gen)), existing, recover);
    }

    static IdMaps idMaps(Path dir, StoreManifest m, int gen, boolean existing, boolean recover) {
        Sizing s = m.sizing();
        Path uf = dir.resolve(fileOf(ChronicleStateStore.USER_IDS, gen));
        ChronicleMap<CharSequence, Long> users = persisted(ChronicleMap.of(CharSequence.class, Long.class)
                .name("licensim-user-ids")
                .entries(Math.max(1000, s.users()))
                .averageKeySize(Math.max(8, s.averageIdLength()))
                .maxBloatFactor(8)
                .sparseFile(false), uf, existing, recover);
        Path gf = dir.resolve(fileOf(ChronicleStateStore.GROUP_IDS, gen));
        ChronicleMap<Integer, CharSequence> groups;
        try {
            groups = persisted(ChronicleMap.of(Integer.class, CharSequence.class)
                    .name("licensim-group-ids")
                    .entries(Math.max(1000, s.groups()))
                    .averageValueSize(48)
                    .maxBloatFactor(8)
                    .sparseFile(false), gf, existing, recover);
        } catch (RuntimeException e) {
            closeQuietly(users);
            throw e;
        }
        return new IdMaps(uf, users, gf, groups);
    }

    static <K, V> ChronicleMap<K, V> persisted(ChronicleMapBuilder<K, V> b, Path file, boolean existing,
                                                       boolean recover) {
        File f = file.toFile();
        try {
            if (existing) {
                if (!f.isFile()) {
                    throw new LicensimException(file + ": missing: the store is damaged");
                }
                if (f.length() == 0) {
                    throw new LicensimException(file + ": is empty (truncated to 0 bytes): the store is damaged");
                }
                return recover ? b.recoverPersistedTo(f, true) : b.createPersistedTo(f);
            }
        } catch (LicensimException e) {
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            throw new LicensimException(file + ": cannot open as a Chronicle Map (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): the file is damaged or is not part of a licensim store", e);
        }
        try {
            return b.createPersistedTo(f);
        } catch (IOException | RuntimeException | Error e) {
            String why = String.valueOf(e.getMessage());
            throw new LicensimException(file + ": cannot create the map file (" + e.getClass().getSimpleName() + ": "
                    + why + ")" + (why.contains("space") || why.contains("fallocate") ? ": the disk is full; free space "
                    + "and run again" : ""), e);
        }
    }
}
