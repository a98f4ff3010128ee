package org.licensim.simulator.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.io.SnapshotWriter;
import org.licensim.simulator.run.DayStats;
import org.licensim.simulator.run.Simulation;
import org.licensim.simulator.run.SimulationResult;
import org.licensim.simulator.scenario.ChurnReader;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.ScenarioReader;
import org.licensim.simulator.scenario.TenantBase;
import org.licensim.simulator.scenario.TenantChurn;

/**
 * Forecasts from an administrator's own tenant that know the calendar, checked against seeded
 * truths: a 2,000-user tenant (the growth scenario's policy, a few percent of seats spare) whose
 * hiring runs six times faster for 20 days from day 21, given in its churn file as a dated
 * multiplier. The truths are held-out runs of that tenant and churn (the future as the churn model
 * plays it); the plan from its day-0 snapshot must cover them at the level its ranks promise, and
 * the backtest's figures must equal a count made from the truths' own day series.
 */
class ForecastTest {
    @TempDir
    static Path dir;
    static Catalog catalog;
    static Path day0;
    static final String WAVE = """
            {"start": "2027-01-04", "days": 60, "seed": 11,
             "rates": {"hires": "0.1%", "leavers": "0.1%"},
             "weekly": {"hires": [1.2, 1.2, 1.2, 1.2, 1.2, 0.5, 0.5]},
             "waves": [{"from": "2027-01-25", "to": "2027-02-13", "factor": 6, "note": "graduate intake"}]}""";
    /**
     * One rate per kind, fitted from a year of history that held one such wave: 2 hires a day plus
     * the wave's 200 spread over 365 days (2.55 a day). What a churn file without a calendar says.
     */
    static final String FLAT = """
            {"start": "2027-01-04", "days": 60, "seed": 11,
             "rates": {"hires": 2.55, "leavers": "0.1%"}}""";

    @BeforeAll
    static void tenant() {
        catalog = Catalog.loadDefault();
        Scenario s;
        try (var in = ForecastTest.class.getResourceAsStream("/scenarios/growth.json")) {
            s = new ScenarioReader(catalog).read(in, "growth.json");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        s = s.with(null, 2_000, 0).withExtraSeats("ENTERPRISEPACK", 2_100 - 21_000)
                .withExtraSeats("EMS", 1_050 - 10_450).withExtraSeats("VISIOCLIENT", 215 - 2_090);
        day0 = dir.resolve("day0.json");
        Simulation sim = new Simulation(s, catalog);
        sim.run(null, null);
        SnapshotWriter.write(sim.engine(), day0);
    }

    static TenantChurn churn(String json) throws IOException {
        return new ChurnReader().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "churn.json");
    }

    static CapacitySettings settings(int runs, int truths) {
        return new CapacitySettings(runs, 0, null, 0, 0.95, null, null, CapacityPlanner.Day0.fixed, true, truths, 0, "month", 90);
    }

    static CapacitySettings.Result plan(String churn, int runs, int truths) throws IOException {
        CapacitySettings st = settings(runs, truths);
        Scenario s = st.tenant(Files.readAllBytes(day0), day0.toString(), churn(churn));
        List<CapacityPlanner.Run> rs = CapacityPlanner.simulate(s, catalog, st.planSeeds(s), 2, "plan", line -> { }, st.day0());
        List<CapacityPlanner.Run> ts = CapacityPlanner.simulate(s, catalog, st.truthSeeds(s), 2, "truths", line -> { }, st.day0());
        return st.result(s, catalog, rs, ts, null, 0);
    }

    /**
     * At least the nominal rate less two standard deviations of the two draws it rests on: the
     * plan's (the share of futures its bound covers varies like a Beta of its runs, variance
     * p (1 - p) / (n + 2) with the plan's 40 runs) and the truths' ({@code rows} rows, binomial).
     */
    static void atNominal(double rate, double nominal, int rows, String what) {
        double slack = 2 * Math.sqrt(nominal * (1 - nominal) * (1.0 / rows + 1.0 / (40 + 2)));
        assertTrue(rate >= nominal - slack, String.format("%s: %.3f of %d rows, nominal %.3f (-%.3f)", what, rate, rows,
                nominal, slack));
    }

