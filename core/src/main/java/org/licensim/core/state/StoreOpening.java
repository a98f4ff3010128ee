package org.licensim.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.map.ChronicleMap;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.state.ChronicleStateStore.Sizing;

/**
 * The persisted store's lifecycle on disk: creating a store directory (nothing left behind if
 * that fails), recognising and discarding a first build that was killed, and opening a store
 * with recovery (a killed writer's uncommitted writes rolled back, ids past the last commit
 * dropped) and the checks of {@link ChronicleStateStore#check}. The files and their order are in
 * docs/STORE.md.
 */
final class StoreOpening {
    private StoreOpening() {
    }

    /**
     * Creates an empty store in {@code dir} (which must not exist or be empty) for {@code tenant}'s
     * products; {@code source} describes where the state comes from (the snapshot's name and
     * digest) and is checked when the store is resumed. If creating fails (a full disk, say),
     * nothing is left behind: the directory is as it was.
     */
    static ChronicleStateStore create(Path dir, Tenant tenant, StoreSource source, Sizing sizing) {
        NativeHelpers.configure();
        boolean made;
        try {
            made = !Files.exists(dir);
            if (!made) {
                if (!Files.isDirectory(dir)) {
                    throw new LicensimException(dir + ": exists and is not a directory; a store is a directory");
                }
                try (var s = Files.list(dir)) {
                    if (s.anyMatch(f -> !f.getFileName().toString().equals(StoreLock.FILE))) {
                        throw new LicensimException(dir + ": is not empty and holds no licensim store (no " + ChronicleStateStore.MANIFEST
                                + "); give a new or empty directory");
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LicensimException(dir + ": cannot create the store directory: " + e.getMessage(), e);
        }
        StoreLock lock;
        try {
            lock = StoreLock.acquire(dir, "building the store");
        } catch (RuntimeException e) {
            if (made && StoreFiles.onlyLockFile(dir)) {
                StoreFiles.removeWhatCreateMade(dir, true); // the disk was too full even for the lock's few bytes
            }
            throw e;
        }
        CommitHeader header = null;
        UndoLog undo = null;
        ChronicleMap<IntValue, ByteBuffer> st = null;
        IdMaps ids = null;
        try {
            // the commit record (saying "being built") before the manifest: a directory with a
            // manifest always has one, so a build killed anywhere is recognised as unfinished
            header = CommitHeader.create(dir.resolve(ChronicleStateStore.COMMIT), new CommitHeader.Slot(1, ChronicleStateStore.LAYOUT, CommitHeader.BUILDING, -1, 0, 0, 0));
            header.lockOrRefuse(dir);
            header.setWriterOpen(true);
            StoreManifest m = StoreManifest.create(tenant, source.toString(), sizing);
            m.write(dir);
            undo = new UndoLog(dir.resolve(ChronicleStateStore.UNDO));
            st = StoreFiles.stateMap(dir, m, 0, false, false);
            ids = StoreFiles.idMaps(dir, m, 0, false, false);
            m.setAutoResizes(Math.min(st.remainingAutoResizes(), ids.remainingAutoResizes()));
            StoreFiles.recordMapHeaders(dir, m, 0);
            m.write(dir);
            ChronicleStateStore s = new ChronicleStateStore(dir, lock, m, st, ids, header, undo, null);
            s.markChecked();
            s.attach(tenant);
            return s;
        } catch (RuntimeException e) {
            StoreFiles.closeAfterFailure(st, ids, undo);
            if (header != null) {
                header.close();
            }
            StoreFiles.removeWhatCreateMade(dir, made);
            lock.close();
            throw e;
        }
    }

    /**
     * If the store in {@code dir} was killed during its first build (it never committed, so it
     * holds nothing to keep), empties it so that it can be built again, and says so; returns
     * false and changes nothing for any other directory. Takes the store's lock, so a build
     * still running in another process is refused, not removed.
     */
    static boolean discardUnfinishedBuild(Path dir) {
        if (!unfinished(dir)) {
            return false;
        }
        try (StoreLock lock = StoreLock.acquire(dir, "rebuilding a store whose first build was stopped")) {
            if (!unfinished(dir)) {
                return false; // finished by another process meanwhile
            }
            Path commit = dir.resolve(ChronicleStateStore.COMMIT);
            if (!Files.isRegularFile(commit)) {
                StoreFiles.removeWhatCreateMade(dir, false);
                return true;
            }
            // a build still running whose lock file was removed holds the commit record's lock
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(commit,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                if (ch.tryLock() == null) {
                    throw new LicensimException(dir + ": the store is being built by another process (it holds "
                            + ChronicleStateStore.COMMIT + "; the store's lock file was removed or replaced while it ran)");
                }
                StoreFiles.removeWhatCreateMade(dir, false);
                return true;
            } catch (IOException e) {
                throw new LicensimException(commit + ": cannot lock the store's commit record: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Whether {@code dir} holds a first build that never finished. A build writes its commit
     * record ("being built") before its manifest and commits only after both, so: without a
     * manifest, any directory of licensim's files alone (a commit record half written included);
     * with one, a commit record that still says "being built" (or, from an older build order, none).
     */
    private static boolean unfinished(Path dir) {
        Path commit = dir.resolve(ChronicleStateStore.COMMIT);
        if (!Files.isRegularFile(dir.resolve(ChronicleStateStore.MANIFEST))) {
            return Files.isRegularFile(commit) && StoreFiles.onlyLicensimFiles(dir);
        }
        return Files.isRegularFile(commit) ? CommitHeader.isBuilding(commit) : StoreFiles.onlyLicensimFiles(dir);
    }

    /** Whether {@code dir} holds a store (its manifest exists). */
    static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(ChronicleStateStore.MANIFEST));
    }

    /**
     * Opens an existing store for {@code purpose} (said to any other process that tries to open it
     * meanwhile), recovering it to its last commit if its last writer was killed, and verifies
     * it: manifest, commit record, value and id counts and, with {@code verifyAll}, every value
     * and every id entry. Any damage is a {@link LicensimException} naming the file; a failed open
     * leaves the store as it found it.
     */
    static ChronicleStateStore open(Path dir, boolean verifyAll, String purpose) {
        NativeHelpers.configure();
        if (!Files.isDirectory(dir)) {
            throw new LicensimException(dir + ": no such store directory");
        }
        if (!Files.isRegularFile(dir.resolve(ChronicleStateStore.MANIFEST))) {
            throw new LicensimException(dir + ": not a licensim store (no " + ChronicleStateStore.MANIFEST + ")");
        }
        StoreLock lock = StoreLock.acquire(dir, purpose);
        CommitHeader header = null;
        UndoLog undo = null;
        ChronicleMap<IntValue, ByteBuffer> st = null;
        IdMaps ids = null;
        boolean crashed = false;
        try {
            if (!Files.isRegularFile(dir.resolve(ChronicleStateStore.COMMIT)) && StoreFiles.onlyLicensimFiles(dir)) {
                throw new LicensimException(dir + ": this store was still being built (its first reconcile) when the "
                        + "process writing it stopped, so it holds no usable state; delete the directory and resolve again");
            }
            StoreManifest m = StoreManifest.read(dir);
            CommitHeader opened = CommitHeader.open(dir.resolve(ChronicleStateStore.COMMIT));
            try {
                opened.lockOrRefuse(dir);
            } catch (RuntimeException e) {
                opened.close(); // another process's store: its writer flag is not ours to touch
                throw e;
            }
            header = opened;
            CommitHeader.Slot c = header.current();
            if (c.layout() != ChronicleStateStore.LAYOUT) {
                throw new LicensimException(header.file() + ": commit record of layout " + c.layout()
                        + ", this licensim reads " + ChronicleStateStore.LAYOUT + " only");
            }
            if (c.status() == CommitHeader.BUILDING) {
                throw new LicensimException(dir + ": this store was still being built (its first reconcile) when the "
                        + "process writing it stopped, so it holds no usable state; delete the directory and resolve again");
            }
            StoreFiles.removeOtherGenerations(dir, m.generation());
            StoreFiles.checkMapHeaders(dir, m);
            crashed = header.writerWasOpen();
            undo = new UndoLog(dir.resolve(ChronicleStateStore.UNDO));
            boolean uncommitted = undo.count() > 0 && undo.base() == c.commitNo();
            boolean recover = crashed || uncommitted;
            st = StoreFiles.stateMap(dir, m, m.generation(), true, recover);
            ids = StoreFiles.idMaps(dir, m, m.generation(), true, recover);
            ChronicleStateStore s = new ChronicleStateStore(dir, lock, m, st, ids, header, undo,
                    recover ? "recovered to commit " + c.commitNo() + " (last applied event seq " + c.lastSeq() + ")" : null);
            if (recover) {
                header.setWriterOpen(true);
                ids.pruneBeyond(c.users(), c.groups());
            }
            if (uncommitted) {
                s.rollback();
            }
            s.check(verifyAll);
            header.setWriterOpen(true);
            return s;
        } catch (RuntimeException e) {
            StoreFiles.closeAfterFailure(st, ids, undo);
            if (header != null) {
                header.setWriterOpen(crashed);
                header.close();
            }
            lock.close();
            throw e;
        }
    }

}
