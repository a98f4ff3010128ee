package org.licensim.core.rules;

import java.util.List;

/** A parsed rule: a tree of these nodes. Parse with {@link RuleParser#parse(String)}. */
public sealed interface Rule {
    record And(Rule left, Rule right) implements Rule {
    }

    record Or(Rule left, Rule right) implements Rule {
    }

    record Not(Rule inner) implements Rule {
    }

    /**
     * {@code user.property op value}. {@code values} holds the string constants (one, or the list
     * of -in/-notIn); {@code isNull} for {@code null}; {@code bool} for true/false.
     */
    record Compare(Property property, Op op, List<String> values, boolean isNull, Boolean bool, int column)
            implements Rule {
    }

    /**
     * {@code user.memberof -any (group.objectId -in ['id', ...])}: a direct member of one of the
     * groups (Entra's memberOf rules; the whole rule, never combined with others).
     */
    record MemberOf(List<String> groupIds, int column) implements Rule {
    }

    /**
     * {@code user.date -le|-ge|-lt|-gt bound}: the bound is the instant {@code at} (epoch seconds),
     * or, when {@code relative}, {@code system.now} plus {@code offsetSeconds} (negative for -minus).
     */
    record DateCompare(Property property, Op op, long at, boolean relative, long offsetSeconds, int column)
            implements Rule {
    }

    /**
     * {@code user.assignedPlans -any (assignedPlan.servicePlanId -eq "<guid>" -and
     * assignedPlan.capabilityStatus -eq "Enabled")}: the user has that service plan enabled on a
     * licence it holds (licence-driven rules, section 4).
     */
    record AssignedPlan(String servicePlanId, int column) implements Rule {
    }

    /** {@code user.collection -any (_ op value)} or {@code -all}. */
    record Quantified(Property property, boolean all, Op op, List<String> values, int column) implements Rule {
    }
}
