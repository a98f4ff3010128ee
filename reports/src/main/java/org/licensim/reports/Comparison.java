package org.licensim.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two benchmark runs compared benchmark by benchmark. A change counts only when JMH's
 * confidence intervals of the two scores do not overlap <em>and</em> the scores differ by more
 * than the threshold: a regression when the current run is worse (slower, or less throughput),
 * an improvement when better, noise otherwise. A result without an interval (one iteration)
 * is judged on the threshold alone and says so.
 */
public record Comparison(BenchRun baseline, BenchRun current, double thresholdPercent, List<Row> rows) {

    public enum Verdict { REGRESSION, IMPROVEMENT, NOISE, ONLY_IN_BASELINE, ONLY_IN_CURRENT }

    /** One benchmark: both results (one may be null), the change in percent (positive = worse) and the verdict. */
    public record Row(String key, BenchRun.Result base, BenchRun.Result cur, double worsePercent, Verdict verdict,
                      String why) {
    }

    public static Comparison of(BenchRun baseline, BenchRun current, double thresholdPercent) {
        if (!(thresholdPercent >= 0)) {
            throw new ReportException("threshold must be a percentage >= 0, found " + thresholdPercent);
        }
        Map<String, BenchRun.Result> base = new LinkedHashMap<>();
        for (BenchRun.Result r : baseline.results()) {
            base.put(r.key(), r);
        }
        Map<String, BenchRun.Result> cur = new LinkedHashMap<>();
        for (BenchRun.Result r : current.results()) {
            cur.put(r.key(), r);
        }
        List<Row> rows = new ArrayList<>();
        for (BenchRun.Result b : base.values()) {
            BenchRun.Result c = cur.get(b.key());
            if (c == null) {
                rows.add(new Row(b.key(), b, null, Double.NaN, Verdict.ONLY_IN_BASELINE, "not in the current run"));
                continue;
            }
            if (!b.unit().equals(c.unit())) {
                throw new ReportException(b.key() + ": the baseline is in " + b.unit() + ", the current run in " + c.unit()
                        + "; results in different units cannot be compared");
            }
            rows.add(judge(b, c, thresholdPercent));
        }
        for (BenchRun.Result c : cur.values()) {
            if (!base.containsKey(c.key())) {
                rows.add(new Row(c.key(), null, c, Double.NaN, Verdict.ONLY_IN_CURRENT, "not in the baseline"));
            }
        }
        return new Comparison(baseline, current, thresholdPercent, List.copyOf(rows));
    }

    static Row judge(BenchRun.Result b, BenchRun.Result c, double threshold) {
        double change = (c.score() - b.score()) / b.score() * 100;
        double worse = b.lowerIsBetter() ? change : -change;
        boolean intervals = b.hasInterval() && c.hasInterval();
        boolean separate = !intervals || c.lo() > b.hi() || c.hi() < b.lo();
        String how = intervals ? (separate ? "intervals do not overlap" : "intervals overlap")
                : "no error interval (single iteration): judged on the threshold alone";
        Verdict v;
        if (separate && worse > threshold) {
            v = Verdict.REGRESSION;
        } else if (separate && worse < -threshold) {
            v = Verdict.IMPROVEMENT;
        } else {
            v = Verdict.NOISE;
            if (separate) {
                how += ", change within the " + fmt(threshold) + "% threshold";
            }
        }
        return new Row(b.key(), b, c, worse, v, how);
    }

    static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    public long count(Verdict v) {
        return rows.stream().filter(r -> r.verdict() == v).count();
    }

    public boolean hasRegression() {
        return count(Verdict.REGRESSION) > 0;
    }
}
