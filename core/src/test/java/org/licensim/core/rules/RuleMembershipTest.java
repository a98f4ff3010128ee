package org.licensim.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserData;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.io.InvalidInputException;
import org.licensim.core.io.SnapshotReader;

class RuleMembershipTest {
    static final String SNAPSHOT = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": "
            + "[{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 10}}], \"users\": ["
            + "{\"id\": \"u1\", \"department\": \"Sales\", \"usageLocation\": \"NL\"},"
            + "{\"id\": \"u2\", \"department\": \"Support\", \"usageLocation\": \"NL\"},"
            + "{\"id\": \"u3\", \"department\": \"sales\", \"usageLocation\": \"NL\"}], "
            + "\"groups\": [{\"id\": \"sales\", \"membershipRule\": \"user.department -eq \\\"Sales\\\"\", "
            + "\"members\": [\"u2\"]}, {\"id\": \"frozen\", \"membershipRule\": \"user.department -eq \\\"Support\\\"\", "
            + "\"membershipRuleProcessingState\": \"Paused\", \"members\": [\"u1\"]}], "
            + "\"assignments\": [{\"groupId\": \"sales\", \"skuId\": \"EMS\"}, {\"groupId\": \"frozen\", \"skuId\": \"EMS\"}]}";

    record Setup(Tenant tenant, Engine engine) {
        boolean member(String group, String user) {
            return tenant.directory().isMember(tenant.groups().indexOf(group), tenant.users().indexOf(user));
        }
    }

