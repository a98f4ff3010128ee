package org.licensim.simulator.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Engine;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.io.SnapshotWriter;
import org.licensim.simulator.population.ChurnFit;
import org.licensim.simulator.run.DayStats;
import org.licensim.simulator.run.Simulation;
import org.licensim.simulator.run.SimulationResult;
import org.licensim.simulator.scenario.ChurnCalendar;
import org.licensim.simulator.scenario.ChurnReader;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.ScenarioReader;
import org.licensim.simulator.scenario.Scenarios;
import org.licensim.simulator.scenario.TenantBase;
import org.licensim.simulator.scenario.TenantChurn;

/**
 * Planning from a real tenant's snapshot: the snapshot is day 0, hires look like the tenant's
 * people, churn comes from a churn file or is fitted from history, and the purchase schedule
 * holds when taken. The tenant here is the shipped small scenario after 60 and 90 days, written
 * as snapshots the way {@code resolve --out-snapshot} writes them.
 */
class TenantPlanTest {
    @TempDir
    static Path dir;
    static Catalog catalog;
    static Path older;
    static Path tenant;

    @BeforeAll
    static void tenants() {
        catalog = Catalog.loadDefault();
        older = dir.resolve("day60.json");
        tenant = dir.resolve("day90.json");
        snapshot(Scenarios.shipped("small", catalog).with(null, null, 60), older);
        snapshot(Scenarios.shipped("small", catalog), tenant);
    }

    static void snapshot(Scenario s, Path file) {
        Simulation sim = new Simulation(s, catalog);
        sim.run(null, null);
        SnapshotWriter.write(sim.engine(), file);
    }

