package org.licensim.simulator.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.Rejection;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.EventWriter;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.io.StateWriter;
import org.licensim.simulator.population.Rng;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.ScenarioReader;
import org.licensim.simulator.scenario.Scenarios;

class SimulationTest {
    static Catalog catalog;

    @BeforeAll
    static void load() {
        catalog = Catalog.loadDefault();
    }

    /** A run's outputs as bytes: the event log, the deterministic result files and the final state. */
    record Run(SimulationResult result, String events, byte[] snapshot, String days, String csv, String summary,
               String state) {
    }

    static Run run(Scenario s) throws IOException {
        Simulation sim = new Simulation(s, catalog);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SimulationResult r;
        try (EventWriter w = new EventWriter(log)) {
            r = sim.run(null, w::write);
        }
        ByteArrayOutputStream days = new ByteArrayOutputStream();
        ResultsWriter.days(r, days);
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        ResultsWriter.csv(r, csv);
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        ResultsWriter.summary(r, summary);
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        StateWriter.write(sim.engine(), state);
        return new Run(r, utf8(log), sim.initialSnapshot(), utf8(days), utf8(csv), utf8(summary), utf8(state));
    }

    static String utf8(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    static Scenario small() {
        return Scenarios.shipped("small", catalog);
    }

    @Test
    @DisplayName("the same scenario and seed give byte-identical event logs, day series, summaries and states")
    void deterministic() throws IOException {
        Scenario s = small().with(null, 1500, 40);
        Run a = run(s);
        Run b = run(s);
        assertTrue(a.events().lines().count() > 1500, "a real event log");
        assertEquals(a.events(), b.events());
        assertArrayEquals(a.snapshot(), b.snapshot());
        assertEquals(a.days(), b.days());
        assertEquals(a.csv(), b.csv());
        assertEquals(a.summary(), b.summary());
        assertEquals(a.state(), b.state());
        Run c = run(s.with(99L, null, null));
        assertNotEquals(a.events(), c.events(), "another seed, another history");
    }

    /** The deterministic outputs of a finished simulation: day series, CSV, summary and final state. */
    static String outputs(Simulation sim, SimulationResult r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultsWriter.days(r, out);
        ResultsWriter.csv(r, out);
        ResultsWriter.summary(r, out);
        StateWriter.write(sim.engine(), out);
        return utf8(out);
    }

    static String fresh(Scenario s, long seed) throws IOException {
        Simulation sim = new Simulation(s, catalog, seed);
        return outputs(sim, sim.run(null, null));
    }

    static String fromCopy(Simulation day0, long seed) throws IOException {
        Simulation sim = day0.after(seed);
        return outputs(sim, sim.runAfterDay0(null));
    }

    @Test
    @DisplayName("a run continued from a copy of a fixed day 0 gives byte-identical days, summary and state to a run that made its own day 0")
    void copiedDay0() throws Exception {
        assertTrue(Simulation.canCopy(), "the build's JVM flags open java.util to the copy");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree;
        try (java.io.InputStream in = Scenarios.class.getResourceAsStream("/org/licensim/simulator/scenario/shipped/onboarding.json")) {
            tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(in);
        }
        // text operators too (a -match rule keeps a regex matcher), beside onboarding's time- and licence-driven groups
        com.fasterxml.jackson.databind.node.ObjectNode g = ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("groups"))
                .addObject();
        g.put("name", "Licensing - Engineers by title (Visio)");
        g.put("rule", "(user.jobTitle -match \"^(senior|principal) \") -or (user.displayName -contains \"an\")");
        g.putArray("licenses").addObject().put("sku", "VISIOCLIENT");
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("products")).addObject().put("sku", "VISIOCLIENT")
                .put("seats", "5%");
        for (Scenario s : List.of(Scenarios.shipped("seat-crunch", catalog).with(null, 1200, 60),
                new ScenarioReader(catalog).read(new ByteArrayInputStream(json.writeValueAsBytes(tree)), "copy.json")
                        .with(null, 1200, 60))) {
            Simulation day0 = new Simulation(s, catalog, null).day0();
            String a = fromCopy(day0, 7);
            assertEquals(fresh(s, 7), a, s.name() + ": seed 7 from a copy");
            assertTrue(a.contains("ENTERPRISEPACK") && a.lines().count() > 60, "real outputs");
            // the day-0 simulation is unchanged by the runs of its copies, also from two threads at once
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.Future<String> b = pool.submit(() -> fromCopy(day0, 8));
                java.util.concurrent.Future<String> c = pool.submit(() -> fromCopy(day0, 7));
                assertEquals(fresh(s, 8), b.get(), s.name() + ": seed 8 from a copy");
                assertEquals(a, c.get(), s.name() + ": seed 7 again, after other copies ran");
                assertNotEquals(a, b.get(), "another seed, other days");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("day 0's hires made on a second thread give the event log, days, summary and state of the one-thread loop")
    void day0AheadEqualsLoop() throws IOException {
        Scenario s = small().with(null, 6_000, 12);
        int was = DayZero.pipelineUsers;
        Run loop;
        Run ahead;
        try {
            DayZero.pipelineUsers = Integer.MAX_VALUE;
            loop = run(s);
            DayZero.pipelineUsers = 1;
            ahead = run(s);
        } finally {
            DayZero.pipelineUsers = was;
        }
        assertTrue(loop.result().totalRejected() > 0, "refused direct licences on day 0 are part of it");
        assertEquals(loop.events(), ahead.events());
        assertEquals(loop.days(), ahead.days());
        assertEquals(loop.csv(), ahead.csv());
        assertEquals(loop.summary(), ahead.summary());
        assertEquals(loop.state(), ahead.state());
    }

    @Test
    @DisplayName("replaying the written snapshot and event log with the engine gives the simulation's final state")
    void replayEqualsResolve() throws IOException {
        Run run = run(small().with(null, 2000, 60));
        Tenant tenant = SnapshotReader.withDefaults().read(new ByteArrayInputStream(run.snapshot()), "snapshot.json");
        Engine engine = Engine.builder(tenant).reconcile();
        long rejected = 0;
        long applied = 0;
        java.util.Map<String, Long> byKind = new java.util.TreeMap<>();
        EventReader r = new EventReader(new StringReader(run.events()), "events.jsonl");
        for (Event e = r.next(); e != null; e = r.next()) {
            try {
                engine.apply(e);
                applied++;
            } catch (Rejection x) {
                rejected++;
                byKind.merge(e.type() + ": " + x.reason().label(), 1L, Long::sum);
            }
        }
        java.util.Map<String, Long> reported = new java.util.TreeMap<>();
        run.result().rejections().forEach(x -> reported.put(x.reason(), x.count()));
        assertEquals(byKind, reported, "refused events are grouped by event type and the engine's reason kind");
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        StateWriter.write(engine, state);
        assertEquals(run.result().totalEvents(), applied);
        assertEquals(run.result().totalRejected(), rejected);
        assertTrue(run.result().totalRejected() > 0, "the scenario exercises refusals too");
        assertEquals(run.state(), utf8(state));
    }

    @Test
    @DisplayName("users follow the scenario's country weights, no-usage-location share and Zipf department sizes")
    void distributions() throws IOException {
        Scenario s = small().with(3L, 30_000, 0);
        Run run = run(s);
        Map<String, Integer> countries = new HashMap<>();
        Map<String, Integer> departments = new HashMap<>();
        int users = 0;
        int contractors = 0;
        EventReader r = new EventReader(new StringReader(run.events()), "events.jsonl");
        for (Event e = r.next(); e != null; e = r.next()) {
            if (e instanceof Event.UserCreated c) {
                users++;
                countries.merge(c.user().hasUsageLocation ? c.user().usageLocation : "none", 1, Integer::sum);
                departments.merge(c.user().strings.get("department"), 1, Integer::sum);
                contractors += "Contractor".equals(c.user().strings.get("employeeType")) ? 1 : 0;
            }
        }
        assertEquals(30_000, users);
        double weightSum = s.countries().stream().mapToDouble(Scenario.Weighted::weight).sum();
        for (Scenario.Weighted w : s.countries()) {
            double expected = users * (1 - s.noUsageLocation()) * w.weight() / weightSum;
            assertWithin(expected, countries.getOrDefault(w.value(), 0), "country " + w.value());
        }
        assertWithin(users * s.noUsageLocation(), countries.getOrDefault("none", 0), "no usage location");
        assertWithin(users * s.contractorShare(), contractors, "contractors");
        Rng.Choice zipf = Rng.Choice.zipf(s.departments().size(), s.departmentSkew());
        for (int d = 0; d < s.departments().size(); d++) {
            String name = s.departments().get(d).name();
            assertWithin(users * zipf.share(d), departments.getOrDefault(name, 0), "department " + name);
        }
        assertTrue(departments.get("Engineering") > 5 * departments.get("Executive"), "skewed, not uniform");
    }

    /** Within 5 standard deviations of a binomial count (and 3% of it), so a correct generator never fails. */
    static void assertWithin(double expected, int actual, String what) {
        double sd = Math.sqrt(Math.max(expected, 1));
        double tolerance = Math.max(5 * sd, 0.03 * expected);
        assertTrue(Math.abs(actual - expected) <= tolerance,
                what + ": expected about " + Math.round(expected) + " +- " + Math.round(tolerance) + ", got " + actual);
    }

    @Test
    @DisplayName("churn rates follow the scenario: Poisson means, the weekly shape and hiring waves")
    void churnRates() throws IOException {
        Scenario base = small();
        Scenario.Churn c = base.churn();
        Scenario s = new Scenario("rates", null, 11, 10_000, 140, base.start(), base.tenant(), base.countries(),
                base.noUsageLocation(), base.departments(), base.departmentSkew(), 0, 0, base.products(), 30,
                base.groups(), List.of(), new Scenario.Churn(new Scenario.Quantity(1, true), new Scenario.Quantity(20, false),
                        c.transfers(), c.attributeEdits(), c.memberEdits(), c.directEdits(),
                        new double[] {1, 1, 1, 1, 1, 0, 0},
                        List.of(new Scenario.Wave(71, 140, 2.0, List.of("hires"))), 0), List.of(), null);
        SimulationResult r = new Simulation(s, catalog).run(null, null);
        int created = Event.Kind.UserCreated.ordinal();
        int deleted = Event.Kind.UserDeleted.ordinal();
        long weekdayHires = 0;
        long waveHires = 0;
        long weekendHires = 0;
        long weekdayLeavers = 0;
        int weekdays = 0;
        int waveWeekdays = 0;
        for (DayStats d : r.days().subList(1, r.days().size())) {
            boolean weekend = d.date().getDayOfWeek().getValue() >= 6;
            long hires = d.events()[created] + d.rejected()[created];
            if (weekend) {
                weekendHires += hires;
            } else if (d.day() <= 70) {
                weekdayHires += hires;
                weekdayLeavers += d.events()[deleted];
                weekdays++;
            } else {
                waveHires += hires;
                waveWeekdays++;
            }
        }
        assertEquals(0, weekendHires, "weekly factor 0 on weekends");
        assertWithin(100.0 * weekdays, (int) weekdayHires, "hires at 1% of 10,000 per weekday");
        assertWithin(20.0 * weekdays, (int) weekdayLeavers, "20 leavers per weekday");
        assertWithin(200.0 * waveWeekdays, (int) waveHires, "hires doubled by the wave");
    }

    @Test
    @DisplayName("seat crunch: the hiring wave leaves new E3 users in CountViolation until seats are bought")
    void seatCrunch() {
        Scenario s = Scenarios.shipped("seat-crunch", catalog);
        SimulationResult r = new Simulation(s, catalog).run(null, null);
        int e3 = r.products().indexOf("ENTERPRISEPACK");
        SimulationResult.ProductOutcome o = r.outcomes().get(e3);
        assertTrue(o.ranShort(), "E3 runs short");
        assertTrue(o.firstShortDay() >= 20 && o.firstShortDay() < 80,
                "short during the wave (days 20-40) or after it, before the day-80 purchase: day " + o.firstShortDay());
        assertTrue(o.peakWaiting() > 10, "a queue forms: " + o.peakWaiting());
        DayStats before = r.days().get(79);
        DayStats purchase = r.days().get(80);
        assertTrue(before.waiting()[e3] > 0, "still waiting the day before the purchase");
        assertEquals(0, purchase.waiting()[e3], "autoReprocess hands the bought seats to the queue at once");
        assertTrue(purchase.capacity()[e3] > before.capacity()[e3]);
        int countViolation = SimulationResult.errorKinds().indexOf("CountViolation");
        assertTrue(before.errors()[countViolation] >= before.waiting()[e3]);
        for (int p = 0; p < r.products().size(); p++) {
            if (p != e3) {
                assertFalse(r.outcomes().get(p).ranShort(), r.products().get(p) + " is not the short product");
            }
        }
    }

    @Test
    @DisplayName("R10 seats: consumed never exceeds capacity on any day of the default policy")
    void seatsNeverOversold() {
        SimulationResult r = new Simulation(small().with(5L, 3000, 90), catalog).run(null, null);
        for (DayStats d : r.days()) {
            for (int p = 0; p < r.products().size(); p++) {
                assertTrue(d.consumed()[p] <= d.capacity()[p], "day " + d.day() + " " + r.products().get(p));
            }
            assertTrue(d.users() > 0);
        }
        assertTrue(r.totalEvents() > 3000);
    }

    @Test
    @DisplayName("R10 expiry: units move to warning (still assignable), then to suspended after the grace days; holders keep their seats")
    void expiryKeepsHolders() {
        Scenario base = small().with(8L, 2000, 30);
        List<Scenario.ProductSpec> products = base.products().stream().map(p -> p.sku().equals("EMS")
                ? new Scenario.ProductSpec("EMS", p.seats(), List.of(),
                List.of(new Scenario.UnitChange(10, new Scenario.Quantity(10, true))))
                : p).toList();
        Scenario s = new Scenario(base.name(), null, base.seed(), base.users(), base.days(), base.start(), base.tenant(),
                base.countries(), base.noUsageLocation(), base.departments(), base.departmentSkew(),
                base.contractorShare(), base.sharedAddressShare(), products, 5, base.groups(), base.direct(),
                base.churn(), base.edits(), null);
        SimulationResult r = new Simulation(s, catalog).run(null, null);
        int ems = r.products().indexOf("EMS");
        int seats = r.days().get(0).capacity()[ems];
        assertEquals(seats, r.days().get(10).capacity()[ems], "warning units still count (enabled + warning)");
        assertEquals(seats - 200, r.days().get(15).capacity()[ems], "200 units (10% of 2,000) suspended on day 15");
        assertTrue(r.days().get(14).consumed()[ems] > seats - 200, "the tenant used more than what remains");
        assertTrue(r.days().get(15).consumed()[ems] > r.days().get(15).capacity()[ems],
                "holders keep their licences when capacity drops below consumption");
    }

    @Test
    @DisplayName("R23 a switchLicense edit moves the frontline group from E1 to E3 in one request: with seats, no member loses service")
    void switchLicenseEdit() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree;
        try (java.io.InputStream in = Scenarios.class.getResourceAsStream("/org/licensim/simulator/scenario/shipped/small.json")) {
            tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(in);
        }
        // enough E3 seats for everyone, then the frontline group switches on day 20
        for (com.fasterxml.jackson.databind.JsonNode p : tree.get("products")) {
            if (p.get("sku").asText().equals("ENTERPRISEPACK")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) p).put("seats", "150%");
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode edit = ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("edits"))
                .addObject();
        edit.put("day", 20).put("action", "switchLicense").put("group", "Licensing - Frontline (E1)")
                .put("sku", "STANDARDPACK").put("to", "ENTERPRISEPACK");
        Scenario s = new ScenarioReader(catalog).read(new ByteArrayInputStream(json.writeValueAsBytes(tree)), "switch.json")
                .with(null, 800, 30);
        Run r = run(s);
        List<String> switches = r.events().lines().filter(l -> l.contains("\"type\":\"AssignLicense\"")).toList();
        assertEquals(1, switches.size(), "one request on day 20");
        assertTrue(switches.get(0).contains("\"removeLicenses\":[\"STANDARDPACK\"]"), switches.get(0));
        // at the end nobody holds E1 from the group, and the group's members hold E3 from it without error
        com.fasterxml.jackson.databind.JsonNode state = json.readTree(r.state());
        int frontlineE3 = 0;
        int e3Waiting = 0;
        for (com.fasterxml.jackson.databind.JsonNode u : state.get("users")) {
            for (com.fasterxml.jackson.databind.JsonNode src : u.get("licenseAssignmentStates")) {
                String sku = catalog.findProduct(src.get("skuId").asText()).skuPartNumber();
                assertNotEquals("STANDARDPACK", sku, "no E1 left: " + u.get("id"));
                e3Waiting += sku.equals("ENTERPRISEPACK") && src.get("error").asText().equals("CountViolation") ? 1 : 0;
                if (!src.get("assignedByGroup").isNull() && sku.equals("ENTERPRISEPACK")
                        && src.get("state").asText().equals("Active")) {
                    frontlineE3++;
                }
            }
        }
        assertTrue(frontlineE3 > 0, "E3 from groups is held");
        assertEquals(0, e3Waiting, "E3 seats for all: nobody waits for one");
    }

    @Test
    @DisplayName("section 4 the onboarding scenario's time-driven group follows the hiring wave up and, with time alone, down")
    void timeDrivenGroup() throws IOException {
        Scenario s = Scenarios.shipped("onboarding", catalog);
        Run r = run(s);
        int pbi = r.result().products().indexOf("POWER_BI_PRO");
        int group = r.result().groups().indexOf("New starters (first 30 days)");
        List<DayStats> days = r.result().days();
        int peakDay = 0;
        for (DayStats d : days) {
            peakDay = d.groupMembers()[group] > days.get(peakDay).groupMembers()[group] ? d.day() : peakDay;
        }
        assertTrue(peakDay >= 25 && peakDay <= 60, "the group peaks during or just after the wave (days 20-40): day "
                + peakDay);
        int peak = days.get(peakDay).groupMembers()[group];
        int end = days.get(days.size() - 1).groupMembers()[group];
        assertTrue(peak > 2 * end, "30 days after the wave it has shrunk again: " + peak + " at the peak, " + end + " at the end");
        // only the group gives Power BI Pro: its seats follow the members, and are given back as they leave
        int peakSeats = days.stream().mapToInt(d -> d.consumed()[pbi]).max().orElse(0);
        int endSeats = days.get(days.size() - 1).consumed()[pbi];
        assertTrue(endSeats <= end, endSeats + " seats for " + end + " members");
        assertTrue(peakSeats > 2 * endSeats, "seats used at the peak " + peakSeats + ", at the end " + endSeats);
    }

    @Test
    @DisplayName("section 4 the onboarding scenario's licence-driven group holds exactly the users with Exchange Online (Plan 2)")
    void licenceDrivenGroup() throws IOException {
        Run r = run(Scenarios.shipped("onboarding", catalog).with(null, 1200, 60));
        com.fasterxml.jackson.databind.JsonNode state = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.state());
        int e3 = 0;
        int ems = 0;
        for (com.fasterxml.jackson.databind.JsonNode u : state.get("users")) {
            boolean holdsE3 = false;
            boolean emsFromGroup = false;
            for (com.fasterxml.jackson.databind.JsonNode src : u.get("licenseAssignmentStates")) {
                String sku = catalog.findProduct(src.get("skuId").asText()).skuPartNumber();
                boolean held = !src.get("state").asText().equals("Error");
                boolean exchange = true;
                for (com.fasterxml.jackson.databind.JsonNode d : src.get("disabledPlans")) {
                    exchange &= !d.asText().equalsIgnoreCase("efb87545-963c-4e0d-99df-69c6916d9eb0");
                }
                holdsE3 |= sku.equals("ENTERPRISEPACK") && held && exchange;
                emsFromGroup |= sku.equals("EMS") && held && !src.get("assignedByGroup").isNull();
            }
            e3 += holdsE3 ? 1 : 0;
            ems += holdsE3 && emsFromGroup ? 1 : 0;
        }
        assertTrue(e3 > 500, "E3 holders: " + e3);
        assertEquals(e3, ems, "every E3 holder has EMS from a group");
        int group = r.result().groups().indexOf("Exchange Online (Plan 2) users (EMS)");
        assertEquals(e3, r.result().days().get(r.result().days().size() - 1).groupMembers()[group]);
    }
}
