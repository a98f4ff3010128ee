package org.licensim.simulator.population;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.licensim.core.directory.DirectoryExtension;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserData;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.directory.Users;
import org.licensim.core.event.Event;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.TenantBase;
import org.licensim.simulator.scenario.TenantChurn.Pair;
import org.licensim.simulator.scenario.TenantChurn.Rate;
import org.licensim.simulator.scenario.TenantChurn.Rates;
import org.licensim.simulator.scenario.TenantChurn;

/**
 * The people of a real tenant during a run (a {@link TenantBase} at day 0, then the run's own
 * hires): who is in which segment, which assigned group and direct licence each holds, and the
 * day's churn drawn from the {@link TenantChurn} rates. The run's rates are drawn once when it
 * starts (an observed rate from its posterior, so the runs spread over what the history allows),
 * then each day's counts are Poisson around them.
 */
public final class TenantPopulation {
    static final int HIRE = 0;
    static final int LEAVE = 1;
    static final int TRANSFER = 2;
    static final int ATTRIBUTE = 3;
    static final int MEMBER_ADD = 4;
    static final int MEMBER_REMOVE = 5;
    static final int DIRECT_ADD = 6;
    static final int DIRECT_REMOVE = 7;

    private final TenantBase base;
    private final Scenario scenario;
    private final Tenant tenant;
    private final People people;
    private final Rng churnRng;
    private final Rng peopleRng;
    private final EventActions act;
    private final String[] skus;
    private final String[] groupIds;

    // the run's rates, per day at calendar factor 1, and its calendar
    private final CalendarDraw calendar;
    private final double[] hireMean;
    private final double[] leaveMean;
    private final double[] transferMean;
    private final double attributeMean;
    private final double[] memberAdd;
    private final double[] memberRemove;
    private final double[] directAdd;
    private final double[] directRemove;

    // the population, by ordinal (tenant users first, then the run's hires)
    private final List<String> ids = new ArrayList<>();
    private final IntArrayList segment = new IntArrayList();
    private final MemberList everyone = new MemberList();
    private final MemberList[] bySegment;
    private final MemberList[] members;
    private final MemberList[] holders;

    public TenantPopulation(TenantBase base, Scenario scenario, Tenant tenant, People people, Rng rateRng, Rng churnRng,
                     Rng peopleRng, String[] groupIds, EventActions act) {
        this.base = base;
        this.scenario = scenario;
        this.tenant = tenant;
        this.people = people;
        this.churnRng = churnRng;
        this.peopleRng = peopleRng;
        this.act = act;
        this.groupIds = groupIds;
        skus = scenario.products().stream().map(Scenario.ProductSpec::sku).toArray(String[]::new);
        TenantChurn c = base.churn;
        int ns = base.segments.size();
        hireMean = new double[ns];
        leaveMean = new double[ns];
        transferMean = new double[ns];
        double[][] means = {hireMean, leaveMean, transferMean};
        for (int kind = 0; kind < 3; kind++) {
            // the tenant-wide rate is the rest of the tenant's: it is shared by the segments without their own
            int rest = 0;
            for (int s = 0; s < ns; s++) {
                rest += own(c, s, kind) == null ? base.segmentSize[s] : 0;
            }
            double tenantWide = rest == 0 ? 0 : mean(flow(c.rates(), kind), rest, rateRng);
            for (int s = 0; s < ns; s++) {
                Rate r = own(c, s, kind);
                means[kind][s] = r != null ? mean(r, base.segmentSize[s], rateRng)
                        : tenantWide * base.segmentSize[s] / rest;
            }
        }
        attributeMean = mean(c.rates().attributeEdits(), base.users, rateRng);
        int na = base.assignedGroups.length;
        memberAdd = new double[na];
        memberRemove = new double[na];
        members = new MemberList[na];
        long assignedMembers = 0;
        for (int a = 0; a < na; a++) {
            members[a] = new MemberList();
            assignedMembers += tenant.groups().userMembers(base.groupIndexes[base.assignedGroups[a]]).getCardinality();
        }
        double tenantMember = mean(c.rates().memberEdits(), base.users, rateRng);
        for (int a = 0; a < na; a++) {
            int g = base.groupIndexes[base.assignedGroups[a]];
            Pair own = c.groups().get(tenant.groups().id(g));
            if (own == null) {
                own = c.groups().get(scenario.groups().get(base.assignedGroups[a]).name());
            }
            if (own != null) {
                memberAdd[a] = mean(own.adds(), base.users, rateRng);
                memberRemove[a] = mean(own.removes(), base.users, rateRng);
            } else if (assignedMembers > 0) {
                double share = tenant.groups().userMembers(g).getCardinality() / (double) assignedMembers;
                memberAdd[a] = tenantMember * share / 2;
                memberRemove[a] = tenantMember * share / 2;
            }
        }
        int np = skus.length;
        directAdd = new double[np];
        directRemove = new double[np];
        holders = new MemberList[np];
        double tenantDirect = mean(c.rates().directEdits(), base.users, rateRng);
        double directTotal = 0;
        for (Scenario.DirectSpec d : scenario.direct()) {
            directTotal += d.share();
        }
        for (int p = 0; p < np; p++) {
            holders[p] = new MemberList();
            Pair own = c.products().get(skus[p]);
            if (own != null) {
                directAdd[p] = mean(own.adds(), base.users, rateRng);
                directRemove[p] = mean(own.removes(), base.users, rateRng);
            } else if (directTotal > 0) {
                double share = scenario.direct().get(p).share() / directTotal;
                directAdd[p] = tenantDirect * share / 2;
                directRemove[p] = tenantDirect * share / 2;
            }
        }
        bySegment = new MemberList[ns];
        for (int s = 0; s < ns; s++) {
            bySegment[s] = new MemberList();
        }
        // drawn after the rates, so that a file without a calendar gives the runs it gave before
        calendar = new CalendarDraw(c.calendar(), rateRng, scenario.start(), scenario.days());
    }

