package org.licensim.core.directory;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.PlanRules;

/** A whole tenant as loaded from a snapshot: the input of a full reconcile. */
public final class Tenant {
    private TenantSettings settings;
    private final Catalog catalog;
    private final PlanRules planRules;
    private final Subscriptions subscriptions;
    private final Directory directory;
    private final Assignments assignments;
    private final PlanMasks masks;

    public Tenant(TenantSettings settings, Catalog catalog, PlanRules planRules, Subscriptions subscriptions,
                  Directory directory, Assignments assignments, PlanMasks masks) {
        this.masks = masks;
        this.settings = settings;
        this.catalog = catalog;
        this.planRules = planRules;
        this.subscriptions = subscriptions;
        this.directory = directory;
        this.assignments = assignments;
    }

    /**
     * A copy of this tenant that shares nothing mutable with it: each Monte Carlo run of a plan
     * simulates a copy of the tenant it read once, instead of reading the snapshot again. The
     * catalog and plan rules (immutable) are shared.
     */
    public Tenant copy() {
        Tenant c = new Tenant(settings, catalog, planRules, subscriptions.copy(), directory.copy(), assignments.copy(),
                masks.copy());
        if (priorStates != null) {
            var states = new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]>(priorStates.size());
            priorStates.forEachKeyValue((u, es) -> states.put(u, es.clone()));
            c.setPriorStates(states, lastAppliedSeq);
        } else {
            c.lastAppliedSeq = lastAppliedSeq;
        }
        c.evaluatedAt = evaluatedAt;
        c.commercialSubscriptions = commercialSubscriptions;
        c.reportsUnreachable = reportsUnreachable;
        c.unreachable = unreachable;
        return c;
    }

    public TenantSettings settings() {
        return settings;
    }

    public void setSettings(TenantSettings settings) {
        this.settings = settings;
    }

    public Catalog catalog() {
        return catalog;
    }

    public PlanRules planRules() {
        return planRules;
    }

    public Subscriptions subscriptions() {
        return subscriptions;
    }

    public Directory directory() {
        return directory;
    }

    public Users users() {
        return directory.users();
    }

    public Groups groups() {
        return directory.groups();
    }

    private org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]> priorStates;
    private long lastAppliedSeq = -1;

    /**
     * Resolved state the snapshot carried (users' licenseAssignmentStates), per user as entries in
     * the {@link org.licensim.core.state.StateStore} layout; null when it carried none.
     */
    public org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]> priorStates() {
        return priorStates;
    }

    public void setPriorStates(org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]> states,
                               long lastAppliedSeq) {
        this.priorStates = states;
        this.lastAppliedSeq = lastAppliedSeq;
    }

    private Long evaluatedAt;

    private java.util.List<CommercialSubscription> commercialSubscriptions = java.util.List.of();

    /** The snapshot's {@code subscriptions} (Graph's /directory/subscriptions): renewal dates and trials; may be empty. */
    public java.util.List<CommercialSubscription> commercialSubscriptions() {
        return commercialSubscriptions;
    }

    public void setCommercialSubscriptions(java.util.List<CommercialSubscription> subscriptions) {
        this.commercialSubscriptions = java.util.List.copyOf(subscriptions);
    }

    /** The snapshot's {@code evaluatedAt}: system.now (epoch seconds) its time-driven memberships were evaluated at, or null. */
    public Long evaluatedAt() {
        return evaluatedAt;
    }

    public void setEvaluatedAt(Long epochSeconds) {
        this.evaluatedAt = epochSeconds;
    }

    private boolean reportsUnreachable;
    private java.util.List<String> unreachable = java.util.List.of();

    /**
     * SPEC R24: whether the snapshot said {@code "unreachableStates": "report"} (an import from a
     * real tenant), and the states it holds that no history of accepted events reaches, each as
     * "where: the refusal the equivalent event gets". Empty for an ordinary snapshot, which is
     * refused instead.
     */
    public void setUnreachable(boolean report, java.util.List<String> states) {
        this.reportsUnreachable = report;
        this.unreachable = java.util.List.copyOf(states);
    }

    public boolean reportsUnreachable() {
        return reportsUnreachable;
    }

    public java.util.List<String> unreachable() {
        return unreachable;
    }

    /** The seq of the last event the snapshot reflects (its {@code lastAppliedSeq}), or -1. */
    public long lastAppliedSeq() {
        return lastAppliedSeq;
    }

    public PlanMasks masks() {
        return masks;
    }

    public Assignments assignments() {
        return assignments;
    }
}
