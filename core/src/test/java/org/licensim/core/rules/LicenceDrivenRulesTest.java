package org.licensim.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.engine.Rejection;
import org.licensim.core.event.Event;

/** SPEC section 4 licence-driven rules: {@code user.assignedPlans -any (...)}, settled to a fixed point, cycles refused. */
public class LicenceDrivenRulesTest {
    public static final String INTUNE = "c1ec4a95-1f05-45b3-a911-aa3fa01094f5";
    static final String RULE = "user.assignedPlans -any (assignedPlan.servicePlanId -eq \\\"" + INTUNE
            + "\\\" -and assignedPlan.capabilityStatus -eq \\\"Enabled\\\")";
    /** EMS by an assigned group; "intune-users" follows Intune (EMS's INTUNE_A) and gives Power BI Pro. */
    static final String SNAPSHOT = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": ["
            + "{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 10}}, "
            + "{\"skuPartNumber\": \"POWER_BI_PRO\", \"prepaidUnits\": {\"enabled\": 10}}], \"users\": ["
            + "{\"id\": \"u1\", \"usageLocation\": \"NL\"}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}], "
            + "\"groups\": [{\"id\": \"ems\", \"members\": [\"u1\"]}, {\"id\": \"intune-users\", \"membershipRule\": \""
            + RULE + "\", \"members\": [\"u2\"]}], "
            + "\"assignments\": [{\"groupId\": \"ems\", \"skuId\": \"EMS\"}, {\"groupId\": \"intune-users\", "
            + "\"skuId\": \"POWER_BI_PRO\"}]}";

    @Test
    @DisplayName("assignedPlans parses in the docs' form, the two conditions in either order or the plan alone; bad forms name the column")
    void parses() {
        String id = "efb87545-963c-4e0d-99df-69c6916d9eb0";
        Rule r = RuleParser.parse("user.assignedPlans -any (assignedPlan.servicePlanId -eq \"" + id
                + "\" -and assignedPlan.capabilityStatus -eq \"Enabled\")");
        assertEquals(new Rule.AssignedPlan(id, 1), r);
        assertEquals(new Rule.AssignedPlan(id, 1), RuleParser.parse("user.assignedPlans -any (assignedPlan.capabilityStatus "
                + "-eq \"Enabled\" -and assignedPlan.servicePlanId -eq \"" + id.toUpperCase() + "\")"));
        assertEquals(new Rule.AssignedPlan(id, 1), RuleParser.parse("user.assignedPlans -any (assignedPlan.servicePlanId "
                + "-eq \"" + id + "\")"));
        RuleException status = assertThrows(RuleException.class, () -> RuleParser.parse("user.assignedPlans -any "
                + "(assignedPlan.servicePlanId -eq \"" + id + "\" -and assignedPlan.capabilityStatus -eq \"Suspended\")"));
        assertTrue(status.getMessage().contains("licensim knows the capabilityStatus \"Enabled\""), status.getMessage());
        RuleException guid = assertThrows(RuleException.class, () -> RuleParser.parse(
                "user.assignedPlans -any (assignedPlan.servicePlanId -eq \"EXCHANGE_S_ENTERPRISE\")"));
        assertEquals(57, guid.column());
        assertTrue(guid.getMessage().contains("is a service plan's GUID"), guid.getMessage());
        RuleException all = assertThrows(RuleException.class, () -> RuleParser.parse(
                "user.assignedPlans -all (assignedPlan.servicePlanId -eq \"" + id + "\")"));
        assertTrue(all.getMessage().contains("expected -any after user.assignedPlans"), all.getMessage());
    }

