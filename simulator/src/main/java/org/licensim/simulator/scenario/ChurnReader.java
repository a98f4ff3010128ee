package org.licensim.simulator.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.licensim.core.LicensimException;
import org.licensim.simulator.scenario.TenantChurn.DatedUnits;
import org.licensim.simulator.scenario.TenantChurn.Pair;
import org.licensim.simulator.scenario.TenantChurn.Rate;
import org.licensim.simulator.scenario.TenantChurn.Rates;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a churn file (docs/PLANNING.md, "Churn file"): every problem is collected with its JSON
 * path and value and reported at once, malformed JSON with its line and column. Whether the
 * groups, products and subscriptions it names exist is checked against the tenant by
 * {@link TenantBase}.
 */
public final class ChurnReader extends CheckedJson {
    public static final int DEFAULT_DAYS = 180;
    public static final int DEFAULT_GRACE_DAYS = 30;
    private static final List<String> RATE_KINDS = ChurnKind.labels();
    private static final List<String> SEGMENT_KINDS = List.of("hires", "leavers", "transfers");
    private static final List<String> WEEKDAYS = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday", "Sunday");
    private static final List<String> MONTHS = List.of("January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December");
    /** The kinds a wave may give as a count of people over its dates. */
    static final List<String> COUNT_KINDS = List.of("hires", "leavers", "transfers");

