package org.licensim.core.engine;

import org.licensim.core.LicensimException;
import org.licensim.core.event.Event;

/**
 * An event the engine refused (SPEC R22 and the rules that reject at once: R8, R14, R15, and a
 * direct assignment that fails). Nothing changed. The message names the event, its seq and the
 * offending value; {@link #reason()} says what kind of refusal it was, so callers group and test
 * by kind rather than by the words.
 */
public final class Rejection extends LicensimException {
    /** What kind of refusal. */
    public enum Reason {
        /** The event's seq is not after the last applied one, or too large. */
        SEQ_OUT_OF_ORDER("seq out of order"),
        UNKNOWN_USER("unknown user"),
        UNKNOWN_GROUP("unknown group"),
        /** A member id that is neither a user nor a group. */
        UNKNOWN_MEMBER("unknown member"),
        /** A product not in the catalog, ambiguous, or not among the tenant's subscribedSkus. */
        UNKNOWN_PRODUCT("unknown product"),
        /** A disabled plan that is not a plan of the product. */
        UNKNOWN_PLAN("unknown plan"),
        /** A new user or group id that is already used (ids are never reused). */
        ID_IN_USE("id already used"),
        /** A new user or group id longer than {@link org.licensim.core.directory.Ids#MAX_LENGTH} characters. */
        ID_TOO_LONG("id too long"),
        /** More users than licensim supports in one tenant. */
        TENANT_TOO_LARGE("tenant too large"),
        /** A group made a member of itself. */
        SELF_MEMBERSHIP("group in itself"),
        /** A manual member change on a group whose members come from its rule (R19). */
        DYNAMIC_GROUP("dynamic group"),
        /** A membership rule that does not parse (section 4). */
        MALFORMED_RULE("malformed rule"),
        /** Group-based licensing needs a paid directory plan (R22). */
        GROUP_LICENSING_DISABLED("group licensing not enabled"),
        /** Only security groups can be assigned products (R8). */
        NOT_SECURITY_GROUP("not a security group"),
        /** The product is already assigned to that group or directly to that user. */
        ALREADY_ASSIGNED("already assigned"),
        /** The group does not assign the product, or the user has no direct assignment of it (R8). */
        NOT_ASSIGNED("not assigned"),
        /** A group that still assigns products, or still holds a licence back on a user, cannot be deleted (R8, R14). */
        GROUP_STILL_LICENSED("group still licensed"),
        /** A prerequisite plan would be missing (R14). */
        DEPENDENCY_VIOLATION("missing prerequisite"),
        /** A direct assignment to a user without usage location (R15). */
        NO_USAGE_LOCATION("no usage location"),
        /** A direct assignment that failed for want of seats (R10). */
        COUNT_VIOLATION("no seats left"),
        /** A direct assignment whose plans conflict with the user's (R13). */
        MUTUALLY_EXCLUSIVE_VIOLATION("conflicting plans"),
        /** A direct assignment of a plan prohibited in the user's usage location (R15). */
        PROHIBITED_IN_USAGE_LOCATION_VIOLATION("prohibited in usage location"),
        /** A direct assignment of an Exchange plan to a user whose proxy address is taken (R16). */
        UNIQUENESS_VIOLATION("proxy address in use"),
        /** A user property the tenant does not have (an undeclared directory extension) or a value of the wrong type. */
        UNKNOWN_PROPERTY("unknown property"),
        /** Licence-driven rules that would never settle (section 4): a cycle of groups. */
        LICENCE_CYCLE("licence-driven cycle"),
        /** One request that adds and removes the same product (R23). */
        ADDED_AND_REMOVED("added and removed at once");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** A few words for tables that group refusals by kind. */
        public String label() {
            return label;
        }
    }

    private static final long serialVersionUID = 1L;

    private final transient Event event;
    private final Reason reason;
    private final String detail;

    Rejection(Event event, Reason reason, String why) {
        super("event seq " + event.seq() + " (" + event.type() + ") rejected: " + why);
        this.event = event;
        this.reason = reason;
        this.detail = why;
    }

    public Reason reason() {
        return reason;
    }

    /** Why, without the event's seq and type: what was wrong and the offending value. */
    public String detail() {
        return detail;
    }

    /** The event refused. */
    public Event event() {
        return event;
    }
}
