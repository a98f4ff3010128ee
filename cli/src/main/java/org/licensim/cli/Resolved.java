package org.licensim.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;

import picocli.CommandLine.Model.CommandSpec;

/**
 * A snapshot resolved with its events, and the time a command counts from: what {@code check}
 * and {@code reclaim} both start from. An event the rules refuse stops it, naming the line.
 *
 * @param tenant the snapshot as read (the engine's tenant after the events)
 * @param engine the resolved state
 * @param now    {@code --now} as seconds, else the snapshot's evaluatedAt, else the clock
 */
record Resolved(Tenant tenant, Engine engine, long now) {
    static Resolved of(CommandSpec spec, Path snapshot, Path events, String now) throws IOException {
        Long at = now == null ? null : org.licensim.core.rules.RuleParser.instantOrNull(now);
        if (now != null && at == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--now " + now + ": expected an ISO 8601 instant such as 2026-12-01T00:00:00Z");
        }
        Tenant t = SnapshotReader.withDefaults().read(snapshot);
        long from = at != null ? at : t.evaluatedAt() != null ? t.evaluatedAt() : java.time.Instant.now().getEpochSecond();
        Engine e = Engine.builder(t).reconcile();
        if (events != null) {
            try (EventReader r = EventReader.open(events)) {
                for (Event ev = r.next(); ev != null; ev = r.next()) {
                    try {
                        e.apply(ev);
                    } catch (LicensimException refused) {
                        throw new LicensimException(events + ":" + r.line() + ": " + refused.getMessage());
                    }
                }
            }
        }
        return new Resolved(t, e, from);
    }
}
