package org.licensim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;

import picocli.CommandLine.Model.CommandSpec;

/**
 * A snapshot resolved with its events, and the time a command counts from: what {@code check}
 * and {@code reclaim} both start from. An event the rules refuse stops it, naming the line, unless
 * {@code --on-reject skip} asked to go on past it (as {@code resolve} does).
 *
 * @param tenant   the snapshot as read (the engine's tenant after the events)
 * @param engine   the resolved state
 * @param now      {@code --now} as seconds, else the time of the last event applied, else the
 *                 snapshot's evaluatedAt, else the clock: the state's own time when it has one
 * @param rejected the events skipped under {@code --on-reject skip}, as "file:line: message"
 *                 (at most {@link #LISTED}), and {@code rejectedCount} how many there were
 */
record Resolved(Tenant tenant, Engine engine, long now, List<String> rejected, int rejectedCount) {
    /** How many skipped events are named; the rest are counted. */
    static final int LISTED = 5;

    static Resolved of(CommandSpec spec, Path snapshot, Path events, String now, ResolveCommand.OnReject onReject)
            throws IOException {
        Long at = now == null ? null : org.licensim.core.rules.RuleParser.instantOrNull(now);
        if (now != null && at == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--now " + now + ": expected an ISO 8601 instant such as 2026-12-01T00:00:00Z");
        }
        Tenant t = SnapshotReader.withDefaults().read(snapshot);
        Engine e = Engine.builder(t).reconcile();
        Long last = null;
        List<String> rejected = new ArrayList<>();
        int rejectedCount = 0;
        if (events != null) {
            try (EventReader r = EventReader.open(events)) {
                for (Event ev = r.next(); ev != null; ev = r.next()) {
                    try {
                        e.apply(ev);
                        last = ev.time().getEpochSecond();
                    } catch (LicensimException refused) {
                        if (onReject == ResolveCommand.OnReject.fail) {
                            throw new LicensimException(events + ":" + r.line() + ": " + refused.getMessage()
                                    + " (--on-reject skip goes on past rejected events)");
                        }
                        if (rejectedCount++ < LISTED) {
                            rejected.add(events + ":" + r.line() + ": " + refused.getMessage());
                        }
                    }
                }
            }
        }
        long from = at != null ? at : last != null ? last : t.evaluatedAt() != null ? t.evaluatedAt()
                : java.time.Instant.now().getEpochSecond();
        return new Resolved(t, e, from, List.copyOf(rejected), rejectedCount);
    }

    /** Says which events were skipped (nothing when none were), where lines for people go. */
    void sayRejected(PrintWriter say) {
        if (rejectedCount == 0) {
            return;
        }
        say.printf("%,d %s refused and skipped (--on-reject skip), the state unchanged by %s:%n", rejectedCount,
                rejectedCount == 1 ? "event" : "events", rejectedCount == 1 ? "it" : "them");
        for (String r : rejected) {
            say.println("  " + r);
        }
        if (rejectedCount > rejected.size()) {
            say.printf("  ... and %,d more%n", rejectedCount - rejected.size());
        }
        say.flush();
    }
}
