package org.licensim.core.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Tenant;

/**
 * Dynamic group membership from rules (SPEC R19): each dynamic group's rule is compiled once;
 * an index from property name to the groups whose rules read it means an attribute change
 * re-evaluates only those rules. A paused rule keeps its members; a rule change re-evaluates
 * every user for that group. Groups are visited in index order and users in index order, so
 * the engine's R11 order is deterministic.
 */
public final class RuleMembership implements DynamicMembership {
    /** By group index: a primitive map, so the per-event loop over a user's rules boxes nothing. */
    private final IntObjectHashMap<CompiledRule> compiled = new IntObjectHashMap<>();
    private final Map<String, IntArrayList> readers = new HashMap<>();
    /** Per property: the equality rules reading it, by accepted folded code ({@link CompiledRule.Equality}). */
    private final Map<String, org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<IntArrayList>> byValue =
            new HashMap<>();
    /** Per property: its column, and the rules reading it that are not equality rules on it (always re-evaluated). */
    private final Map<String, org.licensim.core.directory.StringColumn> valueColumns = new HashMap<>();
    private final Map<String, IntArrayList> otherReaders = new HashMap<>();
    /** Old folded codes of the properties being changed, noted by {@link #userChanging}. */
    private final org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap<String> oldCodes =
            new org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap<>();
    private int oldCodesUser = -1;
    private Tenant compiledFor;

    @Override
    public boolean managesMembers(Tenant tenant, int group) {
        return tenant.groups().isDynamic(group);
    }

    /** system.now of time-driven rules, epoch seconds: shared with every compiled rule. */
    private final long[] clock = {java.time.Instant.now().getEpochSecond()};
    /** The time-driven groups (a rule comparing a date with system.now), in group order. */
    private final IntArrayList timed = new IntArrayList();
    /**
     * Users by date, one index per date column time-driven rules read: a clock step visits only
     * the users whose dates, moved by each rule's offset, fall in the time that passed.
     */
    private final Map<org.licensim.core.directory.StringColumn, DateIndex> dateIndexes = new java.util.LinkedHashMap<>();
    /** Scratch: the users a clock step visits for one group. */
    private final org.eclipse.collections.impl.set.mutable.primitive.IntHashSet visiting =
            new org.eclipse.collections.impl.set.mutable.primitive.IntHashSet();

    /** Sets system.now (epoch seconds) before {@link #applyTo} (a snapshot's time, or a --now option). */
    public void setNow(long epochSeconds) {
        clock[0] = epochSeconds;
        nowGiven = true;
    }

    /** Whether {@link #setNow} was called; otherwise a snapshot's evaluatedAt, else the wall clock, is system.now. */
    private boolean nowGiven;

    @Override
    public long now() {
        return clock[0];
    }

    @Override
    public boolean timeDriven() {
        return !timed.isEmpty();
    }

    private static boolean isDateProperty(String p) {
        for (int i = 0; i < Property.DATE_PROPERTIES.size(); i++) {
            if (Property.DATE_PROPERTIES.get(i).equalsIgnoreCase(p)) {
                return true;
            }
        }
        return false;
    }

    /** User {@code u} is new or one of its dates changed: the date indexes find it under its dates. */
    private void indexFlips(int u) {
        for (DateIndex index : dateIndexes.values()) {
            index.add(u);
        }
    }

    @Override
    public void advanceClock(Tenant tenant, long epochSeconds, Sink sink) {
        ensure(tenant);
        long was = clock[0];
        if (was == epochSeconds) {
            return;
        }
        clock[0] = epochSeconds;
        if (timed.isEmpty()) {
            return;
        }
        long lo = Math.min(was, epochSeconds);
        long hi = Math.max(was, epochSeconds);
        Groups groups = tenant.groups();
        for (int i = 0; i < timed.size(); i++) {
            int g = timed.get(i);
            if (groups.isDeleted(g) || groups.rulePaused(g)) {
                continue;
            }
            // date op now + offset changes its answer when now passes date - offset
            visiting.clear();
            for (CompiledRule.TimeAtom a : compiled.get(g).timeAtoms()) {
                dateIndexes.get(a.column()).usersBetween(lo + a.offsetSeconds(), hi + a.offsetSeconds(), visiting);
            }
            // leavers before joiners (SPEC R18), each in user order
            int[] visit = visiting.toSortedArray();
            for (int pass = 0; pass < 2; pass++) {
                for (int u : visit) {
                    if (u < tenant.users().size() && !tenant.users().isDeleted(u)
                            && compiled.get(g).matches(u) == (pass == 1)) {
                        decide(groups, g, u, sink);
                    }
                }
            }
        }
    }

