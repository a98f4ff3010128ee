package org.licensim.core.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.PlanRules;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserData;
import org.licensim.core.event.Event;
import org.licensim.core.state.StateStore;

/**
 * A deliberately simple, slow implementation of SPEC.md (and docs/SPEC-NOTES.md) with plain
 * objects: plans are sets of catalog plan indexes, seats are counted from the state each time
 * rather than tracked, memberships are sets. Used only to check the engine, which must agree
 * with it after every event. It copies the tenant at construction and never shares mutable
 * structures with the engine.
 */
final class ReferenceModel {
    static final String ACTIVE = "Active";
    static final String AWE = "ActiveWithError";
    static final String ERROR = "Error";

    /** One source of one product for a user (a Graph licenseAssignmentState). */
    static final class Src {
        int src;
        int product;
        Set<Integer> plans;
        String state;
        String error;
        long key;

        Src(int src, int product, Set<Integer> plans, String state, String error, long key) {
            this.src = src;
            this.product = product;
            this.plans = plans;
            this.state = state;
            this.error = error;
            this.key = key;
        }

        Src copy() {
            return new Src(src, product, plans, state, error, key);
        }

        boolean holds() {
            return state.equals(ACTIVE) || state.equals(AWE);
        }

        @Override
        public String toString() {
            return "src=" + src + " t=" + product + " " + state + "/" + error + " key=" + key + " plans=" + new TreeSet<>(plans);
        }
    }

    static final class User {
        String id;
        boolean deleted;
        String location;
        List<String> proxies = new ArrayList<>();
        TreeSet<Integer> groups = new TreeSet<>();
        String department;
        String hireDate;
        boolean enabled = true;

        /** The user as the rule interpreter reads it, at system.now {@code now}. */
        Map<String, Object> attributes(long now) {
            Map<String, Object> m = new HashMap<>();
            m.put("$now", now);
            m.put("employeeHireDate", hireDate);
            m.put("objectId", id);
            m.put("accountEnabled", enabled);
            m.put("usageLocation", location);
            m.put("department", department);
            m.put("proxyAddresses", proxies);
            m.put("otherMails", List.of());
            return m;
        }
    }

    static final class Lic {
        int product;
        Set<Integer> enabled;
        Set<Integer> disabled;
        long order;

        Lic(int product, Set<Integer> enabled, Set<Integer> disabled, long order) {
            this.product = product;
            this.enabled = enabled;
            this.disabled = disabled;
            this.order = order;
        }
    }

    static final class Group {
        String id;
        boolean deleted;
        boolean security;
        org.licensim.core.rules.Rule rule;
        boolean paused;
        TreeSet<Integer> members = new TreeSet<>();
        Set<Integer> nested = new HashSet<>();
        List<Lic> licences = new ArrayList<>();

        Lic licence(int t) {
            for (Lic l : licences) {
                if (l.product == t) {
                    return l;
                }
            }
            return null;
        }
    }

    final Catalog catalog;
    final String defaultCountry;
    final boolean groupLicensing;
    final boolean auto;
    final List<Product> products = new ArrayList<>();
    final List<Integer> capacity = new ArrayList<>();
    final Map<Integer, Set<Integer>> conflicts = new HashMap<>();
    final Map<Integer, List<Set<Integer>>> prerequisites = new HashMap<>();
    final Map<Integer, Set<String>> prohibited = new HashMap<>();
    final Set<Integer> unique = new HashSet<>();
    final List<User> users = new ArrayList<>();
    /** Live users per folded proxy address (R16), made on first use, then kept as users change; null before. */
    private Map<String, Integer> proxyHolders;
    /** Every user and group id the tenant has had, deleted ones included: an id is never used again. */
    private final Set<String> usedIds = new HashSet<>();
    final List<Group> groups = new ArrayList<>();
    final Map<Integer, Map<Integer, Lic>> direct = new HashMap<>();
    final Map<Integer, List<Src>> state = new HashMap<>();
    final Set<Integer> freed = new HashSet<>();
    /** Per user: the units the change demands, {src, key for products without an entry}, in the order demanded. */
    final Map<Integer, List<long[]>> pending = new HashMap<>();
    long lastSeq = -1;
    long cause = -1;
    /** system.now of time-driven rules (epoch seconds). */
    long now;
    int minted;

    /** The R11 key of the next demand this event creates: (seq, how many it created before). */
    private long newKey() {
        return StateStore.eventKey(cause, minted++);
    }

    ReferenceModel(Tenant t) {
        now = t.evaluatedAt() != null ? t.evaluatedAt() : java.time.Instant.now().getEpochSecond();
        catalog = t.catalog();
        defaultCountry = t.settings().defaultCountry();
        groupLicensing = t.settings().groupLicensingEnabled();
        auto = t.settings().autoReprocess();
        for (int p = 0; p < t.subscriptions().size(); p++) {
            products.add(t.subscriptions().product(p));
            capacity.add(t.subscriptions().units(p).capacity());
        }
        PlanRules r = t.planRules();
        for (PlanRules.Conflict c : r.conflicts()) {
            conflicts.computeIfAbsent(c.planA(), k -> new HashSet<>()).add(c.planB());
            conflicts.computeIfAbsent(c.planB(), k -> new HashSet<>()).add(c.planA());
        }
        for (PlanRules.Prerequisite p : r.prerequisites()) {
            Set<Integer> any = new HashSet<>();
            for (int a : p.anyOf()) {
                any.add(a);
            }
            prerequisites.computeIfAbsent(p.plan(), k -> new ArrayList<>()).add(any);
        }
        for (PlanRules.Prohibition p : r.prohibitions()) {
            prohibited.computeIfAbsent(p.plan(), k -> new HashSet<>()).addAll(p.countries());
        }
        for (int u : r.uniquenessPlans()) {
            unique.add(u);
        }
        for (int u = 0; u < t.users().size(); u++) {
            User user = new User();
            user.id = t.users().id(u);
            user.deleted = t.users().isDeleted(u);
            user.location = t.users().usageLocation().get(u);
            user.proxies = new ArrayList<>(t.users().multiColumn("proxyAddresses").get(u));
            user.department = t.users().get(u, "department");
            user.hireDate = t.users().get(u, "employeeHireDate");
            user.enabled = t.users().accountEnabled(u);
            users.add(user);
            usedIds.add(user.id);
        }
        for (int g = 0; g < t.groups().size(); g++) {
            Group group = new Group();
            group.id = t.groups().id(g);
            group.security = t.groups().securityEnabled(g);
            group.rule = t.groups().membershipRule(g) == null ? null
                    : org.licensim.core.rules.RuleParser.parse(t.groups().membershipRule(g));
            group.paused = t.groups().rulePaused(g);
            int gg = g;
            for (int u : t.groups().userMembers(g).toArray()) {
                group.members.add(u);
                users.get(u).groups.add(gg);
            }
            t.groups().groupMembers(g).forEach(group.nested::add);
            for (License l : t.assignments().ofGroup(g)) {
                group.licences.add(lic(l));
            }
            groups.add(group);
            usedIds.add(group.id);
        }
        for (int u = 0; u < t.users().size(); u++) {
            for (License l : t.assignments().directOf(u)) {
                direct.computeIfAbsent(u, k -> new LinkedHashMap<>()).put(l.product(), lic(l));
            }
        }
    }

