package org.licensim.simulator.run;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.licensim.core.LicensimException;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.simulator.population.Rng;
import org.licensim.simulator.population.SyntheticPopulation;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.Scenario.GroupSpec;
import org.licensim.simulator.scenario.Scenario.LicenseSpec;

/**
 * Day 0 of a synthetic scenario: the licensing policy (its groups and their licences), then the
 * existing staff. Made once per {@link Simulation} and dropped when day 0 ends.
 */
final class DayZero {
    /** Day 0s of at least this many users make their hires on a second thread (a test sets it to compare both ways). */
    static int pipelineUsers = 4_096;
    private static final int BATCH = 512;
    /**
     * Batches made ahead of the applying thread at most: 8,192 hires, about 20 ms of the engine's
     * work at a million users. The making thread is the faster one, but it shares the other core
     * with the compiler's threads, and the scheduler gives that core to one of them for several
     * milliseconds at a time: with 4 batches (2,048 hires, about 5 ms) the engine's thread found
     * the queue empty and waited for it, 0.5-1.5 s of simulate enterprise's day 0 on a loaded
     * machine against 0.02-0.04 s with 16. Not many more: every hire waiting in the queue is a
     * few dozen objects (its data, maps, events) that a young collection copies while it waits
     * (64 batches were a million objects).
     */
    private static final int QUEUED = 16;
    private static final SyntheticPopulation.PlannedHire[] END = new SyntheticPopulation.PlannedHire[0];

    private final Scenario scenario;
    private final Engine engine;
    private final SyntheticPopulation synthetic;
    private final Rng peopleRng;
    private final Clock clock;
    private final String[] groupIds;
    private final int[] groupIndex;
    /** Logs and applies an event: null when applied, else why the engine refused it. */
    private final Function<Event, String> apply;
    private final LongSupplier nextSeq;

    DayZero(Scenario scenario, Engine engine, SyntheticPopulation synthetic, Rng peopleRng, Clock clock,
            String[] groupIds, int[] groupIndex, Function<Event, String> apply, LongSupplier nextSeq) {
        this.scenario = scenario;
        this.engine = engine;
        this.synthetic = synthetic;
        this.peopleRng = peopleRng;
        this.clock = clock;
        this.groupIds = groupIds;
        this.groupIndex = groupIndex;
        this.apply = apply;
        this.nextSeq = nextSeq;
    }

    /** The policy, then the staff, hired on dates up to ten years before the start; fills {@code groupIndex}. */
    void make() {
        clock.startDay(0, scenario.groups().size() * 3L + scenario.users());
        List<GroupSpec> groups = scenario.groups();
        for (int i = 0; i < groups.size(); i++) {
            GroupSpec g = groups.get(i);
            clock.tick();
            require(new Event.GroupCreated(nextSeq.getAsLong(), clock.now(), groupIds[i], g.name(), true, g.rule(), false,
                    List.of()), "$.groups[" + i + "]");
            groupIndex[i] = engine.tenant().groups().indexOf(groupIds[i]);
            for (int l = 0; l < g.licenses().size(); l++) {
                LicenseSpec lic = g.licenses().get(l);
                require(new Event.LicenseAssignedToGroup(nextSeq.getAsLong(), clock.now(), groupIds[i], lic.sku(),
                        lic.disabledPlans()), "$.groups[" + i + "].licenses[" + l + "]");
            }
        }
        LocalDate start = scenario.start();
        if (scenario.users() >= pipelineUsers) {
            hireAhead(start);
            return;
        }
        for (int k = 0; k < scenario.users(); k++) {
            clock.tick();
            synthetic.hire(start.minusDays(1 + peopleRng.nextInt(3650)));
        }
    }

    /** A policy event the scenario itself makes: refused means the scenario is wrong. */
    private void require(Event e, String where) {
        String refused = apply.apply(e);
        if (refused != null) {
            throw new LicensimException("scenario " + scenario.name() + " " + where + ": the engine refused "
                    + e.type() + ": " + refused);
        }
    }

    /**
     * Day 0's staff, made (names, UPNs, the draws of groups and direct licences: a fifth of day
     * 0's work) on a second thread while this one applies them to the engine, in batches, in
     * order. The events, their sequence numbers and times, and every draw are those of the loop
     * of {@link SyntheticPopulation#hire}, which plans the same way as long as the engine takes
     * every new user; it refuses one only for an id already used or a tenant over licensim's
     * limit, and then this stops with an error rather than go on with draws the loop would not
     * have made.
     */
    private void hireAhead(LocalDate start) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
        Thread maker = new Thread(() -> {
            try {
                SyntheticPopulation.PlannedHire[] batch = new SyntheticPopulation.PlannedHire[BATCH];
                int n = 0;
                for (int k = 0; k < scenario.users(); k++) {
                    clock.tick();
                    batch[n++] = synthetic.planHire(k, start.minusDays(1 + peopleRng.nextInt(3650)));
                    if (n == BATCH || k == scenario.users() - 1) {
                        queue.put(n == BATCH ? batch : Arrays.copyOf(batch, n));
                        batch = new SyntheticPopulation.PlannedHire[BATCH];
                        n = 0;
                    }
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the applying side stopped first
            } catch (RuntimeException | Error e) {
                try {
                    queue.put(e);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "licensim-day0-hires");
        maker.setDaemon(true);
        maker.start();
        try {
            while (true) {
                Object next = queue.take();
                if (next == END) {
                    break;
                }
                if (next instanceof RuntimeException e) {
                    throw e;
                }
                if (next instanceof Error e) {
                    throw e;
                }
                for (SyntheticPopulation.PlannedHire h : (SyntheticPopulation.PlannedHire[]) next) {
                    if (!synthetic.applyPlanned(h)) {
                        throw new LicensimException("scenario " + scenario.name() + ": day 0 could not create user "
                                + h.created().user().id + ": the engine refused it");
                    }
                }
            }
            maker.join(); // its draws, sequence numbers and clock are this thread's again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LicensimException("interrupted");
        } finally {
            maker.interrupt();
        }
    }
}
