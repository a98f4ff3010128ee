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

    /** The event's {@code type} as written in JSON Lines. */
    default String type() {
        return getClass().getSimpleName();
    }

    record UserCreated(long seq, Instant time, UserData user) implements Event {
    }

    record UserDeleted(long seq, Instant time, String userId) implements Event {
    }

    /** {@code attributes} holds only the properties that change. */
    record UserAttributesChanged(long seq, Instant time, String userId, UserData attributes) implements Event {
    }

    record MemberAdded(long seq, Instant time, String groupId, String memberId) implements Event {
    }

    record MemberRemoved(long seq, Instant time, String groupId, String memberId) implements Event {
    }

    /** A new group; {@code members} are user or group ids. */
    record GroupCreated(long seq, Instant time, String groupId, String displayName, boolean securityEnabled,
                        String membershipRule, boolean paused, List<String> members) implements Event {
    }

    record GroupDeleted(long seq, Instant time, String groupId) implements Event {
    }

    /** A new rule (null: the group becomes an assigned group) and processing state. */
    record GroupRuleChanged(long seq, Instant time, String groupId, String membershipRule, boolean paused)
            implements Event {
    }

    record LicenseAssignedToGroup(long seq, Instant time, String groupId, String skuId, List<String> disabledPlans)
            implements Event {
    }

    record LicenseRemovedFromGroup(long seq, Instant time, String groupId, String skuId) implements Event {
    }

    record GroupDisabledPlansChanged(long seq, Instant time, String groupId, String skuId, List<String> disabledPlans)
            implements Event {
    }

    record LicenseAssignedToUser(long seq, Instant time, String userId, String skuId, List<String> disabledPlans)
            implements Event {
    }

    record LicenseRemovedFromUser(long seq, Instant time, String userId, String skuId) implements Event {
    }

    record UnitsChanged(long seq, Instant time, String skuId, PrepaidUnits prepaidUnits) implements Event {
    }

    /** Retry failed sources (SPEC R18) of one user or of every member of one group: exactly one id is set. */
    /**
     * Graph's {@code assignLicense(addLicenses, removeLicenses)} on a user ({@code userId}) or a
     * group ({@code groupId}): licences added and removed in one request, judged on the state
     * after both (SPEC R23). Adding a product already assigned there sets its disabled plans.
     */
    record AssignLicense(long seq, Instant time, String userId, String groupId, List<AddedLicense> addLicenses,
                         List<String> removeLicenses) implements Event {
    }

    /** One entry of {@link AssignLicense#addLicenses}: Graph's {@code assignedLicense}. */
    record AddedLicense(String skuId, List<String> disabledPlans) {
    }

    record Reprocess(long seq, Instant time, String userId, String groupId) implements Event {
    }
}
