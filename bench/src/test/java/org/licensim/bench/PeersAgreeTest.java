package org.licensim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PeersAgreeTest {
    @ParameterizedTest
    @EnumSource(BenchTenant.Shape.class)
    @DisplayName("R10 R11 the plain-JDK and DuckDB peers resolve a bench tenant exactly as the engine does")
    void peersAgree(BenchTenant.Shape shape) {
        BenchTenant t = BenchTenant.generate(6_000, shape);
        EngineResolver engine = new EngineResolver(t);
        engine.resolve();
        long expected = engine.fingerprint();
        assertNotEquals(0, expected);
        PeerInput in = new PeerInput(t.tenant);
        for (int p : BenchTenant.SHORT) {
            assertEquals(in.capacity[p], engine.engine().consumed(p), "short product " + p + " is fully used");
        }
        int waiting = 0;
        for (int p : BenchTenant.SHORT) {
            waiting += org.licensim.core.engine.Summary.of(engine.engine()).usersInError()[p];
        }
        assertTrue(waiting > 0, "seats are short, so R11 order decides who waits");
        for (Resolver.Kind kind : new Resolver.Kind[] {Resolver.Kind.plainJdk, Resolver.Kind.duckdb}) {
            try (Resolver r = kind.create(t)) {
                r.resolve();
                assertEquals(expected, r.fingerprint(), kind + " on " + shape);
                r.resolve();
                assertEquals(expected, r.fingerprint(), kind + " resolving twice gives the same result");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BenchTenant.Shape.class)
    @DisplayName("the fingerprint tells results apart: one seat fewer changes it")
    void fingerprintIsSensitive(BenchTenant.Shape shape) {
        BenchTenant t = BenchTenant.generate(3_000, shape);
        PeerInput in = new PeerInput(t.tenant);
        PlainJdkResolver a = new PlainJdkResolver(in);
        a.resolve();
        in.capacity[BenchTenant.SHORT[0]]--;
        PlainJdkResolver b = new PlainJdkResolver(in);
        b.resolve();
        assertNotEquals(a.fingerprint(), b.fingerprint());
    }

    @org.junit.jupiter.api.Test
    @DisplayName("R13 no two plans of the bench products conflict under the shipped rules (the peers do not implement R13)")
    void benchProductsDoNotConflict() {
        org.licensim.core.catalog.Catalog catalog = org.licensim.core.catalog.Catalog.loadDefault();
        java.util.Set<Integer> plans = new java.util.HashSet<>();
        for (String sku : BenchTenant.PRODUCTS) {
            for (int p : catalog.findProduct(sku).plans()) {
                plans.add(p);
            }
        }
        for (org.licensim.core.catalog.PlanRules.Conflict c : org.licensim.core.catalog.PlanRules.loadDefault(catalog).conflicts()) {
            assertTrue(!plans.contains(c.planA()) || !plans.contains(c.planB()), catalog.plan(c.planA()).servicePlanName()
                    + " conflicts with " + catalog.plan(c.planB()).servicePlanName());
        }
    }
}
