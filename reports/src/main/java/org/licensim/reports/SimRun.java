package org.licensim.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A simulation results directory as {@code licensim simulate} writes it (docs/SCENARIOS.md):
 * {@code days.json} (required), {@code summary.json} and {@code timing.json} (used when present).
 * Day series are arrays indexed [series][day].
 */
public record SimRun(Path dir, String scenario, long seed, int users, String start, List<String> products,
                     List<String> productNames, List<String> errorKinds, List<String> eventTypes, int[] day, String[] date, int[] usersByDay,
                     int[][] consumed, int[][] capacity, int[][] waiting, int[][] usersInError, int[][] errors,
                     int[][] events, int[][] rejected, JsonNode summary, JsonNode timing) {

    public static final String DAYS_SCHEMA = "licensim.simulation.days/1";

    /** Whether {@code dir} looks like a simulation results directory. */
    public static boolean isSimulation(Path dir) {
        return Files.isRegularFile(dir.resolve("days.json"));
    }

    public static SimRun read(Path dir) {
        Path f = dir.resolve("days.json");
        JsonNode root = Json.read(f);
        String schema = root.path("schema").asText("");
        if (!schema.equals(DAYS_SCHEMA)) {
            throw new ReportException(f + ": schema is \"" + schema + "\", this report reads \"" + DAYS_SCHEMA + "\"");
        }
        List<String> products = strings(Json.array(root, "products", f, "the file"));
        List<String> kinds = strings(Json.array(root, "errorKinds", f, "the file"));
        List<String> types = strings(Json.array(root, "eventTypes", f, "the file"));
        JsonNode days = Json.array(root, "days", f, "the file");
        int n = days.size();
        if (n == 0) {
            throw new ReportException(f + ": \"days\" is empty");
        }
        int[] day = new int[n];
        String[] date = new String[n];
        int[] users = new int[n];
        int[][] consumed = new int[products.size()][n];
        int[][] capacity = new int[products.size()][n];
        int[][] waiting = new int[products.size()][n];
        int[][] inError = new int[products.size()][n];
        int[][] errors = new int[kinds.size()][n];
        int[][] events = new int[types.size()][n];
        int[][] rejected = new int[types.size()][n];
        for (int d = 0; d < n; d++) {
            JsonNode x = days.get(d);
            String where = "days[" + d + "]";
            day[d] = (int) Json.number(x, "day", f, where);
            date[d] = Json.field(x, "date", f, where).asText();
            users[d] = (int) Json.number(x, "users", f, where);
            column(x, "consumed", consumed, d, f, where);
            column(x, "capacity", capacity, d, f, where);
            column(x, "waiting", waiting, d, f, where);
            column(x, "usersInError", inError, d, f, where);
            column(x, "errors", errors, d, f, where);
            column(x, "events", events, d, f, where);
            column(x, "rejected", rejected, d, f, where);
        }
        JsonNode summary = Files.isRegularFile(dir.resolve("summary.json")) ? Json.read(dir.resolve("summary.json")) : null;
        JsonNode timing = Files.isRegularFile(dir.resolve("timing.json")) ? Json.read(dir.resolve("timing.json")) : null;
        List<String> names = new java.util.ArrayList<>();
        JsonNode given = root.path("productNames");
        for (int t = 0; t < products.size(); t++) {
            // results written before product names were: the part number stands in
            names.add(given.isArray() && given.size() == products.size() ? given.get(t).asText() : products.get(t));
        }
        return new SimRun(dir, root.path("scenario").asText("?"), root.path("seed").asLong(), root.path("users").asInt(),
                root.path("start").asText(date[0]), products, List.copyOf(names), kinds, types, day, date, users, consumed, capacity, waiting,
                inError, errors, events, rejected, summary, timing);
    }

    private static void column(JsonNode day, String field, int[][] into, int d, Path f, String where) {
        JsonNode a = Json.array(day, field, f, where);
        if (a.size() != into.length) {
            throw new ReportException(f + ": " + where + "." + field + " has " + a.size() + " values, the file names "
                    + into.length);
        }
        for (int i = 0; i < into.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new ReportException(f + ": " + where + "." + field + "[" + i + "] must be a number, found " + a.get(i));
            }
            into[i][d] = a.get(i).asInt();
        }
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return List.copyOf(out);
    }

    /**
     * First day index on which product {@code t} was short, or -1: more users wanted it than it
     * had seats (holders plus waiting users above its capacity), the one definition simulate's
     * summary.json, plan and check use (core's {@code Shortage}; this module reads files only).
     */
    public int firstShortDay(int t) {
        for (int d = 0; d < day.length; d++) {
            if ((long) consumed[t][d] + waiting[t][d] > capacity[t][d]) {
                return d;
            }
        }
        return -1;
    }

    /** Index of the day with the most users waiting for product {@code t} (the first such day), or -1 if none waited. */
    public int peakWaitingDay(int t) {
        int best = -1;
        for (int d = 0; d < day.length; d++) {
            if (waiting[t][d] > 0 && (best < 0 || waiting[t][d] > waiting[t][best])) {
                best = d;
            }
        }
        return best;
    }

    /** Per event type: count, p50, p90, p99, p999, max of the engine's apply latency (µs), from timing.json. */
    public Map<String, double[]> latencyByType() {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (timing == null || !timing.has("latencyByType")) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = timing.get("latencyByType").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            out.put(e.getKey(), new double[] {v.path("count").asDouble(), v.path("p50").asDouble(),
                v.path("p90").asDouble(), v.path("p99").asDouble(), v.path("p999").asDouble(), v.path("max").asDouble()});
        }
        return out;
    }

    /** Product {@code t} as people read it: "Office 365 E3 (ENTERPRISEPACK)", or the part number alone. */
    public String productLabel(int t) {
        return label(productNames.get(t), products.get(t));
    }

    static String label(String name, String sku) {
        return name == null || name.isBlank() || name.equals(sku) ? sku : name + " (" + sku + ")";
    }

    /** The date of day 0, from which the charts' date axes count. */
    public java.time.LocalDate day0() {
        return java.time.LocalDate.parse(date[0]).minusDays(day[0]);
    }
}