    /** Where licence-driven rules read users' plans (the engine sets it); rules compile against the delegate. */
    private PlanSource plans = PlanSource.NONE;
    private final PlanSource plansNow = (u, plan) -> plans.enabled(u, plan);
    /** The groups whose rules read assignedPlans, in group order. */
    private final IntArrayList licenceDriven = new IntArrayList();
    /** Per entry of {@link #licenceDriven}: the {@link #planState} bits of the plans its rule reads. */
    private final org.eclipse.collections.impl.list.mutable.primitive.LongArrayList licenceReads =
            new org.eclipse.collections.impl.list.mutable.primitive.LongArrayList();
    /** Every catalog plan a licence-driven rule reads, distinct, in the order bits were given. */
    private final IntArrayList watchedPlans = new IntArrayList();

    /** Where licence-driven rules read users' plans: the engine's resolved state. */
    @Override
    public void usePlans(PlanSource source) {
        this.plans = source;
    }

    @Override
    public boolean licenceDriven() {
        return !licenceDriven.isEmpty();
    }

    @Override
    public void licencesChanged(Tenant tenant, int u, long changed, Sink sink) {
        ensure(tenant);
        Groups groups = tenant.groups();
        for (int i = 0; i < licenceDriven.size(); i++) {
            if ((licenceReads.get(i) & changed) != 0) {
                decide(groups, licenceDriven.get(i), u, sink);
            }
        }
    }

    @Override
    public long planState(Tenant tenant, int u) {
        ensure(tenant);
        long state = 0L;
        for (int i = 0; i < watchedPlans.size(); i++) {
            if (plans.enabled(u, watchedPlans.get(i))) {
                state |= planBit(i);
            }
        }
        return state;
    }

    /** The state bit of the {@code i}-th watched plan: the 64th and later share the last bit. */
    private static long planBit(int i) {
        return 1L << Math.min(i, 63);
    }

    /** Section 4: a set of licence-driven rules that could never settle is refused ({@link LicenceCycles}). */
    @Override
    public void checkLicenceCycles(Tenant tenant, String changed, String rule) {
        LicenceCycles.check(tenant, clock, changed, rule);
    }

    /** Section 4: the accepted cycles that only add, one warning per group on one ({@link LicenceCycles#additive}). */
    @Override
    public List<String> additiveCycles(Tenant tenant, String changed, String rule) {
        return LicenceCycles.additive(tenant, clock, changed, rule);
    }

    /** By referenced group index: the memberOf groups whose rules name it. */
    private final IntObjectHashMap<IntArrayList> memberOfReaders = new IntObjectHashMap<>();
    /** The most groups with memberOf rules per tenant (Entra's documented limit). */
    public static final int MAX_MEMBER_OF_RULES = MemberOfLimits.MAX_RULES;

    @Override
    public void checkRule(String rule) {
        RuleParser.parse(rule);
    }

    @Override
    public void checkRule(Tenant tenant, String groupId, String rule) {
        Rule r = RuleParser.parse(rule);
        // what only the tenant knows: its directory extensions, its catalog's plans, its licence-driven cycles
        CompiledRule.compile(rule, tenant.directory(), clock, tenant.catalog(), PlanSource.NONE);
        checkLicenceCycles(tenant, groupId, rule);
        if (r instanceof Rule.MemberOf m) {
            MemberOfLimits.check(tenant, groupId, m, false);
            MemberOfLimits.checkNotNamed(tenant, groupId, m);
        }
    }

    @Override
    public void memberJoined(Tenant tenant, int group, int u, Sink sink) {
        ensure(tenant);
        IntArrayList ms = memberOfReaders.get(group);
        if (ms == null) {
            return;
        }
        Groups groups = tenant.groups();
        for (int i = 0; i < ms.size(); i++) {
            int m = ms.get(i);
            if (!groups.isDeleted(m) && !groups.rulePaused(m)) {
                sink.join(m, u);
            }
        }
    }

