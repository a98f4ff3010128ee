package org.licensim.simulator.population;

import java.time.Instant;

import org.licensim.core.event.Event;

/** What {@code run.Simulation} lends the populations whose churn it replays: applying an event, sequence numbers, the clock. */
public interface EventActions {
    /** Logs and applies {@code e}; true when the engine took it, false when its rules refused it. */
    boolean apply(Event e);

    long nextSeq();

    Instant now();
}
