package org.licensim.core.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.licensim.core.LicensimException;

/**
 * Writes a file the way every output of licensim is written (docs/FORMATS.md, "Output files"):
 * <ul>
 * <li>into a temporary file of its own beside the target ({@code .NAME.licensim-RANDOM.tmp},
 * created new, so a user's own {@code NAME.tmp} is never touched), moved into place only when
 * complete, so a crash or a failure never leaves half a file and keeps the previous one;</li>
 * <li>with the permissions of the file it replaces (a 0600 file stays 0600), or the process's
 * defaults for a new file;</li>
 * <li>refusing a target that is not a regular file (a directory, a device, a pipe) and a target
 * that is a symbolic link (replacing the link would leave its target stale; following it would
 * write somewhere the user did not name), each with a message that says so;</li>
 * <li>creating the missing parent folders, and removing the ones it created when the write fails,
 * so a command that fails leaves nothing behind;</li>
 * <li>removing the temporary file on any failure and, through a shutdown hook, when the process
 * is stopped by a signal (SIGINT, SIGTERM; a SIGKILL cannot be caught, and its leftover is a
 * hidden {@code .licensim-*.tmp} file that no later write reuses);</li>
 * <li>naming the reason in every error ("permission denied", "no space left on device", ...).</li>
 * </ul>
 */
