package org.licensim.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.LicensimException;
import org.licensim.core.engine.Rejection;
import org.licensim.core.event.Event;

/**
 * SPEC section 4 nested membership: {@code user.memberof -any (group.objectId -in [...])}, with
 * Entra's documented limits (MicrosoftDocs/entra-docs groups-dynamic-rule-member-of.md).
 */
class MemberOfTest {
    /** Two static teams (alpha with u1, beta with u2), a nested group inside alpha, and "licensed": E3 for the teams' members. */
    static final String SNAPSHOT = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": "
            + "[{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 10}}], \"users\": ["
            + "{\"id\": \"u1\", \"usageLocation\": \"NL\"}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}, "
            + "{\"id\": \"u3\", \"usageLocation\": \"NL\"}], "
            + "\"groups\": [{\"id\": \"inner\", \"members\": [\"u3\"]}, {\"id\": \"alpha\", \"members\": [\"u1\", \"inner\"]}, "
            + "{\"id\": \"beta\", \"members\": [\"u2\"]}, {\"id\": \"licensed\", \"membershipRule\": "
            + "\"user.memberof -any (group.objectId -in ['alpha', 'beta'])\", \"members\": []}], "
            + "\"assignments\": [{\"groupId\": \"licensed\", \"skuId\": \"ENTERPRISEPACK\"}]}";

    @Test
    @DisplayName("memberOf parses in the docs' form, with single or double quotes and any case of memberof")
    void parses() {
        Rule r = RuleParser.parse("user.memberof -any (group.objectId -in ['groupId1', 'groupId2'])");
        assertEquals(new Rule.MemberOf(List.of("groupId1", "groupId2"), 1), r);
        assertEquals(new Rule.MemberOf(List.of("a"), 1), RuleParser.parse("user.memberOf -any (group.objectid -in [\"a\"])"));
    }

    @Test
    @DisplayName("memberOf's limits: not combined with other rules, only -any ... -in, at most 50 groups; each names the column")
    void limits() {
        RuleException combined = assertThrows(RuleException.class, () -> RuleParser.parse(
                "user.department -eq \"Sales\" -and user.memberof -any (group.objectId -in ['a'])"));
        assertEquals(34, combined.column());
        assertTrue(combined.getMessage().contains("cannot be combined with other rules"), combined.getMessage());
        RuleException negated = assertThrows(RuleException.class, () -> RuleParser.parse(
                "-not (user.memberof -any (group.objectId -in ['a']))"));
        assertTrue(negated.getMessage().contains("cannot be combined"), negated.getMessage());
        RuleException all = assertThrows(RuleException.class, () -> RuleParser.parse(
                "user.memberof -all (group.objectId -in ['a'])"));
        assertEquals(15, all.column());
        assertTrue(all.getMessage().contains("expected -any after user.memberof"), all.getMessage());
        RuleException eq = assertThrows(RuleException.class, () -> RuleParser.parse(
                "user.memberof -any (group.objectId -eq 'a')"));
        assertTrue(eq.getMessage().contains("expected -in"), eq.getMessage());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            ids.add("'g" + i + "'");
        }
        RuleException many = assertThrows(RuleException.class, () -> RuleParser.parse(
                "user.memberof -any (group.objectId -in [" + String.join(",", ids) + "])"));
        assertTrue(many.getMessage().contains("at most 50 groups (Entra's limit); this one names 51"), many.getMessage());
    }

    @Test
    @DisplayName("R2 R19 a memberOf group has the direct members of the groups it names (not the nested group's), and licenses them")
    void membersOfTheNamedGroups() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        assertTrue(s.member("licensed", "u1"));
        assertTrue(s.member("licensed", "u2"));
        assertFalse(s.member("licensed", "u3"), "only direct members of the named groups, as the docs say");
        assertEquals(2, s.engine().consumed(0));
    }

    @Test
    @DisplayName("a user added to a named group joins the memberOf group at once; one removed stays until the rule changes (Entra's documented behaviour)")
    void joinsFollowLeavesWait() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        s.engine().apply(new Event.MemberAdded(1, Instant.EPOCH, "beta", "u3"));
        assertTrue(s.member("licensed", "u3"));
        assertEquals(3, s.engine().consumed(0), "the new member is licensed in the same step");
        s.engine().apply(new Event.MemberRemoved(2, Instant.EPOCH, "alpha", "u1"));
        assertTrue(s.member("licensed", "u1"), "membership does not update when members are removed from a child group");
        s.engine().apply(new Event.GroupRuleChanged(3, Instant.EPOCH, "licensed",
                "user.memberof -any (group.objectId -in ['alpha', 'beta'])", false));
        assertFalse(s.member("licensed", "u1"), "until the rule is modified");
        assertEquals(2, s.engine().consumed(0));
    }

    @Test
    @DisplayName("R22 a memberOf rule naming an unknown group, itself or another memberOf group is refused, naming it")
    void refusedRules() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        Rejection unknown = assertThrows(Rejection.class, () -> s.engine().apply(new Event.GroupCreated(1, Instant.EPOCH,
                "g2", "new", true, "user.memberof -any (group.objectId -in ['nope'])", false, List.of())));
        assertEquals(Rejection.Reason.MALFORMED_RULE, unknown.reason());
        assertTrue(unknown.getMessage().contains("unknown group \"nope\""), unknown.getMessage());
        Rejection nested = assertThrows(Rejection.class, () -> s.engine().apply(new Event.GroupCreated(2, Instant.EPOCH,
                "g3", "new", true, "user.memberof -any (group.objectId -in ['licensed'])", false, List.of())));
        assertTrue(nested.getMessage().contains("\"licensed\" has a memberOf rule itself"), nested.getMessage());
        Rejection self = assertThrows(Rejection.class, () -> s.engine().apply(new Event.GroupRuleChanged(3, Instant.EPOCH,
                "licensed", "user.memberof -any (group.objectId -in ['licensed', 'alpha'])", false)));
        assertTrue(self.getMessage().contains("cannot take its members from itself"), self.getMessage());
        assertTrue(s.member("licensed", "u1"), "refused rules change nothing");
        LicensimException snapshot = assertThrows(LicensimException.class, () -> RuleMembershipTest.load(
                SNAPSHOT.replace("['alpha', 'beta']", "['alpha', 'licensed']")));
        assertTrue(snapshot.getMessage().contains("membershipRule of group \"licensed\"")
                && snapshot.getMessage().contains("cannot take its members from itself"), snapshot.getMessage());
        // a snapshot may name a group deleted since (Entra keeps the rule): it gives no members
        RuleMembershipTest.Setup ghost = RuleMembershipTest.load(SNAPSHOT.replace("['alpha', 'beta']", "['alpha', 'ghost']"));
        assertTrue(ghost.member("licensed", "u1"));
        assertFalse(ghost.member("licensed", "u2"));
    }

    @Test
    @DisplayName("a snapshot's memberOf group keeps its listed members and adds the named groups' (leaves never propagate)")
    void snapshotKeepsListedMembers() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT.replace("\"membershipRule\": "
                + "\"user.memberof -any (group.objectId -in ['alpha', 'beta'])\", \"members\": []",
                "\"membershipRule\": \"user.memberof -any (group.objectId -in ['alpha', 'beta'])\", \"members\": [\"u3\"]"));
        assertTrue(s.member("licensed", "u3"), "listed: left a named group earlier, stays");
        assertTrue(s.member("licensed", "u1") && s.member("licensed", "u2"));
    }
}
