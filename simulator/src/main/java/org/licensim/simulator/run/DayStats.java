package org.licensim.simulator.run;

import java.time.LocalDate;

/**
 * What one simulated day ended with. Arrays are indexed like {@link SimulationResult#products()},
 * {@link SimulationResult#groups()}, {@link SimulationResult#eventTypes()} and the error kinds
 * of {@link SimulationResult#errorKinds()}. Only deterministic values: timings are kept apart.
 *
 * @param consumed      seats in use per product
 * @param capacity      enabled + warning units per product (SPEC R10)
 * @param waiting       per product, users whose source of it is in Error / CountViolation
 * @param usersInError  per product, users with any source of it in Error
 * @param errors        per error kind, sources in that error (Error or ActiveWithError) over all products
 * @param groupMembers  per scenario group, its user members
 * @param events        per event type, events applied this day
 * @param rejected      per event type, events the engine refused this day (state unchanged)
 */
public record DayStats(int day, LocalDate date, int users, int[] consumed, int[] capacity, int[] waiting,
                       int[] usersInError, long[] errors, int[] groupMembers, long[] events, long[] rejected) {

    public int available(int product) {
        return Math.max(0, capacity[product] - consumed[product]);
    }

    public long eventCount() {
        return java.util.Arrays.stream(events).sum();
    }

    public long rejectedCount() {
        return java.util.Arrays.stream(rejected).sum();
    }
}
