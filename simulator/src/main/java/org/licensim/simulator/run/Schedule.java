package org.licensim.simulator.run;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.Subscriptions.PrepaidUnits;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.simulator.population.EventActions;
import org.licensim.simulator.scenario.Scenario.Edit;
import org.licensim.simulator.scenario.Scenario.GroupSpec;
import org.licensim.simulator.scenario.Scenario.ProductSpec;
import org.licensim.simulator.scenario.Scenario.UnitChange;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.TenantBase;

/**
 * What the scenario says happens on a given day, as opposed to churn: seats bought, seats expiring
 * (usable for the grace period, then suspended) and the administrators' dated edits of groups.
 */
final class Schedule {
    private final Scenario scenario;
    private final Catalog catalog;
    private final Engine engine;
    private final String[] skus;
    private final String[] groupIds;
    private final int[] groupIndex;
    private final Clock clock;
    private final EventActions act;
    /** {day, product, units}: units in Warning that are suspended on that day. */
    private final List<long[]> graceEnds = new ArrayList<>();

    Schedule(Scenario scenario, Catalog catalog, Engine engine, String[] skus, String[] groupIds, int[] groupIndex,
             Clock clock, EventActions act) {
        this.scenario = scenario;
        this.catalog = catalog;
        this.engine = engine;
        this.skus = skus;
        this.groupIds = groupIds;
        this.groupIndex = groupIndex;
        this.clock = clock;
        this.act = act;
    }

    /** A real tenant's subscriptions already in Warning are suspended on their date. */
    void graceOfTenant(TenantBase base) {
        for (TenantBase.Lifecycle l : base.lifecycle()) {
            if (l.status().equals("Warning")) {
                long d = ChronoUnit.DAYS.between(scenario.start(), l.date());
                graceEnds.add(new long[] {Math.max(1, d), scenario.productIndex(l.sku()), l.units()});
            }
        }
    }

    /** The day's purchases, expiries and ends of grace, as unit changes. */
    void unitChanges(int day) {
        Subscriptions subs = engine.tenant().subscriptions();
        for (int i = 0; i < skus.length; i++) {
            ProductSpec p = scenario.products().get(i);
            int t = subs.indexOf(catalog.findProduct(skus[i]));
            for (UnitChange u : p.purchases()) {
                if (u.day() == day) {
                    PrepaidUnits pu = subs.units(t);
                    int add = units(u);
                    clock.tick();
                    act.apply(new Event.UnitsChanged(act.nextSeq(), act.now(), skus[i],
                            new PrepaidUnits(pu.enabled() + add, pu.warning(), pu.suspended(), pu.lockedOut())));
                }
            }
            for (UnitChange u : p.expiries()) {
                if (u.day() == day) {
                    PrepaidUnits pu = subs.units(t);
                    int n = Math.min(units(u), pu.enabled());
                    clock.tick();
                    act.apply(new Event.UnitsChanged(act.nextSeq(), act.now(), skus[i],
                            new PrepaidUnits(pu.enabled() - n, pu.warning() + n, pu.suspended(), pu.lockedOut())));
                    graceEnds.add(new long[] {day + scenario.graceDays(), i, n});
                }
            }
        }
        for (long[] g : graceEnds) {
            if (g[0] == day) {
                int i = (int) g[1];
                int t = subs.indexOf(catalog.findProduct(skus[i]));
                PrepaidUnits pu = subs.units(t);
                int n = (int) Math.min(g[2], pu.warning());
                clock.tick();
                act.apply(new Event.UnitsChanged(act.nextSeq(), act.now(), skus[i],
                        new PrepaidUnits(pu.enabled(), pu.warning() - n, pu.suspended() + n, pu.lockedOut())));
            }
        }
    }

    /** The scenario's edits of groups dated {@code day}, in the file's order. */
    List<Edit> editsOn(int day) {
        List<Edit> out = new ArrayList<>();
        for (Edit e : scenario.edits()) {
            if (e.day() == day) {
                out.add(e);
            }
        }
        return out;
    }

    void edit(Edit e) {
        int gi = scenario.groups().stream().map(GroupSpec::name).toList().indexOf(e.group());
        String gid = groupIds[gi];
        Event ev = switch (e.action()) {
            case changeRule -> new Event.GroupRuleChanged(act.nextSeq(), act.now(), gid, e.rule(), false);
            case pauseRule -> new Event.GroupRuleChanged(act.nextSeq(), act.now(), gid,
                    engine.tenant().groups().membershipRule(groupIndex[gi]), true);
            case assignLicense -> new Event.LicenseAssignedToGroup(act.nextSeq(), act.now(), gid, e.sku(), e.disabledPlans());
            case removeLicense -> new Event.LicenseRemovedFromGroup(act.nextSeq(), act.now(), gid, e.sku());
            case changeDisabledPlans -> new Event.GroupDisabledPlansChanged(act.nextSeq(), act.now(), gid, e.sku(),
                    e.disabledPlans());
            case switchLicense -> new Event.AssignLicense(act.nextSeq(), act.now(), null, gid,
                    List.of(new Event.AddedLicense(e.toSku(), e.disabledPlans())), List.of(e.sku()));
            case reprocess -> new Event.Reprocess(act.nextSeq(), act.now(), null, gid);
        };
        act.apply(ev);
    }

    private int units(UnitChange u) {
        return (int) Math.round(u.units().of(scenario.users()));
    }
}
