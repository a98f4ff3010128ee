package org.licensim.bench;

import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import org.licensim.core.directory.Directory;
import org.licensim.core.directory.Tenant;
import org.licensim.core.rules.CompiledRule;
import org.licensim.core.rules.DynamicMembership;
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
 * Time-driven rules (SPEC section 4): a "hired in the last 30 days" group on a tenant whose users
 * were hired over ten years, and the clock moved one day at a time. A day boundary should cost in
 * proportion to the users whose membership flips (about users / 3,650 join and as many leave),
 * not to the tenant: {@link #dayBoundary} beside {@link #evaluateEveryone}, the rule over every
 * user, shows how far apart they are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
public class ClockBenchmark {
    @Param({"1000000"})
    int users;

    private Tenant tenant;
    private RuleMembership rules;
    private int group;
    private long now;
    private int flipped;

    /** Applies the joins and leaves to the directory, as the engine's sink would (without licences). */
    private final DynamicMembership.Sink sink = new DynamicMembership.Sink() {
        @Override
        public void join(int g, int u) {
            Directory dir = tenant.directory();
            if (dir.addMember(g, u)) {
                flipped++;
            }
        }

        @Override
        public void leave(int g, int u) {
            if (tenant.directory().removeMember(g, u)) {
                flipped++;
            }
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        tenant = BenchTenant.generate(users, BenchTenant.Shape.fewBig).tenant;
        group = tenant.groups().add("new-starters", "New starters (hired in the last 30 days)", true,
                "user.employeeHireDate -ge system.now -minus P30D", false);
        rules = new RuleMembership();
        now = BenchTenant.HIRED_FROM.plusDays(BenchTenant.HIRE_DAYS / 2).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        rules.setNow(now);
        rules.applyTo(tenant);
        first = BenchTenant.HIRED_FROM.plusDays(40).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        last = BenchTenant.HIRED_FROM.plusDays(BenchTenant.HIRE_DAYS).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        compiled = CompiledRule.compile(tenant.groups().membershipRule(group), tenant.directory(), clock);
    }

    private long first;
    private long last;
    private long step = 86_400;
    private final long[] clock = new long[1];
    private CompiledRule compiled;

    /** One day passes: the users hired 30 days before leave, those hired that day join. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int dayBoundary() {
        // walk the ten years forward, then back, always one day a step (a step back flips as many as one forward)
        long next = now + step;
        if (next > last || next < first) {
            step = -step;
            next = now + step;
        }
        now = next;
        rules.advanceClock(tenant, now, sink);
        return flipped;
    }

    /** The same rule evaluated for every user: what a day boundary would cost without the index. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int evaluateEveryone() {
        clock[0] = now;
        int n = 0;
        for (int u = 0; u < tenant.users().size(); u++) {
            n += compiled.matches(u) ? 1 : 0;
        }
        return n;
    }

}
