package org.licensim.core.engine;

import java.util.List;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.PlanRules;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Ids;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Rejection.Reason;
import org.licensim.core.engine.resolve.RulePlans;
import org.licensim.core.engine.resolve.SeatLedger;
import org.licensim.core.event.Event;
import org.licensim.core.state.States;

/**
 * The checks an event passes before it changes anything (SPEC R22: unknown ids, plans not in
 * the product; R8, R14, R15 refusals) and the words of every refusal: each names the event,
 * the offending value and, where it helps, what is allowed. Users are named by
 * userPrincipalName, groups by display name, products and plans by Microsoft's names with the
 * part number beside ({@link #userRef}, {@link #groupRef}, {@link #name}); an id the tenant does
 * not know is quoted as given. The names are looked up only when a refusal is phrased, never on
 * the way of an event that is applied; the refused event carries the ids.
 */
final class Requests {
    private final Tenant tenant;
    private final Users users;
    private final Groups groups;
    private final Assignments asg;
    private final Subscriptions subs;
    private final RulePlans rules;
    private final SeatLedger ledger;

    Requests(Tenant tenant, RulePlans rules, SeatLedger ledger) {
        this.tenant = tenant;
        this.users = tenant.users();
        this.groups = tenant.groups();
        this.asg = tenant.assignments();
        this.subs = tenant.subscriptions();
        this.rules = rules;
        this.ledger = ledger;
    }

    static Rejection reject(Event e, Reason reason, String why) {
        return new Rejection(e, reason, why);
    }

    int user(Event e, String id) {
        int u = users.indexOf(id);
        if (u < 0) {
            throw reject(e, Reason.UNKNOWN_USER, "unknown user \"" + id + "\"");
        }
        return u;
    }

    int group(Event e, String id) {
        int g = groups.indexOf(id);
        if (g < 0) {
            throw reject(e, Reason.UNKNOWN_GROUP, "unknown group \"" + id + "\"");
        }
        return g;
    }

    /** Whether {@code id} may name a new user or group (ids are never reused, and at most {@link Ids#MAX_LENGTH} long). */
    void checkNewId(Event e, String id) {
        checkNewIdButUsers(e, id);
        if (users.everExisted(id)) {
            throw idInUse(e, id);
        }
    }

    /**
     * {@link #checkNewId} without asking the users' id table: for a new user, whose one probe of
     * that table ({@link Users#addNew}) both checks and adds the id; the caller refuses with
     * {@link #idInUse} when it is taken.
     */
    void checkNewIdButUsers(Event e, String id) {
        if (Ids.tooLong(id)) {
            throw reject(e, Reason.ID_TOO_LONG, Ids.tooLongMessage(id));
        }
        if (groups.everExisted(id)) {
            throw idInUse(e, id);
        }
    }

    Rejection idInUse(Event e, String id) {
        return reject(e, Reason.ID_IN_USE, "id \"" + id + "\" is already used by a user or group (ids are never reused)");
    }

    Rejection unknownMember(Event e, String id) {
        return reject(e, Reason.UNKNOWN_MEMBER, "unknown member \"" + id + "\": neither a user nor a group");
    }

    /** The group's licence of product {@code t}; an event about a product the group does not assign is refused. */
    License assignedLicense(Event e, int g, int t) {
        License l = asg.findGroupLicense(g, t);
        if (l == null) {
            throw reject(e, Reason.NOT_ASSIGNED, groupRef(g) + " does not assign " + name(t));
        }
        return l;
    }

    /** A malformed rule is refused with the parser's column and expectation. */
    void checkRule(Event e, org.licensim.core.rules.DynamicMembership dynamic, String groupId, String rule) {
        if (rule == null) {
            return;
        }
        try {
            dynamic.checkRule(tenant, groupId, rule);
        } catch (LicensimException ex) {
            throw reject(e, Reason.MALFORMED_RULE, ex.getMessage());
        }
    }

    int product(Event e, String ref) {
        Product p;
        try {
            p = tenant.catalog().findProduct(ref);
        } catch (LicensimException ex) {
            throw reject(e, Reason.UNKNOWN_PRODUCT, ex.getMessage());
        }
        if (p == null) {
            throw reject(e, Reason.UNKNOWN_PRODUCT, "unknown product \"" + ref + "\": not in the product catalog"
                    + org.licensim.core.catalog.NearMiss.suffix(ref, org.licensim.core.catalog.NearMiss.partNumbers(tenant.catalog())));
        }
        int t = subs.indexOf(p);
        if (t < 0) {
            throw reject(e, Reason.UNKNOWN_PRODUCT, "product " + p.label()
                    + " is not among the tenant's subscribedSkus");
        }
        return t;
    }

