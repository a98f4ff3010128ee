package org.licensim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.feed.ChangeFeed;

/**
 * SPEC R18 (Entra processes a user as a whole) and R23 (simultaneous add and remove, Graph's
 * assignLicense). Each test is one of the rules' sentences, on Microsoft's own examples where
 * the docs give one.
 */
class ProcessingModelTest {
    /** Office 365 E1 and E3, two users in the Netherlands; seats per product as given. */
    private static String tenant(int e1, int e3, String groups, String assignments) {
        return "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": ["
                + "{\"skuPartNumber\": \"STANDARDPACK\", \"prepaidUnits\": {\"enabled\": " + e1 + "}}, "
                + "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": " + e3 + "}}], "
                + "\"users\": [{\"id\": \"u1\", \"usageLocation\": \"NL\"}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}], "
                + "\"groups\": [" + groups + "], \"assignments\": [" + assignments + "]}";
    }

    private static String ev(int seq, String type, String fields) {
        return "{\"seq\":" + seq + ",\"time\":\"2026-01-0" + Math.min(9, seq) + "T10:00:00Z\",\"type\":\"" + type + "\","
                + fields + "}\n";
    }

    private static final String E1_E3_GROUPS = "{\"id\": \"GE1\", \"members\": [\"u1\"]}, {\"id\": \"GE3\", \"members\": []}";
    private static final String E1_E3 = "{\"groupId\": \"GE1\", \"skuId\": \"STANDARDPACK\"}, "
            + "{\"groupId\": \"GE3\", \"skuId\": \"ENTERPRISEPACK\"}";

    /** Feed records of event {@code seq}, as "Kind product" strings. */
    private static List<String> feedOf(Harness h, long seq) {
        ChangeFeed f = h.engine.feed();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            if (f.cause(i) == seq && f.user(i) >= 0) {
                out.add(f.kind(i) + " " + h.tenant.subscriptions().product(f.product(i)).skuPartNumber());
            }
        }
        return out;
    }

    @Test
    @DisplayName("R18 the docs' E1-to-E3 migration: leaving the E1 group clears the conflict and assigns E3 in the same step")
    void conflictClearsWhenTheConflictingLicenceGoes() {
        Harness h = new Harness(tenant(5, 5, E1_E3_GROUPS, E1_E3));
        h.events(ev(1, "MemberAdded", "\"groupId\":\"GE3\",\"memberId\":\"u1\""));
        assertEquals(List.of("STANDARDPACK|GE1|Active|None", "ENTERPRISEPACK|GE3|Error|MutuallyExclusiveViolation"),
                h.sources("u1"));
        h.events(ev(2, "MemberRemoved", "\"groupId\":\"GE1\",\"memberId\":\"u1\""));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Active|None"), h.sources("u1"));
        assertEquals(0, h.consumed("STANDARDPACK"));
        assertEquals(1, h.consumed("ENTERPRISEPACK"));
        // one event removed E1, cleared the error and assigned E3: no moment without Exchange or SharePoint
        List<String> step = feedOf(h, 2);
        assertTrue(step.contains("LicenseRemoved STANDARDPACK") && step.contains("ErrorCleared ENTERPRISEPACK")
                && step.contains("LicenseAssigned ENTERPRISEPACK"), step.toString());
        assertEquals(List.of(), h.rejections);
    }

    @Test
    @DisplayName("R18 a direct licence removed: the user's failed group licence is retried at once (E1 direct, E3 from a group)")
    void directRemovalRetriesTheUsersGroupLicence() {
        Harness h = new Harness(tenant(5, 5, "{\"id\": \"GE3\", \"members\": [\"u1\"]}",
                "{\"userId\": \"u1\", \"skuId\": \"STANDARDPACK\"}, {\"groupId\": \"GE3\", \"skuId\": \"ENTERPRISEPACK\"}"));
        assertEquals(List.of("STANDARDPACK|direct|Active|None", "ENTERPRISEPACK|GE3|Error|MutuallyExclusiveViolation"),
                h.sources("u1"));
        h.events(ev(1, "LicenseRemovedFromUser", "\"userId\":\"u1\",\"skuId\":\"STANDARDPACK\""));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Active|None"), h.sources("u1"));
    }

    @Test
    @DisplayName("R18 seats freed by one user go to nobody until the waiting user is touched; a touched user takes a free seat")
    void untouchedUsersAreNotRetried() {
        // one E3 seat: u1 holds it, u2 waits; GX is an unlicensed group
        Harness h = new Harness(tenant(5, 1, "{\"id\": \"GE3\", \"members\": [\"u1\", \"u2\"]}, "
                + "{\"id\": \"GX\", \"members\": []}", "{\"groupId\": \"GE3\", \"skuId\": \"ENTERPRISEPACK\"}"));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Error|CountViolation"), h.sources("u2"));
        h.events(ev(1, "MemberRemoved", "\"groupId\":\"GE3\",\"memberId\":\"u1\""));
        assertEquals(0, h.consumed("ENTERPRISEPACK"), "the seat is free");
        assertEquals(List.of("ENTERPRISEPACK|GE3|Error|CountViolation"), h.sources("u2"), "u2 was not touched");
        // joining a group with no licences changes nothing of u2's licensing, so it is no touch either
        h.events(ev(2, "MemberAdded", "\"groupId\":\"GX\",\"memberId\":\"u2\""));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Error|CountViolation"), h.sources("u2"));
        // a refused request changes nothing, so it touches no one
        h.events(ev(3, "LicenseAssignedToUser", "\"userId\":\"u2\",\"skuId\":\"EMS\""));
        assertEquals(1, h.rejections.size(), "EMS is not a product of this tenant: refused, no touch");
        assertEquals(List.of("ENTERPRISEPACK|GE3|Error|CountViolation"), h.sources("u2"));
        h.events(ev(4, "UserAttributesChanged", "\"userId\":\"u2\",\"attributes\":{\"usageLocation\":\"DE\"}"));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Active|None"), h.sources("u2"), "a usage location change touches the user");
        assertEquals(1, h.consumed("ENTERPRISEPACK"));
    }

    @Test
    @DisplayName("R18 an attribute no rule or check reads does not touch the user; a reprocess of the user does")
    void attributeChangesThatDoNotTouch() {
        Harness h = new Harness(tenant(5, 1, "{\"id\": \"GE3\", \"members\": [\"u1\", \"u2\"]}",
                "{\"groupId\": \"GE3\", \"skuId\": \"ENTERPRISEPACK\"}"));
        h.events(ev(1, "UnitsChanged", "\"skuId\":\"ENTERPRISEPACK\",\"prepaidUnits\":{\"enabled\":2}"));
        h.events(ev(2, "UserAttributesChanged", "\"userId\":\"u2\",\"attributes\":{\"jobTitle\":\"Engineer\"}"));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Error|CountViolation"), h.sources("u2"));
        h.events(ev(3, "Reprocess", "\"userId\":\"u2\""));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Active|None"), h.sources("u2"));
        assertEquals(List.of(), h.rejections);
    }

    @Test
    @DisplayName("R18 a held licence is never taken away to grant an older failed source: that source fails on the conflict")
    void heldLicencesStay() {
        // u1 waits for E3 (no seat), then gets E1 from a second group: in one R11 order the older E3 demand
        // is tried first and still finds no seat (CountViolation), then E1 is granted
        Harness h = new Harness(tenant(5, 0, "{\"id\": \"GE3\", \"members\": [\"u1\"]}, {\"id\": \"GE1\", \"members\": []}",
                "{\"groupId\": \"GE3\", \"skuId\": \"ENTERPRISEPACK\"}, {\"groupId\": \"GE1\", \"skuId\": \"STANDARDPACK\"}"));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Error|CountViolation"), h.sources("u1"));
        h.events(ev(1, "MemberAdded", "\"groupId\":\"GE1\",\"memberId\":\"u1\""));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Error|CountViolation", "STANDARDPACK|GE1|Active|None"),
                h.sources("u1"));
        // E3 seats arrive and u1 is reprocessed: E3 is the older demand but E1 is held, so E3 meets the conflict
        h.events(ev(2, "UnitsChanged", "\"skuId\":\"ENTERPRISEPACK\",\"prepaidUnits\":{\"enabled\":5}"));
        h.events(ev(3, "Reprocess", "\"userId\":\"u1\""));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Error|MutuallyExclusiveViolation", "STANDARDPACK|GE1|Active|None"),
                h.sources("u1"));
        assertEquals(1, h.consumed("STANDARDPACK"));
        assertEquals(0, h.consumed("ENTERPRISEPACK"));
    }

    @Test
    @DisplayName("R7 R18 a group's plans changed: the member's re-resolved unit takes its R11 place among the failed ones, not before them")
    void changedUnitInOrder() {
        // u1 waits for E3 (GE3, older) and holds E1 from GE1 without its two plans that conflict with E3's
        Harness h = new Harness(tenant(5, 0, "{\"id\": \"GE3\", \"members\": [\"u1\"]}, {\"id\": \"GE1\", \"members\": [\"u1\"]}",
                "{\"groupId\": \"GE3\", \"skuId\": \"ENTERPRISEPACK\"}, {\"groupId\": \"GE1\", \"skuId\": \"STANDARDPACK\", "
                        + "\"disabledPlans\": [\"EXCHANGE_S_STANDARD\", \"SHAREPOINTSTANDARD\"]}"));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Error|CountViolation", "STANDARDPACK|GE1|Active|None"), h.sources("u1"));
        h.events(ev(1, "UnitsChanged", "\"skuId\":\"ENTERPRISEPACK\",\"prepaidUnits\":{\"enabled\":5}"));
        // GE1 enables its conflicting plans: in one order the older E3 demand comes first and finds the seat, then
        // GE1's unit, switched, conflicts with it and fails as a whole (R12, R13)
        h.events(ev(2, "GroupDisabledPlansChanged", "\"groupId\":\"GE1\",\"skuId\":\"STANDARDPACK\",\"disabledPlans\":[]"));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Active|None", "STANDARDPACK|GE1|Error|MutuallyExclusiveViolation"),
                h.sources("u1"));
        assertEquals(List.of(), h.rejections);
    }

    @Test
    @DisplayName("R18 a reprocess of a group touches every member: their failed sources from other groups are retried too")
    void groupReprocessTouchesMembers() {
        Harness h = new Harness(tenant(5, 1, "{\"id\": \"GE3\", \"members\": [\"u1\", \"u2\"]}, "
                + "{\"id\": \"GX\", \"members\": [\"u2\"]}", "{\"groupId\": \"GE3\", \"skuId\": \"ENTERPRISEPACK\"}"));
        h.events(ev(1, "UnitsChanged", "\"skuId\":\"ENTERPRISEPACK\",\"prepaidUnits\":{\"enabled\":2}"));
        h.events(ev(2, "Reprocess", "\"groupId\":\"GX\""));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Active|None"), h.sources("u2"));
        assertEquals(List.of(), h.rejections);
    }

    @Test
    @DisplayName("R18 R16 a group's reprocess leaves a member whose retry cannot change alone, and retries it once another user's proxy address collides with its own")
    void reprocessRetriesWhatAnotherUserChanged() {
        // u1 holds E1 (GE1) and wants E3 (GE3): E3 conflicts (R13). Both have Exchange, so R16 is checked first.
        String snapshot = tenant(5, 5, "{\"id\": \"GE1\", \"members\": [\"u1\"]}, {\"id\": \"GE3\", \"members\": [\"u1\"]}",
                E1_E3).replace("{\"id\": \"u1\", \"usageLocation\": \"NL\"}",
                "{\"id\": \"u1\", \"usageLocation\": \"NL\", \"proxyAddresses\": [\"SMTP:a@x.example\"]}");
        Harness h = new Harness(snapshot, org.licensim.core.rules.DynamicMembership.MEMBER_LISTS,
                new org.licensim.core.state.TalliedStore(new org.licensim.core.state.HeapStateStore()));
        List<String> conflict = List.of("STANDARDPACK|GE1|Active|None", "ENTERPRISEPACK|GE3|Error|MutuallyExclusiveViolation");
        assertEquals(conflict, h.sources("u1"));
        // the first reprocess processes u1 as a whole; nothing of u1's changes after it (u2's membership is
        // u2's), so the second has nothing to retry
        h.events(ev(1, "MemberAdded", "\"groupId\":\"GE3\",\"memberId\":\"u2\""));
        h.events(ev(2, "MemberRemoved", "\"groupId\":\"GE3\",\"memberId\":\"u2\""));
        h.events(ev(3, "Reprocess", "\"groupId\":\"GE3\""));
        h.events(ev(4, "Reprocess", "\"groupId\":\"GE3\""));
        assertEquals(conflict, h.sources("u1"));
        long[] afterQuiet = h.engine.reprocessedMembers();
        assertEquals(1, afterQuiet[0], "u1 left alone by the second reprocess at least");
        // u2 takes u1's address: u1's retry now meets R16 before R13, which a reprocess must show
        h.events(ev(5, "UserAttributesChanged", "\"userId\":\"u2\",\"attributes\":{\"proxyAddresses\":[\"smtp:A@x.example\"]}"));
        assertEquals(conflict, h.sources("u1"), "a failed source of a user the change does not touch is not retried");
        h.events(ev(6, "Reprocess", "\"groupId\":\"GE3\""));
        assertEquals(List.of("STANDARDPACK|GE1|Active|None", "ENTERPRISEPACK|GE3|Error|UniquenessViolation"), h.sources("u1"));
        assertEquals(afterQuiet[1] + 1, h.engine.reprocessedMembers()[1], "u1 processed again");
        assertEquals(List.of(), h.rejections);
    }

    private static String assign(String target, String add, String remove) {
        return target + ",\"addLicenses\":[" + add + "],\"removeLicenses\":[" + remove + "]";
    }

    @Test
    @DisplayName("R23 one request on a user swaps E1 for E3: judged on the state after both, so no conflict and no gap")
    void userSwitchInOneRequest() {
        Harness h = new Harness(tenant(5, 5, "", "{\"userId\": \"u1\", \"skuId\": \"STANDARDPACK\"}"));
        h.events(ev(1, "AssignLicense", assign("\"userId\":\"u1\"",
                "{\"skuId\":\"ENTERPRISEPACK\",\"disabledPlans\":[\"YAMMER_ENTERPRISE\"]}", "\"STANDARDPACK\"")));
        assertEquals(List.of(), h.rejections);
        assertEquals(List.of("ENTERPRISEPACK|direct|Active|None"), h.sources("u1"));
        assertTrue(!h.enabledPlans("u1", "ENTERPRISEPACK").contains("YAMMER_ENTERPRISE"));
        assertEquals(0, h.consumed("STANDARDPACK"));
        assertEquals(1, h.consumed("ENTERPRISEPACK"));
        assertEquals(List.of("LicenseRemoved STANDARDPACK", "LicenseAssigned ENTERPRISEPACK"), feedOf(h, 1));
        // the same two steps one at a time: E3 first is refused (conflict with E1, R13), E1 first leaves a gap
        Harness two = new Harness(tenant(5, 5, "", "{\"userId\": \"u1\", \"skuId\": \"STANDARDPACK\"}"));
        two.events(ev(1, "LicenseAssignedToUser", "\"userId\":\"u1\",\"skuId\":\"ENTERPRISEPACK\""));
        assertEquals(List.of(Rejection.Reason.MUTUALLY_EXCLUSIVE_VIOLATION), two.reasons);
    }

    @Test
    @DisplayName("R23 a user's request is atomic: if the addition fails, the removal does not happen either")
    void userRequestIsAtomic() {
        Harness h = new Harness(tenant(5, 0, "", "{\"userId\": \"u1\", \"skuId\": \"STANDARDPACK\"}"));
        h.events(ev(1, "AssignLicense", assign("\"userId\":\"u1\"", "{\"skuId\":\"ENTERPRISEPACK\"}",
                "\"STANDARDPACK\"")));
        assertEquals(List.of(Rejection.Reason.COUNT_VIOLATION), h.reasons);
        assertTrue(h.rejections.get(0).contains("ENTERPRISEPACK"), h.rejections.toString());
        assertEquals(List.of("STANDARDPACK|direct|Active|None"), h.sources("u1"));
        assertEquals(1, h.consumed("STANDARDPACK"));
        assertEquals(List.of(), feedOf(h, 1));
        // the next event sees the user and the seats as they were
        h.events(ev(2, "LicenseRemovedFromUser", "\"userId\":\"u1\",\"skuId\":\"STANDARDPACK\""));
        assertEquals(List.of(), h.sources("u1"));
        assertEquals(0, h.consumed("STANDARDPACK"));
    }

    @Test
    @DisplayName("R23 on a group: removals for every member, then additions per member; a member short of seats loses service")
    void groupSwitchLosesServiceWhereSeatsRunOut() {
        // one E3 seat for two members of the E1 group
        Harness h = new Harness(tenant(5, 1, "{\"id\": \"G\", \"members\": [\"u1\", \"u2\"]}",
                "{\"groupId\": \"G\", \"skuId\": \"STANDARDPACK\"}"));
        h.events(ev(1, "AssignLicense", assign("\"groupId\":\"G\"", "{\"skuId\":\"ENTERPRISEPACK\"}",
                "\"STANDARDPACK\"")));
        assertEquals(List.of(), h.rejections);
        assertEquals(List.of("ENTERPRISEPACK|G|Active|None"), h.sources("u1"));
        assertEquals(List.of("ENTERPRISEPACK|G|Error|CountViolation"), h.sources("u2"), "u2 lost E1 and waits for E3");
        assertEquals(0, h.consumed("STANDARDPACK"));
        assertEquals(1, h.consumed("ENTERPRISEPACK"));
        // with seats for both, nobody is without Exchange or SharePoint at any point
        Harness enough = new Harness(tenant(5, 2, "{\"id\": \"G\", \"members\": [\"u1\", \"u2\"]}",
                "{\"groupId\": \"G\", \"skuId\": \"STANDARDPACK\"}"));
        enough.events(ev(1, "AssignLicense", assign("\"groupId\":\"G\"", "{\"skuId\":\"ENTERPRISEPACK\"}",
                "\"STANDARDPACK\"")));
        assertEquals(List.of("ENTERPRISEPACK|G|Active|None"), enough.sources("u2"));
    }

    @Test
    @DisplayName("R23 R22 a product both added and removed, or a removal of what is not assigned, is refused and changes nothing")
    void contradictoryRequests() {
        Harness h = new Harness(tenant(5, 5, "{\"id\": \"G\", \"members\": [\"u1\"]}",
                "{\"groupId\": \"G\", \"skuId\": \"STANDARDPACK\"}"));
        h.events(ev(1, "AssignLicense", assign("\"groupId\":\"G\"", "{\"skuId\":\"STANDARDPACK\"}",
                "\"STANDARDPACK\"")));
        h.events(ev(2, "AssignLicense", assign("\"groupId\":\"G\"", "{\"skuId\":\"ENTERPRISEPACK\"}",
                "\"ENTERPRISEPACK\"")));
        h.events(ev(3, "AssignLicense", assign("\"userId\":\"u1\"", "", "\"STANDARDPACK\"")));
        assertEquals(List.of(Rejection.Reason.ADDED_AND_REMOVED, Rejection.Reason.ADDED_AND_REMOVED,
                Rejection.Reason.NOT_ASSIGNED), h.reasons);
        assertTrue(h.rejections.get(0).contains("both in addLicenses and in removeLicenses"), h.rejections.get(0));
        assertEquals(List.of("STANDARDPACK|G|Active|None"), h.sources("u1"));
        // adding a product the group already assigns sets its disabled plans (Graph's behaviour)
        h.events(ev(4, "AssignLicense", assign("\"groupId\":\"G\"",
                "{\"skuId\":\"STANDARDPACK\",\"disabledPlans\":[\"YAMMER_ENTERPRISE\"]}", "")));
        assertEquals(3, h.rejections.size(), h.rejections.toString());
        assertTrue(!h.enabledPlans("u1", "STANDARDPACK").contains("YAMMER_ENTERPRISE"));
        assertTrue(h.enabledPlans("u1", "STANDARDPACK").contains("EXCHANGE_S_STANDARD"));
    }

    @Test
    @DisplayName("R14 two equal providers of a prerequisite leave together: the later one in subscribedSkus order is kept")
    void equalProvidersOfAPrerequisite() {
        // Audio Conferencing (direct) needs Skype for Business Plan 2, which both E3 and Microsoft 365 E3 give
        for (boolean e3First : new boolean[] {true, false}) {
            String e3 = "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 5}}";
            String m365 = "{\"skuPartNumber\": \"SPE_E3\", \"prepaidUnits\": {\"enabled\": 5}}";
            Harness h = new Harness("{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": ["
                    + (e3First ? e3 + ", " + m365 : m365 + ", " + e3) + ", {\"skuPartNumber\": \"MCOMEETADV\", "
                    + "\"prepaidUnits\": {\"enabled\": 5}}], \"users\": [{\"id\": \"u1\", \"usageLocation\": \"NL\"}], "
                    + "\"groups\": [{\"id\": \"G\", \"members\": [\"u1\"]}], \"assignments\": ["
                    + "{\"groupId\": \"G\", \"skuId\": \"ENTERPRISEPACK\"}, {\"groupId\": \"G\", \"skuId\": \"SPE_E3\"}, "
                    + "{\"userId\": \"u1\", \"skuId\": \"MCOMEETADV\"}]}");
            h.events(ev(1, "MemberRemoved", "\"groupId\":\"G\",\"memberId\":\"u1\""));
            String kept = e3First ? "SPE_E3" : "ENTERPRISEPACK";
            assertEquals(List.of(kept + "|G|ActiveWithError|DependencyViolation"),
                    h.sources("u1").stream().filter(x -> !x.startsWith("MCOMEETADV")).toList(), "subscribedSkus order "
                    + (e3First ? "E3 first" : "Microsoft 365 E3 first"));
        }
    }
}