    @Test
    @DisplayName("a licence that gives a plan moves the user into the group that follows it, in the same event, and out again")
    void membershipFollowsLicences() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        assertTrue(s.member("intune-users", "u1"), "u1 holds EMS, so Intune: settled at load");
        assertFalse(s.member("intune-users", "u2"), "u2 was listed but holds no Intune: leaves at load");
        assertEquals(1, s.engine().consumed(1), "Power BI Pro for u1 only");
        s.engine().apply(new Event.MemberAdded(1, Instant.EPOCH, "ems", "u2"));
        assertTrue(s.member("intune-users", "u2"));
        assertEquals(2, s.engine().consumed(1), "EMS and then Power BI Pro, in one event");
        s.engine().apply(new Event.MemberRemoved(2, Instant.EPOCH, "ems", "u1"));
        assertFalse(s.member("intune-users", "u1"));
        assertEquals(1, s.engine().consumed(0));
        assertEquals(1, s.engine().consumed(1));
    }

    @Test
    @DisplayName("section 4 a cycle with a negated reading never settles: refused, naming the cycle, by the rule or by the licence that would close it")
    void negatedCyclesAreRefused() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        // "not-intune" keeps users without Intune; giving it EMS (so Intune) would put them out again, and in again
        s.engine().apply(new Event.GroupCreated(1, Instant.EPOCH, "not-intune", "not-intune", true, "-not (" + RULE.replace(
                "\\\"", "\"") + ")", false, List.of()));
        Rejection licence = assertThrows(Rejection.class, () -> s.engine().apply(new Event.LicenseAssignedToGroup(2,
                Instant.EPOCH, "not-intune", "EMS", List.of())));
        assertEquals(Rejection.Reason.LICENCE_CYCLE, licence.reason());
        assertTrue(licence.getMessage().contains("licence-driven rules would never settle: \"not-intune\" -> "
                + "\"not-intune\"") && licence.getMessage().contains("reads it under -not"), licence.getMessage());
        assertEquals(0, s.tenant().assignments().ofGroup(s.tenant().groups().indexOf("not-intune")).length,
                "the licences are as they were");
        // the same cycle made by a rule: ems gives EMS, and would keep only users without Intune
        Rejection rule = assertThrows(Rejection.class, () -> s.engine().apply(new Event.GroupRuleChanged(3, Instant.EPOCH,
                "ems", "-not (" + RULE.replace("\\\"", "\"") + ")", false)));
        assertEquals(Rejection.Reason.MALFORMED_RULE, rule.reason());
        assertTrue(rule.getMessage().contains("would never settle: \"ems\" -> \"ems\""), rule.getMessage());
        Rejection unknown = assertThrows(Rejection.class, () -> s.engine().apply(new Event.GroupCreated(4, Instant.EPOCH,
                "g", "g", true, "user.assignedPlans -any (assignedPlan.servicePlanId -eq "
                        + "\"00000000-0000-4000-8000-000000000000\")", false, List.of())));
        assertTrue(unknown.getMessage().contains("unknown service plan 00000000-0000-4000-8000-000000000000"),
                unknown.getMessage());
    }

    @Test
    @DisplayName("section 4 a cycle that only adds is accepted and settles: a member it let in keeps itself in with the licence it gives")
    void additiveCyclesAreAccepted() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        // intune-users follows Intune and now gives EMS (so Intune) itself: u1 is in through the ems group
        s.engine().apply(new Event.LicenseAssignedToGroup(1, Instant.EPOCH, "intune-users", "EMS", List.of()));
        assertEquals(2, s.tenant().assignments().ofGroup(s.tenant().groups().indexOf("intune-users")).length);
        assertTrue(s.member("intune-users", "u1"));
        assertEquals(List.of("group \"intune-users\" is on a licence-driven cycle that only adds (\"intune-users\" -> "
                + "\"intune-users\"): it settles, but a member it let in keeps itself in with the licence the cycle gives, "
                + "even after the plan that let it in goes elsewhere"), new RuleMembership().additiveCycles(s.tenant(), null, null));
        // u1 leaves the ems group: its Intune now comes from intune-users' own EMS, so it stays in, holding one EMS seat
        s.engine().apply(new Event.MemberRemoved(2, Instant.EPOCH, "ems", "u1"));
        assertTrue(s.member("intune-users", "u1"), "the member keeps itself in");
        assertEquals(1, s.engine().consumed(0), "EMS from intune-users");
        assertEquals(1, s.engine().consumed(1), "Power BI Pro from intune-users");
        // u2 holds nothing: the cycle never lets it in by itself
        assertFalse(s.member("intune-users", "u2"));
    }

    static final String BI = "70d33638-9c74-4d01-bfd3-562de28bd4ba";

    static String follows(String plan) {
        return "user.assignedPlans -any (assignedPlan.servicePlanId -eq \\\"" + plan + "\\\")";
    }

    /** ems (listed) gives Intune; intune-users follows it and gives Power BI Pro; bi-users follows that and gives E3; a fourth group follows Intune too. */
    public static final String CHAIN = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": ["
            + "{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 10}}, "
            + "{\"skuPartNumber\": \"POWER_BI_PRO\", \"prepaidUnits\": {\"enabled\": 10}}, "
            + "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 10}}], \"users\": ["
            + "{\"id\": \"u1\", \"usageLocation\": \"NL\"}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}], "
            + "\"groups\": [{\"id\": \"ems\", \"members\": [\"u1\"]}, "
            + "{\"id\": \"intune-users\", \"membershipRule\": \"" + follows(INTUNE) + "\"}, "
            + "{\"id\": \"bi-users\", \"membershipRule\": \"" + follows(BI) + "\"}, "
            + "{\"id\": \"intune-too\", \"membershipRule\": \"" + follows(INTUNE) + "\"}], "
            + "\"assignments\": [{\"groupId\": \"ems\", \"skuId\": \"EMS\"}, {\"groupId\": \"intune-users\", "
            + "\"skuId\": \"POWER_BI_PRO\"}, {\"groupId\": \"bi-users\", \"skuId\": \"ENTERPRISEPACK\"}]}";

    @Test
    @DisplayName("a chain of licence-driven groups settles in one event over several rounds, and unwinds in one")
    void chainSettlesOverRounds() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(CHAIN);
        assertTrue(s.member("bi-users", "u1"), "EMS -> Intune -> Power BI -> bi-users, settled at load");
        assertFalse(s.member("bi-users", "u2"));
        s.engine().apply(new Event.MemberAdded(1, Instant.EPOCH, "ems", "u2"));
        assertTrue(s.member("intune-users", "u2"), "round 1: Intune arrived");
        assertTrue(s.member("intune-too", "u2"), "round 1: a second group on the same plan");
        assertTrue(s.member("bi-users", "u2"), "round 2: Power BI arrived with intune-users' licence");
        assertEquals(2, s.engine().consumed(2), "E3 for both, given by the end of the chain");
        s.engine().apply(new Event.MemberRemoved(2, Instant.EPOCH, "ems", "u2"));
        assertFalse(s.member("intune-users", "u2"));
        assertFalse(s.member("intune-too", "u2"));
        assertFalse(s.member("bi-users", "u2"), "the chain unwinds in the same event");
        assertEquals(1, s.engine().consumed(1));
        assertEquals(1, s.engine().consumed(2));
    }

    @Test
    @DisplayName("after the first round only the rules reading a plan that moved are decided again")
    void onlyRulesReadingAMovedPlanAreDecided() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(CHAIN);
        RuleMembership m = new RuleMembership();
        java.util.Set<String> held = new java.util.HashSet<>(List.of(INTUNE));
        org.licensim.core.catalog.Catalog catalog = s.tenant().catalog();
        m.usePlans((u, plan) -> held.contains(catalog.plan(plan).servicePlanId()));
        int u2 = s.tenant().users().indexOf("u2");
        long intune = m.planState(s.tenant(), u2);
        held.clear();
        held.add(BI);
        long bi = m.planState(s.tenant(), u2);
        assertEquals(0L, intune & bi, "one bit per plan read");
        assertTrue(intune != 0 && bi != 0);
        List<String> decided = new java.util.ArrayList<>();
        DynamicMembership.Sink record = new DynamicMembership.Sink() {
            @Override
            public void join(int group, int user) {
                decided.add("+" + s.tenant().groups().id(group));
            }

            @Override
            public void leave(int group, int user) {
                decided.add("-" + s.tenant().groups().id(group));
            }
        };
        m.licencesChanged(s.tenant(), u2, bi, record);
        assertEquals(List.of("+bi-users"), decided, "Power BI moved: bi-users only");
        decided.clear();
        m.licencesChanged(s.tenant(), u2, intune, record);
        assertEquals(List.of("-intune-users", "-intune-too"), decided, "Intune moved: its two readers, in group order");
        decided.clear();
        m.licencesChanged(s.tenant(), u2, DynamicMembership.ALL_PLANS, record);
        assertEquals(List.of("-intune-users", "+bi-users", "-intune-too"), decided);
    }
}