    /** The disabled plans {@code refs} of product {@code t} as a mask over its plans (R22: each must be a plan of it). */
    long[] disabledMask(Event e, int t, List<String> refs) {
        Product p = subs.product(t);
        long[] m = new long[subs.words(t)];
        for (String ref : refs) {
            int local;
            try {
                local = tenant.catalog().findPlanInProduct(p, ref);
            } catch (LicensimException ex) {
                throw reject(e, Reason.UNKNOWN_PLAN, ex.getMessage());
            }
            if (local < 0) {
                throw reject(e, Reason.UNKNOWN_PLAN, "disabled plan \"" + ref + "\" is not a plan of product "
                        + p.label());
            }
            m[local >>> 6] |= 1L << local;
        }
        return m;
    }

    /** SPEC R14: a group's own enabled plans must satisfy every prerequisite of its add-ons. */
    void checkGroupPrerequisites(Event e, int g, int t, int newMask) {
        long union = rules.ruleMask(newMask);
        for (License l : asg.ofGroup(g)) {
            if (l.product() != t) {
                union |= rules.ruleMask(l.enabled());
            }
        }
        checkGroupPlans(e, g, union);
    }

    /** SPEC R14 on the union {@code union} (rule bits) of every licence group {@code g} would assign. */
    void checkGroupPlans(Event e, int g, long union) {
        long missing = rules.unmet(union);
        if (missing != 0) {
            throw reject(e, Reason.DEPENDENCY_VIOLATION, "license operation failed for " + groupRef(g) + ": "
                    + describeUnmet(missing) + "; the group must have the prerequisite services itself (SPEC R14)");
        }
    }

    /** The prerequisites of the rule bits {@code bits} in words: "the service X requires Y or Z to be enabled as well". */
    String describeUnmet(long bits) {
        StringBuilder sb = new StringBuilder();
        for (long rest = bits; rest != 0; rest &= rest - 1) {
            int b = Long.numberOfTrailingZeros(rest);
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(tenant.planRules().requirement(rules.catalogPlan(b), tenant.catalog()));
        }
        return sb.toString();
    }

    /** A direct assignment that failed with {@code error} (a States error code), refused with the reason. */
    Rejection assignmentFailed(Event e, int u, int t, int error) {
        Reason reason = switch (error) {
            case States.COUNT_VIOLATION -> Reason.COUNT_VIOLATION;
            case States.MUTUALLY_EXCLUSIVE_VIOLATION -> Reason.MUTUALLY_EXCLUSIVE_VIOLATION;
            case States.PROHIBITED_IN_USAGE_LOCATION_VIOLATION -> Reason.PROHIBITED_IN_USAGE_LOCATION_VIOLATION;
            case States.UNIQUENESS_VIOLATION -> Reason.UNIQUENESS_VIOLATION;
            default -> throw new IllegalStateException("a failed unit reported error " + error);
        };
        return reject(e, reason, "cannot assign " + name(t) + " to " + userRef(u) + ": " + explain(error, u, t)
                + " (" + States.errorNameOf(error) + ")");
    }

    private String explain(int error, int u, int t) {
        return switch (error) {
            case States.COUNT_VIOLATION -> "no seats left, " + ledger.consumed(t) + " of " + ledger.capacity(t)
                    + " consumed";
            case States.MUTUALLY_EXCLUSIVE_VIOLATION -> "its plans conflict with plans the user already has";
            case States.PROHIBITED_IN_USAGE_LOCATION_VIOLATION -> "a plan of it is not allowed in usage location "
                    + users.usageLocation().get(u);
            case States.UNIQUENESS_VIOLATION -> "proxy address is already being used";
            default -> "error " + error;
        };
    }

    /** Product {@code t} as people read it: "Office 365 E3 (ENTERPRISEPACK)". */
    String name(int t) {
        return subs.product(t).label();
    }

    /** {@code user "adele.vance@contoso.com"}: the user by userPrincipalName (its id when it has none). */
    String userRef(int u) {
        return "user \"" + users.nameOf(u) + "\"";
    }

    /** {@code group "Sales - Office 365 E3"}: the group by display name (its id when it has none). */
    String groupRef(int g) {
        return "group \"" + groups.nameOf(g) + "\"";
    }

    String productNames(License[] ls) {
        StringBuilder sb = new StringBuilder();
        for (License l : ls) {
            sb.append(sb.length() == 0 ? "" : ", ").append(name(l.product()));
        }
        return sb.toString();
    }
}
