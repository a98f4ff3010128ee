package org.licensim.core.rules;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Tenant;

/** Entra's limits on {@code user.memberof} rules (section 4), checked when such a rule is set or loaded. */
final class MemberOfLimits {
    /** The most groups with memberOf rules per tenant (Entra's documented limit). */
    static final int MAX_RULES = 500;

    private MemberOfLimits() {
    }

    /**
     * Entra's limits for memberOf rules: the groups named exist (when the rule is set; a snapshot may
     * name one deleted since), none is the group itself or has a memberOf rule of its own, and a
     * tenant has at most {@value #MAX_RULES} such groups.
     */
    static void check(Tenant tenant, String groupId, Rule.MemberOf m, boolean atLoad) {
        Groups groups = tenant.groups();
        for (String id : m.groupIds()) {
            int g = groups.indexOf(id);
            if (atLoad && (g < 0 || groups.isDeleted(g))) {
                continue; // Entra keeps a memberOf rule whose group was deleted: it gives no members
            }
            if (g < 0 || groups.isDeleted(g)) {
                throw new LicensimException("user.memberof at column " + m.column() + ": unknown group \"" + id
                        + "\": a memberOf rule names existing groups by object id");
            }
            if (id.equals(groupId)) {
                throw new LicensimException("user.memberof at column " + m.column() + ": group \"" + id
                        + "\" cannot take its members from itself");
            }
            if (isMemberOf(groups, g)) {
                throw new LicensimException("user.memberof at column " + m.column() + ": group \"" + id
                        + "\" has a memberOf rule itself, and one memberOf group cannot define another's members "
                        + "(Entra's limit)");
            }
        }
        int count = 0;
        for (int g = 0; g < groups.size(); g++) {
            if (!groups.isDeleted(g) && !groups.id(g).equals(groupId) && isMemberOf(groups, g)) {
                count++;
            }
        }
        if (count + 1 > MAX_RULES) {
            throw new LicensimException("user.memberof at column " + m.column() + ": the tenant already has " + count
                    + " groups with memberOf rules; Entra allows at most " + MAX_RULES);
        }
    }

    static boolean isMemberOf(Groups groups, int g) {
        String rule = groups.isDynamic(g) ? groups.membershipRule(g) : null;
        if (rule == null) {
            return false;
        }
        try {
            return RuleParser.parse(rule) instanceof Rule.MemberOf;
        } catch (RuleException e) {
            return false;
        }
    }


    /** Refuses a memberOf rule for group {@code groupId} when another group's memberOf rule names it. */
    static void checkNotNamed(Tenant tenant, String groupId, Rule.MemberOf m) {
        Groups groups = tenant.groups();
        for (int g = 0; g < groups.size(); g++) {
            if (!groups.isDeleted(g) && isMemberOf(groups, g)
                    && ((Rule.MemberOf) RuleParser.parse(groups.membershipRule(g))).groupIds().contains(groupId)) {
                throw new LicensimException("user.memberof at column " + m.column() + ": group \"" + groupId
                        + "\" is named by the memberOf rule of group \"" + groups.id(g) + "\", and one memberOf group "
                        + "cannot define another's members (Entra's limit)");
            }
        }
    }
}