    static Setup load(String json) throws Exception {
        Tenant t = SnapshotReader.withDefaults().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "s.json");
        Engine e = Engine.builder(t).feed(new ChangeFeed()).reconcile();
        return new Setup(t, e);
    }

    static UserData attrs(String department) {
        UserData d = new UserData();
        d.strings.put("department", department);
        return d;
    }

    @Test
    @DisplayName("R19 a snapshot's dynamic group has exactly the users its rule selects; a paused one keeps its list")
    void snapshotMembership() throws Exception {
        Setup s = load(SNAPSHOT);
        assertTrue(s.member("sales", "u1"));
        assertTrue(s.member("sales", "u3"), "string comparisons are case-insensitive");
        assertFalse(s.member("sales", "u2"), "listed but not selected by the rule");
        assertTrue(s.member("frozen", "u1"), "a paused rule keeps its last membership");
        assertFalse(s.member("frozen", "u2"));
        assertEquals(2, s.engine().consumed(0), "u1 (via sales and frozen: one seat) and u3");
    }

    @Test
    @DisplayName("R19 R5 an attribute change moves the user in or out and the licence follows")
    void attributeChange() throws Exception {
        Setup s = load(SNAPSHOT);
        s.engine().apply(new Event.UserAttributesChanged(1, Instant.EPOCH, "u2", attrs("SALES")));
        assertTrue(s.member("sales", "u2"));
        assertEquals(3, s.engine().consumed(0));
        s.engine().apply(new Event.UserAttributesChanged(2, Instant.EPOCH, "u3", attrs("Finance")));
        assertFalse(s.member("sales", "u3"));
        assertEquals(2, s.engine().consumed(0), "u3 lost EMS with the group");
        s.engine().apply(new Event.UserAttributesChanged(3, Instant.EPOCH, "u1", attrs("Support")));
        assertFalse(s.member("frozen", "u2"), "a paused rule does not take anyone in");
        assertTrue(s.member("frozen", "u1"), "nor lets anyone out");
    }

    @Test
    @DisplayName("R19 changing a rule re-evaluates every user; a new user is evaluated on creation")
    void ruleChangeAndNewUser() throws Exception {
        Setup s = load(SNAPSHOT);
        s.engine().apply(new Event.GroupRuleChanged(1, Instant.EPOCH, "sales", "user.department -in [\"Support\"]", false));
        assertTrue(s.member("sales", "u2"));
        assertFalse(s.member("sales", "u1"));
        assertFalse(s.member("sales", "u3"));
        UserData d = attrs("Support");
        d.id = "u4";
        s.engine().apply(new Event.UserCreated(2, Instant.EPOCH, d));
        assertTrue(s.member("sales", "u4"));
        s.engine().apply(new Event.GroupRuleChanged(3, Instant.EPOCH, "frozen", "user.department -eq \"Sales\"", false));
        assertTrue(s.member("frozen", "u1"), "unpaused: now its rule decides");
        assertFalse(s.member("frozen", "u2"));
    }

    @Test
    @DisplayName("R19 R22 a malformed rule is refused with its column; a dynamic group takes no manual members")
    void refusals() throws Exception {
        Setup s = load(SNAPSHOT);
        LicensimException bad = assertThrows(LicensimException.class, () -> s.engine().apply(
                new Event.GroupRuleChanged(1, Instant.EPOCH, "sales", "user.department equals \"x\"", false)));
        assertTrue(bad.getMessage().contains("column 17: expected an operator such as -eq, found \"equals\""),
                bad.getMessage());
        assertEquals("user.department -eq \"Sales\"", s.tenant().groups().membershipRule(0), "nothing changed");
        LicensimException manual = assertThrows(LicensimException.class, () -> s.engine().apply(
                new Event.MemberAdded(2, Instant.EPOCH, "sales", "u2")));
        assertTrue(manual.getMessage().contains("is a dynamic group"), manual.getMessage());
        InvalidInputException snap = assertThrows(InvalidInputException.class, () -> load(SNAPSHOT.replace(
                "user.department -eq \\\"Support\\\"", "user.department -eq")));
        assertTrue(snap.getMessage().contains("$.groups[1].membershipRule: malformed membershipRule: column 20: expected a "
                + "value"), snap.getMessage());
    }

    @Test
    @DisplayName("R19 attribute changes through the accepted-value index give the memberships a full evaluation gives")
    void valueIndexAgreesWithFullEvaluation() throws Exception {
        String[] depts = {"Sales", "sales", "HR", "Support", "Finance", null};
        String json = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": "
                + "[{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 100}}], \"users\": ["
                + "{\"id\": \"u1\", \"department\": \"Sales\", \"city\": \"Delft\", \"usageLocation\": \"NL\"},"
                + "{\"id\": \"u2\", \"department\": \"HR\", \"city\": \"Delft\", \"usageLocation\": \"NL\"},"
                + "{\"id\": \"u3\", \"usageLocation\": \"NL\"}], \"groups\": ["
                + "{\"id\": \"eq\", \"membershipRule\": \"user.department -eq \\\"sales\\\"\"},"
                + "{\"id\": \"in\", \"membershipRule\": \"user.department -in [\\\"HR\\\",\\\"Finance\\\"] -or "
                + "user.department -eq \\\"Support\\\"\"},"
                + "{\"id\": \"ne\", \"membershipRule\": \"user.department -ne \\\"Sales\\\"\"},"
                + "{\"id\": \"and\", \"membershipRule\": \"user.department -eq \\\"HR\\\" -and user.city -eq \\\"Delft\\\"\"},"
                + "{\"id\": \"null\", \"membershipRule\": \"user.department -eq null\"},"
                + "{\"id\": \"start\", \"membershipRule\": \"user.department -startsWith \\\"S\\\"\"}]}";
        Setup s = load(json);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int seq = 1; seq <= 200; seq++) {
            String user = "u" + (1 + rnd.nextInt(3));
            UserData d = new UserData();
            d.strings.put("department", depts[rnd.nextInt(depts.length)]);
            s.engine().apply(new Event.UserAttributesChanged(seq, Instant.EPOCH, user, d));
            // a fresh evaluation of every rule over the tenant as it now is must agree
            Tenant copy = s.tenant();
            for (String g : new String[] {"eq", "in", "ne", "and", "null", "start"}) {
                int gi = copy.groups().indexOf(g);
                CompiledRule rule = CompiledRule.compile(copy.groups().membershipRule(gi), copy.users());
                for (String u : new String[] {"u1", "u2", "u3"}) {
                    int ui = copy.users().indexOf(u);
                    assertEquals(rule.matches(ui), s.member(g, u), "after event " + seq + ": " + u + " in " + g
                            + " (department " + copy.users().get(ui, "department") + ")");
                }
            }
        }
        assertTrue(CompiledRule.compile("user.department -in [\"a\",\"b\"] -or user.department -eq \"c\"",
                s.tenant().users()).equality() != null);
        assertTrue(CompiledRule.compile("user.department -eq \"a\" -or user.city -eq \"c\"",
                s.tenant().users()).equality() == null, "two properties: not an equality rule");
        assertTrue(CompiledRule.compile("user.department -ne \"a\"", s.tenant().users()).equality() == null);
    }
}
