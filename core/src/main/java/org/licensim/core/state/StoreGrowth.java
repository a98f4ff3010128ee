package org.licensim.core.state;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.map.ChronicleMap;
import org.licensim.core.state.ChronicleStateStore.Sizing;

/**
 * The persisted store's growth: when its map files near what they were sized for, every value
 * and id is copied into map files of the next generation, sized for four times today's counts,
 * and the store switches to them by rewriting the manifest (whole or not at all). A kill before
 * the switch leaves the old generation in use (the new files are removed on the next open);
 * after it, the new one. Runs right after a commit, when the undo log is empty.
 */
final class StoreGrowth {
    /** The new generation: its manifest and its open maps. */
    record Grown(StoreManifest manifest, Path stateFile, ChronicleMap<IntValue, ByteBuffer> state, IdMaps ids) {
    }

    private StoreGrowth() {
    }

    /**
     * Whether the map files should be rebuilt larger before the next event: more users or groups
     * than they were sized for, or Chronicle Map's own room to grow (extra segment tiers, a hard
     * limit) half used. Checked at each commit, so a single event never has to grow a map past
     * its limit.
     */
    static boolean needed(StoreManifest manifest, StoreValues values, IdMaps ids) {
        Sizing s = manifest.sizing();
        int reserve = (manifest.autoResizes() + 1) / 2;
        ChronicleMap<IntValue, ByteBuffer> state = values.map();
        return state.longSize() > s.users() || ids.users.longSize() > s.users() || ids.groups.longSize() > s.groups()
                || state.remainingAutoResizes() < reserve || ids.remainingAutoResizes() < reserve;
    }

    /** Copies into the next generation (see the class); a failure removes what it made and leaves the old one whole. */
    static Grown grow(Path dir, StoreManifest manifest, StoreValues values, IdMaps ids) {
        Sizing was = manifest.sizing();
        ChronicleMap<IntValue, ByteBuffer> state = values.map();
        long users = Math.max(state.longSize(), ids.users.longSize());
        Sizing next = new Sizing(Math.max(was.users() * 2, users * 4 + 1000),
                Math.max(was.groups() * 2, ids.groups.longSize() * 4 + 1000),
                values.averageEntries(was.entriesPerUser()), was.averageIdLength());
        int gen = manifest.generation() + 1;
        StoreManifest m = manifest.copy();
        m.setGeneration(gen);
        m.setSizing(next);
        StoreFiles.removeOtherGenerations(dir, manifest.generation());
        ChronicleMap<IntValue, ByteBuffer> st = null;
        IdMaps copy = null;
        try {
            st = StoreFiles.stateMap(dir, m, gen, false, false);
            ChronicleMap<IntValue, ByteBuffer> into = st;
            state.forEachEntry(e -> into.put(e.key().get(), e.value().get()));
            copy = StoreFiles.idMaps(dir, m, gen, false, false);
            IdMaps to = copy;
            ids.users.forEachEntry(e -> to.users.put(e.key().get(), e.value().get()));
            ids.groups.forEachEntry(e -> to.groups.put(e.key().get(), e.value().get()));
            m.setAutoResizes(Math.min(st.remainingAutoResizes(), copy.remainingAutoResizes()));
            StoreFiles.recordMapHeaders(dir, m, gen);
            m.write(dir);
        } catch (RuntimeException e) {
            StoreFiles.closeQuietly(st);
            if (copy != null) {
                copy.close();
            }
            StoreFiles.removeOtherGenerations(dir, manifest.generation());
            throw e;
        }
        return new Grown(m, dir.resolve(StoreFiles.fileOf(ChronicleStateStore.STATE_FILE, gen)), st, copy);
    }
}
