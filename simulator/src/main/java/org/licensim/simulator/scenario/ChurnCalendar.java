package org.licensim.simulator.scenario;

import java.time.LocalDate;
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
 * so that the factors average 1 and the rate stays the average day's. A run's draw of it is
 * {@code population.CalendarDraw}.
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
        public static double[] normalise(double[] rate) {
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
        public boolean covers(LocalDate d, String kind) {
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
    public Factors weeklyOf(String kind) {
        Factors f = weekly.get(kind);
        return f != null ? f : weekly.get(ALL);
    }

    public Factors monthlyOf(String kind) {
        Factors f = monthly.get(kind);
        return f != null ? f : monthly.get(ALL);
    }

}
