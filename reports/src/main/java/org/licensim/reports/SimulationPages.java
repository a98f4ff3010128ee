package org.licensim.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The pages of a simulation run: seats per product over time, errors, churn, refusals (engine latency on request). */
final class SimulationPages {
    private SimulationPages() {
    }

    static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static void add(Doc doc, SimRun s, String prefix) {
        add(doc, s, prefix, false);
    }

    /** The pages; {@code engineDetails}: with the engine's timings and latency per event type (developers' reports). */
    static void add(Doc doc, SimRun s, String prefix, boolean engineDetails) {
        int last = s.day().length - 1;
        Doc.Section over = doc.section(prefix + "overview", "Simulation " + s.scenario() + ": overview");
        Doc.TableBuilder kv = new Doc.TableBuilder(null, "", "");
        kv.row("scenario", s.scenario() + " (seed " + s.seed() + ")");
        kv.row("simulated", s.day().length + " days, " + s.date()[0] + " to " + s.date()[last]);
        kv.row("users", n(s.usersByDay()[0]) + " on day " + s.day()[0] + ", " + n(s.usersByDay()[last]) + " on day "
                + s.day()[last]);
        long applied = 0;
        long refused = 0;
        for (int t = 0; t < s.eventTypes().size(); t++) {
            for (int d = 0; d <= last; d++) {
                applied += s.events()[t][d];
                refused += s.rejected()[t][d];
            }
        }
        kv.row("events", n(applied) + " applied, " + n(refused) + " refused by the rules");
        if (engineDetails && s.timing() != null) {
            JsonNode t = s.timing();
            kv.row("engine", String.format(Locale.ROOT, "%.1f s inside the engine of %.1f s wall clock, %s events/s; "
                    + "Java %s on %d processors (wall-clock figures of one run, not benchmarks)",
                    t.path("engineSeconds").asDouble(), t.path("wallSeconds").asDouble(),
                    n(t.path("eventsPerSecond").asLong()), t.path("java").asText("?"), t.path("processors").asInt()));
        }
        kv.row("source", s.dir().toString());
        over.add(kv.build());

        Doc.Section seats = doc.section(prefix + "seats", "Seats by product");
        seats.para("A product is short on a day when more users want it than it has seats: its holders plus the users "
                + "waiting for it (their source is in Error / CountViolation) exceed its seats, even while a few seats are "
                + "free (nobody retries a waiting user's source, R18). 'Peak waiting' is the most users waiting on one day: about that many more seats "
                + "before the first short day would have kept everyone licensed in this run (R12 can make users wait for a "
                + "product that has seats when another product of their group is short).");
        Doc.TableBuilder tb = new Doc.TableBuilder(null, "product", "#seats (last day)", "#consumed", "#free",
                "first short day", "#peak waiting", "peak on", "#users in error (last day)");
        for (int t = 0; t < s.products().size(); t++) {
            int cap = s.capacity()[t][last];
            int con = s.consumed()[t][last];
            int sd = s.firstShortDay(t);
            int pk = s.peakWaitingDay(t);
            tb.classedRow(sd >= 0 ? "short" : null, s.productLabel(t), n(cap), n(con), n(Math.max(0, cap - con)),
                    sd < 0 ? "never" : s.date()[sd] + " (day " + s.day()[sd] + ")",
                    pk < 0 ? "0" : n(s.waiting()[t][pk]), pk < 0 ? "" : s.date()[pk] + " (day " + s.day()[pk] + ")",
                    n(s.usersInError()[t][last]));
        }
        seats.add(tb.build());
        for (int t = 0; t < s.products().size(); t++) {
            int sd = s.firstShortDay(t);
            seats.chart(Charts.seats(prefix + "seats-" + slug(s.products().get(t)), s.productLabel(t), s.day0(), s.day(),
                    s.consumed()[t], s.capacity()[t], sd, sd < 0 ? null : s.date()[sd]));
            if (s.peakWaitingDay(t) >= 0) {
                seats.chart(Charts.waiting(prefix + "waiting-" + slug(s.products().get(t)), s.productLabel(t), s.day0(),
                        s.day(), s.waiting()[t]));
            }
        }

        Doc.Section errors = doc.section(prefix + "errors", "Licence errors over time");
        Map<String, int[]> byKind = new LinkedHashMap<>();
        Doc.TableBuilder et = new Doc.TableBuilder(null, "error", "#sources on the last day", "#most on one day");
        for (int k = 0; k < s.errorKinds().size(); k++) {
            int max = 0;
            for (int d = 0; d <= last; d++) {
                max = Math.max(max, s.errors()[k][d]);
            }
            if (max > 0 && !s.errorKinds().get(k).equals("None")) {
                byKind.put(s.errorKinds().get(k), s.errors()[k]);
                et.row(s.errorKinds().get(k), n(s.errors()[k][last]), n(max));
            }
        }
        if (byKind.isEmpty()) {
            errors.para("No licence errors on any day.");
        } else {
            errors.para("Licence sources (a user's product from one group or direct assignment) in an error state, "
                    + "any product, by error kind.");
            errors.chart(Charts.series(prefix + "errors", "Licence sources in error, by kind", "sources in error",
                    s.day0(), s.day(), byKind));
            errors.add(et.build());
        }

        Doc.Section churn = doc.section(prefix + "churn", "Churn");
        List<Integer> types = new ArrayList<>();
        long[] total = new long[s.eventTypes().size()];
        long[] totalRefused = new long[s.eventTypes().size()];
        for (int t = 0; t < total.length; t++) {
            for (int d = 0; d <= last; d++) {
                total[t] += s.events()[t][d];
                totalRefused[t] += s.rejected()[t][d];
            }
            if (total[t] + totalRefused[t] > 0) {
                types.add(t);
            }
        }
        types.sort(Comparator.comparingLong((Integer t) -> -total[t]));
        // day 0 builds the tenant (every user created): it would flatten the churn of the days after it
        int from = s.day().length > 1 && s.day()[0] == 0 ? 1 : 0;
        int[] days = java.util.Arrays.copyOfRange(s.day(), from, s.day().length);
        Map<String, int[]> perDay = new LinkedHashMap<>();
        int[] other = new int[days.length];
        boolean hasOther = false;
        for (int i = 0; i < types.size(); i++) {
            int t = types.get(i);
            if (i < 6) {
                perDay.put(s.eventTypes().get(t), java.util.Arrays.copyOfRange(s.events()[t], from, s.day().length));
            } else {
                hasOther = true;
                for (int d = from; d <= last; d++) {
                    other[d - from] += s.events()[t][d];
                }
            }
        }
        if (hasOther) {
            perDay.put("other types", other);
        }
        churn.para("Events applied per simulated day, by type" + (from == 1 ? ", from day 1 (day 0 builds the tenant: "
                + n(s.usersByDay()[0]) + " users created; the table counts it)." : "."));
        churn.chart(Charts.series(prefix + "churn", "Events applied per day, by type", "events per day", s.day0(), days,
                perDay));
        Doc.TableBuilder ct = new Doc.TableBuilder(null, "event type", "#applied", "#refused");
        for (int t : types) {
            ct.row(s.eventTypes().get(t), n(total[t]), n(totalRefused[t]));
        }
        churn.add(ct.build());

        Map<String, double[]> lat = s.latencyByType();
        if (engineDetails && !lat.isEmpty()) {
            Doc.Section ls = doc.section(prefix + "latency", "Engine latency per event type");
            ls.para("Time inside the engine's apply() per event, over the whole run, from HdrHistogram (microseconds). "
                    + "Wall-clock samples of one run, not a benchmark: see the benchmark report for JMH figures.");
            Doc.TableBuilder lt = new Doc.TableBuilder(null, "event type", "#events", "#p50 µs", "#p90 µs", "#p99 µs",
                    "#p99.9 µs", "#max µs");
            Map<String, double[]> chart = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : lat.entrySet()) {
                double[] v = e.getValue();
                lt.row(e.getKey(), n((long) v[0]), f(v[1]), f(v[2]), f(v[3]), f(v[4]), f(v[5]));
                chart.put(e.getKey(), new double[] {v[1], v[2], v[3], v[4], v[5]});
            }
            ls.add(lt.build());
            ls.chart(Charts.percentiles(prefix + "latency", "Engine apply() latency by event type", "µs", chart,
                    List.of("p50", "p90", "p99", "p99.9", "max")));
        }

        JsonNode rej = s.summary() == null ? null : s.summary().get("rejections");
        if (rej != null && rej.isArray() && rej.size() > 0) {
            Doc.Section rs = doc.section(prefix + "refused", "Requests the rules refused");
            rs.para("Requests the simulated administrators made that the rules refused (SPEC R22), grouped by reason, "
                    + "with one example each.");
            Doc.TableBuilder rt = new Doc.TableBuilder(null, "reason", "#count", "example");
            for (JsonNode r : rej) {
                rt.row(r.path("reason").asText(), n(r.path("count").asLong()), r.path("example").asText());
            }
            rs.add(rt.build());
        }
    }

    static String f(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
