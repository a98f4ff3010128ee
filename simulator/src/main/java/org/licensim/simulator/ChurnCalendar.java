package org.licensim.simulator;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * When a tenant's churn happens (docs/PLANNING.md, "Calendar"): per churn kind, factors by
 * weekday and by month, and dated waves. A day's mean count of a kind is its rate times its
 * weekday factor times its month's factor times every multiplier wave covering the day; a wave
 * given as a count ("we hire 400 in September") instead sets the kind's total over its dates,
 * spread over them by the weekday and month factors.
 *
 * <p>A factor list is either plain numbers or what was seen ({@link Factors#observed}): events per
 * weekday (or month) over how many such days the history had, whose uncertainty each Monte Carlo
 * run samples as it samples an observed rate (the Jeffreys posterior Gamma(n + 1/2)), normalised
 * so that the factors average 1 and the rate stays the average day's.
 *
 * @param weekly  per kind (or {@link #ALL}), 7 factors Monday..Sunday
 * @param monthly per kind (or {@link #ALL}), 12 factors January..December
 * @param waves   dated multipliers and counts, in file order
 */
public record ChurnCalendar(Map<String, Factors> weekly, Map<String, Factors> monthly, List<Wave> waves) {
    /** The churn kinds a calendar entry can name. */
    public static final List<String> KINDS = List.of("hires", "leavers", "transfers", "attributeEdits", "memberEdits",
            "directEdits");
    /** The key of factors that apply to every kind without its own. */
    public static final String ALL = "all";
    public static final ChurnCalendar FLAT = new ChurnCalendar(Map.of(), Map.of(), List.of());

    /**
     * Factors, plain ({@code observed} null) or seen: {@code observed[i]} events on {@code days[i]}
     * days of slot i (a weekday or a month) of the history.
     */
    public record Factors(double[] values, double[] observed, double[] days) {
        public static Factors plain(double[] values) {
            return new Factors(values.clone(), null, null);
        }

        /** Seen counts; the central factors are each slot's rate over the mean of the slots' rates. */
        public static Factors observed(double[] observed, double[] days) {
            double[] rate = new double[observed.length];
            for (int i = 0; i < rate.length; i++) {
                rate[i] = days[i] > 0 ? observed[i] / days[i] : Double.NaN;
            }
            return new Factors(normalise(rate), observed.clone(), days.clone());
        }

        public boolean isObserved() {
            return observed != null;
        }

        /** One run's factors: a draw from each slot's posterior for seen counts, normalised to mean 1. */
        double[] draw(Rng rng) {
            if (!isObserved()) {
                return values;
            }
            double[] rate = new double[observed.length];
            for (int i = 0; i < rate.length; i++) {
                rate[i] = days[i] > 0 ? rng.gamma(observed[i] + 0.5) / days[i] : Double.NaN;
            }
            return normalise(rate);
        }

        /** The 95% interval of each slot's factor (Wilson-Hilferty, against the central mean); the factor twice when plain. */
        public double[][] interval95() {
            double[][] out = new double[values.length][2];
            double mean = 0;
            int n = 0;
            for (int i = 0; i < values.length; i++) {
                if (isObserved() && days[i] > 0) {
                    mean += observed[i] / days[i];
                    n++;
                }
            }
            mean = n == 0 ? 1 : mean / n;
            for (int i = 0; i < values.length; i++) {
                if (!isObserved() || days[i] <= 0) {
                    out[i][0] = values[i];
                    out[i][1] = values[i];
                } else {
                    TenantChurn.Rate r = TenantChurn.Rate.observed(observed[i], days[i]);
                    double[] ci = r.interval95(0);
                    out[i][0] = ci[0] / mean;
                    out[i][1] = ci[1] / mean;
                }
            }
            return out;
        }

        /** Rates over their mean (slots with no days, NaN, get 1: nothing was seen of them). */
        static double[] normalise(double[] rate) {
            double sum = 0;
            int n = 0;
            for (double r : rate) {
                if (!Double.isNaN(r)) {
                    sum += r;
                    n++;
                }
            }
            double mean = n == 0 ? 0 : sum / n;
            double[] out = new double[rate.length];
            for (int i = 0; i < rate.length; i++) {
                out[i] = Double.isNaN(rate[i]) || mean <= 0 ? 1 : rate[i] / mean;
            }
            return out;
        }
    }

    /**
     * Days {@code from..to} (dates, inclusive) during which {@code kinds} run at {@code factor}
     * times their rate, or, with {@code count}, at whatever rate brings {@code count} of them over
     * the wave's days on average (the rate is then replaced, not multiplied).
     */
    public record Wave(LocalDate from, LocalDate to, List<String> kinds, double factor, Double count, String note) {
        boolean covers(LocalDate d, String kind) {
            return !d.isBefore(from) && !d.isAfter(to) && kinds.contains(kind);
        }
    }

    /**
     * This calendar with a scenario's added ({@code plan SNAPSHOT --churn FILE --calendar SCENARIO}):
     * the scenario's weekly factors become those of every kind without its own, and its waves
     * (days counted from the scenario's day 0, here the plan's {@code day0}) join this calendar's.
     */
    public ChurnCalendar with(Scenario.Churn scenario, LocalDate day0) {
        Map<String, Factors> week = new java.util.LinkedHashMap<>(weekly);
        week.put(ALL, Factors.plain(scenario.weekly()));
        List<Wave> ws = new java.util.ArrayList<>(waves);
        for (Scenario.Wave w : scenario.waves()) {
            ws.add(new Wave(day0.plusDays(w.from()), day0.plusDays(w.to()), List.copyOf(w.kinds()), w.factor(), null,
                    "from the scenario, days " + w.from() + "-" + w.to()));
        }
        return new ChurnCalendar(Map.copyOf(week), monthly, List.copyOf(ws));
    }

    public boolean flat() {
        return weekly.isEmpty() && monthly.isEmpty() && waves.isEmpty();
    }

    /** The weekday factors of {@code kind}: its own, else those for all kinds, else none (null). */
    Factors weeklyOf(String kind) {
        Factors f = weekly.get(kind);
        return f != null ? f : weekly.get(ALL);
    }

    Factors monthlyOf(String kind) {
        Factors f = monthly.get(kind);
        return f != null ? f : monthly.get(ALL);
    }

    /**
     * One run's calendar over days 0..{@code days} from {@code start}: the factors drawn once (seen
     * counts sampled), then asked per day.
     */
    Drawn draw(Rng rng, LocalDate start, int days) {
        int k = KINDS.size();
        double[][] week = new double[k][];
        double[][] month = new double[k][];
        for (int i = 0; i < k; i++) {
            Factors w = weeklyOf(KINDS.get(i));
            Factors m = monthlyOf(KINDS.get(i));
            week[i] = w == null ? null : w.draw(rng);
            month[i] = m == null ? null : m.draw(rng);
        }
        return new Drawn(this, start, days, week, month);
    }

    /** A run's factors per kind and day, with count waves still to be scaled by the run's base means. */
    static final class Drawn {
        private final double[][] factor; // [kind][day]
        private final double[][] countShare; // [kind][day]: share of a count wave's total on the day, 0 outside
        private final double[][] countTotal; // [kind][day]: the count of the wave covering the day

        Drawn(ChurnCalendar c, LocalDate start, int days, double[][] week, double[][] month) {
            int k = KINDS.size();
            factor = new double[k][days + 1];
            countShare = new double[k][days + 1];
            countTotal = new double[k][days + 1];
            for (int i = 0; i < k; i++) {
                String kind = KINDS.get(i);
                double[] shape = new double[days + 1];
                for (int d = 0; d <= days; d++) {
                    LocalDate date = start.plusDays(d);
                    double f = 1;
                    if (week[i] != null) {
                        f *= week[i][date.getDayOfWeek().getValue() - 1];
                    }
                    if (month[i] != null) {
                        f *= month[i][date.getMonthValue() - 1];
                    }
                    shape[d] = f;
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
                        LocalDate date = w.from().plusDays(j);
                        sum += shapeOf(week[i], month[i], date);
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
         * The factor of kind {@code k} (index in {@link #KINDS}) on day {@code d} for a run whose base
         * daily mean of it (all segments or targets together) is {@code baseMean}.
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

        /** The extra count a count wave asks for when the base mean is 0 (nothing to scale): its daily share. */
        double countWhenNoBase(int k, int d) {
            return d < countShare[k].length ? countTotal[k][d] * countShare[k][d] : 0;
        }
    }
}
