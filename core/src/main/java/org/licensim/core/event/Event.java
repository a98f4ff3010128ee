package org.licensim.core.event;

import java.time.Instant;
import java.util.List;

import org.licensim.core.directory.Subscriptions.PrepaidUnits;
import org.licensim.core.directory.UserData;

/** One change to a tenant. {@code seq} orders events and is the cause id of every change they make. */
public sealed interface Event {
    /** The largest seq licensim supports (an R11 key holds the seq in 36 bits). */
    long MAX_SEQ = (1L << 36) - 1;

    long seq();

    Instant time();

    /** Which of the event types this is. */
    Kind kind();

    /** Hands this event to {@code h}'s method for its type. */
    <X extends Exception> void accept(Handler<X> h) throws X;

    /** The event's {@code type} as written in JSON Lines. */
    default String type() {
        return kind().name();
    }

    /**
     * The event types, in the order of docs/FORMATS.md (and of every per-type array); a name is
     * the {@code type} of the JSON Lines feed. A switch expression over kinds (no default) does
     * not compile until it covers every one.
     */
    enum Kind {
        UserCreated, UserDeleted, UserAttributesChanged, MemberAdded, MemberRemoved,
        GroupCreated, GroupDeleted, GroupRuleChanged, LicenseAssignedToGroup, LicenseRemovedFromGroup,
        GroupDisabledPlansChanged, LicenseAssignedToUser, LicenseRemovedFromUser, AssignLicense, UnitsChanged, Reprocess;

        /** The kind named {@code type} in a feed, or null. */
        public static Kind named(String type) {
            for (Kind k : values()) {
                if (k.name().equals(type)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * Whatever does something per event type: one method per type, so that a new event type
     * does not compile until every handler (the engine's, the feed writer, ...) has its method.
     *
     * @param <X> the checked exception the handler may throw ({@link RuntimeException} for none)
     */
    interface Handler<X extends Exception> {
        void on(UserCreated e) throws X;

        void on(UserDeleted e) throws X;

        void on(UserAttributesChanged e) throws X;

        void on(MemberAdded e) throws X;

        void on(MemberRemoved e) throws X;

        void on(GroupCreated e) throws X;

        void on(GroupDeleted e) throws X;

        void on(GroupRuleChanged e) throws X;

        void on(LicenseAssignedToGroup e) throws X;

        void on(LicenseRemovedFromGroup e) throws X;

        void on(GroupDisabledPlansChanged e) throws X;

        void on(LicenseAssignedToUser e) throws X;

        void on(LicenseRemovedFromUser e) throws X;

        void on(AssignLicense e) throws X;

        void on(UnitsChanged e) throws X;

        void on(Reprocess e) throws X;
    }

    record UserCreated(long seq, Instant time, UserData user) implements Event {

        @Override
        public Kind kind() {
            return Kind.UserCreated;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    record UserDeleted(long seq, Instant time, String userId) implements Event {

        @Override
        public Kind kind() {
            return Kind.UserDeleted;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    /** {@code attributes} holds only the properties that change. */
    record UserAttributesChanged(long seq, Instant time, String userId, UserData attributes) implements Event {

        @Override
        public Kind kind() {
            return Kind.UserAttributesChanged;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    record MemberAdded(long seq, Instant time, String groupId, String memberId) implements Event {

        @Override
        public Kind kind() {
            return Kind.MemberAdded;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    record MemberRemoved(long seq, Instant time, String groupId, String memberId) implements Event {

        @Override
        public Kind kind() {
            return Kind.MemberRemoved;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    /** A new group; {@code members} are user or group ids. */
    record GroupCreated(long seq, Instant time, String groupId, String displayName, boolean securityEnabled,
                        String membershipRule, boolean paused, List<String> members) implements Event {

        @Override
        public Kind kind() {
            return Kind.GroupCreated;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    record GroupDeleted(long seq, Instant time, String groupId) implements Event {

        @Override
        public Kind kind() {
            return Kind.GroupDeleted;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    /** A new rule (null: the group becomes an assigned group) and processing state. */
    record GroupRuleChanged(long seq, Instant time, String groupId, String membershipRule, boolean paused)
            implements Event {

        @Override
        public Kind kind() {
            return Kind.GroupRuleChanged;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    record LicenseAssignedToGroup(long seq, Instant time, String groupId, String skuId, List<String> disabledPlans)
            implements Event {

        @Override
        public Kind kind() {
            return Kind.LicenseAssignedToGroup;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    record LicenseRemovedFromGroup(long seq, Instant time, String groupId, String skuId) implements Event {

        @Override
        public Kind kind() {
            return Kind.LicenseRemovedFromGroup;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    record GroupDisabledPlansChanged(long seq, Instant time, String groupId, String skuId, List<String> disabledPlans)
            implements Event {

        @Override
        public Kind kind() {
            return Kind.GroupDisabledPlansChanged;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    record LicenseAssignedToUser(long seq, Instant time, String userId, String skuId, List<String> disabledPlans)
            implements Event {

        @Override
        public Kind kind() {
            return Kind.LicenseAssignedToUser;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    record LicenseRemovedFromUser(long seq, Instant time, String userId, String skuId) implements Event {

        @Override
        public Kind kind() {
            return Kind.LicenseRemovedFromUser;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    record UnitsChanged(long seq, Instant time, String skuId, PrepaidUnits prepaidUnits) implements Event {

        @Override
        public Kind kind() {
            return Kind.UnitsChanged;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    /**
     * Graph's {@code assignLicense(addLicenses, removeLicenses)} on a user ({@code userId}) or a
     * group ({@code groupId}): licences added and removed in one request, judged on the state
     * after both (SPEC R23). Adding a product already assigned there sets its disabled plans.
     */
    record AssignLicense(long seq, Instant time, String userId, String groupId, List<AddedLicense> addLicenses,
                         List<String> removeLicenses) implements Event {

        @Override
        public Kind kind() {
            return Kind.AssignLicense;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }

    /** One entry of {@link AssignLicense#addLicenses}: Graph's {@code assignedLicense}. */
    record AddedLicense(String skuId, List<String> disabledPlans) {
    }

    /** Retry failed sources (SPEC R18) of one user or of every member of one group: exactly one id is set. */
    record Reprocess(long seq, Instant time, String userId, String groupId) implements Event {

        @Override
        public Kind kind() {
            return Kind.Reprocess;
        }

        @Override
        public <X extends Exception> void accept(Handler<X> h) throws X {
            h.on(this);
        }
    }
}
