package org.licensim.simulator.population;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

import org.licensim.simulator.scenario.ChurnCalendar;
import org.licensim.simulator.scenario.ChurnCalendar.Factors;
import org.licensim.simulator.scenario.ChurnCalendar.Wave;

/**
 * One run's {@link ChurnCalendar} over days 0..n: its factors drawn once (seen counts sampled
 * from their posterior, then normalised to mean 1), then asked per kind and day. Count waves
 * ("we hire 400 in September") become factors against the run's own base mean of their kind.
 */
final class CalendarDraw {
    private static final int KINDS = ChurnCalendar.KINDS.size();
    private final double[][] factor; // [kind][day]
    private final double[][] countShare; // [kind][day]: share of a count wave's total on the day, 0 outside
    private final double[][] countTotal; // [kind][day]: the count of the wave covering the day

    CalendarDraw(ChurnCalendar c, Rng rng, LocalDate start, int days) {
        double[][] week = new double[KINDS][];
        double[][] month = new double[KINDS][];
        for (int i = 0; i < KINDS; i++) {
            Factors w = c.weeklyOf(ChurnCalendar.KINDS.get(i));
            Factors m = c.monthlyOf(ChurnCalendar.KINDS.get(i));
            week[i] = w == null ? null : draw(w, rng);
            month[i] = m == null ? null : draw(m, rng);
        }
        factor = new double[KINDS][days + 1];
        countShare = new double[KINDS][days + 1];
        countTotal = new double[KINDS][days + 1];
        for (int i = 0; i < KINDS; i++) {
            String kind = ChurnCalendar.KINDS.get(i);
            for (int d = 0; d <= days; d++) {
                LocalDate date = start.plusDays(d);
                double f = shapeOf(week[i], month[i], date);
                for (Wave w : c.waves()) {
                    if (w.count() == null && w.covers(date, kind)) {
                        f *= w.factor();
                    }
                }
                factor[i][d] = f;
            }
            for (Wave w : c.waves()) {
                if (w.count() == null || !w.kinds().contains(kind)) {
                    continue;
                }
                // the wave's total, spread by the weekday and month shape over all its days (those before day 0
                // or after the horizon included, so a wave cut by the plan keeps its daily rate)
                long span = ChronoUnit.DAYS.between(w.from(), w.to()) + 1;
                double sum = 0;
                for (long j = 0; j < span; j++) {
                    sum += shapeOf(week[i], month[i], w.from().plusDays(j));
                }
                for (int d = 0; d <= days; d++) {
                    LocalDate date = start.plusDays(d);
                    if (w.covers(date, kind) && sum > 0) {
                        countShare[i][d] = shapeOf(week[i], month[i], date) / sum;
                        countTotal[i][d] = w.count();
                    }
                }
            }
        }
    }

    /** One run's factors: for seen counts a draw from each slot's posterior, normalised to mean 1; plain ones as given. */
    static double[] draw(Factors f, Rng rng) {
        if (!f.isObserved()) {
            return f.values();
        }
        double[] rate = new double[f.observed().length];
        for (int i = 0; i < rate.length; i++) {
            rate[i] = f.days()[i] > 0 ? rng.gamma(f.observed()[i] + 0.5) / f.days()[i] : Double.NaN;
        }
        return Factors.normalise(rate);
    }

    private static double shapeOf(double[] week, double[] month, LocalDate date) {
        double f = 1;
        if (week != null) {
            f *= week[date.getDayOfWeek().getValue() - 1];
        }
        if (month != null) {
            f *= month[date.getMonthValue() - 1];
        }
        return f;
    }

    /**
     * The factor of kind {@code k} (index in {@link ChurnCalendar#KINDS}) on day {@code d} for a run
     * whose base daily mean of it (all segments or targets together) is {@code baseMean}.
     */
    double factor(int k, int d, double baseMean) {
        if (d >= factor[k].length) {
            return 1;
        }
        if (countShare[k][d] > 0) {
            return baseMean > 0 ? countTotal[k][d] * countShare[k][d] / baseMean : 0;
        }
        return factor[k][d];
    }

    /** What a count wave asks for on day {@code d} when the kind's base mean is 0 (nothing to scale). */
    double countWhenNoBase(int k, int d) {
        return d < countShare[k].length ? countTotal[k][d] * countShare[k][d] : 0;
    }
}