    private Rate own(TenantChurn c, int s, int kind) {
        Rates r = c.segments().get(base.segments.get(s));
        return r == null ? null : flow(r, kind);
    }

    private static Rate flow(Rates r, int kind) {
        return kind == 0 ? r.hires() : kind == 1 ? r.leavers() : r.transfers();
    }

    private static double mean(Rate r, int users, Rng rng) {
        if (r == null) {
            return 0;
        }
        if (r.isObserved()) { // the run's draw of an observed rate
            return rng.gamma(r.observed() + 0.5) / r.overDays();
        }
        return r.mean(users);
    }

    /** Day 0: the snapshot's users, memberships and direct licences become the population. */
    public void load() {
        Users us = tenant.users();
        for (int u = 0; u < us.size(); u++) {
            int k = ids.size();
            ids.add(us.id(u));
            int s = base.userSegment[u];
            segment.add(s);
            if (s >= 0) {
                everyone.add(k);
                bySegment[s].add(k);
            }
        }
        for (int a = 0; a < members.length; a++) {
            var it = tenant.groups().userMembers(base.groupIndexes[base.assignedGroups[a]]).getIntIterator();
            while (it.hasNext()) {
                members[a].add(it.next());
            }
        }
        for (int u : tenant.assignments().usersWithDirect()) {
            for (var l : tenant.assignments().directOf(u)) {
                holders[l.product()].add(u);
            }
        }
    }

    /** The day's churn, in a random order, each entry {@code kind | target << 4}. */
    public int[] plan(int day) {
        IntArrayList plan = new IntArrayList();
        double[] hires = people(0, hireMean, day);
        double[] leaves = people(1, leaveMean, day);
        double[] transfers = people(2, transferMean, day);
        for (int s = 0; s < hireMean.length; s++) {
            add(plan, HIRE, s, churnRng.poisson(hires[s]));
            add(plan, LEAVE, s, churnRng.poisson(leaves[s]));
            add(plan, TRANSFER, s, churnRng.poisson(transfers[s]));
        }
        add(plan, ATTRIBUTE, 0, churnRng.poisson(attributeMean * calendar.factor(3, day, attributeMean)));
        double members = calendar.factor(4, day, sum(memberAdd) + sum(memberRemove));
        for (int a = 0; a < this.members.length; a++) {
            add(plan, MEMBER_ADD, a, churnRng.poisson(memberAdd[a] * members));
            add(plan, MEMBER_REMOVE, a, churnRng.poisson(memberRemove[a] * members));
        }
        double direct = calendar.factor(5, day, sum(directAdd) + sum(directRemove));
        for (int p = 0; p < skus.length; p++) {
            add(plan, DIRECT_ADD, p, churnRng.poisson(directAdd[p] * direct));
            add(plan, DIRECT_REMOVE, p, churnRng.poisson(directRemove[p] * direct));
        }
        int[] out = plan.toArray();
        churnRng.shuffle(out);
        return out;
    }

