package org.licensim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PeersAgreeTest {
    @ParameterizedTest
    @EnumSource(value = BenchTenant.Shape.class, names = {"manySmall", "fewBig"})
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
    @EnumSource(value = BenchTenant.Shape.class, names = {"manySmall", "fewBig"})
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

    @org.junit.jupiter.api.Test
    @DisplayName("R10 R11 the end-to-end DuckDB peer, reading the snapshot file itself, grants each user what licensim resolve does")
    void endToEndDuckDbAgrees(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path snap = dir.resolve("snap.json");
        BenchTenant.writeSnapshot(4_000, BenchTenant.Shape.manySmall, snap);
        java.nio.file.Path duck = dir.resolve("duck.json");
        DuckDbEndToEnd.run(snap, duck);
        org.licensim.core.engine.Engine e = org.licensim.core.engine.Engine.builder(
                org.licensim.core.io.SnapshotReader.withDefaults().read(snap)).reconcile();
        var tenant = e.tenant();
        java.util.Map<Integer, java.util.Set<String>> held = new java.util.HashMap<>();
        org.licensim.core.state.UserEntries.forEach(e.store(), tenant.users(), (u, es, n) -> {
            for (int i = 0; i < n; i++) {
                int at = i * org.licensim.core.state.StateStore.ENTRY_INTS;
                if (org.licensim.core.state.States.holds(es[at + org.licensim.core.state.StateStore.STATE])) {
                    held.computeIfAbsent(u, k -> new java.util.TreeSet<>()).add(tenant.subscriptions()
                            .product(es[at + org.licensim.core.state.StateStore.PRODUCT]).skuPartNumber());
                }
            }
        });
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        int users = 0;
        int granted = 0;
        for (String line : java.nio.file.Files.readAllLines(duck)) {
            var x = mapper.readTree(line);
            int u = tenant.users().indexOf(x.get("id").asText());
            java.util.Set<String> fromDuck = new java.util.TreeSet<>();
            for (var l : x.get("licences")) {
                if (l.get("granted").asBoolean()) {
                    fromDuck.add(l.get("sku").asText());
                }
            }
            assertEquals(held.getOrDefault(u, java.util.Set.of()), fromDuck, x.get("id").asText());
            users++;
            granted += fromDuck.size();
        }
        assertEquals(4_000, users);
        assertTrue(granted > 4_000, "users hold several products each");
        int waiting = 0;
        for (int p : BenchTenant.SHORT) {
            waiting += org.licensim.core.engine.Summary.of(e).usersInError()[p];
        }
        assertTrue(waiting > 0, "seats are short, so R11 order decides who is granted");
    }
}
