package org.licensim.simulator.scenario;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * How a real tenant changes, for planning from its snapshot (docs/PLANNING.md, "Churn file"):
 * read from a churn file by {@link ChurnReader} or fitted from history by {@code population.ChurnFit}.
 * Every rate is a daily mean; the simulator draws the day's count from a Poisson distribution
 * around it times the day's factor in the {@link ChurnCalendar} (weekday, month, waves).
 *
 * @param segmentBy the user property whose values the {@code segments} rates are given for
 *                  (department by default)
 * @param rates     tenant-wide rates; a segment without its own rate gets the tenant-wide one in
 *                  proportion to its size
 * @param segments  per value of {@code segmentBy}: hires, leavers and transfers out
 * @param groups    per assigned group (by display name): members added and removed per day
 * @param products  per product (part number): direct assignments added and removed per day
 * @param purchases units already bought (or ordered) with the date they arrive
 * @param calendar  when churn happens: weekday and month factors and dated waves, per kind
 * @param expiries  units that go on a date (a subscription not renewed); they stay usable for
 *                  {@code graceDays} (Microsoft's Expired/Warning state), then are suspended
 * @param notRenewing ids of commercial subscriptions (the snapshot's {@code subscriptions}) that
 *                  will not be renewed: their units lapse at their next lifecycle date
 */
public record TenantChurn(LocalDate start, int days, long seed, String segmentBy, Rates rates,
                          Map<String, Rates> segments, Map<String, Pair> groups, Map<String, Pair> products,
                          ChurnCalendar calendar, List<DatedUnits> purchases, List<DatedUnits> expiries,
                          List<String> notRenewing, int graceDays, Fit fit) {

    /**
     * A daily rate: {@code perDay} people or changes per day, or {@code percent} of the scope's
     * day-0 users per day; or observed: {@code observed} events over {@code overDays} days, whose
     * uncertainty each Monte Carlo run samples (the Jeffreys posterior Gamma(n + 1/2, days)).
     */
    public record Rate(double perDay, boolean percent, double observed, double overDays) {
        public static final Rate ZERO = new Rate(0, false, -1, 0);

        public static Rate perDay(double v) {
            return new Rate(v, false, -1, 0);
        }

        public static Rate observed(double n, double days) {
            return new Rate(n / days, false, n, days);
        }

        public boolean isObserved() {
            return observed >= 0;
        }

        /** The central daily mean (no draw). */
        public double mean(int users) {
            return percent ? perDay * users / 100.0 : perDay;
        }

        /** Lower and upper ends of the 95% interval of an observed rate (per day); the rate twice otherwise. */
        public double[] interval95(int users) {
            if (!isObserved()) {
                double m = mean(users);
                return new double[] {m, m};
            }
            // Wilson-Hilferty for the Gamma(n + 1/2) quantiles: accurate to a fraction of a per cent from n = 1
            double k = observed + 0.5;
            return new double[] {gammaQuantile(k, -1.959964) / overDays, gammaQuantile(k, 1.959964) / overDays};
        }

        private static double gammaQuantile(double k, double z) {
            double c = 1.0 / (9 * k);
            double x = 1 - c + z * Math.sqrt(c);
            return Math.max(0, k * x * x * x);
        }

        @Override
        public String toString() {
            if (isObserved()) {
                return String.format(java.util.Locale.ROOT, "%s observed in %s days", trim(observed), trim(overDays));
            }
            return percent ? trim(perDay) + "%" : trim(perDay);
        }

        private static String trim(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /** The people-flow rates of a scope (the tenant, or one segment). */
    public record Rates(Rate hires, Rate leavers, Rate transfers, Rate attributeEdits, Rate memberEdits,
                        Rate directEdits) {
        public static final Rates NONE = new Rates(Rate.ZERO, Rate.ZERO, Rate.ZERO, Rate.ZERO, Rate.ZERO, Rate.ZERO);
    }

    /** Additions and removals per day (group members, or a product's direct assignments). */
    public record Pair(Rate adds, Rate removes) {
    }

    /** Units of a product on a date. */
    public record DatedUnits(String sku, LocalDate date, int units, String note) {
    }

    /**
     * Where fitted rates came from: the sources, the period (days) and the counts seen, for the
     * report; null for a hand-written churn file.
     */
    public record Fit(String source, LocalDate from, LocalDate to, double days, Map<String, Double> counts,
                      List<String> notes) {
    }

    /** This churn starting on another date. */
    public TenantChurn withStart(LocalDate newStart) {
        return new TenantChurn(newStart, days, seed, segmentBy, rates, segments, groups, products, calendar, purchases,
                expiries, notRenewing, graceDays, fit);
    }

    /** This churn with another calendar (a scenario's, or a fitted one edited). */
    public TenantChurn withCalendar(ChurnCalendar newCalendar) {
        return new TenantChurn(start, days, seed, segmentBy, rates, segments, groups, products, newCalendar, purchases,
                expiries, notRenewing, graceDays, fit);
    }

    /** This churn with another horizon or seed (null keeps the file's). */
    public TenantChurn with(Long newSeed, Integer newDays) {
        return new TenantChurn(start, newDays == null ? days : newDays, newSeed == null ? seed : newSeed, segmentBy,
                rates, segments, groups, products, calendar, purchases, expiries, notRenewing, graceDays, fit);
    }
}