public final class AtomicFile {
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** The marker in every temporary name, so a leftover is recognisable as licensim's. */
    public static final String TEMP_MARK = ".licensim-";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicFile::removePending, "licensim-temp-cleanup"));
    }

    private AtomicFile() {
    }

    /** Writes {@code file} ({@code what} names it in messages) with {@code body}, as the class describes. */
    public static void write(Path file, String what, Body body) {
        Path target = file.toAbsolutePath();
        refuseUnwritable(file, what);
        List<Path> made = new ArrayList<>();
        Path tmp = null;
        try {
            makeParents(target.getParent(), made);
            tmp = createTemp(target);
            copyPermissions(target, tmp);
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.write(out);
            }
            refuseUnwritable(file, what); // again: something may have appeared at the path while we wrote
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            PENDING.remove(tmp);
            tmp = null;
        } catch (IOException e) {
            cleanUp(tmp, made);
            throw new LicensimException("cannot write " + what + " to " + file + ": " + reason(e, target), e);
        } catch (RuntimeException | Error e) {
            cleanUp(tmp, made);
            throw e;
        }
    }

    /**
     * Several files that make one result (a simulation's day series, summary and event log; the
     * request files of one {@code --apply}), written like {@link AtomicFile#write} but moved into
     * place together only after every one of them is complete: a failure while writing any of
     * them (a full disk, a refused path, an error in the work between two files) leaves all the
     * earlier files as they were, never half of one result beside half of the one before.
     * {@link #close()} without {@link #commit()} removes the temporary files and the folders the
     * group made. Only the moves themselves, which need no space, run after the first file is
     * replaced.
     */
    public static final class Group implements AutoCloseable {
        private final List<Path> targets = new ArrayList<>();
        private final List<Path> temps = new ArrayList<>();
        private final List<String> whats = new ArrayList<>();
        private final List<Path> made = new ArrayList<>();
        private final List<Path> given = new ArrayList<>();
        private boolean committed;

        /**
         * Opens a temporary file for {@code file} ({@code what} names it in messages) and returns
         * a stream into it, which the caller closes before {@link #commit()}: for output made
         * while the work runs, such as an event log.
         */
        public OutputStream open(Path file, String what) {
            if (committed) {
                throw new IllegalStateException("the group is committed");
            }
            Path target = file.toAbsolutePath();
            if (targets.contains(target)) {
                throw new LicensimException("cannot write " + what + " to " + file + ": the same file is named twice");
            }
            refuseUnwritable(file, what);
            try {
                makeParents(target.getParent(), made);
                Path tmp = createTemp(target);
                targets.add(target);
                temps.add(tmp);
                whats.add(what);
                given.add(file);
                copyPermissions(target, tmp);
                return Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new LicensimException("cannot write " + what + " to " + file + ": " + reason(e, target), e);
            }
        }

        /** Writes {@code file}'s content with {@code body} into its temporary file now; it is moved in by {@link #commit()}. */
        public void write(Path file, String what, Body body) {
            try (OutputStream out = open(file, what)) {
                body.write(out);
            } catch (IOException e) {
                throw new LicensimException("cannot write " + what + " to " + file + ": " + reason(e, file.toAbsolutePath()), e);
            }
        }

        /** Moves every file into place, in the order they were opened. */
        public void commit() {
            for (int i = 0; i < targets.size(); i++) {
                refuseUnwritable(given.get(i), whats.get(i)); // again: something may have appeared while we wrote
            }
            for (int i = 0; i < targets.size(); i++) {
                try {
                    try {
                        Files.move(temps.get(i), targets.get(i), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(temps.get(i), targets.get(i), StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new LicensimException("cannot write " + whats.get(i) + " to " + given.get(i) + ": "
                            + reason(e, targets.get(i)), e);
                }
                PENDING.remove(temps.get(i));
                temps.set(i, null);
            }
            committed = true;
        }

        /** Removes what {@link #commit()} did not move in: the temporary files, and the folders the group made if still empty. */
        @Override
        public void close() {
            if (committed) {
                return;
            }
            for (Path tmp : temps) {
                if (tmp != null) {
                    cleanUp(tmp, List.of());
                }
            }
            cleanUp(null, made);
        }
    }

    /**
     * Checks that {@code file} can be replaced: absent, or a regular file that is not a symbolic
     * link; else throws a message naming what is there. Commands call it before a long run, so a
     * bad output path is refused before the work, not after.
     */
    public static void refuseUnwritable(Path file, String what) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new LicensimException("cannot write " + what + " to " + file + ": " + reason(e, file), e);
        }
        if (a.isSymbolicLink()) {
            String to;
            try {
                to = " (to " + Files.readSymbolicLink(file) + ")";
            } catch (IOException e) {
                to = "";
            }
            throw new LicensimException("cannot write " + what + " to " + file + ": it is a symbolic link" + to
                    + "; licensim does not write through links: give the link's target as the path, or remove the link");
        }
        if (!a.isRegularFile()) {
            throw new LicensimException("cannot write " + what + " to " + file + ": it is "
                    + (a.isDirectory() ? "a directory" : "not a regular file (a device, pipe or socket)")
                    + "; licensim replaces only regular files: give a file name");
        }
    }

    /** The reason of an I/O failure in words, and the file it happened on when that is not {@code named}. */
    public static String reason(IOException e, Path named) {
        String r = reason(e);
        String suffix = " (" + named + ")";
        return r.endsWith(suffix) ? r.substring(0, r.length() - suffix.length()) : r;
    }

    /** The reason of an I/O failure in words, with the file it happened on. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied" + other(e);
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder" + other(e);
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is a file, not a folder" + other(e);
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is already there" + other(e);
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "a folder that is not empty is in the way" + other(e);
        }
        if (e instanceof FileSystemException f) {
            String r = f.getReason();
            if ("Not a directory".equals(r)) {
                return "a part of the path is a file, not a folder" + other(e);
            }
            if (r != null && !r.isBlank()) {
                String low = r.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + r.substring(1);
                return low + other(e);
            }
            return "the file system refused (" + e.getClass().getSimpleName() + ")" + other(e);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** ": FILE" when the failure was on a file other than the one the caller names (a parent folder, the temporary). */
    private static String other(IOException e) {
        return e instanceof FileSystemException f && f.getFile() != null ? " (" + f.getFile() + ")" : "";
    }

    private static void makeParents(Path dir, List<Path> made) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        makeParents(dir.getParent(), made);
        Files.createDirectory(dir);
        made.add(dir);
    }

    private static Path createTemp(Path target) throws IOException {
        for (int attempt = 0;; attempt++) {
            byte[] b = new byte[6];
            RANDOM.nextBytes(b);
            Path tmp = target.resolveSibling("." + target.getFileName() + TEMP_MARK + HexFormat.of().formatHex(b) + ".tmp");
            try {
                Files.createFile(tmp);
                PENDING.add(tmp);
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static void copyPermissions(Path target, Path tmp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        Files.setPosixFilePermissions(tmp, perms);
    }

    private static void cleanUp(Path tmp, List<Path> made) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            PENDING.remove(tmp);
        }
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(made.get(i));
            } catch (IOException ignored) {
                // not empty (someone else wrote there) or gone: leave it
            }
        }
    }

    /** Deletes every temporary file still being written; the shutdown hook's job. */
    static void removePending() {
        for (Path p : PENDING) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort while the process ends
            }
        }
    }

    /** The temporary files being written now (tests). */
    static Set<Path> pending() {
        return Set.copyOf(PENDING);
    }
}
