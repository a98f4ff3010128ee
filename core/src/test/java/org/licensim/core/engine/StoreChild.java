package org.licensim.core.engine;

import java.nio.file.Path;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;

/**
 * The process {@link StoreSessionTest} kills: resolves a snapshot and events into a store
 * directory (creating or resuming it), printing "applied N" as it goes so the parent can kill
 * it in the middle of the events. Arguments: snapshot, events, store directory.
 */
public final class StoreChild {
    private StoreChild() {
    }

    public static void main(String[] args) throws Exception {
        Tenant t = SnapshotReader.withDefaults().read(Path.of(args[0]));
        try (EngineRun s = Engine.builder(t).persisted(Path.of(args[2]), StoreSessionTest.SOURCE, line -> { })) {
            System.out.println("started");
            System.out.flush();
            int n = 0;
            try (EventReader r = EventReader.open(Path.of(args[1]))) {
                for (Event e = r.next(); e != null; e = r.next()) {
                    try {
                        s.apply(e);
                    } catch (LicensimException rejected) {
                        // the reference model rejects the same events; the store is unchanged by them
                    }
                    if (++n % 25 == 0) {
                        System.out.println("applied " + n);
                        System.out.flush();
                    }
                }
            }
            s.finish();
        }
        System.out.println("done");
    }
}
