package org.licensim.simulator.population;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserData;
import org.licensim.core.event.Event;
import org.licensim.core.io.SnapshotReader;
import org.licensim.simulator.scenario.Scenario.DirectSpec;
import org.licensim.simulator.scenario.Scenario.ProductSpec;
import org.licensim.simulator.scenario.ChurnKind;
import org.licensim.simulator.scenario.Scenario;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The people of a synthetic scenario: hires made by {@link People} with the scenario's
 * departments, countries and group shares, and one churn model per kind (leaver, transfer,
 * attribute edit, membership edit, direct-licence edit), each a random live user. Users are
 * numbered by creation; the events go through {@link EventActions}. {@link TenantPopulation} is
 * the same for a real tenant.
 */
public final class SyntheticPopulation {
    private static final ChurnKind[] KINDS = ChurnKind.values();

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
    /**
     * Each user's id, the String its UserCreated gave the engine: a change to a user names it by
     * this same String, whose hash is kept and which the engine's id table finds equal by identity,
     * rather than by a GUID made again and compared character by character.
     */
    private String[] ids = new String[1024];
    private byte[] disabled = new byte[1024];
    private int[] live = new int[1024];
    private int[] livePos = new int[1024];
    private int liveCount;

    public SyntheticPopulation(Scenario scenario, People people, Rng churnRng, Rng peopleRng, String[] groupIds,
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

    /**
     * The day's churn: per kind a Poisson count around the scenario's rate (times the weekday and
     * wave factors), the kinds in a random order so that hires and leavers interleave as they would.
     */
    public byte[] churn(int day) {
        Scenario.Churn c = scenario.churn();
        int dow = scenario.start().plusDays(day).getDayOfWeek().getValue() - 1;
        int[] counts = new int[KINDS.length];
        int total = 0;
        for (int k = 0; k < counts.length; k++) {
            double mean = c.rate(KINDS[k]).of(scenario.users()) * c.weekly()[dow] * waveFactor(day, KINDS[k]);
            counts[k] = churnRng.poisson(mean);
            total += counts[k];
        }
        byte[] plan = new byte[total];
        int at = 0;
        for (int k = 0; k < counts.length; k++) {
            for (int i = 0; i < counts[k]; i++) {
                plan[at++] = (byte) k;
            }
        }
        churnRng.shuffle(plan);
        return plan;
    }

    /** One change of the day's {@link #churn} (a {@link ChurnKind}'s ordinal), made on {@code today}. */
    public void perform(byte kind, LocalDate today) {
        Runnable change = switch (KINDS[kind]) {
            case HIRES -> () -> hire(today);
            case LEAVERS -> this::leave;
            case TRANSFERS -> this::transfer;
            case ATTRIBUTE_EDITS -> this::editAttributes;
            case MEMBER_EDITS -> this::editMembership;
            case DIRECT_EDITS -> this::editDirect;
        };
        change.run();
    }

    private double waveFactor(int day, ChurnKind kind) {
        double f = 1;
        for (Scenario.Wave w : scenario.churn().waves()) {
            if (day >= w.from() && day <= w.to() && w.kinds().contains(kind.label())) {
                f *= w.factor();
            }
        }
        return f;
    }

    /** A hire on {@code hireDate}: the new user, then (if the engine takes it) its groups and direct licences. */
    public void hire(LocalDate hireDate) {
        PlannedHire h = drawUser(created, hireDate);
        if (act.apply(h.created())) {
            applyRest(drawRest(h));
        }
    }

    /**
     * A hire made ahead of the engine: the events {@link #hire} would apply for user {@code k},
     * each null where its draw said no (a group not joined, a direct licence not given).
     */
    public record PlannedHire(int k, int department, Event.UserCreated created, Event.MemberAdded[] joins,
                              Event.LicenseAssignedToUser[] direct) {
    }

    /**
     * Draws hire number {@code k} on {@code hireDate} exactly as {@link #hire} does when the engine
     * takes the new user: the same draws from the people stream, sequence numbers and times, in
     * the same order (the draws for groups and direct licences do not depend on whether the engine
     * takes those events). Touches nothing but the people stream, {@link People}' name counts and
     * the actions' sequence and clock, so it can run on another thread ahead of {@link #applyPlanned}.
     */
    public PlannedHire planHire(int k, LocalDate hireDate) {
        PlannedHire h = drawRest(drawUser(k, hireDate));
        hashAhead(h.created().user());
        return h;
    }

    /**
     * Computes the hash of each of the new user's strings on the planning thread: a String keeps
     * its hash once computed, and the engine's thread then finds it made when it looks the id and
     * the values up in its tables. Changes no value.
     */
    private static void hashAhead(UserData d) {
        d.id.hashCode();
        d.strings.forEach(HASH_VALUE);
        d.multi.forEach(HASH_VALUES);
    }

    private static final java.util.function.BiConsumer<String, String> HASH_VALUE = (k, v) -> {
        if (v != null) {
            v.hashCode();
        }
    };
    private static final java.util.function.BiConsumer<String, List<String>> HASH_VALUES = (k, vs) -> {
        for (int i = 0; i < vs.size(); i++) {
            if (vs.get(i) != null) {
                vs.get(i).hashCode();
            }
        }
    };

    /**
     * Applies a {@link #planHire planned} hire, which must be the next one ({@code k} the users
     * created so far). False, with nothing else applied, when the engine refuses the new user:
     * the draws made for the rest of the hire then differ from {@link #hire}'s, which stops there.
     */
    public boolean applyPlanned(PlannedHire h) {
        if (h.k() != created) {
            throw new IllegalStateException("planned hire " + h.k() + " applied after " + created + " hires");
        }
        if (!act.apply(h.created())) {
            return false;
        }
        applyRest(h);
        return true;
    }

    /** The new user's draws (department, country, the person) and its creation event; no joins yet. */
    private PlannedHire drawUser(int k, LocalDate hireDate) {
        int dept = people.pickDepartment(peopleRng);
        int country = people.pickCountry(peopleRng);
        UserData d = people.newUser(peopleRng, People.guid(scenario.seed(), 0, k), dept, country, hireDate);
        return new PlannedHire(k, dept, new Event.UserCreated(act.nextSeq(), act.now(), d), null, null);
    }

    /** {@code h} with the draws of its groups and direct licences, in the scenario's order. */
    private PlannedHire drawRest(PlannedHire h) {
        String id = h.created().user().id;
        Event.MemberAdded[] joins = new Event.MemberAdded[assignedGroups.size()];
        for (int j = 0; j < joins.length; j++) {
            int gi = assignedGroups.get(j);
            if (peopleRng.chance(scenario.groups().get(gi).memberShare())) {
                joins[j] = new Event.MemberAdded(act.nextSeq(), act.now(), groupIds[gi], id);
            }
        }
        List<DirectSpec> ds = scenario.direct();
        Event.LicenseAssignedToUser[] direct = new Event.LicenseAssignedToUser[ds.size()];
        for (int i = 0; i < direct.length; i++) {
            DirectSpec spec = ds.get(i);
            if (peopleRng.chance(spec.share())) {
                direct[i] = new Event.LicenseAssignedToUser(act.nextSeq(), act.now(), id, spec.sku(), spec.disabledPlans());
            }
        }
        return new PlannedHire(h.k(), h.department(), h.created(), joins, direct);
    }

    /** After the engine took the new user of {@code h}: counts it, then applies its joins and direct licences. */
    private void applyRest(PlannedHire h) {
        created++;
        addLive(h.k(), h.department());
        ids[h.k()] = h.created().user().id;
        for (int j = 0; j < h.joins().length; j++) {
            if (h.joins()[j] != null && act.apply(h.joins()[j])) {
                members[assignedGroups.get(j)].add(h.k());
            }
        }
        for (int i = 0; i < h.direct().length; i++) {
            if (h.direct()[i] != null && act.apply(h.direct()[i])) {
                directHolders[i].add(h.k());
            }
        }
    }

    public void leave() {
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

    public void transfer() {
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
    public void editAttributes() {
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

    public void editMembership() {
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

    public void editDirect() {
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

    /** The id of user {@code k}, created earlier (the same as {@code People.guid(seed, 0, k)}). */
    private String userId(int k) {
        return ids[k];
    }

    private void addLive(int k, int dept) {
        if (k >= department.length) {
            int n = Math.max(k + 1, department.length * 2);
            department = Arrays.copyOf(department, n);
            ids = Arrays.copyOf(ids, n);
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

    /** The tenant a synthetic run starts from: its {@link #startingSnapshot starting snapshot}, read. */
    public static Tenant startingTenant(byte[] snapshot, Scenario scenario) {
        try {
            return SnapshotReader.withDefaults().read(new ByteArrayInputStream(snapshot), "scenario " + scenario.name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The snapshot a synthetic run starts from: the scenario's tenant and its products, no users or groups yet. */
    public static byte[] startingSnapshot(Scenario scenario, Catalog catalog) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("tenant");
            Scenario.TenantSpec t = scenario.tenant();
            g.writeStringField("id", t.id());
            if (t.displayName() != null) {
                g.writeStringField("displayName", t.displayName());
            }
            g.writeStringField("countryLetterCode", t.country());
            g.writeBooleanField("groupLicensingEnabled", true);
            g.writeBooleanField("autoReprocess", t.autoReprocess());
            g.writeEndObject();
            g.writeArrayFieldStart("subscribedSkus");
            for (ProductSpec p : scenario.products()) {
                g.writeStartObject();
                g.writeStringField("skuId", catalog.findProduct(p.sku()).skuId());
                g.writeStringField("skuPartNumber", p.sku());
                g.writeObjectFieldStart("prepaidUnits");
                g.writeNumberField("enabled", Math.round(p.seats().of(scenario.users())));
                g.writeNumberField("warning", 0);
                g.writeNumberField("suspended", 0);
                g.writeNumberField("lockedOut", 0);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