    /**
     * Makes every dynamic group of a freshly loaded tenant (not paused) have exactly the users its
     * rule selects, before the engine resolves it; a malformed rule is an error naming the group.
     */
    public void applyTo(Tenant tenant) {
        rebuild(tenant);
        Groups groups = tenant.groups();
        for (int g = 0; g < groups.size(); g++) {
            CompiledRule rule = compiled.get(g);
            if (rule != null && rule.memberOfGroups() != null) {
                try {
                    MemberOfLimits.check(tenant, groups.id(g), (Rule.MemberOf) RuleParser.parse(rule.text()), true);
                } catch (LicensimException e) {
                    throw new LicensimException("membershipRule of group \"" + groups.id(g) + "\": " + e.getMessage(), e);
                }
            }
        }
        boolean[] managed = new boolean[groups.size()];
        int[][] members = new int[groups.size()][];
        IntArrayList[] byIndex = new IntArrayList[groups.size()];
        boolean[] narrowed = new boolean[groups.size()];
        Map<String, org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<IntArrayList>> narrowByValue =
                new HashMap<>();
        Map<String, org.licensim.core.directory.StringColumn> narrowColumns = new HashMap<>();
        IntArrayList buf = new IntArrayList();
        int users = tenant.users().size();
        for (int g = 0; g < groups.size(); g++) {
            CompiledRule rule = compiled.get(g);
            if (rule == null || groups.rulePaused(g) || rule.licencePlans().length > 0) {
                continue; // a licence-driven group keeps its list: the engine settles it once licences are resolved
            }
            managed[g] = true;
            if (rule.memberOfGroups() != null) {
                continue; // set below from the groups it names
            }
            if (rule.equality() != null) {
                byIndex[g] = new IntArrayList();
                continue;
            }
            CompiledRule.Equality narrow = rule.narrowing();
            if (narrow != null) {
                // the users the equality conjunct accepts are found in the column pass, the rest tested on them
                byIndex[g] = new IntArrayList();
                narrowed[g] = true;
                narrowColumns.put(narrow.property(), narrow.column());
                var values = narrowByValue.computeIfAbsent(narrow.property(),
                        k -> new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<>());
                for (int code : narrow.foldedCodes()) {
                    values.getIfAbsentPut(code, IntArrayList::new).add(g);
                }
                continue;
            }
            buf.clear();
            for (int u = 0; u < users; u++) {
                if (!tenant.users().isDeleted(u) && rule.matches(u)) {
                    buf.add(u);
                }
            }
            members[g] = buf.toArray();
        }
        // equality rules: one pass over each property's column, the accepted-value index names the groups
        columnPass(tenant, byValue, valueColumns, byIndex);
        columnPass(tenant, narrowByValue, narrowColumns, byIndex);
        for (int g = 0; g < byIndex.length; g++) {
            if (narrowed[g]) {
                CompiledRule rule = compiled.get(g);
                IntArrayList candidates = byIndex[g];
                buf.clear();
                for (int i = 0; i < candidates.size(); i++) {
                    if (rule.matches(candidates.get(i))) {
                        buf.add(candidates.get(i));
                    }
                }
                byIndex[g] = new IntArrayList(buf.toArray());
            }
        }
        for (int g = 0; g < byIndex.length; g++) {
            if (byIndex[g] != null) {
                members[g] = byIndex[g].toArray();
            }
        }
        // memberOf groups take the members the others now have (a memberOf group names no memberOf group)
        boolean any = false;
        boolean[] second = new boolean[groups.size()];
        int[][] memberOf = new int[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            CompiledRule rule = compiled.get(g);
            if (managed[g] && rule.memberOfGroups() != null) {
                managed[g] = false;
                second[g] = true;
                any = true;
            }
        }
        tenant.directory().replaceMembers(managed, members);
        if (any) {
            for (int g = 0; g < groups.size(); g++) {
                if (!second[g]) {
                    continue;
                }
                // the listed members stay (a member who left a named group stays until the rule changes, as
                // Entra documents), and the named groups' members join
                org.roaringbitmap.RoaringBitmap union = groups.userMembers(g).clone();
                for (int child : compiled.get(g).memberOfGroups()) {
                    if (!groups.isDeleted(child)) {
                        union.or(groups.userMembers(child));
                    }
                }
                memberOf[g] = union.toArray();
            }
            tenant.directory().replaceMembers(second, memberOf);
        }
    }