    /**
     * The day's means of a people flow per segment: the run's rates times the calendar's factor,
     * or, in a wave given as a count when the flow's rate is 0, the wave's share of the day spread
     * over the segments by size.
     */
    private double[] people(int kind, double[] means, int day) {
        double total = sum(means);
        double[] out = new double[means.length];
        if (total > 0) {
            double f = calendar.factor(kind, day, total);
            for (int s = 0; s < means.length; s++) {
                out[s] = means[s] * f;
            }
        } else {
            double extra = calendar.countWhenNoBase(kind, day);
            for (int s = 0; s < means.length && extra > 0; s++) {
                out[s] = extra * base.segmentSize[s] / base.users;
            }
        }
        return out;
    }

    private static double sum(double[] v) {
        double t = 0;
        for (double x : v) {
            t += x;
        }
        return t;
    }

    private static void add(IntArrayList plan, int kind, int target, int n) {
        for (int i = 0; i < n; i++) {
            plan.add(kind | target << 4);
        }
    }

    public void perform(int entry, LocalDate today) {
        int target = entry >>> 4;
        switch (entry & 0xF) {
            case HIRE -> hire(target, today);
            case LEAVE -> leave(target);
            case TRANSFER -> transfer(target);
            case ATTRIBUTE -> editAttributes();
            case MEMBER_ADD -> {
                int k = everyone.pick(churnRng);
                if (k >= 0 && !members[target].contains(k) && act.apply(new Event.MemberAdded(act.nextSeq(), act.now(),
                        groupIds[base.assignedGroups[target]], ids.get(k)))) {
                    members[target].add(k);
                }
            }
            case MEMBER_REMOVE -> {
                int k = members[target].pick(churnRng);
                if (k >= 0 && act.apply(new Event.MemberRemoved(act.nextSeq(), act.now(),
                        groupIds[base.assignedGroups[target]], ids.get(k)))) {
                    members[target].remove(k);
                }
            }
            case DIRECT_ADD -> {
                int k = everyone.pick(churnRng);
                if (k >= 0 && !holders[target].contains(k) && act.apply(new Event.LicenseAssignedToUser(act.nextSeq(),
                        act.now(), ids.get(k), skus[target], scenario.direct().get(target).disabledPlans()))) {
                    holders[target].add(k);
                }
            }
            case DIRECT_REMOVE -> {
                int k = holders[target].pick(churnRng);
                if (k >= 0 && act.apply(new Event.LicenseRemovedFromUser(act.nextSeq(), act.now(), ids.get(k),
                        skus[target]))) {
                    holders[target].remove(k);
                }
            }
            default -> throw new IllegalStateException("churn entry " + entry);
        }
    }

    /** A user of segment {@code s} now (in this run), or anyone when the segment has emptied; -1 when nobody is left. */
    private int someoneIn(int s) {
        int k = bySegment[s].pick(peopleRng);
        return k >= 0 ? k : everyone.pick(peopleRng);
    }

    private void hire(int s, LocalDate today) {
        int template = someoneIn(s);
        int k = ids.size();
        String id = People.guid(scenario.seed(), 0, k);
        UserData d = new UserData();
        if (template >= 0) {
            copyAttributes(tenant.users().indexOf(ids.get(template)), d);
        }
        people.identity(peopleRng, id, d);
        d.strings.put("employeeHireDate", today.toString());
        ids.add(id);
        segment.add(s);
        if (!act.apply(new Event.UserCreated(act.nextSeq(), act.now(), d))) {
            segment.set(k, -1);
            return;
        }
        everyone.add(k);
        bySegment[s].add(k);
        for (int a = 0; a < members.length; a++) {
            if (peopleRng.chance(base.joinShare[s][a]) && act.apply(new Event.MemberAdded(act.nextSeq(), act.now(),
                    groupIds[base.assignedGroups[a]], id))) {
                members[a].add(k);
            }
        }
        for (int p = 0; p < skus.length; p++) {
            if (peopleRng.chance(base.directShare[p][s]) && act.apply(new Event.LicenseAssignedToUser(act.nextSeq(),
                    act.now(), id, skus[p], scenario.direct().get(p).disabledPlans()))) {
                holders[p].add(k);
            }
        }
    }

