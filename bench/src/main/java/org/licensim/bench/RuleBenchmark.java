package org.licensim.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.licensim.core.rules.CompiledRule;
import org.licensim.core.rules.RuleMembership;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The rule language: every dynamic group's rule evaluated over every user (what a load or a
 * bulk rule change costs: rules x users evaluations), and parsing + compiling the rules. The
 * rules mix the section 4 forms ({@link BenchTenant#extraRule}); licence-driven groups are settled
 * by the engine once licences are resolved, so {@code evaluateAllRules} evaluates the others
 * (memberOf, time-driven, extension and department rules: 450 of 500).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
public class RuleBenchmark {
    @Param({"1000000"})
    int users;

    @Param({"500"})
    int rules;

    /** The rule groups' forms: section 4's mix, or department only (-p forms=mixed,department side by side). */
    @Param({"mixed"})
    BenchTenant.RuleForms forms;

    private BenchTenant bench;
    private List<String> texts;
    private final long[] clock = {java.time.Instant.parse("2026-01-01T00:00:00Z").getEpochSecond()};

    @Setup(Level.Trial)
    public void setUp() {
        bench = BenchTenant.generate(users, BenchTenant.Shape.fewBig, rules, forms);
        texts = new ArrayList<>();
        for (int g = 0; g < bench.tenant.groups().size(); g++) {
            if (bench.tenant.groups().isDynamic(g)) {
                texts.add(bench.tenant.groups().membershipRule(g));
            }
        }
        if (texts.size() != rules) {
            throw new IllegalStateException("expected " + rules + " rules, found " + texts.size());
        }
    }

    /** rules x users evaluations; divide to get evaluations per second. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RuleMembership evaluateAllRules() {
        RuleMembership m = new RuleMembership();
        m.applyTo(bench.tenant);
        return m;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int parseAndCompileRules() {
        int n = 0;
        for (String t : texts) {
            n += CompiledRule.compile(t, bench.tenant.directory(), clock, bench.tenant.catalog(),
                    org.licensim.core.rules.PlanSource.NONE).reads().size();
        }
        return n;
    }
}