    @Override
    public void userChanging(Tenant tenant, int u, Iterable<String> changedProperties) {
        ensure(tenant);
        oldCodes.clear();
        oldCodesUser = u;
        for (String p : changedProperties) {
            String key = p.toLowerCase(java.util.Locale.ROOT);
            org.licensim.core.directory.StringColumn col = valueColumns.get(key);
            if (col != null) {
                oldCodes.put(key, col.dictionary().foldedCode(col.code(u)));
            }
        }
    }

    /**
     * Re-evaluates the rules a change of the user's properties may affect: for a property that
     * equality rules read ({@code department -in [...]}), only those accepting the old or the new
     * value (when {@link #userChanging} noted the old one), plus every other rule reading it.
     * A rule accepting neither value excluded the user before and still does.
     */
    @Override
    public void userChanged(Tenant tenant, int u, Iterable<String> changedProperties, Sink sink) {
        ensure(tenant);
        if (!timed.isEmpty()) {
            for (String p : changedProperties) {
                if (isDateProperty(p)) {
                    indexFlips(u); // the old date's entry stays: visiting the user again decides nothing new
                    break;
                }
            }
        }
        Groups groups = tenant.groups();
        if (affected.length < groups.size()) {
            affected = new boolean[groups.size() + 64];
        }
        int[] range = this.range;
        range[0] = Integer.MAX_VALUE;
        range[1] = -1;
        for (String p : changedProperties) {
            String key = p.toLowerCase(java.util.Locale.ROOT);
            var values = byValue.get(key);
            if (values != null && oldCodesUser == u && oldCodes.containsKey(key)) {
                org.licensim.core.directory.StringColumn col = valueColumns.get(key);
                mark(values.get(oldCodes.get(key)), range);
                mark(values.get(col.dictionary().foldedCode(col.code(u))), range);
                mark(otherReaders.get(key), range);
            } else {
                mark(readers.get(key), range);
            }
        }
        oldCodesUser = -1;
        int lo = range[0];
        int hi = range[1];
        for (int g = lo; g <= hi; g++) {
            if (!affected[g]) {
                continue;
            }
            affected[g] = false;
            decide(groups, g, u, sink);
        }
    }

    /** Group {@code g}'s rule decides user {@code u} (a deleted group, or a paused rule, decides nothing). */
    private void decide(Groups groups, int g, int u, Sink sink) {
        if (groups.isDeleted(g) || groups.rulePaused(g)) {
            return;
        }
        if (compiled.get(g).matches(u)) {
            sink.join(g, u);
        } else {
            sink.leave(g, u);
        }
    }

    /** Lowest and highest group index {@link #mark} flagged (reused per change: no allocation per event). */
    private final int[] range = new int[2];

    private void mark(IntArrayList gs, int[] range) {
        if (gs == null) {
            return;
        }
        for (int i = 0; i < gs.size(); i++) {
            int g = gs.get(i);
            affected[g] = true;
            range[0] = Math.min(range[0], g);
            range[1] = Math.max(range[1], g);
        }
    }

    /** Scratch: which groups an attribute change touches (indexed by group, cleared after use). */
    private boolean[] affected = new boolean[64];

    @Override
    public void userCreated(Tenant tenant, int u, Sink sink) {
        ensure(tenant);
        indexFlips(u);
        Groups groups = tenant.groups();
        for (int g = 0; g < groups.size(); g++) {
            CompiledRule rule = compiled.get(g);
            if (rule != null && !groups.isDeleted(g) && !groups.rulePaused(g) && rule.matches(u)) {
                sink.join(g, u);
            }
        }
    }

    @Override
    public void ruleChanged(Tenant tenant, int group, Sink sink) {
        rebuild(tenant);
        CompiledRule rule = compiled.get(group);
        if (rule == null || tenant.groups().rulePaused(group)) {
            return;
        }
        // SPEC R18: a change that moves several users takes from all it takes from before it gives to
        // any, so the seats the leavers free serve the joiners; each pass in user order
        for (int u = 0; u < tenant.users().size(); u++) {
            if (!tenant.users().isDeleted(u) && !rule.matches(u)) {
                sink.leave(group, u);
            }
        }
        for (int u = 0; u < tenant.users().size(); u++) {
            if (!tenant.users().isDeleted(u) && rule.matches(u)) {
                sink.join(group, u);
            }
        }
    }

