package org.licensim.core.engine.resolve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectLongHashMap;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.PlanRules;
import org.licensim.core.directory.Dictionary;
import org.licensim.core.directory.PlanMasks;
import org.licensim.core.directory.Tenant;

/**
 * The plan rules compiled for one tenant. Only plans that some rule mentions matter to SPEC
 * R13-R16, so each gets a bit of one {@code long} ("rule bits", at most 64), and every interned
 * plan mask gets its rule-bit projection once. A conflict check is then a few ANDs per source.
 */
public final class RulePlans {
    static final int MAX_RULE_PLANS = 64;

    private final Tenant tenant;
    private final int[] catalogPlanOfBit;
    private final int[][] bitOfLocalPlan;
    private final long[] conflictsOf = new long[MAX_RULE_PLANS];
    /** The rule bits that conflict with some other plan (their {@link #conflictsOf} is not 0). */
    private long conflicting;
    private final long[][] prerequisitesOf = new long[MAX_RULE_PLANS][];
    private long dependents;
    private final ObjectLongHashMap<String> prohibitedByCountry = new ObjectLongHashMap<>();
    private final long unique;
    private final LongArrayList ruleOfMask = new LongArrayList();
    private final LongArrayList prohibitedByLocationCode = new LongArrayList();
    private final long prohibitedAtDefault;

    public RulePlans(Tenant tenant) {
        this.tenant = tenant;
        PlanRules rules = tenant.planRules();
        // only plans some product of this tenant has can be enabled, so only they need a rule bit
        org.eclipse.collections.impl.set.mutable.primitive.IntHashSet inTenant =
                new org.eclipse.collections.impl.set.mutable.primitive.IntHashSet();
        for (int t = 0; t < tenant.subscriptions().size(); t++) {
            inTenant.addAll(tenant.subscriptions().product(t).plans());
        }
        int[] mentioned = Arrays.stream(rules.mentionedPlans()).filter(inTenant::contains).toArray();
        if (mentioned.length > MAX_RULE_PLANS) {
            throw new LicensimException("the service-plan rules mention " + mentioned.length + " plans of this "
                    + "tenant's products; licensim supports at most " + MAX_RULE_PLANS + " (conflicts, prerequisites, "
                    + "prohibitions and uniqueness plans together)");
        }
        catalogPlanOfBit = mentioned;
        IntIntHashMap bitOf = new IntIntHashMap();
        for (int b = 0; b < mentioned.length; b++) {
            bitOf.put(mentioned[b], b);
        }
        int products = tenant.subscriptions().size();
        bitOfLocalPlan = new int[products][];
        for (int t = 0; t < products; t++) {
            int[] plans = tenant.subscriptions().product(t).plans();
            bitOfLocalPlan[t] = new int[plans.length];
            for (int i = 0; i < plans.length; i++) {
                bitOfLocalPlan[t][i] = bitOf.getIfAbsent(plans[i], -1);
            }
        }
        for (PlanRules.Conflict c : rules.conflicts()) {
            int a = bitOf.getIfAbsent(c.planA(), -1);
            int b = bitOf.getIfAbsent(c.planB(), -1);
            if (a < 0 || b < 0) {
                continue;
            }
            conflictsOf[a] |= 1L << b;
            conflictsOf[b] |= 1L << a;
            conflicting |= (1L << a) | (1L << b);
        }
        List<List<Long>> pre = new ArrayList<>();
        for (int b = 0; b < MAX_RULE_PLANS; b++) {
            pre.add(new ArrayList<>());
        }
        for (PlanRules.Prerequisite p : rules.prerequisites()) {
            int b = bitOf.getIfAbsent(p.plan(), -1);
            if (b < 0) {
                continue;
            }
            long any = 0; // a prerequisite no product of the tenant has can never be met: 0
            for (int a : p.anyOf()) {
                int ab = bitOf.getIfAbsent(a, -1);
                any |= ab < 0 ? 0 : 1L << ab;
            }
            pre.get(b).add(any);
            dependents |= 1L << b;
        }
        for (int b = 0; b < MAX_RULE_PLANS; b++) {
            prerequisitesOf[b] = pre.get(b).stream().mapToLong(Long::longValue).toArray();
        }
        for (PlanRules.Prohibition p : rules.prohibitions()) {
            int b = bitOf.getIfAbsent(p.plan(), -1);
            for (String country : b < 0 ? java.util.Set.<String>of() : p.countries()) {
                prohibitedByCountry.updateValue(country, 0L, v -> v | (1L << b));
            }
        }
        long u = 0;
        for (int p : rules.uniquenessPlans()) {
            int b = bitOf.getIfAbsent(p, -1);
            u |= b < 0 ? 0 : 1L << b;
        }
        unique = u;
        String dflt = tenant.settings().defaultCountry();
        prohibitedAtDefault = dflt == null ? 0 : prohibitedByCountry.getIfAbsent(dflt, 0L);
    }