    @Test
    @DisplayName("a hiring wave as a dated multiplier: the plan from the day-0 snapshot covers the seeded truths at its nominal level")
    void waveCoversTheTruths() throws IOException {
        CapacitySettings.Result r = plan(WAVE, 40, 40);
        Backtest bt = r.backtest();
        CapacityPlan.ProductNeed e3 = r.plan().product("ENTERPRISEPACK");
        // the wave brings about 200 hires on days 21-40: E3 runs out during it
        assertTrue(e3.buy() > 0 && e3.buyByDay() >= 21 && e3.buyByDay() <= 40, e3.toString());
        Backtest.Score all = bt.score(null);
        assertEquals(120, all.rows());
        atNominal(all.dateCovered(), bt.bound().dateCovered(), all.rows(), "first short day within the plan's interval");
        atNominal(all.boughtInTime(), bt.bound().boughtInTime(), all.rows(), "bought in time");
        atNominal(all.enough(), bt.bound().enough(), all.rows(), "enough seats");
        for (String sku : List.of("ENTERPRISEPACK", "EMS")) {
            Backtest.Score p = bt.score(sku);
            assertEquals(40, p.datedRows(), sku + " runs short in every truth");
            atNominal(p.boughtInTime(), bt.bound().boughtInTime(), p.rows(), sku + " bought in time");
            atNominal(p.enough(), bt.bound().enough(), p.rows(), sku + " enough");
            // the median is as close to the truth as the runs are to one another; that bound is itself estimated from
            // the 40 runs, so the two rates differ by two standard deviations of a difference of proportions at most
            double best = bt.bound().within3Days().get(sku);
            double slack = 2 * Math.sqrt(best * (1 - best) * (1.0 / p.datedRows() + 1.0 / 40));
            assertTrue(p.within3Days() >= best - slack, sku + ": within 3 days " + p.within3Days() + ", best " + best);
        }
        // one plan: the purchase schedule's total and first date are the need and the buy-by day the backtest scores
        for (Procurement.ProductAdvice a : r.procurement().products()) {
            CapacityPlan.ProductNeed p = r.plan().product(a.sku());
            assertEquals(p.buy(), a.buy(), a.sku());
            if (a.buy() > 0) {
                assertEquals(r.plan().scenario().start().plusDays(p.buyByDay()), a.schedule().get(0).neededBy(), a.sku());
            }
        }
        // the plan shows how precisely its runs fix each figure
        assertTrue(e3.mc().buyBy().error() >= 0 && e3.mc().buyBy().low() <= e3.buyByDay()
                && e3.buyByDay() <= e3.mc().buyBy().high(), e3.mc().toString());
        assertTrue(e3.mc().buy().low() <= e3.buy() && e3.buy() <= e3.mc().buy().high(), e3.mc().toString());
    }

    @Test
    @DisplayName("one rate per kind, a year's average that holds the wave, dates the wave's shortage too late for most truths")
    void flatRateMissesTheWave() throws IOException {
        CapacitySettings.Result wave = plan(WAVE, 20, 20);
        CapacitySettings.Result flat = plan(FLAT, 20, 20);
        // the flat plan's own truths are the flat churn's: score it against the wave's truths instead
        List<CapacityPlanner.Run> truths = CapacityPlanner.simulate(wave.plan().scenario(), catalog,
                Backtest.truthSeeds(wave.plan().scenario(), 20), 2, "truths", line -> { }, CapacityPlanner.Day0.fixed);
        Backtest flatOnWave = Backtest.score(flat.plan(), truths);
        double late = 1 - flatOnWave.score("ENTERPRISEPACK").boughtInTime();
        assertTrue(late > 0.5, "the flat plan's E3 buy-by date was late for " + late + " of the truths");
        assertTrue(wave.backtest().score("ENTERPRISEPACK").boughtInTime() >= 0.9,
                "the calendar's plan was in time: " + wave.backtest().score("ENTERPRISEPACK"));
    }

    @Test
    @DisplayName("the backtest's figures equal an independent count from the truths' own simulated days")
    void backtestMatchesAnIndependentCount() throws IOException {
        CapacitySettings.Result r = plan(WAVE, 20, 12);
        Scenario s = r.plan().scenario();
        int dateCovered = 0;
        int inTime = 0;
        int enough = 0;
        int dated = 0;
        int within = 0;
        for (long seed : Backtest.truthSeeds(s, 12)) {
            SimulationResult truth = new Simulation(s.with(seed, null, null), catalog).run(null, null);
            for (int t = 0; t < s.products().size(); t++) {
                CapacityPlan.ProductNeed p = r.plan().products().get(t);
                int first = truth.outcomes().get(t).firstShortDay();
                int need = 0;
                for (DayStats d : truth.days()) {
                    need = Math.max(need, d.consumed()[t] + d.waiting()[t] - d.capacity()[t]);
                }
                long at = first < 0 ? Long.MAX_VALUE : first;
                long lo = p.firstShortEarly() < 0 ? Long.MAX_VALUE : p.firstShortEarly();
                long hi = p.firstShortLate() < 0 ? Long.MAX_VALUE : p.firstShortLate();
                dateCovered += lo <= at && at <= hi ? 1 : 0;
                inTime += first < 0 || (p.buy() > 0 && p.buyByDay() <= first) ? 1 : 0;
                enough += need <= p.buy() ? 1 : 0;
                if (first >= 0 || p.firstShortMedian() >= 0) {
                    dated++;
                    within += first >= 0 && p.firstShortMedian() >= 0 && Math.abs(first - p.firstShortMedian()) <= 3
                            ? 1 : 0;
                }
            }
        }
        Backtest.Score all = r.backtest().score(null);
        int rows = 12 * s.products().size();
        assertEquals(rows, all.rows());
        assertEquals(dateCovered / (double) rows, all.dateCovered(), 1e-12);
        assertEquals(inTime / (double) rows, all.boughtInTime(), 1e-12);
        assertEquals(enough / (double) rows, all.enough(), 1e-12);
        assertEquals(dated, all.datedRows());
        assertEquals(within / (double) dated, all.within3Days(), 1e-12);
        assertTrue(dated > 0 && within > 0 && inTime > 0, dated + " " + within + " " + inTime);
    }

