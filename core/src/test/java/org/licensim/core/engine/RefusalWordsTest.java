package org.licensim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;

/**
 * The words of the engine's refusals (SPEC R22) are read by an administrator: users by
 * userPrincipalName, groups by display name, products by Microsoft's name with the part number.
 * The ids stay on the refused event, for CSV and JSON.
 */
class RefusalWordsTest {
    private static final String ADELE = "a1b2c3d4-0001-4000-8000-000000000001";
    private static final String ALEX = "a1b2c3d4-0002-4000-8000-000000000002";
    private static final String SALES = "b0000000-0000-4000-8000-0000000000a1";
    private static final String SOCIAL = "b0000000-0000-4000-8000-0000000000a5";
    private static final String DYNAMIC = "b0000000-0000-4000-8000-0000000000a6";
    private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final String SNAPSHOT = "{\"tenant\": {\"id\": \"7f3b2c1a-0d4e-4b5f-9a6c-1e2d3f4a5b6c\", "
            + "\"countryLetterCode\": \"NL\"}, \"subscribedSkus\": ["
            + "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 5}}, "
            + "{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 1}}, "
            + "{\"skuPartNumber\": \"WORKPLACE_ANALYTICS\", \"prepaidUnits\": {\"enabled\": 5}}], "
            + "\"users\": [{\"id\": \"" + ADELE + "\", \"userPrincipalName\": \"adele.vance@contoso.com\", "
            + "\"displayName\": \"Adele Vance\", \"usageLocation\": \"NL\"}, "
            + "{\"id\": \"" + ALEX + "\", \"userPrincipalName\": \"alex.wilber@contoso.com\", \"displayName\": \"Alex Wilber\"}], "
            + "\"groups\": [{\"id\": \"" + SALES + "\", \"displayName\": \"Sales - Office 365 E3\", \"securityEnabled\": true, "
            + "\"members\": [\"" + ADELE + "\", \"" + ALEX + "\"]}, "
            + "{\"id\": \"" + SOCIAL + "\", \"displayName\": \"Contoso Social\", \"securityEnabled\": false}, "
            + "{\"id\": \"" + DYNAMIC + "\", \"displayName\": \"All Finance\", \"securityEnabled\": true, "
            + "\"membershipRule\": \"user.department -eq \\\"Finance\\\"\"}], "
            + "\"assignments\": [{\"groupId\": \"" + SALES + "\", \"skuId\": \"ENTERPRISEPACK\"}, "
            + "{\"userId\": \"" + ADELE + "\", \"skuId\": \"EMS\"}]}";

    private static Rejection refuse(String eventJson) {
        Harness h = new Harness(SNAPSHOT, new org.licensim.core.rules.RuleMembership());
        Event e = new EventReader(new StringReader(eventJson), "events.jsonl").next();
        return assertThrows(Rejection.class, () -> h.engine.apply(e), eventJson);
    }

    private static String ev(String type, String fields) {
        return "{\"seq\":1,\"time\":\"2026-01-05T10:00:00Z\",\"type\":\"" + type + "\"," + fields + "}";
    }

    private static void noIds(Rejection r) {
        assertFalse(GUID.matcher(r.detail()).find(), "no id in the words people read: " + r.detail());
    }