    static TenantChurn churn(String json) throws IOException {
        return new ChurnReader().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "churn.json");
    }

    static Map<String, Integer> departments(Users us) {
        Map<String, Integer> out = new HashMap<>();
        for (int u = 0; u < us.size(); u++) {
            if (!us.isDeleted(u)) {
                out.merge(String.valueOf(us.get(u, "department")), 1, Integer::sum);
            }
        }
        return out;
    }

    @Test
    @DisplayName("the snapshot is day 0; a dated purchase arrives on its date; hires copy the tenant's departments, Sales at its own rate")
    void simulatesFromTheSnapshot() throws IOException {
        Tenant t0 = SnapshotReader.withDefaults().read(tenant);
        TenantChurn c = churn("""
                {"start": "2026-06-01", "days": 60, "seed": 5,
                 "rates": {"hires": "0.1%", "leavers": "0.05%", "attributeEdits": 1},
                 "segments": {"Sales": {"hires": "1%"}},
                 "purchases": [{"sku": "ENTERPRISEPACK", "date": "2026-07-01", "units": 40}]}""");
        Scenario s = TenantBase.load(tenant, c).scenario();
        assertEquals(t0.users().liveCount(), s.users());
        Simulation sim = new Simulation(s, catalog);
        SimulationResult r = sim.run(null, null);
        DayStats first = r.days().get(0);
        assertEquals(t0.users().liveCount(), first.users());
        int e3 = r.products().indexOf("ENTERPRISEPACK");
        int before = t0.subscriptions().units(t0.subscriptions().indexOf(catalog.findProduct("ENTERPRISEPACK"))).capacity();
        assertEquals(before, r.days().get(29).capacity()[e3]);
        assertEquals(before + 40, r.days().get(30).capacity()[e3]); // 2026-07-01 is day 30
        Map<String, Integer> was = departments(t0.users());
        Map<String, Integer> now = departments(sim.engine().tenant().users());
        assertTrue(was.keySet().containsAll(now.keySet()), "hires only in the tenant's own departments: " + now.keySet());
        // Sales hires at 1% a day against 0.1% elsewhere: its share of the tenant grows
        double salesBefore = was.get("Sales") / (double) t0.users().liveCount();
        double salesAfter = now.get("Sales") / (double) sim.engine().tenant().users().liveCount();
        assertTrue(salesAfter > salesBefore * 1.3, salesBefore + " -> " + salesAfter);
        // the run's events follow the snapshot's own history
        assertTrue(r.rejections().stream().noneMatch(x -> x.reason().contains("out of order")), r.rejections().toString());
    }

    @Test
    @DisplayName("rates fitted from an older snapshot count what changed between the two, with intervals around them")
    void fitsFromTwoSnapshots() {
        ChurnFit fit = ChurnFit.fit(tenant, older, 30, null);
        Tenant a = SnapshotReader.withDefaults().read(older);
        Tenant b = SnapshotReader.withDefaults().read(tenant);
        Set<String> idsA = ids(a.users());
        Set<String> idsB = ids(b.users());
        long hires = idsB.stream().filter(id -> !idsA.contains(id)).count();
        long leavers = idsA.stream().filter(id -> !idsB.contains(id)).count();
        assertTrue(hires > 0 && leavers > 0, hires + " " + leavers);
        assertEquals((double) hires, fit.churn().fit().counts().get("hires"));
        assertEquals((double) leavers, fit.churn().fit().counts().get("leavers"));
        TenantChurn.Rate all = TenantChurn.Rate.observed(hires, 30);
        double[] ci = all.interval95(b.users().liveCount());
        assertTrue(ci[0] < hires / 30.0 && hires / 30.0 < ci[1], java.util.Arrays.toString(ci));
        assertTrue(fit.report().get(0).contains("30 days"), fit.report().get(0));
        // and the fitted churn plans: the runs' hires match the fit on average
        Scenario s = TenantBase.load(tenant, fit.churn().with(null, 60)).scenario();
        CapacityPlan plan = CapacityPlanner.plan(s, catalog, 4, 0, 0.95, 2, line -> { });
        assertEquals(4, plan.runResults().size());
        assertEquals(b.users().liveCount(), s.users());
    }

    @Test
    @DisplayName("too little history, a snapshot without churn, unknown groups and malformed rates are refused with the place and a hint")
    void badInput() throws IOException {
        LicensimException shortHistory = assertThrows(LicensimException.class, () -> ChurnFit.fit(tenant, older, 3, null));
        assertTrue(shortHistory.getMessage().contains("too little history") && shortHistory.getMessage().contains("3.0 days"),
                shortHistory.getMessage());
        LicensimException noChurn = assertThrows(LicensimException.class,
                () -> Scenarios.load(tenant.toString(), catalog, null));
        assertTrue(noChurn.getMessage().contains("is a tenant snapshot") && noChurn.getMessage().contains("--churn"),
                noChurn.getMessage());
        LicensimException bad = assertThrows(LicensimException.class, () -> churn("""
                {"rates": {"hires": "ten", "leavers": -1}, "weekly": [1, 1], "purchases": [{"sku": "EMS", "units": 5}]}"""));
        String m = bad.getMessage();
        assertTrue(m.contains("$.rates.hires") && m.contains("\"ten\""), m);
        assertTrue(m.contains("$.rates.leavers: a rate is at least 0, found -1"), m);
        assertTrue(m.contains("$.weekly: expected 7 numbers"), m);
        assertTrue(m.contains("$.purchases[0]: missing date"), m);
        LicensimException json = assertThrows(LicensimException.class, () -> churn("{\"days\": 30,\n \"rates\": }"));
        assertTrue(json.getMessage().contains("line 2, column"), json.getMessage());
        TenantChurn unknown = churn("""
                {"groups": {"No such group": {"adds": 1}}, "products": {"NOPE": {"adds": 1}}, "segments": {"Nowhere": {"hires": 1}}}""");
        LicensimException against = assertThrows(LicensimException.class, () -> TenantBase.load(tenant, unknown));
        String a = against.getMessage();
        assertTrue(a.contains("$.groups[\"No such group\"]: no group has this id or display name"), a);
        assertTrue(a.contains("$.products[\"NOPE\"]: the tenant does not subscribe to NOPE"), a);
        assertTrue(a.contains("$.segments[\"Nowhere\"]: no user has department \"Nowhere\""), a);
    }

    @Test
    @DisplayName("an older snapshot without users (a simulation's products-only snapshot.json) or of another tenant is refused: every user would be a hire")
    void historyOfAnotherTenant() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode contoso = (com.fasterxml.jackson.databind.node.ObjectNode)
                m.readTree(Path.of("../examples/contoso-small.json").toFile());
        Path other = dir.resolve("contoso.json");
        m.writeValue(other.toFile(), contoso);
        contoso.remove(List.of("users", "groups", "assignments"));
        Path productsOnly = dir.resolve("products-only.json");
        m.writeValue(productsOnly.toFile(), contoso);

        LicensimException empty = assertThrows(LicensimException.class, () -> ChurnFit.fit(tenant, productsOnly, 30, null));
        assertTrue(empty.getMessage().startsWith(productsOnly + " has no users, so every user of day90.json would count as a hire"),
                empty.getMessage());
        assertTrue(empty.getMessage().contains("--out-snapshot older.json"), empty.getMessage());
        LicensimException another = assertThrows(LicensimException.class, () -> ChurnFit.fit(tenant, other, 30, null));
        assertEquals("no user of " + other + " is in " + tenant + " (by id): they are not the same tenant, so rates fitted "
                + "from them would count every user as a hire and a leaver", another.getMessage());
        assertEquals(30.0, ChurnFit.fit(tenant, older, 30, null).churn().fit().days(), 0.0, "the same tenant still fits");
    }

    @Test
    @DisplayName("rates fitted from a directory audit export: hires, leavers, transfers, and membership edits of people not hired in it")
    void fitsFromAudits() throws IOException {
        Tenant b = SnapshotReader.withDefaults().read(tenant);
        String someone = b.users().id(0);
        String hired = b.users().id(1);
        String group = null;
        for (int g = 0; g < b.groups().size(); g++) {
            if (!b.groups().isDynamic(g) && b.assignments().ofGroup(g).length > 0) {
                group = b.groups().id(g);
            }
        }
        StringBuilder sb = new StringBuilder("{\"value\": [");
        for (int i = 0; i < 12; i++) {
            sb.append(entry("Add user", "2026-03-%02dT09:00:00Z".formatted(1 + i), i == 0 ? hired : "new-" + i, null, null));
        }
        sb.append(entry("Delete user", "2026-03-05T09:00:00Z", "gone-1", null, null));
        sb.append(entry("Update user", "2026-03-06T09:00:00Z", someone, null, "Department"));
        sb.append(entry("Add member to group", "2026-03-07T09:00:00Z", someone, group, null));
        sb.append(entry("Add member to group", "2026-03-08T09:00:00Z", hired, group, null));
        sb.append(entry("Reset password", "2026-03-29T09:00:00Z", someone, null, null));
        sb.setLength(sb.length() - 1);
        sb.append("]}");
        Path audits = dir.resolve("directoryAudits.json");
        Files.writeString(audits, sb);
        ChurnFit fit = ChurnFit.fit(tenant, null, null, audits);
        Map<String, Double> c = fit.churn().fit().counts();
        assertEquals(12.0, c.get("hires"));
        assertEquals(1.0, c.get("leavers"));
        assertEquals(1.0, c.get("transfers"));
        assertEquals(1.0, c.get("memberEdits"), "the hire's own join is part of the hire");
        assertEquals(28.0, fit.churn().fit().days());
        assertTrue(fit.report().stream().anyMatch(l -> l.contains("Reset password (1)")), fit.report().toString());
        // 28 dated days: weekday factors for all kinds together (too few of any one kind for its own), written as
        // what was seen and read back as such; no month factors from less than a year
        ChurnCalendar.Factors week = fit.churn().calendar().weekly().get(ChurnCalendar.ALL);
        assertTrue(week != null && week.isObserved(), fit.churn().calendar().toString());
        assertEquals(15.0, java.util.Arrays.stream(week.observed()).sum(), "the 15 entries that counted");
        assertEquals(29.0, java.util.Arrays.stream(week.days()).sum(), "March 1 to 29");
        assertTrue(fit.churn().calendar().monthly().isEmpty());
        assertTrue(fit.report().stream().anyMatch(l -> l.startsWith("  weekdays, all kinds: Mon ")), fit.report().toString());
        assertTrue(fit.churn().fit().notes().stream().anyMatch(n -> n.contains("month factors (seasons) need a year")),
                fit.churn().fit().notes().toString());
        Path written = dir.resolve("fitted-calendar.json");
        fit.write(written);
        ChurnCalendar.Factors back = new ChurnReader().read(written).calendar().weekly().get(ChurnCalendar.ALL);
        assertTrue(java.util.Arrays.equals(week.observed(), back.observed()) && java.util.Arrays.equals(week.days(),
                back.days()), Files.readString(written));
        Files.writeString(audits, "{\"value\": [" + entry("Add user", "2026-03-01T09:00:00Z", "x", null, null)
                + entry("Add user", "2026-03-02T09:00:00Z", "y", null, null).replaceAll(",$", "") + "]}");
        LicensimException tooShort = assertThrows(LicensimException.class, () -> ChurnFit.fit(tenant, null, null, audits));
        assertTrue(tooShort.getMessage().contains("too little history"), tooShort.getMessage());
    }

    @Test
    @DisplayName("a bad prices file or audit export is refused with the file, the place and the value")
    void badPricesAndAudits() throws IOException {
        List<String> skus = List.of("ENTERPRISEPACK", "EMS");
        Path prices = dir.resolve("prices.json");
        Files.writeString(prices, """
                {"products": {"ENTERPRISEPACK": {"perMonth": -3}, "EMS": {"perMonth": 1, "perYear": 12},
                 "NOPE": {"perMonth": 1}}, "discount": 5}""");
        String m = assertThrows(LicensimException.class, () -> Prices.read(prices, skus)).getMessage();
        assertTrue(m.startsWith("prices file " + prices + ": 5 problems"), m);
        assertTrue(m.contains("$.currency: expected the currency"), m);
        assertTrue(m.contains("$.products[\"ENTERPRISEPACK\"].perMonth: expected a price of at least 0, found -3"), m);
        assertTrue(m.contains("$.products[\"EMS\"]: expected {\"perMonth\": PRICE} or {\"perYear\": PRICE}"), m);
        assertTrue(m.contains("$.products[\"NOPE\"]: not a product of the plan"), m);
        assertTrue(m.contains("$.discount: unknown field"), m);
        Files.writeString(prices, "{\"currency\": \"EUR\",\n \"products\": {\"EMS\": {\"perYear\": 120}}}");
        Prices ok = Prices.read(prices, skus);
        assertEquals(10.0, ok.monthly("EMS"));
        assertEquals("EUR", ok.currency());
        Files.writeString(prices, "{\"currency\": \"EUR\",\n \"products\": {\"EMS\" 1}}");
        String json = assertThrows(LicensimException.class, () -> Prices.read(prices, skus)).getMessage();
        assertTrue(json.contains("prices file " + prices + " line 2, column") && json.contains("malformed JSON"), json);

        Path audits = dir.resolve("audits").resolve("directoryAudits.json");
        Files.createDirectories(audits.getParent());
        Files.writeString(audits, "{\"value\": [{\"activityDisplayName\": \"Add user\", \"activityDateTime\": \"soon\"}]}");
        String when = assertThrows(LicensimException.class, () -> ChurnFit.fit(tenant, null, null, audits)).getMessage();
        assertTrue(when.contains("directoryAudits.json value[0].activityDateTime: \"soon\" is not an ISO 8601 instant"),
                when);
        Files.writeString(audits, "{\"@odata.nextLink\": \"https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?"
                + "$skiptoken=x\", \"value\": []}");
        String page = assertThrows(LicensimException.class, () -> ChurnFit.fit(tenant, null, null, audits)).getMessage();
        assertTrue(page.contains("directoryAudits-2.json is missing: the export stopped before its last page"), page);
        Files.writeString(audits, "{\"value\": [ {\"activityDisplayName\": }");
        String broken = assertThrows(LicensimException.class, () -> ChurnFit.fit(tenant, null, null, audits)).getMessage();
        assertTrue(broken.contains("directoryAudits.json:1:") && broken.contains("not valid JSON"), broken);
        String twice = assertThrows(LicensimException.class, () -> ChurnFit.fit(tenant, older, 30, audits)).getMessage();
        assertTrue(twice.contains("give one history to fit from"), twice);
    }

    private static String entry(String activity, String time, String user, String group, String changed) {
        String mods = changed == null ? "[]"
                : "[{\"displayName\": \"" + changed + "\", \"oldValue\": \"[\\\"Sales\\\"]\", \"newValue\": \"[\\\"IT\\\"]\"}]";
        String targets = "[{\"id\": \"" + user + "\", \"type\": \"User\", \"modifiedProperties\": " + mods + "}"
                + (group == null ? "" : ", {\"id\": \"" + group + "\", \"type\": \"Group\"}") + "]";
        return "{\"activityDisplayName\": \"" + activity + "\", \"activityDateTime\": \"" + time
                + "\", \"result\": \"success\", \"targetResources\": " + targets + "},";
    }

    private static Set<String> ids(Users us) {
        Set<String> out = new HashSet<>();
        for (int u = 0; u < us.size(); u++) {
            if (!us.isDeleted(u)) {
                out.add(us.id(u));
            }
        }
        return out;
    }

    @Test
    @DisplayName("the purchase schedule, taken as dated purchases, leaves nobody waiting; order dates keep the lead time")
    void scheduleHoldsWhenTaken() {
        Scenario growth = growth().with(null, null, 90);
        CapacityPlan plan = CapacityPlanner.plan(growth, catalog, 8, 0, 0.95, 2, line -> { });
        Procurement proc = Procurement.of(plan, 21, "month", null, 90);
        Procurement.ProductAdvice e3 = proc.products().get(0);
        assertEquals("ENTERPRISEPACK", e3.sku());
        assertTrue(e3.schedule().size() >= 2, e3.schedule().toString());
        for (Procurement.Purchase p : e3.schedule()) {
            assertEquals(p.neededBy().minusDays(21), p.orderBy());
        }
        // 8 runs: the predictive 95% bound is the worst run, so taking the schedule leaves no run waiting
        List<Scenario.ProductSpec> ps = new java.util.ArrayList<>();
        for (Scenario.ProductSpec p : growth.products()) {
            List<Scenario.UnitChange> buys = new java.util.ArrayList<>(p.purchases());
            for (Procurement.ProductAdvice a : proc.products()) {
                if (a.sku().equals(p.sku())) {
                    for (Procurement.Purchase x : a.schedule()) {
                        int day = (int) java.time.temporal.ChronoUnit.DAYS.between(growth.start(), x.neededBy());
                        buys.add(new Scenario.UnitChange(day, new Scenario.Quantity(x.units(), false)));
                    }
                }
            }
            ps.add(new Scenario.ProductSpec(p.sku(), p.seats(), List.copyOf(buys), p.expiries()));
        }
        Scenario taken = new Scenario(growth.name(), null, growth.seed(), growth.users(), growth.days(), growth.start(),
                growth.tenant(), growth.countries(), growth.noUsageLocation(), growth.departments(),
                growth.departmentSkew(), growth.contractorShare(), growth.sharedAddressShare(), ps, growth.graceDays(),
                growth.groups(), growth.direct(), growth.churn(), growth.edits(), null);
        for (CapacityPlanner.Run r : CapacityPlanner.simulate(taken, catalog, 8, 2, line -> { })) {
            for (int t = 0; t < ps.size(); t++) {
                assertEquals(0, r.need(t, 0, r.day().length - 1), ps.get(t).sku() + " in run " + r.seed());
            }
        }
        // and a purchase already dated is not bought twice: with the schedule dated, nothing is left to buy
        CapacityPlan again = CapacityPlanner.plan(taken, catalog, 8, 0, 0.95, 2, line -> { });
        assertTrue(Procurement.of(again, 21, "month", null, 90).products().stream().allMatch(a -> a.buy() == 0));
        assertFalse(proc.products().get(1).schedule().isEmpty(), "EMS runs short as well");
    }

    static Scenario growth() {
        try (var in = TenantPlanTest.class.getResourceAsStream("/scenarios/growth.json")) {
            return new ScenarioReader(catalog).read(in, "growth.json");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("held-out growth from the scenario's day 0: the printed dates and quantities cover the truths at their nominal level")
    void backtestOnHeldOutGrowth() {
        Scenario s = growth();
        CapacitySettings st = new CapacitySettings(20, 0, null, 0, 0.95, null, null, CapacityPlanner.Day0.fixed, true, 20, 0, "month", 90);
        List<CapacityPlanner.Run> runs = CapacityPlanner.simulate(s, catalog, st.planSeeds(s), 2, "plan", line -> { }, st.day0());
        List<CapacityPlanner.Run> truths = CapacityPlanner.simulate(s, catalog, st.truthSeeds(s), 2, "truths", line -> { }, st.day0());
        Backtest bt = st.result(s, catalog, runs, truths, null, 0).backtest();
        // 20 runs: the buy-by date is the earliest run (20 of 21 gaps above it), the quantity the largest (20 of 21)
        assertEquals(20 / 21.0, bt.bound().boughtInTime(), 1e-12);
        assertEquals(20 / 21.0, bt.bound().enough(), 1e-12);
        assertEquals(19 / 21.0, bt.bound().dateCovered(), 1e-12);
        for (String sku : List.of("ENTERPRISEPACK", "EMS")) {
            Backtest.Score p = bt.score(sku);
            assertEquals(20, p.datedRows(), sku + " runs short by growth in every truth");
            // two draws vary: the plan's (the share of futures below the largest of 20 runs is Beta(20, 1), sd 4.5
            // points) and the 20 truths' (binomial, sd 4.8): three sd of both is 20 points
            assertTrue(p.boughtInTime() >= 0.75 && p.enough() >= 0.75 && p.dateCovered() >= 0.7, sku + ": " + p);
            double best = bt.bound().within3Days().get(sku);
            assertTrue(p.within3Days() >= best - 0.2, sku + ": within 3 days " + p.within3Days() + ", best " + best);
        }
    }
}
