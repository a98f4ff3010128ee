package org.licensim.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.event.Event;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.Scenarios;

class RecorderTest {
    @Test
    @DisplayName("an event's latency goes to its type's histogram of the day; the run's and the day's over all types add the day at its end")
    void latenciesAddedAtTheDaysEnd() {
        Catalog catalog = Catalog.loadDefault();
        Scenario s = Scenarios.shipped("small", catalog);
        Simulation sim = new Simulation(s, catalog);
        String[] skus = s.products().stream().map(Scenario.ProductSpec::sku).toArray(String[]::new);
        Recorder rec = new Recorder(s, catalog, sim.engine(), skus, new int[s.groups().size()]);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        int created = Event.Kind.GroupCreated.ordinal();
        int added = Event.Kind.MemberAdded.ordinal();

        rec.startDay();
        assertEquals(null, rec.apply(new Event.GroupCreated(1, t, "g1", "one", true, null, false, List.of()), 0));
        assertEquals(null, rec.apply(new Event.GroupCreated(2, t, "g2", "two", true, null, false, List.of()), 0));
        assertNotNull(rec.apply(new Event.MemberAdded(3, t, "no-such-group", "no-such-user"), 0)); // refused: timed too
        // while the day runs, the run's histograms hold only the days that ended
        assertEquals(0, rec.result(0).latency()[created].getTotalCount());
        assertEquals(0, rec.result(0).allLatency().getTotalCount());
        rec.endDay(0);

        SimulationResult r = rec.result(0);
        assertEquals(2, r.latency()[created].getTotalCount());
        assertEquals(1, r.latency()[added].getTotalCount());
        assertEquals(3, r.allLatency().getTotalCount());
        assertEquals(2, r.dayTypeLatency()[0][created][0]);
        assertEquals(1, r.dayTypeLatency()[0][added][0]);
        Histogram all = r.allLatency();
        assertEquals(all.getMaxValue(), r.dayMaxNanos()[0]);
        assertEquals(all.getValueAtPercentile(50), r.dayP50Nanos()[0]);
        assertTrue(r.latency()[created].getMaxValue() <= r.dayMaxNanos()[0]);

        // a second day adds to the run's, and the day's over all types starts empty again
        rec.startDay();
        assertEquals(null, rec.apply(new Event.GroupCreated(4, t, "g3", "three", true, null, false, List.of()), 1));
        rec.endDay(1);
        r = rec.result(0);
        assertEquals(3, r.latency()[created].getTotalCount());
        assertEquals(1, r.dayTypeLatency()[1][created][0]);
        assertEquals(r.dayTypeLatency()[1][created][3], r.dayMaxNanos()[1]);
    }
}