    @Test
    @DisplayName("runs chosen by precision: runs are added until every buy-by date's Monte Carlo error is under a day, or the ceiling")
    void runsByPrecision() throws IOException {
        List<String> progress = new java.util.ArrayList<>();
        for (int ceiling : new int[] {24, 120}) {
            CapacitySettings st = new CapacitySettings(20, ceiling, null, 0, 0.95, null, null, CapacityPlanner.Day0.fixed, false, 1, 0,
                    "month", 90);
            Scenario s = st.tenant(Files.readAllBytes(day0), day0.toString(), churn(WAVE));
            List<CapacityPlanner.Run> rs = st.runs(s, catalog, 2, progress::add);
            CapacityPlan p = st.result(s, catalog, rs, List.of(), null, 0).plan();
            CapacityPlan.ProductNeed worst = CapacitySettings.worstBuyBy(p);
            assertTrue(rs.size() >= 20 && rs.size() <= ceiling, rs.size() + " runs");
            assertTrue(worst.mc().buyBy().error() < CapacitySettings.TARGET_DAYS || rs.size() == ceiling,
                    rs.size() + " runs, " + worst.sku() + " +-" + worst.mc().buyBy().error());
            // the runs are the plan's seeds in order, whatever the batches
            assertEquals(CapacityPlanner.seeds(s.seed(), rs.size()), rs.stream().map(CapacityPlanner.Run::seed).toList());
            // and every run added was said, with the error that asked for it
            assertEquals(rs.size() > 20, progress.stream().anyMatch(l -> l.contains("is known to")), progress.toString());
            progress.clear();
        }
    }

    @Test
    @DisplayName("\"we hire 400 in September\": a wave given as a count brings that many hires over its dates")
    void countWave() throws IOException {
        TenantChurn c = churn("""
                {"start": "2027-08-16", "days": 60, "seed": 3, "rates": {"hires": 2, "leavers": 0},
                 "weekly": [1, 1, 1, 1, 1, 0, 0],
                 "waves": [{"from": "2027-09-01", "to": "2027-09-30", "hires": 400, "note": "we hire 400 in September"}]}""");
        Scenario s = TenantBase.load(day0, c).scenario();
        int created = org.licensim.core.event.Event.Kind.UserCreated.ordinal();
        long september = 0;
        long weekends = 0;
        long before = 0;
        int runs = 6;
        for (int i = 0; i < runs; i++) {
            SimulationResult r = new Simulation(s.with(CapacityPlanner.seed(3, i), null, null), catalog).run(null, null);
            for (DayStats d : r.days()) {
                long n = d.day() == 0 ? 0 : d.events()[created];
                if (d.date().getMonthValue() == 9) {
                    september += n;
                } else if (d.date().isBefore(LocalDate.of(2027, 9, 1))) {
                    before += n;
                }
                weekends += d.date().getDayOfWeek().getValue() >= 6 ? n : 0;
            }
        }
        double mean = september / (double) runs;
        // Poisson: the six runs' mean of 400 has a standard deviation of sqrt(400 / 6) = 8.2
        assertTrue(Math.abs(mean - 400) < 30, "hires in September, mean of " + runs + " runs: " + mean);
        assertEquals(0, weekends, "the weekday factors shape the wave too");
        // August 16-31: 12 weekdays at 2 a day
        assertTrue(Math.abs(before / (double) runs - 24) < 8, "hires before the wave: " + before / (double) runs);
    }

    @Test
    @DisplayName("calendar mistakes are reported with their JSON path: factor lists, unknown kinds, waves without dates or with both forms")
    void badCalendar() {
        LicensimException e = assertThrows(LicensimException.class, () -> churn("""
                {"weekly": {"hires": [1, 1, 1], "holidays": [1, 1, 1, 1, 1, 1, 1]}, "monthly": [1, 2],
                 "waves": [{"from": "2027-09-01", "factor": 2}, {"from": "2027-09-01", "to": "2027-08-01", "hires": 5},
                           {"from": "2027-09-01", "to": "2027-09-30", "factor": 2, "hires": 400},
                           {"from": "2027-09-01", "to": "2027-09-30", "factor": 2, "kinds": ["hiring"]}]}"""));
        String m = e.getMessage();
        assertTrue(m.contains("$.weekly[\"hires\"]: expected 7 numbers"), m);
        assertTrue(m.contains("$.weekly[\"holidays\"]: unknown churn kind"), m);
        assertTrue(m.contains("$.monthly: expected 12 numbers"), m);
        assertTrue(m.contains("$.waves[0]: a wave needs \"from\" and \"to\""), m);
        assertTrue(m.contains("$.waves[1].to: 2027-08-01 is before from (2027-09-01)"), m);
        assertTrue(m.contains("$.waves[2]: give either \"factor\""), m);
        assertTrue(m.contains("$.waves[3].kinds[0]: unknown churn kind \"hiring\""), m);
    }
}