    public TenantChurn read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new LicensimException("churn file not found: " + file);
        } catch (IOException e) {
            throw new LicensimException("cannot read churn file " + file + ": " + e.getMessage(), e);
        }
    }

    public TenantChurn read(InputStream in, String name) throws IOException {
        JsonNode root = parse(in, "churn file " + name);
        if (root == null || !root.isObject()) {
            throw new LicensimException("churn file " + name + ": expected a JSON object such as "
                    + "{\"days\": 180, \"rates\": {\"hires\": \"0.1%\", \"leavers\": \"0.08%\"}}");
        }
        problems.clear();
        TenantChurn c = churn(root);
        fail("churn file " + name, problems);
        return c;
    }

    private TenantChurn churn(JsonNode n) {
        known(n, "$", "start", "days", "seed", "segmentBy", "rates", "segments", "groups", "products", "weekly",
                "monthly", "waves", "purchases", "expiries", "notRenewing", "graceDays", "description");
        LocalDate start = n.has("start") ? date(n.get("start"), "$.start") : null;
        int days = n.has("days") ? (int) integer(n.get("days"), "$.days", 1, ScenarioReader.MAX_DAYS) : DEFAULT_DAYS;
        long seed = n.has("seed") ? integer(n.get("seed"), "$.seed", Long.MIN_VALUE, Long.MAX_VALUE) : 1;
        String segmentBy = "department";
        if (n.has("segmentBy")) {
            JsonNode s = n.get("segmentBy");
            if (!s.isTextual() || s.asText().isBlank()) {
                problems.add("$.segmentBy: expected a user property name such as \"department\" or \"usageLocation\", "
                        + "found " + s);
            } else {
                segmentBy = s.asText();
            }
        }
        Rates rates = n.has("rates") ? rates(n.get("rates"), "$.rates", RATE_KINDS) : Rates.NONE;
        Map<String, Rates> segments = new LinkedHashMap<>();
        forEachField(n.get("segments"), "$.segments", (k, v, at) -> segments.put(k, rates(v, at, SEGMENT_KINDS)));
        Map<String, Pair> groups = new LinkedHashMap<>();
        forEachField(n.get("groups"), "$.groups", (k, v, at) -> groups.put(k, pair(v, at)));
        Map<String, Pair> products = new LinkedHashMap<>();
        forEachField(n.get("products"), "$.products", (k, v, at) -> products.put(k, pair(v, at)));
        ChurnCalendar calendar = new ChurnCalendar(factors(n.get("weekly"), "$.weekly", WEEKDAYS),
                factors(n.get("monthly"), "$.monthly", MONTHS), waves(n.get("waves"), "$.waves"));
        List<DatedUnits> purchases = dated(n.get("purchases"), "$.purchases");
        List<DatedUnits> expiries = dated(n.get("expiries"), "$.expiries");
        List<String> notRenewing = new ArrayList<>();
        JsonNode nr = n.get("notRenewing");
        if (nr != null) {
            if (!nr.isArray()) {
                problems.add("$.notRenewing: expected a list of subscription ids, found " + nr);
            } else {
                for (int i = 0; i < nr.size(); i++) {
                    if (!nr.get(i).isTextual()) {
                        problems.add("$.notRenewing[" + i + "]: expected a subscription id (a string), found " + nr.get(i));
                    } else {
                        notRenewing.add(nr.get(i).asText());
                    }
                }
            }
        }
        int grace = n.has("graceDays") ? (int) integer(n.get("graceDays"), "$.graceDays", 0, 365) : DEFAULT_GRACE_DAYS;
        return new TenantChurn(start, days, seed, segmentBy, rates, Map.copyOf(segments), Map.copyOf(groups),
                Map.copyOf(products), calendar, purchases, expiries, List.copyOf(notRenewing), grace, null);
    }

    /**
     * Weekday (7) or month (12) factors: one list for every kind ({@code [1, 1, 1, 1, 1, 0.2, 0.1]}),
     * or an object keyed by kind (and "all" for the rest), each a list or what was seen
     * ({@code {"observed": [...], "days": [...]}}, as {@code --write-churn} writes a fit).
     */
    private Map<String, ChurnCalendar.Factors> factors(JsonNode n, String at, List<String> slots) {
        Map<String, ChurnCalendar.Factors> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        String example = slots.size() == 7 ? "[1, 1, 1, 1, 1, 0.2, 0.1] (" + slots.get(0) + " to " + slots.get(6) + ")"
                : "12 factors, " + slots.get(0) + " to " + slots.get(11) + ", such as [1, 1, 1, 1, 1, 1, 0.6, 0.8, 1.5, "
                + "1, 1, 0.7]";
        if (n.isArray()) {
            double[] v = list(n, at, slots.size(), example);
            if (v != null) {
                out.put(ChurnCalendar.ALL, ChurnCalendar.Factors.plain(v));
            }
            return out;
        }
        if (!n.isObject()) {
            problems.add(at + ": expected " + example + ", or an object of such lists by churn kind, found " + n);
            return out;
        }
        forEachField(n, at, (k, v, here) -> {
            if (!k.equals(ChurnCalendar.ALL) && !ChurnCalendar.KINDS.contains(k)) {
                problems.add(here + ": unknown churn kind; the kinds are " + ChurnCalendar.ALL + ", "
                        + String.join(", ", ChurnCalendar.KINDS));
                return;
            }
            if (v.isObject() && v.has("observed")) {
                known(v, here, "observed", "days");
                double[] seen = list(v.get("observed"), here + ".observed", slots.size(), "counts per slot");
                double[] days = list(v.get("days"), here + ".days", slots.size(), "days per slot");
                if (seen != null && days != null) {
                    out.put(k, ChurnCalendar.Factors.observed(seen, days));
                }
            } else {
                double[] f = list(v, here, slots.size(), example);
                if (f != null) {
                    out.put(k, ChurnCalendar.Factors.plain(f));
                }
            }
        });
        return out;
    }

    private double[] list(JsonNode n, String at, int size, String example) {
        if (n == null || !n.isArray() || n.size() != size) {
            problems.add(at + ": expected " + size + " numbers, " + example + ", found " + n);
            return null;
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = number(n.get(i), at + "[" + i + "]", 0, 1e6);
        }
        return out;
    }

    /**
     * Dated waves: {@code {"from", "to", "factor", "kinds"}} multiplies the kinds' rates (hires by
     * default) on those dates; {@code {"from", "to", "hires": 400}} sets how many come over them.
     */
    private List<ChurnCalendar.Wave> waves(JsonNode n, String at) {
        List<ChurnCalendar.Wave> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            problems.add(at + ": expected a list of waves such as [{\"from\": \"2027-09-01\", \"to\": \"2027-09-30\", "
                    + "\"hires\": 400}], found " + n);
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode w = n.get(i);
            String here = at + "[" + i + "]";
            if (!w.isObject()) {
                problems.add(here + ": expected {\"from\", \"to\", \"factor\", \"kinds\"} or {\"from\", \"to\", "
                        + "\"hires\": COUNT}, found " + w);
                continue;
            }
            known(w, here, "from", "to", "factor", "kinds", "hires", "leavers", "transfers", "note");
            LocalDate from = w.has("from") ? date(w.get("from"), here + ".from") : null;
            LocalDate to = w.has("to") ? date(w.get("to"), here + ".to") : null;
            if (!w.has("from") || !w.has("to")) {
                problems.add(here + ": a wave needs \"from\" and \"to\" (dates, inclusive)");
                continue;
            }
            if (from != null && to != null && to.isBefore(from)) {
                problems.add(here + ".to: " + to + " is before from (" + from + ")");
                continue;
            }
            String note = w.has("note") ? w.get("note").asText() : null;
            List<String> counted = COUNT_KINDS.stream().filter(w::has).toList();
            if (w.has("factor") == !counted.isEmpty()) {
                problems.add(here + ": give either \"factor\" (with \"kinds\", default [\"hires\"]) or a count of "
                        + String.join(", ", COUNT_KINDS) + " over the wave's dates, not " + (counted.isEmpty()
                        ? "neither" : "both"));
                continue;
            }
            if (!counted.isEmpty() && w.has("kinds")) {
                problems.add(here + ".kinds: a wave given as a count names its kind by the count's field (\"hires\": 400)");
                continue;
            }
            if (from == null || to == null) {
                continue;
            }
            for (String k : counted) {
                double c = number(w.get(k), here + "." + k, 0, 1e9);
                out.add(new ChurnCalendar.Wave(from, to, List.of(k), 1, c, note));
            }
            if (w.has("factor")) {
                double f = number(w.get("factor"), here + ".factor", 0, 1e6);
                List<String> kinds = new ArrayList<>();
                JsonNode ks = w.get("kinds");
                if (ks == null) {
                    kinds.add("hires");
                } else if (!ks.isArray() || ks.isEmpty()) {
                    problems.add(here + ".kinds: expected a list of churn kinds such as [\"hires\"], found " + ks);
                } else {
                    for (int j = 0; j < ks.size(); j++) {
                        String k = ks.get(j).asText();
                        if (!ChurnCalendar.KINDS.contains(k)) {
                            problems.add(here + ".kinds[" + j + "]: unknown churn kind " + ks.get(j) + "; the kinds are "
                                    + String.join(", ", ChurnCalendar.KINDS));
                        } else {
                            kinds.add(k);
                        }
                    }
                }
                out.add(new ChurnCalendar.Wave(from, to, List.copyOf(kinds), f, null, note));
            }
        }
        return List.copyOf(out);
    }

    private interface FieldVisitor {
        void visit(String key, JsonNode value, String at);
    }

    private void forEachField(JsonNode n, String at, FieldVisitor v) {
        if (n == null) {
            return;
        }
        if (!n.isObject()) {
            problems.add(at + ": expected an object keyed by name, found " + n);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            v.visit(e.getKey(), e.getValue(), at + "[\"" + e.getKey() + "\"]");
        }
    }

    private Rates rates(JsonNode n, String at, List<String> kinds) {
        if (!n.isObject()) {
            problems.add(at + ": expected an object of rates such as {\"hires\": \"0.1%\", \"leavers\": 12}, found " + n);
            return Rates.NONE;
        }
        known(n, at, kinds.toArray(String[]::new));
        Rate[] r = new Rate[RATE_KINDS.size()];
        for (int i = 0; i < r.length; i++) {
            String k = RATE_KINDS.get(i);
            r[i] = n.has(k) ? rate(n.get(k), at + "." + k) : null;
        }
        return new Rates(r[0], r[1], r[2], r[3], r[4], r[5]);
    }

    private Pair pair(JsonNode n, String at) {
        if (!n.isObject()) {
            problems.add(at + ": expected {\"adds\": RATE, \"removes\": RATE}, found " + n);
            return new Pair(Rate.ZERO, Rate.ZERO);
        }
        known(n, at, "adds", "removes");
        return new Pair(n.has("adds") ? rate(n.get("adds"), at + ".adds") : Rate.ZERO,
                n.has("removes") ? rate(n.get("removes"), at + ".removes") : Rate.ZERO);
    }

    /** A number per day, "x%" of the scope's users per day, or {"observed": n, "days": d}. */
    Rate rate(JsonNode n, String at) {
        if (n.isNumber()) {
            double v = n.asDouble();
            if (!(v >= 0) || Double.isInfinite(v)) {
                problems.add(at + ": a rate is at least 0, found " + n);
                return Rate.ZERO;
            }
            return Rate.perDay(v);
        }
        if (n.isTextual() && n.asText().endsWith("%")) {
            String t = n.asText();
            try {
                double v = Double.parseDouble(t.substring(0, t.length() - 1).trim());
                if (v >= 0 && v <= 100) {
                    return new Rate(v, true, -1, 0);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(at + ": \"" + t + "\" is not a percentage between 0% and 100%");
            return Rate.ZERO;
        }
        if (n.isObject() && n.has("observed") && n.has("days")) {
            known(n, at, "observed", "days");
            double k = number(n.get("observed"), at + ".observed", 0, 1e12);
            double d = number(n.get("days"), at + ".days", 1e-9, 1e6);
            return d > 0 ? Rate.observed(k, d) : Rate.ZERO;
        }
        problems.add(at + ": expected a rate: a number per day (12), a share of the users per day (\"0.1%\") or "
                + "what was seen ({\"observed\": 37, \"days\": 28}), found " + n);
        return Rate.ZERO;
    }

    private List<DatedUnits> dated(JsonNode n, String at) {
        List<DatedUnits> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            problems.add(at + ": expected a list of {\"sku\", \"date\", \"units\"}, found " + n);
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            String here = at + "[" + i + "]";
            if (!e.isObject()) {
                problems.add(here + ": expected {\"sku\": \"ENTERPRISEPACK\", \"date\": \"2027-01-15\", \"units\": 500}, "
                        + "found " + e);
                continue;
            }
            known(e, here, "sku", "date", "units", "note");
            JsonNode sku = e.get("sku");
            if (sku == null || !sku.isTextual()) {
                problems.add(here + ".sku: expected a product part number such as \"ENTERPRISEPACK\", found " + sku);
                continue;
            }
            if (!e.has("date")) {
                problems.add(here + ": missing date (ISO yyyy-mm-dd)");
                continue;
            }
            LocalDate d = date(e.get("date"), here + ".date");
            if (!e.has("units")) {
                problems.add(here + ": missing units");
                continue;
            }
            int units = (int) integer(e.get("units"), here + ".units", 1, Integer.MAX_VALUE);
            if (d != null) {
                out.add(new DatedUnits(sku.asText(), d, units, e.has("note") ? e.get("note").asText() : null));
            }
        }
        return List.copyOf(out);
    }

    private LocalDate date(JsonNode n, String at) {
        if (n == null || !n.isTextual()) {
            problems.add(at + ": expected a date such as \"2027-01-15\", found " + n);
            return null;
        }
        try {
            return LocalDate.parse(n.asText());
        } catch (DateTimeParseException e) {
            problems.add(at + ": \"" + n.asText() + "\" is not a date (yyyy-mm-dd)");
            return null;
        }
    }
}
