package org.licensim.core.rules;

import org.licensim.core.directory.Tenant;

/**
 * How the engine learns dynamic group membership (SPEC R19): {@link RuleMembership} evaluates
 * each group's rule; {@link #MEMBER_LISTS} keeps every group's membership as its member list,
 * whatever its rule says (for tests and benchmarks that measure the engine without the rules).
 * It lives beside the rule language so that the engine depends on the rules, not the reverse.
 */
public interface DynamicMembership {
    /** Receives the membership changes an evaluation decided. */
    interface Sink {
        void join(int group, int user);

        void leave(int group, int user);
    }

    /** Whether members of {@code group} are set by its rule (manual MemberAdded/Removed is then refused). */
    boolean managesMembers(Tenant tenant, int group);

    /** Checks a rule before a group gets it; throws {@link org.licensim.core.LicensimException} if malformed. */
    void checkRule(String rule);

    /**
     * Checks a rule against the tenant before group {@code groupId} (new or existing) gets it:
     * what a rule may refer to (memberOf's groups) is known only there.
     */
    default void checkRule(Tenant tenant, String groupId, String rule) {
        checkRule(rule);
    }

    /**
     * User {@code u} just became a direct member of {@code group}: memberOf rules naming that
     * group take the user in too (SPEC section 4). A user leaving it stays, as Entra documents.
     */
    default void memberJoined(Tenant tenant, int group, int u, Sink sink) {
    }

    /**
     * Told before user {@code u}'s {@code changedProperties} take their new values, so that an
     * implementation can note the old ones ({@link #userChanged} follows).
     */
    default void userChanging(Tenant tenant, int u, Iterable<String> changedProperties) {
    }

    /** Re-evaluates the rules of groups a change of {@code changedProperties} of user {@code u} may affect. */
    void userChanged(Tenant tenant, int u, Iterable<String> changedProperties, Sink sink);

    /** Evaluates a new user against every rule (a rule may read a property the user was created without). */
    default void userCreated(Tenant tenant, int u, Sink sink) {
        userChanged(tenant, u, java.util.List.of(), sink);
    }

    /**
     * Moves system.now (epoch seconds) for time-driven rules (section 4) and re-evaluates the
     * users whose membership the time passed may have changed (only those: an index by date).
     */
    default void advanceClock(Tenant tenant, long epochSeconds, Sink sink) {
    }

    /** Where licence-driven rules read users' plans (the engine's state); ignored without such rules. */
    default void usePlans(PlanSource plans) {
    }

    /** Whether some rule reads assignedPlans (membership follows the user's licences). */
    default boolean licenceDriven() {
        return false;
    }

    /** User {@code u}'s licences may have changed: its licence-driven memberships are decided again. */
    default void licencesChanged(Tenant tenant, int u, Sink sink) {
        licencesChanged(tenant, u, ALL_PLANS, sink);
    }

    /** Every plan a licence-driven rule reads, for {@link #licencesChanged(Tenant, int, long, Sink)}. */
    long ALL_PLANS = -1L;

    /**
     * Like {@link #licencesChanged(Tenant, int, Sink)}, deciding only the rules that read a plan in
     * {@code changed}, a set of {@link #planState} bits ({@link #ALL_PLANS}: every rule).
     */
    default void licencesChanged(Tenant tenant, int u, long changed, Sink sink) {
    }

    /**
     * The plans licence-driven rules read that user {@code u} has now, one bit each (a rule set
     * reading more than 64 plans shares the last bit among the rest); two states XORed give the
     * plans that moved.
     */
    default long planState(Tenant tenant, int u) {
        return 0L;
    }

    /**
     * Refuses a set of licence-driven rules that could never settle, as it would be with group
     * {@code groupId} given {@code rule} (null: its rule as it is), naming the cycle.
     */
    default void checkLicenceCycles(Tenant tenant, String groupId, String rule) {
    }

    /**
     * The licence-driven cycles that only add (accepted: they settle), as they would be with group
     * {@code groupId} given {@code rule} (null: as it is): one warning per group on one, saying
     * that its members keep themselves in (section 4; what {@code validate} and {@code preview-rule} print).
     */
    default java.util.List<String> additiveCycles(Tenant tenant, String groupId, String rule) {
        return java.util.List.of();
    }

    /** Whether some rule compares a date with system.now (membership changes with time alone). */
    default boolean timeDriven() {
        return false;
    }

    /** system.now of the time-driven rules (epoch seconds), or {@link Long#MIN_VALUE} when there is none. */
    default long now() {
        return Long.MIN_VALUE;
    }

    /** Re-evaluates every user for a group whose rule or processing state changed. */
    void ruleChanged(Tenant tenant, int group, Sink sink);

    DynamicMembership MEMBER_LISTS = new DynamicMembership() {
        @Override
        public boolean managesMembers(Tenant tenant, int group) {
            return false;
        }

        @Override
        public void checkRule(String rule) {
            // rules are stored, not evaluated, until the rule language is given to the engine
        }

        @Override
        public void userChanged(Tenant tenant, int u, Iterable<String> changedProperties, Sink sink) {
            // member lists do not depend on attributes
        }

        @Override
        public void ruleChanged(Tenant tenant, int group, Sink sink) {
            // member lists do not depend on rules
        }
    };
}
