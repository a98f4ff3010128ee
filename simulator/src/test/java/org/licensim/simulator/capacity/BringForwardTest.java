package org.licensim.simulator.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.catalog.Catalog;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.Scenarios;

/** A purchase the scenario dates after the product is first short is advised to be brought forward (docs/PLANNING.md). */
class BringForwardTest {
    static final Catalog CATALOG = Catalog.loadDefault();

    static Procurement.ProductAdvice advice(Scenario s, String sku) {
        CapacityPlan plan = CapacityPlanner.plan(s, CATALOG, 8, 0, 0.95, 2, line -> { });
        return Procurement.of(plan, 14, "month", null, 90).products().stream().filter(a -> a.sku().equals(sku))
                .findFirst().orElseThrow();
    }

    @Test
    @DisplayName("given the default scenario, when E3 runs short before its dated purchase, then the plan says to bring that purchase forward to the first short day")
    void defaultScenarioBringsPurchasesForward() {
        Scenario s = Scenarios.shipped("default", CATALOG).with(null, 5_000, 130);
        Procurement.ProductAdvice e3 = advice(s, "ENTERPRISEPACK");
        assertTrue(e3.runwayDays() >= 0 && e3.runwayDays() < 100, "E3 short before day 100: " + e3.runwayDays());
        assertEquals(1, e3.bringForward().size(), e3.bringForward().toString());
        Procurement.BringForward b = e3.bringForward().get(0);
        assertEquals(200, b.units(), "4% of 5,000 users");
        assertEquals(s.start().plusDays(100), b.date());
        assertEquals(s.start().plusDays(e3.runwayDays()), b.by());
        assertEquals(b.by().minusDays(14), b.orderBy());
        Procurement.ProductAdvice e1 = advice(s, "STANDARDPACK");
        assertEquals(List.of(), e1.bringForward(), "no purchase dated for E1");
    }

    @Test
    @DisplayName("given the seat-crunch scenario over 60 days, when its dated purchase (day 80) is beyond the horizon, then nothing is brought forward")
    void purchaseBeyondHorizonIsNotBroughtForward() {
        Scenario s = Scenarios.shipped("seat-crunch", CATALOG).with(null, 2_000, 60);
        Procurement.ProductAdvice e3 = advice(s, "ENTERPRISEPACK");
        assertEquals(List.of(), e3.bringForward());
    }

    @Test
    @DisplayName("a dated purchase on or before the first short day is in time: not brought forward")
    void purchaseInTimeIsKept() {
        Scenario s = Scenarios.shipped("default", CATALOG).with(null, 5_000, 130);
        assertEquals(List.of(), Procurement.bringForward(s, "ENTERPRISEPACK", 100, 130, 14), "short from the purchase's own day");
        assertEquals(List.of(), Procurement.bringForward(s, "ENTERPRISEPACK", -1, 130, 14), "never short");
        assertEquals(1, Procurement.bringForward(s, "ENTERPRISEPACK", 99, 130, 14).size(), "short the day before");
    }
}