    @Test
    @DisplayName("R8 a refusal about a group names it by display name and the product by name; the event keeps the id")
    void groupByDisplayName() {
        Rejection already = refuse(ev("LicenseAssignedToGroup", "\"groupId\":\"" + SALES + "\",\"skuId\":\"ENTERPRISEPACK\""));
        assertEquals(Rejection.Reason.ALREADY_ASSIGNED, already.reason());
        assertEquals("group \"Sales - Office 365 E3\" already assigns Office 365 E3 (ENTERPRISEPACK); change its plans "
                + "with GroupDisabledPlansChanged", already.detail());
        assertEquals(SALES, ((Event.LicenseAssignedToGroup) already.event()).groupId());
        noIds(already);

        Rejection notSecurity = refuse(ev("LicenseAssignedToGroup", "\"groupId\":\"" + SOCIAL + "\",\"skuId\":\"EMS\""));
        assertEquals("group \"Contoso Social\" is not a security group: only security groups can be assigned products "
                + "(SPEC R8)", notSecurity.detail());

        Rejection notAssigned = refuse(ev("LicenseRemovedFromGroup", "\"groupId\":\"" + SOCIAL + "\",\"skuId\":\"EMS\""));
        assertEquals("group \"Contoso Social\" does not assign Enterprise Mobility + Security E3 (EMS)", notAssigned.detail());

        Rejection stillLicensed = refuse(ev("GroupDeleted", "\"groupId\":\"" + SALES + "\""));
        assertTrue(stillLicensed.detail().startsWith("group \"Sales - Office 365 E3\" still assigns Office 365 E3 "
                + "(ENTERPRISEPACK): remove its licences"), stillLicensed.detail());

        Rejection dynamic = refuse(ev("MemberAdded", "\"groupId\":\"" + DYNAMIC + "\",\"memberId\":\"" + ADELE + "\""));
        assertTrue(dynamic.detail().startsWith("group \"All Finance\" is a dynamic group"), dynamic.detail());

        Rejection itself = refuse(ev("MemberAdded", "\"groupId\":\"" + SALES + "\",\"memberId\":\"" + SALES + "\""));
        assertEquals("group \"Sales - Office 365 E3\" cannot be a member of itself", itself.detail());
        for (Rejection r : new Rejection[] {notSecurity, notAssigned, stillLicensed, dynamic, itself}) {
            noIds(r);
        }
    }

    @Test
    @DisplayName("R15 R10 R8 a refusal about a user names it by userPrincipalName, and its groups by display name")
    void userByPrincipalName() {
        Rejection noLocation = refuse(ev("LicenseAssignedToUser", "\"userId\":\"" + ALEX + "\",\"skuId\":\"EMS\""));
        assertEquals(Rejection.Reason.NO_USAGE_LOCATION, noLocation.reason());
        assertEquals("user \"alex.wilber@contoso.com\" has no usageLocation: a licence cannot be assigned directly until "
                + "one is set (SPEC R15)", noLocation.detail());
        assertEquals(ALEX, ((Event.LicenseAssignedToUser) noLocation.event()).userId());

        Rejection inherited = refuse(ev("LicenseRemovedFromUser", "\"userId\":\"" + ADELE + "\",\"skuId\":\"ENTERPRISEPACK\""));
        assertEquals("user \"adele.vance@contoso.com\" has no direct assignment of Office 365 E3 (ENTERPRISEPACK); it is "
                + "inherited from group \"Sales - Office 365 E3\" and can only be removed there (SPEC R8)", inherited.detail());

        for (Rejection r : new Rejection[] {noLocation, inherited}) {
            noIds(r);
        }
    }

    @Test
    @DisplayName("R10 a direct assignment refused for want of seats names the user, the product and the count")
    void noSeatsLeft() {
        Harness h = new Harness(SNAPSHOT, new org.licensim.core.rules.RuleMembership());
        h.engine.apply(new EventReader(new StringReader(ev("UserAttributesChanged", "\"userId\":\"" + ALEX
                + "\",\"attributes\":{\"usageLocation\":\"NL\"}")), "events.jsonl").next());
        Event e = new EventReader(new StringReader(ev("LicenseAssignedToUser", "\"userId\":\"" + ALEX + "\",\"skuId\":\"EMS\"")
                .replace("\"seq\":1", "\"seq\":2")), "events.jsonl").next();
        Rejection r = assertThrows(Rejection.class, () -> h.engine.apply(e));
        assertEquals(Rejection.Reason.COUNT_VIOLATION, r.reason());
        assertEquals("cannot assign Enterprise Mobility + Security E3 (EMS) to user \"alex.wilber@contoso.com\": no seats "
                + "left, 1 of 1 consumed (CountViolation)", r.detail());
    }
}
