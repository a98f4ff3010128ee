package org.licensim.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One benchmark run as JMH wrote it ({@code jmh.json}, with {@code machine.json} beside it when
 * {@code licensim bench} made it). Only what the reports show is kept: the score with JMH's
 * error and confidence interval, the percentiles, the allocation per operation.
 */
public record BenchRun(Path source, Map<String, String> machine, List<Result> results) {

    /**
     * One benchmark with one set of parameters. {@code lo}/{@code hi} is JMH's confidence interval
     * (99.9% by default); both equal the score when JMH gave none (a single iteration).
     */
    public record Result(String benchmark, String mode, Map<String, String> params, String unit, double score,
                         double error, double lo, double hi, Map<Double, Double> percentiles, double allocBytesPerOp,
                         long samples) {
        /** "Class.method" without the package. */
        public String shortName() {
            int method = benchmark.lastIndexOf('.');
            int cls = benchmark.lastIndexOf('.', method - 1);
            return benchmark.substring(cls + 1);
        }

        /** The method name alone. */
        public String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        /** Name and parameters: what identifies this result across runs. */
        public String key() {
            return shortName() + " " + mode + (params.isEmpty() ? "" : " " + params);
        }

        public String paramText() {
            StringBuilder sb = new StringBuilder();
            params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            return sb.toString();
        }

        /** Whether a smaller score is better (time per operation) rather than larger (throughput). */
        public boolean lowerIsBetter() {
            return !mode.equals("thrpt");
        }

        public boolean hasInterval() {
            return !Double.isNaN(error) && hi > lo;
        }

        public String modeName() {
            return switch (mode) {
                case "avgt" -> "average time";
                case "sample" -> "sampled time";
                case "ss" -> "single shot";
                case "thrpt" -> "throughput";
                default -> mode;
            };
        }
    }

    /** Reads {@code path}: a jmh.json file, or a directory holding one. */
    public static BenchRun read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("jmh.json") : path;
        JsonNode root = Json.read(file);
        if (!root.isArray()) {
            throw new ReportException(file + ": not JMH JSON results (expected an array of benchmark results, found "
                    + root.getNodeType() + ")");
        }
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode r = root.get(i);
            String where = "result " + i;
            String benchmark = Json.field(r, "benchmark", file, where).asText();
            where = "result " + i + " (" + benchmark + ")";
            String mode = Json.field(r, "mode", file, where).asText();
            Map<String, String> params = new TreeMap<>();
            JsonNode ps = r.get("params");
            if (ps != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = ps.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    params.put(e.getKey(), e.getValue().asText());
                }
            }
            JsonNode pm = Json.field(r, "primaryMetric", file, where);
            double score = Json.number(pm, "score", file, where + ".primaryMetric");
            double error = pm.has("scoreError") ? Json.number(pm, "scoreError", file, where + ".primaryMetric") : Double.NaN;
            double lo = score;
            double hi = score;
            JsonNode ci = pm.get("scoreConfidence");
            if (ci != null && ci.isArray() && ci.size() == 2 && ci.get(0).isNumber() && ci.get(1).isNumber()) {
                lo = ci.get(0).asDouble();
                hi = ci.get(1).asDouble();
            }
            Map<Double, Double> pct = new TreeMap<>();
            JsonNode sp = pm.get("scorePercentiles");
            if (sp != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = sp.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    try {
                        pct.put(Double.parseDouble(e.getKey()), e.getValue().asDouble());
                    } catch (NumberFormatException ex) {
                        throw new ReportException(file + ": " + where + ".primaryMetric.scorePercentiles has a key \""
                                + e.getKey() + "\" that is not a percentile", ex);
                    }
                }
            }
            double alloc = Double.NaN;
            JsonNode sec = r.get("secondaryMetrics");
            if (sec != null && sec.has("gc.alloc.rate.norm")) {
                alloc = sec.get("gc.alloc.rate.norm").path("score").asDouble(Double.NaN);
            }
            long samples = 0;
            JsonNode raw = pm.get("rawDataHistogram");
            if (raw != null) {
                for (JsonNode fork : raw) {
                    for (JsonNode iter : fork) {
                        for (JsonNode bin : iter) {
                            samples += bin.path(1).asLong();
                        }
                    }
                }
            }
            out.add(new Result(benchmark, mode, Collections.unmodifiableMap(params),
                    Json.field(pm, "scoreUnit", file, where + ".primaryMetric").asText(), score, error, lo, hi,
                    Collections.unmodifiableMap(pct), alloc, samples));
        }
        if (out.isEmpty()) {
            throw new ReportException(file + ": holds no benchmark results");
        }
        Map<String, String> machine = new LinkedHashMap<>();
        Path m = file.toAbsolutePath().getParent().resolve("machine.json");
        if (Files.isRegularFile(m)) {
            JsonNode mj = Json.read(m);
            for (Iterator<Map.Entry<String, JsonNode>> it = mj.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                machine.put(e.getKey(), e.getValue().asText());
            }
        }
        return new BenchRun(file, Collections.unmodifiableMap(machine), List.copyOf(out));
    }

    /** Results grouped by benchmark method and parameters other than {@code param}: a peer group. */
    public Map<String, List<Result>> groupedBy(String param) {
        Map<String, List<Result>> g = new LinkedHashMap<>();
        for (Result r : results) {
            Map<String, String> rest = new TreeMap<>(r.params());
            rest.remove(param);
            g.computeIfAbsent(r.shortName() + " " + r.mode() + " " + rest, k -> new ArrayList<>()).add(r);
        }
        return g;
    }
}