    private void ensure(Tenant tenant) {
        if (compiledFor != tenant) {
            rebuild(tenant);
        }
    }

    /** Compiles every live dynamic group's rule and indexes which properties each reads. */
    private void rebuild(Tenant tenant) {
        if (compiledFor != tenant && !nowGiven && tenant.evaluatedAt() != null) {
            clock[0] = tenant.evaluatedAt(); // a tenant read from a snapshot starts at the time it was written
        }
        compiled.clear();
        memberOfReaders.clear();
        licenceDriven.clear();
        licenceReads.clear();
        watchedPlans.clear();
        timed.clear();
        dateIndexes.clear();
        readers.clear();
        byValue.clear();
        valueColumns.clear();
        otherReaders.clear();
        Groups groups = tenant.groups();
        for (int g = 0; g < groups.size(); g++) {
            if (groups.isDeleted(g) || !groups.isDynamic(g)) {
                continue;
            }
            CompiledRule rule;
            try {
                rule = CompiledRule.compile(groups.membershipRule(g), tenant.directory(), clock, tenant.catalog(), plansNow);
            } catch (RuleException e) {
                throw new LicensimException("membershipRule of group \"" + groups.id(g) + "\": " + e.getMessage(), e);
            }
            compiled.put(g, rule);
            int gg = g;
            if (rule.memberOfGroups() != null) {
                for (int child : rule.memberOfGroups()) {
                    memberOfReaders.getIfAbsentPut(child, IntArrayList::new).add(gg);
                }
            }
            if (!rule.timeAtoms().isEmpty()) {
                timed.add(gg);
                for (CompiledRule.TimeAtom a : rule.timeAtoms()) {
                    dateIndexes.computeIfAbsent(a.column(), c -> new DateIndex(c, tenant.users().size()));
                }
            }
            if (rule.licencePlans().length > 0) {
                licenceDriven.add(gg);
                long bits = 0L;
                for (int plan : rule.licencePlans()) {
                    int i = watchedPlans.indexOf(plan);
                    if (i < 0) {
                        i = watchedPlans.size();
                        watchedPlans.add(plan);
                    }
                    bits |= planBit(i);
                }
                licenceReads.add(bits);
            }
            CompiledRule.Equality eq = rule.equality();
            for (String p : rule.reads()) {
                String key = p.toLowerCase(java.util.Locale.ROOT);
                readers.computeIfAbsent(key, k -> new IntArrayList()).add(gg);
                if (eq == null || !eq.property().equals(key)) {
                    otherReaders.computeIfAbsent(key, k -> new IntArrayList()).add(gg);
                }
            }
            if (eq != null) {
                valueColumns.put(eq.property(), eq.column());
                var values = byValue.computeIfAbsent(eq.property(),
                        k -> new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<>());
                for (int code : eq.foldedCodes()) {
                    values.getIfAbsentPut(code, IntArrayList::new).add(gg);
                }
            }
        }
        compiledFor = tenant;
    }

    /**
     * One pass over each property's column: every user whose value one of {@code byValue}'s
     * codes names joins the candidate list of each group the code lists.
     */
    private static void columnPass(Tenant tenant,
                                   Map<String, org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<IntArrayList>> byValue,
                                   Map<String, org.licensim.core.directory.StringColumn> columns, IntArrayList[] byIndex) {
        int users = tenant.users().size();
        for (var e : byValue.entrySet()) {
            org.licensim.core.directory.StringColumn col = columns.get(e.getKey());
            var values = e.getValue();
            org.licensim.core.directory.Dictionary d = col.dictionary();
            for (int u = 0; u < users; u++) {
                int code = col.code(u);
                if (code == org.licensim.core.directory.Dictionary.NULL || tenant.users().isDeleted(u)) {
                    continue;
                }
                IntArrayList gs = values.get(d.foldedCode(code));
                if (gs == null) {
                    continue;
                }
                for (int i = 0; i < gs.size(); i++) {
                    IntArrayList list = byIndex[gs.get(i)];
                    if (list != null) {
                        list.add(u);
                    }
                }
            }
        }
    }
}
