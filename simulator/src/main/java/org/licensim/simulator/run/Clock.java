package org.licensim.simulator.run;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The simulated clock: a day's events are spread evenly over its working hours (08:00 to 18:00
 * UTC; day 0, when the tenant is set up, over the whole day), one slot per event, so that every
 * event has a distinct, increasing time.
 */
final class Clock {
    private static final long DAY_MS = 86_400_000L;
    private static final long WORK_START_MS = 8 * 3_600_000L;
    private static final long WORK_MS = 10 * 3_600_000L;

    private final LocalDate start;
    private long dayStartMs;
    private long slotMs;
    private long slot;

    Clock(LocalDate start) {
        this.start = start;
    }

    /** Day {@code day} begins; about {@code slots} events will share it. */
    void startDay(int day, long slots) {
        dayStartMs = start.plusDays(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long span = day == 0 ? DAY_MS : WORK_MS;
        if (day > 0) {
            dayStartMs += WORK_START_MS;
        }
        slotMs = Math.max(1, span / Math.max(1, slots));
        slot = 0;
    }

    /** The next event's slot. */
    void tick() {
        slot++;
    }

    Instant now() {
        return Instant.ofEpochMilli(dayStartMs + slot * slotMs);
    }
}