    /** What a hire takes from the colleague it is modelled on: everything but who they are. */
    private void copyAttributes(int u, UserData d) {
        Users us = tenant.users();
        for (String p : UserSchema.STRING_PROPERTIES) {
            String v = TenantBase.IDENTITY.contains(p) ? null : us.get(u, p);
            if (v != null) {
                d.strings.put(p, v);
            }
        }
        for (DirectoryExtension e : us.extensions()) {
            if (e.multiValued()) {
                List<String> v = us.multiColumn(e.name()).get(u);
                if (!v.isEmpty()) {
                    d.multi.put(e.name(), v);
                }
            } else {
                String v = us.get(u, e.name());
                if (v != null) {
                    d.strings.put(e.name(), v);
                }
            }
        }
        String loc = TenantBase.value(us, u, "usageLocation");
        if (loc != null) {
            d.usageLocation = loc;
            d.hasUsageLocation = true;
        }
    }

    private void leave(int s) {
        int k = bySegment[s].pick(churnRng);
        if (k < 0 || !act.apply(new Event.UserDeleted(act.nextSeq(), act.now(), ids.get(k)))) {
            return;
        }
        everyone.remove(k);
        bySegment[s].remove(k);
        segment.set(k, -1);
        for (MemberList m : members) {
            m.remove(k);
        }
        for (MemberList m : holders) {
            m.remove(k);
        }
    }

    /** Someone of segment {@code s} moves to the segment of a colleague elsewhere (and takes that colleague's title along in a department move). */
    private void transfer(int s) {
        int k = bySegment[s].pick(churnRng);
        if (k < 0) {
            return;
        }
        int other = -1;
        for (int i = 0; i < 16 && other < 0; i++) {
            int c = everyone.pick(churnRng);
            if (c >= 0 && segment.get(c) != s) {
                other = c;
            }
        }
        if (other < 0) {
            return;
        }
        Users us = tenant.users();
        int from = us.indexOf(ids.get(other));
        UserData d = new UserData();
        String by = base.segmentBy;
        if (by.equals("usageLocation")) {
            d.usageLocation = TenantBase.value(us, from, by);
            d.hasUsageLocation = true;
            d.strings.put("country", us.get(from, "country"));
        } else {
            d.strings.put(by, TenantBase.value(us, from, by));
            if (by.equals("department")) {
                d.strings.put("jobTitle", us.get(from, "jobTitle"));
            }
        }
        if (act.apply(new Event.UserAttributesChanged(act.nextSeq(), act.now(), ids.get(k), d))) {
            moveSegment(k, segment.get(other));
        }
    }

    /** A new title (from a colleague of the same segment), a relocation (a colleague's country) or an account disabled / re-enabled. */
    private void editAttributes() {
        int k = everyone.pick(churnRng);
        if (k < 0) {
            return;
        }
        Users us = tenant.users();
        int u = us.indexOf(ids.get(k));
        UserData d = new UserData();
        double r = churnRng.nextDouble();
        if (r < 0.55) {
            int c = someoneIn(segment.get(k));
            d.strings.put("jobTitle", us.get(us.indexOf(ids.get(c)), "jobTitle"));
        } else if (r < 0.85) {
            int c = everyone.pick(churnRng);
            int cu = us.indexOf(ids.get(c));
            d.usageLocation = TenantBase.value(us, cu, "usageLocation");
            d.hasUsageLocation = true;
            d.strings.put("country", us.get(cu, "country"));
        } else {
            d.accountEnabled = !us.accountEnabled(u);
        }
        if (act.apply(new Event.UserAttributesChanged(act.nextSeq(), act.now(), ids.get(k), d))) {
            String v = TenantBase.value(us, u, base.segmentBy);
            Integer s = base.segmentIndex.get(TenantBase.segmentKey(v));
            if (s != null) {
                moveSegment(k, s);
            }
        }
    }

    private void moveSegment(int k, int to) {
        int from = segment.get(k);
        if (from == to || from < 0) {
            return;
        }
        bySegment[from].remove(k);
        bySegment[to].add(k);
        segment.set(k, to);
    }

    /** The run's daily rates at weekday factor 1, by kind (for the report: what this run drew). */
    public Map<String, Double> drawnRates() {
        double h = 0;
        double l = 0;
        double t = 0;
        for (int s = 0; s < hireMean.length; s++) {
            h += hireMean[s];
            l += leaveMean[s];
            t += transferMean[s];
        }
        double m = 0;
        for (int a = 0; a < memberAdd.length; a++) {
            m += memberAdd[a] + memberRemove[a];
        }
        double dd = 0;
        for (int p = 0; p < directAdd.length; p++) {
            dd += directAdd[p] + directRemove[p];
        }
        return Map.of("hires", h, "leavers", l, "transfers", t, "attributeEdits", attributeMean, "memberEdits", m,
                "directEdits", dd);
    }
}
