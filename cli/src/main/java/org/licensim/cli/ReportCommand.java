package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.licensim.core.LicensimException;
import org.licensim.reports.BenchRun;
import org.licensim.reports.Comparison;
import org.licensim.reports.Doc;
import org.licensim.reports.Reports;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code licensim report}: HTML and Markdown from result files; or two benchmark runs compared. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Renders result files as one self-contained HTML page (inline SVG charts, no network) and a "
                + "Markdown twin with its charts as SVG files: simulation results (licensim simulate) show seats per "
                + "product over time with the day each ran short, errors, churn and engine latency; benchmark results "
                + "(licensim bench) show the engine beside its peers, every score with JMH's error, percentiles and "
                + "allocation.",
                "With --baseline and --current, compares two benchmark runs benchmark by benchmark and exits 3 if "
                        + "any regressed (a change beyond --threshold whose JMH intervals do not overlap).",
                "Examples:", "  licensim report licensim-out/default --out report.html",
                "  licensim report --baseline runs/main --current licensim-out/bench --threshold 5"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RESULTS", arity = "0..*",
            description = "Results directories (simulation: days.json; benchmarks: jmh.json) or jmh.json files.")
    List<Path> results = List.of();

    @Option(names = "--out", paramLabel = "HTML", description = "The HTML file; NAME.md and NAME-charts/ are written "
            + "beside it. Default: report.html, or comparison.html with --baseline.")
    Path out;

    @Option(names = "--engine-details", description = "Also show a simulation's engine figures (wall-clock time, latency "
            + "per event type): for developers; an administrator's report leaves them out.")
    boolean engineDetails;

    @Option(names = "--title", paramLabel = "TEXT", description = "Title of the report.")
    String title;

    @Option(names = "--baseline", paramLabel = "RESULTS", description = "Benchmark results to compare against.")
    Path baseline;

    @Option(names = "--current", paramLabel = "RESULTS", description = "Benchmark results to judge.")
    Path current;

    @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "5",
            description = "Smallest change (in percent) counted as a regression or an improvement. Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(names = "--judge-without-intervals", description = "Judge benchmarks that have no JMH error interval (smoke "
            + "or single-iteration runs) on the threshold alone; without it such a comparison is refused, since its "
            + "verdicts would flap from run to run.")
    boolean judgeWithoutIntervals;

    /** A run whose benchmarks have no error interval cannot say whether a change is noise: refused unless asked. */
    private static void refuseWithoutIntervals(BenchRun run, Path where) {
        List<String> bare = run.results().stream().filter(r -> !r.hasInterval()).map(BenchRun.Result::key).toList();
        if (!bare.isEmpty()) {
            throw new LicensimException(where + ": " + bare.size() + " of its " + run.results().size() + " benchmarks have "
                    + "no JMH error interval (a smoke or single-iteration run; e.g. " + bare.get(0) + "), so a verdict on "
                    + "them would flap from run to run; compare runs of the quick or full profile, or add "
                    + "--judge-without-intervals to judge on the threshold alone");
        }
    }

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        if (baseline != null || current != null) {
            if (baseline == null || current == null) {
                throw new LicensimException("--baseline and --current go together: name both benchmark results");
            }
            if (!results.isEmpty()) {
                throw new LicensimException("give either results to report on or --baseline/--current, not both");
            }
            BenchRun b = BenchRun.read(baseline);
            BenchRun cur = BenchRun.read(current);
            if (!judgeWithoutIntervals) {
                refuseWithoutIntervals(b, baseline);
                refuseWithoutIntervals(cur, current);
            }
            Comparison c = Comparison.of(b, cur, threshold);
            Doc doc = Reports.comparison(c);
            List<Path> files = Reports.write(doc, out != null ? out : Path.of("comparison.html"));
            o.printf(Locale.ROOT, "%d regressions, %d improvements, %d within noise, %d only in the baseline, %d new "
                    + "(threshold %s%%)%n", c.count(Comparison.Verdict.REGRESSION), c.count(Comparison.Verdict.IMPROVEMENT),
                    c.count(Comparison.Verdict.NOISE), c.count(Comparison.Verdict.ONLY_IN_BASELINE),
                    c.count(Comparison.Verdict.ONLY_IN_CURRENT), threshold);
            for (Comparison.Row r : c.rows()) {
                if (r.verdict() == Comparison.Verdict.REGRESSION) {
                    o.printf(Locale.ROOT, "  REGRESSION %s: %.4g -> %.4g %s (%+.1f%%)%n", r.key(), r.base().score(),
                            r.cur().score(), r.cur().unit(), r.worsePercent());
                }
            }
            o.printf("wrote %s, %s and %s/%n", files.get(0), files.get(1), files.get(2));
            return c.hasRegression() ? Main.REGRESSION : 0;
        }
        if (results.isEmpty()) {
            throw new LicensimException("name the results to report on (a simulation or benchmark results directory), "
                    + "or --baseline and --current");
        }
        Doc doc = Reports.report(results, title, engineDetails);
        List<Path> files = Reports.write(doc, out != null ? out : Path.of("report.html"));
        o.printf("wrote %s (%d sections, %d charts), %s and %s/%n", files.get(0), doc.sections().size(),
                doc.charts().size(), files.get(1), files.get(2));
        return 0;
    }
}