    private Lic lic(License l) {
        Set<Integer> disabled = new HashSet<>();
        Set<Integer> enabled = new HashSet<>();
        int[] plans = products.get(l.product()).plans();
        for (int i = 0; i < plans.length; i++) {
            if ((l.disabled()[i >>> 6] & (1L << i)) != 0) {
                disabled.add(plans[i]);
            } else {
                enabled.add(plans[i]);
            }
        }
        return new Lic(l.product(), enabled, disabled, l.order());
    }

    // ------------------------------------------------------------ reconcile

    void reconcile() {
        List<long[]> ds = new ArrayList<>();
        direct.forEach((u, m) -> m.values().forEach(l -> ds.add(new long[] {l.order, u, l.product})));
        ds.sort((a, b) -> Long.compare(a[0], b[0]));
        for (long[] d : ds) {
            int u = (int) d[1];
            processUnit(u, -((int) d[2] + 1), d[0]);
            finish(u);
        }
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            if (group.deleted || group.licences.isEmpty()) {
                continue;
            }
            for (int u : new ArrayList<>(group.members)) {
                processUnit(u, g, StateStore.snapshotGroupKey(g, u));
                finish(u);
            }
        }
        // section 4: licence-driven groups kept their listed members; with licences resolved, each user settles
        for (int u = 0; u < users.size(); u++) {
            if (users.get(u).deleted) {
                continue;
            }
            for (int round = 0; round <= groups.size(); round++) {
                boolean moved = false;
                for (int g = 0; g < groups.size(); g++) {
                    Group group = groups.get(g);
                    if (group.deleted || group.paused || !licenceDriven(group.rule)) {
                        continue;
                    }
                    boolean want = evalRule(g, u);
                    if (want && group.members.add(u)) {
                        users.get(u).groups.add(g);
                        if (!group.licences.isEmpty()) {
                            processUnit(u, g, StateStore.snapshotGroupKey(g, u));
                        }
                        moved = true;
                    } else if (!want && group.members.contains(u)) {
                        leaveRaw(g, u);
                        moved = true;
                    }
                }
                if (!moved) {
                    break;
                }
                finish(u);
            }
        }
        freed.clear();
    }

    // ------------------------------------------------------------ events

    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rejected(String why) {
            super(why);
        }
    }

    void apply(Event e) {
        if (e.seq() <= lastSeq) {
            throw new Rejected("seq");
        }
        cause = e.seq();
        minted = 0;
        freed.clear();
        advance(e.time().getEpochSecond());
        if (e instanceof Event.MemberAdded m) {
            int g = group(m.groupId());
            if (groups.get(g).rule != null) {
                throw new Rejected("dynamic group");
            }
            int u = user(m.memberId());
            if (u < 0) {
                int n = liveGroup(m.memberId());
                if (n < 0 || n == g) {
                    throw new Rejected("member");
                }
                groups.get(g).nested.add(n);
            } else if (groups.get(g).members.add(u)) {
                users.get(u).groups.add(g);
                if (!groups.get(g).licences.isEmpty()) {
                    demandUnit(u, g);
                    settle(u);
                }
                cascade(g, u, false);
            }
        } else if (e instanceof Event.MemberRemoved m) {
            int g = group(m.groupId());
            if (groups.get(g).rule != null) {
                throw new Rejected("dynamic group");
            }
            int u = user(m.memberId());
            if (u < 0) {
                int n = liveGroup(m.memberId());
                if (n < 0) {
                    throw new Rejected("member");
                }
                groups.get(g).nested.remove(n);
            } else {
                leave(g, u);
            }
        } else if (e instanceof Event.UserCreated c) {
            if (everUsed(c.user().id)) {
                throw new Rejected("id");
            }
            User user = new User();
            user.id = c.user().id;
            user.enabled = c.user().accountEnabled == null || c.user().accountEnabled;
            users.add(user);
            usedIds.add(user.id);
            applyAttributes(user, c.user()); // counts its proxy addresses
            int u = users.size() - 1;
            for (int g = 0; g < groups.size(); g++) {
                Group group = groups.get(g);
                if (group.rule != null && !group.deleted && !group.paused
                        && evalRule(g, u)) {
                    join(g, u);
                }
            }
        } else if (e instanceof Event.UserDeleted d) {
            int u = liveUser(d.userId());
            for (int t = 0; t < products.size(); t++) {
                if (holds(u, t)) {
                    freed.add(t);
                }
            }
            state.remove(u);
            direct.remove(u);
            User user = users.get(u);
            for (int g : user.groups) {
                groups.get(g).members.remove(u);
            }
            user.groups.clear();
            holdProxies(user, -1);
            user.deleted = true;
            user.proxies.clear();
        } else if (e instanceof Event.UserAttributesChanged a) {
            int u = liveUser(a.userId());
            if (a.attributes().hasUsageLocation && a.attributes().usageLocation == null
                    && !direct.getOrDefault(u, Map.of()).isEmpty()) {
                throw new Rejected("location of a user with direct licences");
            }
            applyAttributes(users.get(u), a.attributes());
            Set<String> changed = new HashSet<>();
            a.attributes().changedProperties().forEach(x -> changed.add(x.toLowerCase(Locale.ROOT)));
            boolean moved = false;
            for (int g = 0; g < groups.size(); g++) {
                Group group = groups.get(g);
                if (group.rule == null || group.deleted || group.paused) {
                    continue;
                }
                Set<String> reads = new HashSet<>(org.licensim.core.rules.RuleInterpreter.reads(group.rule));
                reads.retainAll(changed);
                if (reads.isEmpty()) {
                    continue;
                }
                if (evalRule(g, u)) {
                    if (joinRaw(g, u)) {
                        moved = true;
                        cascade(g, u, true);
                    }
                } else {
                    moved |= leaveRaw(g, u);
                }
            }
            // R18: the change touches the user when it moved a membership or changed what R15/R16 read
            if (moved || changed.contains("usagelocation") || changed.contains("proxyaddresses")) {
                settle(u);
            } else {
                finish(u);
            }
        } else if (e instanceof Event.GroupCreated c) {
            if (everUsed(c.groupId())) {
                throw new Rejected("id");
            }
            org.licensim.core.rules.Rule rule = parseOrReject(c.membershipRule());
            checkMemberOf(rule, c.groupId());
            checkPlansKnown(rule);
            for (String m : c.members()) {
                if (user(m) < 0 && liveGroup(m) < 0) {
                    throw new Rejected("member");
                }
            }
            Group group = new Group();
            group.id = c.groupId();
            group.security = c.securityEnabled();
            group.rule = rule;
            group.paused = c.paused();
            groups.add(group);
            usedIds.add(group.id);
            int g = groups.size() - 1;
            for (String m : c.members()) {
                int u = user(m);
                if (u >= 0) {
                    group.members.add(u);
                    users.get(u).groups.add(g);
                } else {
                    group.nested.add(liveGroup(m));
                }
            }
            ruleChanged(g);
        } else if (e instanceof Event.GroupDeleted d) {
            int g = group(d.groupId());
            Group group = groups.get(g);
            if (!group.licences.isEmpty()) {
                throw new Rejected("licensed");
            }
            for (List<Src> es : state.values()) {
                if (es.stream().anyMatch(x -> x.src == g)) {
                    throw new Rejected("licence held back on a user");
                }
            }
            for (int u : group.members) {
                users.get(u).groups.remove(g);
            }
            group.members.clear();
            group.nested.clear();
            for (Group other : groups) {
                other.nested.remove(g);
            }
            group.deleted = true;
        } else if (e instanceof Event.GroupRuleChanged r) {
            int g = group(r.groupId());
            org.licensim.core.rules.Rule rule = parseOrReject(r.membershipRule());
            checkMemberOf(rule, r.groupId());
            checkPlansKnown(rule);
            if (licenceCycle(r.groupId(), rule)) {
                throw new Rejected("licence cycle");
            }
            groups.get(g).rule = rule;
            groups.get(g).paused = r.paused();
            ruleChanged(g);
        } else if (e instanceof Event.LicenseAssignedToGroup a) {
            if (!groupLicensing) {
                throw new Rejected("gbl");
            }
            int g = group(a.groupId());
            Group group = groups.get(g);
            if (!group.security) {
                throw new Rejected("security");
            }
            int t = product(a.skuId());
            if (group.licence(t) != null) {
                throw new Rejected("twice");
            }
            Lic l = newLic(t, a.disabledPlans(), cause);
            List<Lic> after = new ArrayList<>(group.licences);
            after.add(l);
            checkGroupPrerequisites(after);
            group.licences.add(l);
            if (anyLicenceDriven() && licenceCycle(null, null)) {
                group.licences.remove(l);
                throw new Rejected("licence cycle");
            }
            reresolve(g);
        } else if (e instanceof Event.GroupDisabledPlansChanged c) {
            int g = group(c.groupId());
            Group group = groups.get(g);
            int t = product(c.skuId());
            Lic was = group.licence(t);
            if (was == null) {
                throw new Rejected("not assigned");
            }
            Lic l = newLic(t, c.disabledPlans(), was.order);
            List<Lic> after = new ArrayList<>();
            for (Lic x : group.licences) {
                after.add(x.product == t ? l : x);
            }
            checkGroupPrerequisites(after);
            List<Lic> was2 = group.licences;
            group.licences = after;
            if (anyLicenceDriven() && licenceCycle(null, null)) {
                group.licences = was2;
                throw new Rejected("licence cycle");
            }
            reresolve(g);
        } else if (e instanceof Event.LicenseRemovedFromGroup r) {
            int g = group(r.groupId());
            Group group = groups.get(g);
            int t = product(r.skuId());
            Lic was = group.licence(t);
            if (was == null) {
                throw new Rejected("not assigned");
            }
            List<Lic> rest = new ArrayList<>(group.licences);
            rest.remove(was);
            checkGroupPrerequisites(rest);
            group.licences.remove(was);
            for (int u : new ArrayList<>(group.members)) {
                removeSource(u, g, t, was);
                settle(u);
            }
        } else if (e instanceof Event.LicenseAssignedToUser a) {
            int u = liveUser(a.userId());
            int t = product(a.skuId());
            if (direct.getOrDefault(u, Map.of()).containsKey(t)) {
                // R23: a product held directly gets the request's disabled plans, as assignLicense does
                assignLicense(new Event.AssignLicense(a.seq(), a.time(), a.userId(), null,
                        List.of(new Event.AddedLicense(a.skuId(), a.disabledPlans())), List.of()));
                lastSeq = e.seq();
                if (auto) {
                    drain();
                }
                return;
            }
            if (users.get(u).location == null) {
                throw new Rejected("location");
            }
            Lic l = newLic(t, a.disabledPlans(), cause);
            Set<Integer> all = union(u, Integer.MIN_VALUE);
            all.addAll(l.enabled);
            Set<Integer> missing = unmet(all);
            missing.retainAll(l.enabled);
            if (!missing.isEmpty()) {
                throw new Rejected("dependency");
            }
            List<Src> saved = copyState(u);
            Set<Integer> savedFreed = new HashSet<>(freed);
            direct.computeIfAbsent(u, k -> new LinkedHashMap<>()).put(t, l);
            demandUnit(u, -(t + 1));
            settleCore(u); // R18: one order with the user's older failed demands
            Src got = find(u, -(t + 1), t);
            if (got == null || got.state.equals(ERROR)) {
                direct.get(u).remove(t);
                state.put(u, saved);
                freed.clear();
                freed.addAll(savedFreed);
                throw new Rejected(got == null ? "not granted" : got.error);
            }
            settle(u);
        } else if (e instanceof Event.LicenseRemovedFromUser r) {
            int u = liveUser(r.userId());
            int t = product(r.skuId());
            if (!direct.getOrDefault(u, Map.of()).containsKey(t)) {
                throw new Rejected("not direct");
            }
            int src = -(t + 1);
            Set<Integer> introduced = unmet(union(u, src));
            introduced.removeAll(unmet(union(u, Integer.MIN_VALUE)));
            if (!introduced.isEmpty()) {
                throw new Rejected("dependency");
            }
            direct.get(u).remove(t);
            removeSource(u, src, -1, null);
            settle(u);
        } else if (e instanceof Event.AssignLicense a) {
            assignLicense(a);
        } else if (e instanceof Event.UnitsChanged c) {
            int t = product(c.skuId());
            int before = capacity.get(t);
            capacity.set(t, c.prepaidUnits().capacity());
            if (c.prepaidUnits().capacity() > before) {
                freed.add(t);
            }
        } else if (e instanceof Event.Reprocess r) {
            if (r.userId() != null) {
                settle(liveUser(r.userId()));
            } else {
                // R18: every member is touched; only those with a source not Active can change, in the
                // order of each one's oldest failed (Error) demand; members holding only ActiveWithError last
                int g = group(r.groupId());
                List<long[]> touched = new ArrayList<>();
                for (int u : groups.get(g).members) {
                    long oldest = Long.MAX_VALUE;
                    boolean any = false;
                    for (Src s : entries(u)) {
                        any |= !(s.state.equals(ACTIVE) && s.error.equals("None"));
                        if (s.state.equals(ERROR)) {
                            oldest = Math.min(oldest, s.key);
                        }
                    }
                    if (any) {
                        touched.add(new long[] {oldest, u});
                    }
                }
                touched.sort((a, b) -> Long.compare(a[0], b[0]));
                for (long[] k : touched) {
                    settle((int) k[1]);
                }
            }
        } else {
            throw new Rejected("type");
        }
        lastSeq = e.seq();
        if (auto) {
            drain();
        }
    }

    /** R23: Graph's assignLicense, on a user (atomic) or a group (removals for all, then the unit per member). */
    private void assignLicense(Event.AssignLicense a) {
        List<Integer> removed = new ArrayList<>();
        for (String sku : a.removeLicenses()) {
            int t = product(sku);
            if (removed.contains(t)) {
                throw new Rejected("twice");
            }
            removed.add(t);
        }
        List<Integer> added = new ArrayList<>();
        for (Event.AddedLicense l : a.addLicenses()) {
            int t = product(l.skuId());
            if (added.contains(t) || removed.contains(t)) {
                throw new Rejected("twice");
            }
            added.add(t);
        }
        if (a.userId() != null) {
            int u = liveUser(a.userId());
            Map<Integer, Lic> mine = direct.computeIfAbsent(u, k -> new LinkedHashMap<>());
            for (int t : removed) {
                if (!mine.containsKey(t)) {
                    throw new Rejected("not direct");
                }
            }
            if (!added.isEmpty() && users.get(u).location == null) {
                throw new Rejected("location");
            }
            List<Lic> now = new ArrayList<>();
            Set<Integer> incoming = new HashSet<>();
            for (int i = 0; i < added.size(); i++) {
                Lic old = mine.get(added.get(i));
                Lic l = newLic(added.get(i), a.addLicenses().get(i).disabledPlans(), old != null ? old.order : cause);
                now.add(l);
                incoming.addAll(l.enabled);
            }
            List<Src> saved = copyState(u);
            Map<Integer, Lic> savedDirect = new LinkedHashMap<>(mine);
            Set<Integer> savedFreed = new HashSet<>(freed);
            Set<Integer> before = unmet(union(u, Integer.MIN_VALUE));
            try {
                for (int t : removed) {
                    mine.remove(t);
                    removeSource(u, -(t + 1), -1, null, incoming);
                    if (entries(u).stream().anyMatch(x -> x.src == -(t + 1) && x.holds())) {
                        throw new Rejected("dependency");
                    }
                }
                for (Lic l : now) {
                    mine.put(l.product, l);
                    demandUnit(u, -(l.product + 1));
                }
                settleCore(u);
                for (Lic l : now) {
                    Src got = find(u, -(l.product + 1), l.product);
                    if (got == null || got.state.equals(ERROR)) {
                        throw new Rejected(got == null ? "not granted" : got.error);
                    }
                }
                Set<Integer> missing = unmet(union(u, Integer.MIN_VALUE));
                missing.removeAll(before);
                if (!missing.isEmpty()) {
                    throw new Rejected("dependency");
                }
            } catch (Rejected r) {
                pending.remove(u);
                state.put(u, saved);
                mine.clear();
                mine.putAll(savedDirect);
                freed.clear();
                freed.addAll(savedFreed);
                throw r;
            }
            settle(u);
            return;
        }
        int g = group(a.groupId());
        Group group = groups.get(g);
        if (!added.isEmpty() && (!groupLicensing || !group.security)) {
            throw new Rejected("gbl or security");
        }
        List<Lic> was = new ArrayList<>();
        for (int t : removed) {
            Lic l = group.licence(t);
            if (l == null) {
                throw new Rejected("not assigned");
            }
            was.add(l);
        }
        List<Lic> after = new ArrayList<>();
        for (Lic l : group.licences) {
            if (!removed.contains(l.product) && !added.contains(l.product)) {
                after.add(l);
            }
        }
        Set<Integer> incoming = new HashSet<>();
        for (int i = 0; i < added.size(); i++) {
            Lic old = group.licence(added.get(i));
            Lic l = newLic(added.get(i), a.addLicenses().get(i).disabledPlans(), old != null ? old.order : cause);
            after.add(l);
            incoming.addAll(l.enabled);
        }
        checkGroupPrerequisites(after);
        List<Lic> previous = group.licences;
        group.licences = after;
        if (anyLicenceDriven() && licenceCycle(null, null)) {
            group.licences = previous;
            throw new Rejected("licence cycle");
        }
        // R23/R18: the removals for every member first, then the additions member by member
        for (int u : new ArrayList<>(group.members)) {
            for (int k = 0; k < removed.size(); k++) {
                removeSource(u, g, removed.get(k), was.get(k), incoming);
            }
            finish(u);
        }
        for (int u : new ArrayList<>(group.members)) {
            if (!added.isEmpty()) {
                demandUnit(u, g);
            }
            settle(u);
        }
    }

    private org.licensim.core.rules.Rule parseOrReject(String rule) {
        if (rule == null) {
            return null;
        }
        try {
            return org.licensim.core.rules.RuleParser.parse(rule);
        } catch (org.licensim.core.rules.RuleException ex) {
            throw new Rejected("rule");
        }
    }

    /** R19: a group's rule (new, changed or unpaused) decides every user's membership, in user order. */
    private void ruleChanged(int g) {
        Group group = groups.get(g);
        if (group.rule == null || group.paused) {
            return;
        }
        // R18: those it takes from before those it gives to
        for (int u = 0; u < users.size(); u++) {
            if (!users.get(u).deleted && !evalRule(g, u)) {
                leave(g, u);
            }
        }
        for (int u = 0; u < users.size(); u++) {
            if (!users.get(u).deleted && evalRule(g, u)) {
                join(g, u);
            }
        }
    }

    private void join(int g, int u) {
        if (joinRaw(g, u)) {
            if (!groups.get(g).licences.isEmpty()) {
                settle(u);
            }
            cascade(g, u, false);
        }
    }

    /**
     * Section 4 time-driven rules: system.now moves to the event's time first, and every user whose
     * membership of a time-driven group no longer matches its rule joins or leaves (groups in
     * order, users in order), as the engine's index of dates makes it do for just those users.
     */
    private void advance(long t) {
        if (t == now) {
            return;
        }
        now = t;
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            if (group.deleted || group.paused || group.rule == null
                    || !org.licensim.core.rules.RuleInterpreter.timeDriven(group.rule)) {
                continue;
            }
            for (int u = 0; u < users.size(); u++) {
                if (!users.get(u).deleted && !evalRule(g, u) && group.members.contains(u)) {
                    leave(g, u);
                }
            }
            for (int u = 0; u < users.size(); u++) {
                if (!users.get(u).deleted && evalRule(g, u) && !group.members.contains(u)) {
                    join(g, u);
                }
            }
        }
    }

    /** Section 4 memberOf: the rule holds for a direct member of one of the live groups it names. */
    private boolean evalRule(int g, int u) {
        return evalNode(groups.get(g).rule, u);
    }

    /** A rule node for user {@code u}: assignedPlans from the model's own state, memberOf, the rest by the interpreter. */
    private boolean evalNode(org.licensim.core.rules.Rule rule, int u) {
        if (rule instanceof org.licensim.core.rules.Rule.And a) {
            return evalNode(a.left(), u) && evalNode(a.right(), u);
        }
        if (rule instanceof org.licensim.core.rules.Rule.Or o) {
            return evalNode(o.left(), u) || evalNode(o.right(), u);
        }
        if (rule instanceof org.licensim.core.rules.Rule.Not n) {
            return !evalNode(n.inner(), u);
        }
        if (rule instanceof org.licensim.core.rules.Rule.AssignedPlan ap) {
            int plan = catalog.findPlan(ap.servicePlanId()).index();
            return entries(u).stream().anyMatch(x -> x.holds() && x.plans.contains(plan));
        }
        if (rule instanceof org.licensim.core.rules.Rule.MemberOf mo) {
            for (String id : mo.groupIds()) {
                int c = liveGroup(id);
                if (c >= 0 && groups.get(c).members.contains(u)) {
                    return true;
                }
            }
            return false;
        }
        return org.licensim.core.rules.RuleInterpreter.eval(rule, users.get(u).attributes(now));
    }

    /** A user who joined group {@code g} joins every active memberOf group naming it, in group order. */
    private void cascade(int g, int u, boolean raw) {
        String id = groups.get(g).id;
        for (int m = 0; m < groups.size(); m++) {
            Group group = groups.get(m);
            if (!group.deleted && !group.paused && group.rule instanceof org.licensim.core.rules.Rule.MemberOf mo
                    && mo.groupIds().contains(id)) {
                if (raw) {
                    joinRaw(m, u);
                } else {
                    join(m, u);
                }
            }
        }
    }

    /** Entra's limits on memberOf rules, as the engine checks them when a rule is set. */
    private void checkMemberOf(org.licensim.core.rules.Rule rule, String groupId) {
        if (!(rule instanceof org.licensim.core.rules.Rule.MemberOf mo)) {
            return;
        }
        for (String id : mo.groupIds()) {
            int c = liveGroup(id);
            if (c < 0 || id.equals(groupId) || groups.get(c).rule instanceof org.licensim.core.rules.Rule.MemberOf) {
                throw new Rejected("memberOf");
            }
        }
        for (Group other : groups) {
            if (!other.deleted && other.rule instanceof org.licensim.core.rules.Rule.MemberOf o
                    && o.groupIds().contains(groupId)) {
                throw new Rejected("named by a memberOf rule");
            }
        }
    }

    private void leave(int g, int u) {
        boolean had = entries(u).stream().anyMatch(x -> x.src == g);
        if (leaveRaw(g, u) && (!groups.get(g).licences.isEmpty() || had)) {
            settle(u);
        }
    }

    /** Adds the membership and demands the group's unit; whether the user was not a member. */
    private boolean joinRaw(int g, int u) {
        Group group = groups.get(g);
        if (!group.members.add(u)) {
            return false;
        }
        users.get(u).groups.add(g);
        if (!group.licences.isEmpty()) {
            demandUnit(u, g);
        }
        return true;
    }

    /** Ends the membership and takes the group's unit away; whether the user was a member. */
    private boolean leaveRaw(int g, int u) {
        Group group = groups.get(g);
        if (!group.members.remove(u)) {
            return false;
        }
        users.get(u).groups.remove(g);
        removeSource(u, g, -1, null);
        return true;
    }

    /**
     * R18: the user processed as a whole after a change that touched it: settle, then every
     * failed source again in key order against the state now (held sources stay), then settle.
     */
    private void settle(int u) {
        settleCore(u);
        // section 4 licence-driven rules: the user's new licences may move it in or out of groups, to a fixed point
        for (int round = 0; round <= groups.size(); round++) {
            boolean moved = false;
            for (int g = 0; g < groups.size(); g++) {
                Group group = groups.get(g);
                if (group.deleted || group.paused || !licenceDriven(group.rule)) {
                    continue;
                }
                boolean want = evalRule(g, u);
                if (want && !group.members.contains(u)) {
                    joinRaw(g, u);
                    cascade(g, u, true);
                    moved = true;
                } else if (!want && group.members.contains(u)) {
                    leaveRaw(g, u);
                    moved = true;
                }
            }
            if (!moved) {
                break;
            }
            settleCore(u);
        }
    }

    private boolean anyLicenceDriven() {
        return groups.stream().anyMatch(x -> !x.deleted && licenceDriven(x.rule));
    }

    /** An assignedPlans rule naming a plan the catalog does not have is refused (as the engine compiles it). */
    private void checkPlansKnown(org.licensim.core.rules.Rule r) {
        if (r instanceof org.licensim.core.rules.Rule.And a) {
            checkPlansKnown(a.left());
            checkPlansKnown(a.right());
        } else if (r instanceof org.licensim.core.rules.Rule.Or o) {
            checkPlansKnown(o.left());
            checkPlansKnown(o.right());
        } else if (r instanceof org.licensim.core.rules.Rule.Not n) {
            checkPlansKnown(n.inner());
        } else if (r instanceof org.licensim.core.rules.Rule.AssignedPlan ap && catalog.findPlan(ap.servicePlanId()) == null) {
            throw new Rejected("unknown plan");
        }
    }

    /** The catalog plans a rule's assignedPlans atoms read (empty: not licence-driven). */
    private Set<Integer> licencePlans(org.licensim.core.rules.Rule r) {
        Set<Integer> out = new HashSet<>();
        if (r instanceof org.licensim.core.rules.Rule.And a) {
            out.addAll(licencePlans(a.left()));
            out.addAll(licencePlans(a.right()));
        } else if (r instanceof org.licensim.core.rules.Rule.Or o) {
            out.addAll(licencePlans(o.left()));
            out.addAll(licencePlans(o.right()));
        } else if (r instanceof org.licensim.core.rules.Rule.Not n) {
            out.addAll(licencePlans(n.inner()));
        } else if (r instanceof org.licensim.core.rules.Rule.AssignedPlan ap) {
            out.add(catalog.findPlan(ap.servicePlanId()).index());
        }
        return out;
    }

    private boolean licenceDriven(org.licensim.core.rules.Rule r) {
        return r != null && !licencePlans(r).isEmpty();
    }

    /** The catalog plans a rule's assignedPlans atoms read under an odd number of -not. */
    private Set<Integer> negatedPlans(org.licensim.core.rules.Rule r, boolean negated) {
        Set<Integer> out = new HashSet<>();
        if (r instanceof org.licensim.core.rules.Rule.And a) {
            out.addAll(negatedPlans(a.left(), negated));
            out.addAll(negatedPlans(a.right(), negated));
        } else if (r instanceof org.licensim.core.rules.Rule.Or o) {
            out.addAll(negatedPlans(o.left(), negated));
            out.addAll(negatedPlans(o.right(), negated));
        } else if (r instanceof org.licensim.core.rules.Rule.Not n) {
            out.addAll(negatedPlans(n.inner(), !negated));
        } else if (r instanceof org.licensim.core.rules.Rule.AssignedPlan ap && negated) {
            out.add(catalog.findPlan(ap.servicePlanId()).index());
        }
        return out;
    }

    /**
     * Section 4: a cycle of licence-driven groups (A's licences give a plan B's rule reads, and so
     * on back to A) that reads a plan under -not somewhere around it is refused; one that only adds
     * settles and is accepted. {@code changed} is taken with {@code rule} when it is not null.
     */
    private boolean licenceCycle(String changed, org.licensim.core.rules.Rule rule) {
        Map<Integer, Set<Integer>> reads = new HashMap<>();
        Map<Integer, Set<Integer>> negated = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            org.licensim.core.rules.Rule r = group.id.equals(changed) && rule != null ? rule : group.rule;
            if (!group.deleted && licenceDriven(r)) {
                reads.put(g, licencePlans(r));
                negated.put(g, negatedPlans(r, false));
            }
        }
        Map<Integer, Set<Integer>> gives = new HashMap<>();
        for (int a : reads.keySet()) {
            Set<Integer> mine = new HashSet<>();
            groups.get(a).licences.forEach(l -> mine.addAll(l.enabled));
            gives.put(a, mine);
        }
        // reachability by repeated relaxation
        Map<Integer, Set<Integer>> reach = new HashMap<>();
        for (int a : reads.keySet()) {
            Set<Integer> next = new HashSet<>();
            for (var b : reads.entrySet()) {
                if (b.getValue().stream().anyMatch(gives.get(a)::contains)) {
                    next.add(b.getKey());
                }
            }
            reach.put(a, next);
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int a : reach.keySet()) {
                Set<Integer> more = new HashSet<>();
                reach.get(a).forEach(b -> more.addAll(reach.get(b)));
                grew |= reach.get(a).addAll(more);
            }
        }
        for (int a : reads.keySet()) {
            for (int b : reads.keySet()) {
                boolean negatedEdge = negated.get(b).stream().anyMatch(gives.get(a)::contains);
                if (negatedEdge && (a == b || reach.get(b).contains(a))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The change demands unit {@code src} of user {@code u} (new, or its products or plans changed): R18 decides it in order. */
    private void demandUnit(int u, int src) {
        List<long[]> ds = pending.computeIfAbsent(u, k -> new ArrayList<>());
        if (ds.stream().noneMatch(d -> d[0] == src)) {
            ds.add(new long[] {src, newKey()});
        }
    }

    /**
     * R11/R18 processing of a touched user, without the licence-driven loop (what {@link #settle}
     * repeats): settle held entries, then the demanded units and the failed ones in one order, oldest
     * demand first (a failed unit by its oldest Error entry, a demanded one by its oldest entry or its
     * new key), each once; a demanded unit that holds and whose switch would strand a plan keeps what
     * it has (R14); then settle again.
     */
    private void settleCore(int u) {
        finish(u);
        List<long[]> ds = pending.getOrDefault(u, List.of());
        Set<Integer> tried = new HashSet<>();
        boolean any = false;
        while (true) {
            long best = Long.MAX_VALUE;
            Integer bestSrc = null;
            for (Src s : entries(u)) {
                if (s.state.equals(ERROR) && !tried.contains(s.src) && s.key < best) {
                    best = s.key;
                    bestSrc = s.src;
                }
            }
            long own = -1;
            for (long[] d : ds) {
                int src = (int) d[0];
                if (tried.contains(src)) {
                    continue;
                }
                long k = d[1];
                for (Src s : entries(u)) {
                    if (s.src == src) {
                        k = Math.min(k, s.key);
                    }
                }
                if (k < best) {
                    best = k;
                    bestSrc = src;
                }
            }
            if (bestSrc == null) {
                break;
            }
            for (long[] d : ds) {
                if (d[0] == bestSrc) {
                    own = d[1];
                }
            }
            any = true;
            tried.add(bestSrc);
            if (own >= 0 && blockedBySwitch(u, bestSrc)) {
                continue;
            }
            processUnit(u, bestSrc, own >= 0 ? own : best);
        }
        if (any) {
            finish(u);
        }
        pending.remove(u);
    }

    private void applyAttributes(User user, UserData d) {
        if (d.strings.containsKey("department")) {
            user.department = d.strings.get("department");
        }
        if (d.strings.containsKey("employeeHireDate")) {
            user.hireDate = d.strings.get("employeeHireDate");
        }
        if (d.accountEnabled != null) {
            user.enabled = d.accountEnabled;
        }
        if (d.hasUsageLocation) {
            user.location = d.usageLocation;
        }
        if (d.multi.containsKey("proxyAddresses")) {
            holdProxies(user, -1);
            user.proxies = new ArrayList<>(d.multi.get("proxyAddresses"));
            holdProxies(user, 1);
        }
    }

    private void reresolve(int g) {
        for (int u : new ArrayList<>(groups.get(g).members)) {
            demandUnit(u, g);
            settle(u);
        }
    }

    /** R18 with autoReprocess: for each product with a freed seat, its Error/CountViolation sources, oldest first. */
    private void drain() {
        for (int t = 0; t < products.size(); t++) {
            if (!freed.remove(t)) {
                continue;
            }
            List<long[]> waiting = new ArrayList<>();
            for (int u = 0; u < users.size(); u++) {
                if (users.get(u).deleted) {
                    continue;
                }
                for (Src s : entries(u)) {
                    if (s.product == t && s.state.equals(ERROR) && "CountViolation".equals(s.error)) {
                        waiting.add(new long[] {s.key, u, s.src});
                    }
                }
            }
            waiting.sort((a, b) -> Long.compare(a[0], b[0]));
            for (long[] w : waiting) {
                if (consumed(t) >= capacity.get(t)) {
                    break;
                }
                int u = (int) w[1];
                Src s = find(u, (int) w[2], t);
                if (s == null || !s.state.equals(ERROR) || !"CountViolation".equals(s.error) || s.key != w[0]) {
                    continue;
                }
                processUnit(u, (int) w[2], w[0]);
                settle(u);
            }
        }
    }

    // ------------------------------------------------------------ rules

    /** Returns null when granted, else the error name. */
    private String processUnit(int u, int src, long newKey) {
        List<Lic> demand = demand(u, src);
        if (demand.isEmpty()) {
            return null;
        }
        Set<Integer> unit = new HashSet<>();
        demand.forEach(l -> unit.addAll(l.enabled));
        Set<Integer> others = union(u, src);
        User user = users.get(u);
        String location = user.location != null ? user.location : defaultCountry;
        String error = null;
        if (unit.stream().anyMatch(p -> prohibited.getOrDefault(p, Set.of()).contains(location))) {
            error = "ProhibitedInUsageLocationViolation";
        } else if (unit.stream().anyMatch(unique::contains) && collides(u)) {
            error = "UniquenessViolation";
        } else if (conflict(unit, others)) {
            error = "MutuallyExclusiveViolation";
        } else {
            for (Lic l : demand) {
                if (!holds(u, l.product) && consumed(l.product) >= capacity.get(l.product)) {
                    error = "CountViolation";
                    break;
                }
            }
        }
        Set<Integer> heldBefore = new HashSet<>();
        for (Lic l : demand) {
            if (holds(u, l.product)) {
                heldBefore.add(l.product);
            }
        }
        for (Lic l : demand) {
            Src had = find(u, src, l.product); // R11: a product keeps its key; one new to the unit takes the new one
            put(u, src, l.product, l.enabled, error == null ? ACTIVE : ERROR, error == null ? "None" : error,
                    had != null ? had.key : newKey);
        }
        for (int t : heldBefore) {
            if (!holds(u, t)) {
                freed.add(t); // the unit alone gave this product: its seat is free for waiting demands
            }
        }

        return error;
    }

    private boolean conflict(Set<Integer> unit, Set<Integer> others) {
        Set<Integer> all = new HashSet<>(unit);
        all.addAll(others);
        for (int p : unit) {
            for (int c : conflicts.getOrDefault(p, Set.of())) {
                if (all.contains(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * R16: another live user has one of u's proxy addresses (ignoring case). Answered from a count of
     * live users per folded address, made from every user at the first question and then kept by
     * {@link #holdProxies} as users come, go and change addresses (made again after each change, it
     * scanned the tenant once per hire: quadratic in the kill test's 20,000 users).
     */
    private boolean collides(int u) {
        if (proxyHolders == null) {
            proxyHolders = new HashMap<>();
            for (User o : users) {
                if (!o.deleted) {
                    folded(o).forEach(a -> proxyHolders.merge(a, 1, Integer::sum));
                }
            }
        }
        User me = users.get(u);
        for (String a : folded(me)) {
            if (proxyHolders.getOrDefault(a, 0) - (me.deleted ? 0 : 1) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Adds ({@code by} 1) or takes away (-1) a live user's folded addresses in the counts, once they are made. */
    private void holdProxies(User user, int by) {
        if (proxyHolders == null || user.deleted) {
            return;
        }
        for (String a : folded(user)) {
            if (proxyHolders.merge(a, by, Integer::sum) == 0) {
                proxyHolders.remove(a);
            }
        }
    }

    private static Set<String> folded(User user) {
        Set<String> out = new HashSet<>();
        user.proxies.forEach(p -> out.add(p.toLowerCase(Locale.ROOT)));
        return out;
    }

    Set<Integer> unmet(Set<Integer> enabled) {
        Set<Integer> out = new TreeSet<>();
        for (int p : enabled) {
            for (Set<Integer> any : prerequisites.getOrDefault(p, List.of())) {
                if (any.stream().noneMatch(enabled::contains)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private void removeSource(int u, int src, int onlyT, Lic convertFrom) {
        removeSource(u, src, onlyT, convertFrom, Set.of());
    }

    /** R14 judged on the state after a request that also adds {@code incoming} plans (R23). */
    private void removeSource(int u, int src, int onlyT, Lic convertFrom, Set<Integer> incoming) {
        List<Src> es = entries(u);
        es.removeIf(s -> s.src == src && (onlyT < 0 || s.product == onlyT) && !s.holds());
        Set<Integer> all = union(u, Integer.MIN_VALUE);
        Set<Integer> after = new HashSet<>(incoming);
        for (Src s : es) {
            boolean going = s.src == src && (onlyT < 0 || s.product == onlyT);
            if (!going && s.holds()) {
                after.addAll(s.plans);
            }
        }
        Set<Integer> introduced = unmet(after);
        introduced.removeAll(unmet(all));
        if (introduced.isEmpty()) {
            List<Integer> gone = new ArrayList<>();
            es.removeIf(s -> {
                boolean going = s.src == src && (onlyT < 0 || s.product == onlyT);
                if (going) {
                    gone.add(s.product);
                }
                return going;
            });
            for (int t : gone) {
                if (!holds(u, t)) {
                    freed.add(t);
                }
            }
            return;
        }
        Set<Integer> directPlans = new HashSet<>();
        for (Src s : es) {
            if (s.src < 0 && s.holds()) {
                directPlans.addAll(s.plans);
            }
        }
        Set<Integer> fromDirect = new HashSet<>(introduced);
        fromDirect.retainAll(directPlans);
        if (convertFrom != null && !fromDirect.isEmpty() && users.get(u).location != null
                && !direct.getOrDefault(u, Map.of()).containsKey(convertFrom.product)) {
            int t = convertFrom.product;
            Src s = find(u, src, t);
            if (s != null) {
                direct.computeIfAbsent(u, k -> new LinkedHashMap<>())
                        .put(t, new Lic(t, convertFrom.enabled, convertFrom.disabled, cause));
                es.remove(s);
                put(u, -(t + 1), t, s.plans, ACTIVE, "None", newKey());
            }
        }
    }

    private boolean blockedBySwitch(int u, int src) {
        boolean active = entries(u).stream().anyMatch(s -> s.src == src && s.holds());
        if (!active) {
            return false;
        }
        List<Lic> demanded = demand(u, src);
        Set<Integer> after = new HashSet<>();
        demanded.forEach(l -> after.addAll(l.enabled));
        for (Src s : entries(u)) {
            boolean switching = s.src == src && demanded.stream().anyMatch(l -> l.product == s.product);
            if (s.holds() && !switching) {
                after.addAll(s.plans);
            }
        }
        Set<Integer> introduced = unmet(after);
        introduced.removeAll(unmet(union(u, Integer.MIN_VALUE)));
        return !introduced.isEmpty();
    }

    private void finish(int u) {
        List<Src> es = entries(u);
        for (int pass = 0; pass < 64; pass++) {
            boolean changed = false;
            for (int i = 0; i < es.size() && !changed; i++) {
                Src s = es.get(i);
                Set<Integer> want = demandedPlans(u, s.src, s.product);
                if (!s.holds()) {
                    if (want == null) {
                        es.remove(i);
                        changed = true;
                    }
                    continue;
                }
                boolean demanded = pending.getOrDefault(u, List.of()).stream().anyMatch(d -> d[0] == s.src);
                if (Objects.equals(want, s.plans) || (want != null && demanded)) {
                    continue; // a unit the change demands is switched in settleCore's R11 order
                }
                Set<Integer> all = union(u, Integer.MIN_VALUE);
                Set<Integer> after = new HashSet<>(want == null ? Set.of() : want);
                for (Src o : es) {
                    if (o != s && o.holds()) {
                        after.addAll(o.plans);
                    }
                }
                Set<Integer> introduced = unmet(after);
                introduced.removeAll(unmet(all));
                if (!introduced.isEmpty()) {
                    continue;
                }
                if (want == null) {
                    es.remove(i);
                    if (!holds(u, s.product)) {
                        freed.add(s.product);
                    }
                } else {
                    processUnit(u, s.src, s.key);
                }
                changed = true;
            }
            if (!changed) {
                break;
            }
        }
        Set<Integer> unmet = unmet(union(u, Integer.MIN_VALUE));
        for (Src s : es) {
            if (!s.holds()) {
                continue;
            }
            boolean kept = !Objects.equals(demandedPlans(u, s.src, s.product), s.plans);
            boolean stranded = s.plans.stream().anyMatch(unmet::contains);
            if (kept || stranded) {
                s.state = AWE;
                s.error = "DependencyViolation";
            } else {
                s.state = ACTIVE;
                s.error = "None";
            }
        }
    }

    private void checkGroupPrerequisites(List<Lic> ls) {
        Set<Integer> all = new HashSet<>();
        ls.forEach(l -> all.addAll(l.enabled));
        if (!unmet(all).isEmpty()) {
            throw new Rejected("group prerequisites");
        }
    }

    // ------------------------------------------------------------ helpers

    private List<Lic> demand(int u, int src) {
        if (src < 0) {
            Lic l = direct.getOrDefault(u, Map.of()).get(-src - 1);
            return l == null ? List.of() : List.of(l);
        }
        Group g = groups.get(src);
        if (g.deleted || !g.members.contains(u)) {
            return List.of();
        }
        return g.licences;
    }

    private Set<Integer> demandedPlans(int u, int src, int t) {
        for (Lic l : demand(u, src)) {
            if (l.product == t) {
                return l.enabled;
            }
        }
        return null;
    }

    List<Src> entries(int u) {
        return state.computeIfAbsent(u, k -> new ArrayList<>());
    }

    private List<Src> copyState(int u) {
        List<Src> c = new ArrayList<>();
        entries(u).forEach(s -> c.add(s.copy()));
        return c;
    }

    private Src find(int u, int src, int t) {
        for (Src s : entries(u)) {
            if (s.src == src && s.product == t) {
                return s;
            }
        }
        return null;
    }

    private void put(int u, int src, int t, Set<Integer> plans, String st, String err, long key) {
        Src s = find(u, src, t);
        if (s != null) {
            s.plans = plans;
            s.state = st;
            s.error = err;
            return;
        }
        List<Src> es = entries(u);
        int pos = es.size();
        while (pos > 0 && org.licensim.core.state.StateStore.before(src, t, es.get(pos - 1).src, es.get(pos - 1).product)) {
            pos--;
        }
        es.add(pos, new Src(src, t, plans, st, err, key));
    }

    private Set<Integer> union(int u, int exceptSrc) {
        Set<Integer> r = new HashSet<>();
        for (Src s : entries(u)) {
            if (s.src != exceptSrc && s.holds()) {
                r.addAll(s.plans);
            }
        }
        return r;
    }

    private boolean holds(int u, int t) {
        return holds(entries(u), t);
    }

    private static boolean holds(List<Src> entries, int t) {
        for (Src s : entries) {
            if (s.product == t && s.holds()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Seats are counted from the state, never tracked: an independent check of the engine's ledger.
     * Only users with entries can hold a seat, so the count reads those (not every user ever made).
     */
    int consumed(int t) {
        int n = 0;
        for (Map.Entry<Integer, List<Src>> e : state.entrySet()) {
            if (!users.get(e.getKey()).deleted && holds(e.getValue(), t)) {
                n++;
            }
        }
        return n;
    }

    private Lic newLic(int t, List<String> refs, long order) {
        Product p = products.get(t);
        Set<Integer> disabled = new HashSet<>();
        for (String r : refs) {
            int local;
            try {
                local = catalog.findPlanInProduct(p, r);
            } catch (RuntimeException ex) {
                throw new Rejected("plan");
            }
            if (local < 0) {
                throw new Rejected("plan");
            }
            disabled.add(p.plans()[local]);
        }
        Set<Integer> enabled = new HashSet<>();
        for (int pl : p.plans()) {
            if (!disabled.contains(pl)) {
                enabled.add(pl);
            }
        }
        return new Lic(t, enabled, disabled, order);
    }

    private boolean everUsed(String id) {
        return usedIds.contains(id);
    }

    private int user(String id) {
        for (int u = 0; u < users.size(); u++) {
            if (users.get(u).id.equals(id) && !users.get(u).deleted) {
                return u;
            }
        }
        return -1;
    }

    private int liveUser(String id) {
        int u = user(id);
        if (u < 0) {
            throw new Rejected("user");
        }
        return u;
    }

    private int liveGroup(String id) {
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).id.equals(id) && !groups.get(g).deleted) {
                return g;
            }
        }
        return -1;
    }

    private int group(String id) {
        int g = liveGroup(id);
        if (g < 0) {
            throw new Rejected("group");
        }
        return g;
    }

    private int product(String ref) {
        Product p;
        try {
            p = catalog.findProduct(ref);
        } catch (RuntimeException ex) {
            throw new Rejected("ambiguous");
        }
        int t = p == null ? -1 : products.indexOf(p);
        if (t < 0) {
            throw new Rejected("product");
        }
        return t;
    }
}
