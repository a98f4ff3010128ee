package org.licensim.simulator.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.licensim.core.event.Event;
import org.licensim.core.planning.Shortage;
import org.licensim.core.state.States;
import org.licensim.simulator.scenario.Scenario;

/**
 * What a simulation produced: the day series (deterministic for a scenario and seed), the
 * engine's latency per event type (measured, so it varies between runs) and what stood out:
 * when each product ran short of seats. {@code engineNanos} is the time spent inside the
 * engine's {@code apply}; {@code dayTypeLatency[day][type]} is null or {count, p50, p99, max}
 * in nanoseconds for that type on that day. The rest of {@code wallNanos} is generating users and recording days.
 */
public record SimulationResult(Scenario scenario, List<String> products, List<String> productNames, List<String> groups,
                               List<DayStats> days,
                               Histogram[] latency, long[] dayP50Nanos, long[] dayP99Nanos, long[] dayMaxNanos,
                               long[][][] dayTypeLatency,
                               long wallNanos, long engineNanos, List<Rejection> rejections) {

    public static List<String> errorKinds() {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < States.errorCount(); k++) {
            out.add(States.errorNameOf(k));
        }
        return out;
    }

    /**
     * Refused events of one kind: {@code reason} is the event type and the engine's
     * {@link org.licensim.core.engine.Rejection.Reason reason} for refusing it, {@code example}
     * the first such refusal (day, seq and the engine's words).
     */
    public record Rejection(String reason, long count, String example) {
    }

    /**
     * How one product fared over the run. Days are -1 when it never happened. A product is
     * short on a day when more users want it than it has seats (holders plus users waiting in
     * CountViolation above its capacity: {@link org.licensim.core.planning.Shortage}, the one
     * definition {@code plan}, {@code check} and the reports use). Users can wait while seats are
     * free (nobody retries their source, R18) without the product being short, and can wait for a
     * product with free seats when another product of the same group is short (R12).
     */
    public record ProductOutcome(String sku, int firstFullDay, int firstShortDay, int peakWaiting, int peakWaitingDay,
                                 int consumedAtEnd, int capacityAtEnd, int waitingAtEnd) {
        public boolean ranShort() {
            return firstShortDay >= 0;
        }
    }

    public List<ProductOutcome> outcomes() {
        List<ProductOutcome> out = new ArrayList<>();
        DayStats last = days.get(days.size() - 1);
        for (int p = 0; p < products.size(); p++) {
            int full = -1;
            int shortDay = -1;
            int peak = 0;
            int peakDay = -1;
            for (DayStats d : days) {
                if (full < 0 && d.capacity()[p] > 0 && d.consumed()[p] >= d.capacity()[p]) {
                    full = d.day();
                }
                if (shortDay < 0 && Shortage.isShort(d.consumed()[p], d.waiting()[p], d.capacity()[p])) {
                    shortDay = d.day();
                }
                if (d.waiting()[p] > peak) {
                    peak = d.waiting()[p];
                    peakDay = d.day();
                }
            }
            out.add(new ProductOutcome(products.get(p), full, shortDay, peak, peakDay, last.consumed()[p],
                    last.capacity()[p], last.waiting()[p]));
        }
        return out;
    }

    public long totalEvents() {
        long n = 0;
        for (DayStats d : days) {
            n += d.eventCount();
        }
        return n;
    }

    public long totalRejected() {
        return Arrays.stream(rejectedByType()).sum();
    }

    /** Refused events per type over the whole run (indexed by {@link Event.Kind#ordinal()}). */
    public long[] rejectedByType() {
        long[] out = new long[Event.Kind.values().length];
        for (DayStats d : days) {
            for (int t = 0; t < out.length; t++) {
                out[t] += d.rejected()[t];
            }
        }
        return out;
    }

    /** Engine latency over all event types, merged. */
    public Histogram allLatency() {
        Histogram all = new Histogram(3);
        for (Histogram h : latency) {
            all.add(h);
        }
        return all;
    }
}
