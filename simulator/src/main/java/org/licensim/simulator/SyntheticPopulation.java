package org.licensim.simulator;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.licensim.core.directory.UserData;
import org.licensim.core.event.Event;
import org.licensim.simulator.Scenario.DirectSpec;

/**
 * The people of a synthetic scenario: hires made by {@link People} with the scenario's
 * departments, countries and group shares, and one churn model per kind (leaver, transfer,
 * attribute edit, membership edit, direct-licence edit), each a random live user. Users are
 * numbered by creation; the events go through {@link EventActions}. {@link TenantPopulation} is
 * the same for a real tenant.
 */
final class SyntheticPopulation {
    private final Scenario scenario;
    private final People people;
    private final Rng churnRng;
    private final Rng peopleRng;
    private final String[] groupIds;
    private final EventActions act;
    private final List<Integer> assignedGroups = new ArrayList<>();
    private final MemberList[] members;
    private final MemberList[] directHolders;

    // the population, by creation ordinal
    private int created;
    private short[] department = new short[1024];
    private byte[] disabled = new byte[1024];
    private int[] live = new int[1024];
    private int[] livePos = new int[1024];
    private int liveCount;

    SyntheticPopulation(Scenario scenario, People people, Rng churnRng, Rng peopleRng, String[] groupIds,
                        EventActions act) {
        this.scenario = scenario;
        this.people = people;
        this.churnRng = churnRng;
        this.peopleRng = peopleRng;
        this.groupIds = groupIds;
        this.act = act;
        members = new MemberList[groupIds.length];
        for (int i = 0; i < members.length; i++) {
            members[i] = new MemberList();
            if (!scenario.groups().get(i).dynamic()) {
                assignedGroups.add(i);
            }
        }
        directHolders = new MemberList[scenario.direct().size()];
        for (int i = 0; i < directHolders.length; i++) {
            directHolders[i] = new MemberList();
        }
    }

    void hire(LocalDate hireDate) {
        int k = created;
        int dept = people.pickDepartment(peopleRng);
        int country = people.pickCountry(peopleRng);
        String id = userId(k);
        UserData d = people.newUser(peopleRng, id, dept, country, hireDate);
        if (!act.apply(new Event.UserCreated(act.nextSeq(), act.now(), d))) {
            return;
        }
        created++;
        addLive(k, dept);
        for (int gi : assignedGroups) {
            if (peopleRng.chance(scenario.groups().get(gi).memberShare())
                    && act.apply(new Event.MemberAdded(act.nextSeq(), act.now(), groupIds[gi], id))) {
                members[gi].add(k);
            }
        }
        List<DirectSpec> direct = scenario.direct();
        for (int i = 0; i < direct.size(); i++) {
            DirectSpec ds = direct.get(i);
            if (peopleRng.chance(ds.share())
                    && act.apply(new Event.LicenseAssignedToUser(act.nextSeq(), act.now(), id, ds.sku(), ds.disabledPlans()))) {
                directHolders[i].add(k);
            }
        }
    }

    void leave() {
        int k = randomLive();
        if (k < 0 || !act.apply(new Event.UserDeleted(act.nextSeq(), act.now(), userId(k)))) {
            return;
        }
        removeLive(k);
        for (MemberList m : members) {
            m.remove(k);
        }
        for (MemberList m : directHolders) {
            m.remove(k);
        }
    }

    void transfer() {
        int k = randomLive();
        if (k < 0) {
            return;
        }
        int to = people.pickOtherDepartment(churnRng, department[k]);
        UserData d = new UserData();
        d.strings.put("department", scenario.departments().get(to).name());
        d.strings.put("jobTitle", people.pickTitle(churnRng, to));
        if (act.apply(new Event.UserAttributesChanged(act.nextSeq(), act.now(), userId(k), d))) {
            department[k] = (short) to;
        }
    }

    /** A promotion (new title), a relocation (new usage location) or an account disabled / re-enabled. */
    void editAttributes() {
        int k = randomLive();
        if (k < 0) {
            return;
        }
        UserData d = new UserData();
        double r = churnRng.nextDouble();
        if (r < 0.55) {
            d.strings.put("jobTitle", people.pickTitle(churnRng, department[k]));
        } else if (r < 0.85) {
            int c = people.pickCountry(churnRng);
            d.usageLocation = c < 0 ? null : people.countryCode(c);
            d.hasUsageLocation = true;
            d.strings.put("country", c < 0 ? null : people.countryName(c));
        } else {
            d.accountEnabled = disabled[k] != 0;
        }
        if (act.apply(new Event.UserAttributesChanged(act.nextSeq(), act.now(), userId(k), d)) && d.accountEnabled != null) {
            disabled[k] = (byte) (d.accountEnabled ? 0 : 1);
        }
    }

    void editMembership() {
        if (assignedGroups.isEmpty()) {
            return;
        }
        int gi = assignedGroups.get(churnRng.nextInt(assignedGroups.size()));
        if (churnRng.nextDouble() < 0.5) {
            int k = randomLive();
            if (k >= 0 && !members[gi].contains(k)
                    && act.apply(new Event.MemberAdded(act.nextSeq(), act.now(), groupIds[gi], userId(k)))) {
                members[gi].add(k);
            }
        } else {
            int k = members[gi].pick(churnRng);
            if (k >= 0 && act.apply(new Event.MemberRemoved(act.nextSeq(), act.now(), groupIds[gi], userId(k)))) {
                members[gi].remove(k);
            }
        }
    }

    void editDirect() {
        if (directHolders.length == 0) {
            return;
        }
        int i = churnRng.nextInt(directHolders.length);
        DirectSpec ds = scenario.direct().get(i);
        if (churnRng.nextDouble() < 0.5) {
            int k = randomLive();
            if (k >= 0 && !directHolders[i].contains(k) && act.apply(new Event.LicenseAssignedToUser(act.nextSeq(), act.now(),
                    userId(k), ds.sku(), ds.disabledPlans()))) {
                directHolders[i].add(k);
            }
        } else {
            int k = directHolders[i].pick(churnRng);
            if (k >= 0 && act.apply(new Event.LicenseRemovedFromUser(act.nextSeq(), act.now(), userId(k), ds.sku()))) {
                directHolders[i].remove(k);
            }
        }
    }

    private String userId(int k) {
        return People.guid(scenario.seed(), 0, k);
    }

    private void addLive(int k, int dept) {
        if (k >= department.length) {
            int n = Math.max(k + 1, department.length * 2);
            department = Arrays.copyOf(department, n);
            disabled = Arrays.copyOf(disabled, n);
            livePos = Arrays.copyOf(livePos, n);
        }
        if (liveCount == live.length) {
            live = Arrays.copyOf(live, live.length * 2);
        }
        department[k] = (short) dept;
        livePos[k] = liveCount;
        live[liveCount++] = k;
    }

    private void removeLive(int k) {
        int at = livePos[k];
        int last = live[--liveCount];
        live[at] = last;
        livePos[last] = at;
    }

    private int randomLive() {
        return liveCount == 0 ? -1 : live[churnRng.nextInt(liveCount)];
    }
}
