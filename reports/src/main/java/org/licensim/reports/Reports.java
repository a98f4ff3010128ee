package org.licensim.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reports from result files only (simulation results directories, JMH JSON): the entry points
 * the CLI calls. Never touches the engine.
 */
public final class Reports {
    private Reports() {
    }

    /** What a results path holds. */
    public enum Kind { SIMULATION, BENCHMARK, PLAN }

    public static Kind kindOf(Path p) {
        if (Files.isDirectory(p) && SimRun.isSimulation(p)) {
            return Kind.SIMULATION;
        }
        if (Files.isDirectory(p) && PlanPages.isPlan(p)) {
            return Kind.PLAN;
        }
        if ((Files.isDirectory(p) && Files.isRegularFile(p.resolve("jmh.json")))
                || (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))) {
            return Kind.BENCHMARK;
        }
        if (!Files.exists(p)) {
            throw new ReportException(p + ": no such file or directory");
        }
        throw new ReportException(p + ": neither simulation results (days.json, from licensim simulate), "
                + "benchmark results (jmh.json, from licensim bench) nor a plan (plan.json, from licensim plan)");
    }

    /** One report over several results paths, each one's pages in the order given, for administrators (no engine internals). */
    public static Doc report(List<Path> inputs, String title) {
        return report(inputs, title, false);
    }

    /**
     * One report over several results paths; {@code engineDetails}: a simulation's pages also show
     * the engine's wall-clock figures and its latency per event type (for developers: an
     * administrator's report leaves them out, benchmark reports have the measured figures).
     */
    public static Doc report(List<Path> inputs, String title, boolean engineDetails) {
        if (inputs.isEmpty()) {
            throw new ReportException("no results to report on: name a simulation or benchmark results directory");
        }
        List<String> names = new ArrayList<>();
        List<Object> runs = new ArrayList<>();
        for (Path p : inputs) {
            Kind kind = kindOf(p);
            if (kind == Kind.SIMULATION) {
                SimRun s = SimRun.read(p);
                runs.add(s);
                names.add("simulation " + s.scenario());
            } else if (kind == Kind.PLAN) {
                com.fasterxml.jackson.databind.JsonNode plan = PlanPages.read(p);
                runs.add(plan);
                names.add("capacity plan " + plan.path("scenario").asText());
            } else {
                runs.add(BenchRun.read(p));
                names.add("benchmarks " + p.getFileName());
            }
        }
        Doc doc = new Doc(title != null ? title : "licensim report: " + String.join(", ", names));
        doc.introLine("From " + inputs.size() + " result " + (inputs.size() == 1 ? "set" : "sets") + ": "
                + String.join("; ", inputs.stream().map(Path::toString).toList()) + ".");
        for (int i = 0; i < runs.size(); i++) {
            String prefix = runs.size() == 1 ? "" : "r" + (i + 1) + "-";
            if (runs.get(i) instanceof SimRun s) {
                SimulationPages.add(doc, s, prefix, engineDetails);
            } else if (runs.get(i) instanceof com.fasterxml.jackson.databind.JsonNode plan) {
                PlanPages.add(doc, plan, prefix);
            } else {
                BenchPages.add(doc, (BenchRun) runs.get(i), prefix);
            }
        }
        return doc;
    }

    /** The comparison of two benchmark runs as a document. */
    public static Doc comparison(Comparison c) {
        // a run's folder names it (runs/main/jmh.json is "main"); a bare file name's folder is the working directory
        Doc doc = new Doc("licensim benchmarks: " + c.current().source().toAbsolutePath().getParent().getFileName()
                + " against " + c.baseline().source().toAbsolutePath().getParent().getFileName());
        doc.introLine("Baseline: " + c.baseline().source() + ". Current: " + c.current().source() + ".");
        doc.introLine(String.format(Locale.ROOT, "%d regressions, %d improvements, %d within noise, %d only in the baseline,"
                + " %d new (threshold %s%%, JMH's 99.9%% intervals).", c.count(Comparison.Verdict.REGRESSION),
                c.count(Comparison.Verdict.IMPROVEMENT), c.count(Comparison.Verdict.NOISE),
                c.count(Comparison.Verdict.ONLY_IN_BASELINE), c.count(Comparison.Verdict.ONLY_IN_CURRENT),
                Comparison.fmt(c.thresholdPercent())));
        Doc.Section s = doc.section("comparison", "Benchmark by benchmark");
        s.para("A change is a regression or an improvement only when the two 99.9% confidence intervals do not "
                + "overlap and the scores differ by more than the threshold; otherwise it is noise. 'Worse by' is "
                + "positive when the current run is slower (or has less throughput).");
        Doc.TableBuilder t = new Doc.TableBuilder(null, "benchmark", "#baseline", "#current", "#worse by", "verdict",
                "why");
        List<String> cats = new ArrayList<>();
        List<Double> worse = new ArrayList<>();
        for (Comparison.Row r : c.rows()) {
            String cls = switch (r.verdict()) {
                case REGRESSION -> "regression";
                case IMPROVEMENT -> "improvement";
                default -> null;
            };
            t.classedRow(cls, r.key(), r.base() == null ? "" : BenchPages.score(r.base()),
                    r.cur() == null ? "" : BenchPages.score(r.cur()),
                    Double.isNaN(r.worsePercent()) ? "" : String.format(Locale.ROOT, "%+.1f%%", r.worsePercent()),
                    r.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' '), r.why());
            if (!Double.isNaN(r.worsePercent())) {
                cats.add(r.key().length() > 48 ? r.key().substring(0, 47) + "…" : r.key());
                worse.add(r.worsePercent());
            }
        }
        s.add(t.build());
        if (!cats.isEmpty()) {
            double[][] v = new double[2][cats.size()];
            for (int i = 0; i < cats.size(); i++) {
                v[0][i] = worse.get(i);
                v[1][i] = Double.NaN;
            }
            s.chart(Charts.bars("comparison", "Change against the baseline (positive = worse)", "worse by (%)", cats,
                    Map.of("change", v), false));
        }
        return doc;
    }

    /**
     * Writes {@code doc} as {@code html} and its Markdown twin beside it ({@code name.md}, charts as
     * SVG files in {@code name-charts/}). Each file is written to a temporary name and moved into
     * place, so a failure leaves the previous report, not half of a new one. Returns the paths written.
     */
    public static List<Path> write(Doc doc, Path html) {
        String file = html.getFileName().toString();
        String stem = file.endsWith(".html") ? file.substring(0, file.length() - 5) : file;
        Path parent = html.toAbsolutePath().getParent();
        Path md = parent.resolve(stem + ".md");
        Path charts = parent.resolve(stem + "-charts");
        Path chartsTmp = parent.resolve(stem + "-charts.tmp");
        try {
            Files.createDirectories(parent);
            deleteTree(chartsTmp);
            Files.createDirectories(chartsTmp);
            for (Charts.Svg c : doc.charts()) {
                Files.writeString(chartsTmp.resolve(c.name() + ".svg"), c.svg(), StandardCharsets.UTF_8);
            }
            writeAtomically(html, HtmlWriter.render(doc));
            writeAtomically(md, MarkdownWriter.render(doc, charts.getFileName().toString()));
            deleteTree(charts);
            Files.move(chartsTmp, charts);
        } catch (IOException e) {
            try {
                deleteTree(chartsTmp); // what a failed write made is not left behind
            } catch (IOException ignored) {
                // the report's own error is the one to tell
            }
            throw new ReportException(parent + ": cannot write the report: " + e.getMessage(), e);
        }
        return List.of(html, md, charts);
    }

    /**
     * Writes {@code target} through a temporary file of its own (a unique hidden name beside it,
     * with the permissions of the file it replaces), refusing a target that is a symbolic link or
     * not a regular file; the temporary is removed when anything fails. The same rules as core's
     * AtomicFile, which this module cannot see (docs/FORMATS.md, "Output files").
     */
    private static void writeAtomically(Path target, String text) throws IOException {
        if (Files.isSymbolicLink(target) || (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
            throw new ReportException("cannot write the report to " + target + ": it is "
                    + (Files.isSymbolicLink(target) ? "a symbolic link; licensim does not write through links"
                            : "not a regular file; licensim replaces only regular files") + ": give another file name", null);
        }
        // a bare file name ("report.html") has no parent: its folder is the working directory, as AtomicFile takes it
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".licensim-", ".tmp");
        try {
            if (Files.exists(target)) {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
            } else {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
