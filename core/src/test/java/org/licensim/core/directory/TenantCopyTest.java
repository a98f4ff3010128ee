package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.LicensimException;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.io.SnapshotWriter;

/**
 * {@link Tenant#copy()} stands for reading the snapshot again: an engine on a copy ends where an
 * engine on a fresh read ends, through the example's events (users created and deleted, joins,
 * rule edits, licences, usage locations), and what a copy went through never reaches the
 * tenant it was copied from or a later copy.
 */
class TenantCopyTest {
    static final Path SNAPSHOT = Path.of("../examples/contoso-small.json");
    static final Path EVENTS = Path.of("../examples/contoso-small.events.jsonl");

    static Tenant read(byte[] bytes) throws IOException {
        return SnapshotReader.withDefaults().read(new ByteArrayInputStream(bytes), SNAPSHOT.toString());
    }

    static byte[] written(Engine e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(e, out);
        return out.toByteArray();
    }

    static int replay(Engine e) throws IOException {
        int applied = 0;
        try (EventReader r = EventReader.open(EVENTS)) {
            for (Event ev = r.next(); ev != null; ev = r.next()) {
                try {
                    e.apply(ev);
                    applied++;
                } catch (LicensimException refused) {
                    // refused the same way on both sides; the states are compared below
                }
            }
        }
        return applied;
    }

    @Test
    @DisplayName("an engine on a copy of the tenant ends as one on a fresh read, and leaves the original as it was")
    void copyIsAFreshRead() throws IOException {
        byte[] bytes = Files.readAllBytes(SNAPSHOT);
        Tenant original = read(bytes);
        byte[] day0 = written(Engine.builder(read(bytes)).reconcile());

        Engine onCopy = Engine.builder(original.copy()).reconcile();
        assertArrayEquals(day0, written(onCopy), "day 0 from a copy");
        Engine onRead = Engine.builder(read(bytes)).reconcile();
        int applied = replay(onCopy);
        assertEquals(applied, replay(onRead));
        byte[] after = written(onRead);
        assertArrayEquals(after, written(onCopy), "the copy's engine after the events");
        assertFalse(java.util.Arrays.equals(day0, after), "the events changed nothing, so nothing was tested");

        // the copied-from tenant, and a copy made after all that, are still day 0
        assertArrayEquals(day0, written(Engine.builder(original.copy()).reconcile()), "a later copy");
        assertArrayEquals(day0, written(Engine.builder(original).reconcile()), "the original");
        assertEquals(read(bytes).users().liveCount(), original.users().liveCount());
    }
}
