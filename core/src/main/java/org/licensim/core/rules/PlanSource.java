package org.licensim.core.rules;

/**
 * Whether a user has a service plan (catalog index) enabled on a licence it holds: what
 * licence-driven rules ({@code user.assignedPlans}, section 4) read. The engine provides it.
 */
public interface PlanSource {
    boolean enabled(int user, int catalogPlan);

    /** No user holds anything (a rule compiled before there is any state). */
    PlanSource NONE = (user, plan) -> false;
}