    /**
     * Fills the lazy caches for every mask and usage location known now, so that worker threads
     * only read them (a reconcile interns no new masks).
     */
    public void precompute() {
        if (tenant.masks().size() > 0) {
            ruleMask(tenant.masks().size() - 1);
        }
        int locations = tenant.users().usageLocation().dictionary().size();
        if (locations > 0) {
            prohibitedAt(locations - 1);
        }
    }

    /** Rule bits enabled by interned mask {@code id} (computed once per mask). */
    public long ruleMask(int id) {
        if (id < ruleOfMask.size()) {
            return ruleOfMask.get(id);
        }
        PlanMasks masks = tenant.masks();
        for (int m = ruleOfMask.size(); m <= id; m++) {
            int t = masks.product(m);
            int[] bits = bitOfLocalPlan[t];
            long r = 0;
            for (int i = 0; i < bits.length; i++) {
                if (bits[i] >= 0 && masks.has(m, i)) {
                    r |= 1L << bits[i];
                }
            }
            ruleOfMask.add(r);
        }
        return ruleOfMask.get(id);
    }

    /** Rule bits prohibited for a user whose usage location has dictionary code {@code code} (NULL: the tenant's country). */
    public long prohibitedAt(int code) {
        if (code == Dictionary.NULL) {
            return prohibitedAtDefault;
        }
        Dictionary d = tenant.users().usageLocation().dictionary();
        for (int c = prohibitedByLocationCode.size(); c <= code; c++) {
            prohibitedByLocationCode.add(prohibitedByCountry.getIfAbsent(d.value(c), 0L));
        }
        return prohibitedByLocationCode.get(code);
    }

    public long uniqueness() {
        return unique;
    }

    /** Whether the plans of a source ({@code unit}) conflict with each other or with the user's other plans. */
    public boolean conflicts(long unit, long others) {
        long all = unit | others;
        // only a plan with a conflict can be one (a user's plans are mostly without: one test then)
        for (long rest = unit & conflicting; rest != 0; rest &= rest - 1) {
            if ((conflictsOf[Long.numberOfTrailingZeros(rest)] & all) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Dependent plans in {@code enabled} whose prerequisites {@code enabled} does not satisfy. */
    public long unmet(long enabled) {
        long out = 0;
        for (long rest = enabled & dependents; rest != 0; rest &= rest - 1) {
            int b = Long.numberOfTrailingZeros(rest);
            for (long any : prerequisitesOf[b]) {
                if ((any & enabled) == 0) {
                    out |= 1L << b;
                    break;
                }
            }
        }
        return out;
    }

    /** Catalog plan index of rule bit {@code b}, for messages. */
    public int catalogPlan(int b) {
        return catalogPlanOfBit[b];
    }

    /** The prerequisite alternatives of dependent rule bit {@code b}, for messages. */
    public long[] prerequisites(int b) {
        return Arrays.copyOf(prerequisitesOf[b], prerequisitesOf[b].length);
    }
}
