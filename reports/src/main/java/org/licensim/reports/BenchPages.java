package org.licensim.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The pages of a benchmark run: peers side by side, every score with its error, percentiles, allocation, machine. */
final class BenchPages {
    /** Parameters that name an implementation compared side by side, and the one the others are compared with. */
    static final Map<String, String> SIDE_BY_SIDE = Map.of("resolver", "engine", "store", "heap");
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};
    static final List<String> PERCENTILE_LABELS = List.of("p50", "p90", "p99", "p99.9", "p99.99", "max");

    private BenchPages() {
    }

    static String score(BenchRun.Result r) {
        return num(r.score()) + (Double.isNaN(r.error()) ? "" : " ± " + num(r.error())) + " " + r.unit();
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    static String bytes(double b) {
        return Double.isNaN(b) ? "not measured" : String.format(Locale.ROOT, "%,.0f B/op", b);
    }

    static void add(Doc doc, BenchRun run, String prefix) {
        Doc.Section m = doc.section(prefix + "machine", "Benchmark run: machine and JVM");
        Doc.TableBuilder kv = new Doc.TableBuilder(null, "", "");
        run.machine().forEach((k, v) -> kv.row(k, v));
        kv.row("results", run.source().toString());
        m.add(kv.build());
        m.para("Scores are JMH's: the mean with its error at 99.9% confidence (the half-width of the interval JMH "
                + "reports). Smaller is better for times, larger for throughput.");

        for (Map.Entry<String, String> side : SIDE_BY_SIDE.entrySet()) {
            sideBySide(doc, run, side.getKey(), side.getValue(), prefix);
        }

        Doc.Section all = doc.section(prefix + "all", "Every benchmark");
        Doc.TableBuilder t = new Doc.TableBuilder(null, "benchmark", "parameters", "mode", "#score ± error",
                "#99.9% interval", "#allocation");
        for (BenchRun.Result r : run.results()) {
            t.row(r.shortName(), r.paramText(), r.modeName(), score(r), r.hasInterval() ? "[" + num(r.lo()) + ", "
                    + num(r.hi()) + "]" : "n/a (one iteration)", bytes(r.allocBytesPerOp()));
        }
        all.add(t.build());

        List<BenchRun.Result> sampled = run.results().stream().filter(r -> r.mode().equals("sample")
                && !r.percentiles().isEmpty()).toList();
        if (!sampled.isEmpty()) {
            Doc.Section ls = doc.section(prefix + "latency", "Latency percentiles (per event)");
            ls.para("JMH SampleTime: every sampled operation's time, so the percentiles are of single events.");
            Doc.TableBuilder lt = new Doc.TableBuilder(null, "benchmark", "parameters", "#samples", "#p50", "#p90",
                    "#p99", "#p99.9", "#p99.99", "#max", "unit");
            Map<String, Map<String, double[]>> byUnit = new LinkedHashMap<>();
            for (BenchRun.Result r : sampled) {
                double[] v = new double[PERCENTILES.length];
                String[] cells = new String[PERCENTILES.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.percentiles().getOrDefault(PERCENTILES[i], Double.NaN);
                    cells[i] = num(v[i]);
                }
                lt.row(r.shortName(), r.paramText(), r.samples() > 0 ? String.format(Locale.ROOT, "%,d", r.samples()) : "",
                        cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], r.unit());
                byUnit.computeIfAbsent(r.unit(), k -> new LinkedHashMap<>()).put(r.method()
                        + (r.paramText().isEmpty() ? "" : " (" + r.paramText() + ")"), v);
            }
            ls.add(lt.build());
            int i = 0;
            for (Map.Entry<String, Map<String, double[]>> e : byUnit.entrySet()) {
                ls.chart(Charts.percentiles(prefix + "percentiles-" + i++, "Latency percentiles (" + e.getKey() + ")",
                        e.getKey().replace("/op", ""), e.getValue(), PERCENTILE_LABELS));
            }
        }

        List<BenchRun.Result> alloc = run.results().stream().filter(r -> !Double.isNaN(r.allocBytesPerOp())).toList();
        Doc.Section as = doc.section(prefix + "allocation", "Allocation per operation");
        if (alloc.isEmpty()) {
            as.para("Not measured in this run (run the benchmarks with -prof gc; './licensim bench' does).");
        } else {
            as.para("Bytes allocated on the heap per benchmark operation (JMH -prof gc, gc.alloc.rate.norm). The "
                    + "engine's hot paths aim at 0 B per event; a reconcile allocates its working arrays.");
            as.add(allocationTable(alloc));
            List<BenchRun.Result> perEvent = alloc.stream().filter(r -> r.mode().equals("sample")).toList();
            if (perEvent.isEmpty()) {
                return;
            }
            List<String> cats = new ArrayList<>();
            double[][] v = new double[2][perEvent.size()];
            for (int i = 0; i < perEvent.size(); i++) {
                BenchRun.Result r = perEvent.get(i);
                cats.add(label(r));
                v[0][i] = Math.max(1, r.allocBytesPerOp());
                v[1][i] = Double.NaN;
            }
            as.chart(Charts.bars(prefix + "allocation", "Heap allocation per event (sampled benchmarks)",
                    "bytes per event (log scale)", cats, Map.of("B/op", v), true));
        }
    }

    private static Doc.Table allocationTable(List<BenchRun.Result> alloc) {
        Doc.TableBuilder t = new Doc.TableBuilder(null, "benchmark", "parameters", "#allocated per op");
        for (BenchRun.Result r : alloc) {
            t.row(r.shortName(), r.paramText(), bytes(r.allocBytesPerOp()));
        }
        return t.build();
    }

    /** A short chart label: the method and its parameter values other than the user count. */
    static String label(BenchRun.Result r) {
        StringBuilder sb = new StringBuilder(r.method());
        r.params().forEach((k, v) -> {
            if (!k.equals("users")) {
                sb.append(' ').append(v);
            }
        });
        return sb.toString();
    }

    /** Implementations compared on the same benchmark and parameters: a table with ratios, and a chart. */
    private static void sideBySide(Doc doc, BenchRun run, String param, String reference, String prefix) {
        Map<String, List<BenchRun.Result>> groups = new LinkedHashMap<>();
        run.groupedBy(param).forEach((k, v) -> {
            if (v.stream().anyMatch(r -> r.params().containsKey(param))) {
                groups.put(k, v);
            }
        });
        if (groups.isEmpty()) {
            return;
        }
        String title = param.equals("resolver") ? "Engine and peers, side by side" : "Heap and persisted store, side by side";
        Doc.Section s = doc.section(prefix + "side-" + param, title);
        s.para("Same benchmark, same generated tenant, same run; the ratio is the other's score over "
                + reference + "'s (for times: how many times slower the other is).");
        Doc.TableBuilder t = new Doc.TableBuilder(null, "benchmark", "parameters", param, "#score ± error", "#ratio to "
                + reference);
        int chartNo = 0;
        for (Map.Entry<String, List<BenchRun.Result>> g : groups.entrySet()) {
            BenchRun.Result ref = g.getValue().stream().filter(r -> reference.equals(r.params().get(param))).findFirst()
                    .orElse(null);
            List<String> cats = new ArrayList<>();
            double[][] v = new double[2][g.getValue().size()];
            int i = 0;
            for (BenchRun.Result r : g.getValue()) {
                Map<String, String> rest = new java.util.TreeMap<>(r.params());
                rest.remove(param);
                String ratio = ref == null || r == ref ? "" : String.format(Locale.ROOT, "%.2fx", r.score() / ref.score());
                t.row(r.shortName(), rest.toString().replaceAll("[{}]", ""), r.params().get(param), score(r), ratio);
                cats.add(r.params().get(param));
                v[0][i] = r.score();
                v[1][i] = r.error();
                i++;
            }
            BenchRun.Result first = g.getValue().get(0);
            Map<String, String> rest = new java.util.TreeMap<>(first.params());
            rest.remove(param);
            s.chart(Charts.bars(prefix + "side-" + param + "-" + chartNo++, first.shortName() + " "
                    + rest.toString().replaceAll("[{}]", ""), first.unit() + " (bars: JMH error at 99.9%)", cats,
                    Map.of(first.unit(), v), false));
        }
        s.add(t.build());
    }
}
