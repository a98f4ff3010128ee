package org.licensim.bench;

import java.io.PrintStream;
import java.util.Collection;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's output cut to one line per benchmark: the share done and JMH's own time-to-go estimate,
 * then which benchmark starts ("bench: 25% done, about 00:00:41 to go: EventBenchmark.memberAdded
 * users=3000"). For the smoke profile, whose iterations are too short to be worth a line each.
 */
final class ProgressFormat implements OutputFormat {
    private final PrintStream out;
    private String progress = "";

    ProgressFormat(PrintStream out) {
        this.out = out;
    }

    /** The benchmark started and the progress line, whichever came first; the second prints the line. */
    private String name;
    private boolean progressSeen;

    @Override
    public void println(String s) {
        // the runner announces each benchmark with "# Run progress: 25.00% complete, ETA 00:00:41"
        if (s != null && s.startsWith("# Run progress: ")) {
            String rest = s.substring("# Run progress: ".length());
            int comma = rest.indexOf(", ETA ");
            String done = comma < 0 ? rest : rest.substring(0, comma);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.]+)% complete").matcher(done);
            if (m.matches()) {
                done = Math.round(Double.parseDouble(m.group(1))) + "% done";
            }
            progress = comma < 0 ? done : done + ", about " + rest.substring(comma + ", ETA ".length()) + " to go";
            progressSeen = true;
            printIfBoth();
        }
    }

    @Override
    public void startBenchmark(BenchmarkParams p) {
        StringBuilder params = new StringBuilder();
        for (String k : p.getParamsKeys()) {
            params.append(' ').append(k).append('=').append(p.getParam(k));
        }
        String b = p.getBenchmark();
        name = b.substring(b.lastIndexOf('.', b.lastIndexOf('.') - 1) + 1) + params;
        printIfBoth();
    }

    private void printIfBoth() {
        if (name != null && progressSeen) {
            out.println("bench: " + progress + ": " + name);
            name = null;
            progressSeen = false;
        }
    }

    @Override
    public void endRun(Collection<RunResult> results) {
        out.println("bench: " + results.size() + " benchmark runs done");
    }

    @Override
    public void iteration(BenchmarkParams p, IterationParams i, int n) {
    }

    @Override
    public void iterationResult(BenchmarkParams p, IterationParams i, int n, IterationResult r) {
    }

    @Override
    public void endBenchmark(BenchmarkResult r) {
    }

    @Override
    public void startRun() {
    }

    @Override
    public void print(String s) {
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }

    @Override
    public void verbosePrintln(String s) {
    }

    @Override
    public void write(int b) {
    }

    @Override
    public void write(byte[] b) {
    }
}
