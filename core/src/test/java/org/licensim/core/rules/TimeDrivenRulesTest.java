package org.licensim.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.UserData;
import org.licensim.core.event.Event;
import org.licensim.core.directory.Subscriptions.PrepaidUnits;

/** SPEC section 4 time-driven rules: dates against literal dates and system.now -minus/-plus an ISO 8601 duration. */
public class TimeDrivenRulesTest {
    /** "New starters": hired in the last 30 days, evaluated on 2026-03-01; E3 for them. */
    public static final String SNAPSHOT = "{\"evaluatedAt\": \"2026-03-01T00:00:00Z\", \"tenant\": {\"id\": \"t\", "
            + "\"countryLetterCode\": \"NL\"}, \"subscribedSkus\": [{\"skuPartNumber\": \"ENTERPRISEPACK\", "
            + "\"prepaidUnits\": {\"enabled\": 10}}], \"users\": ["
            + "{\"id\": \"feb15\", \"usageLocation\": \"NL\", \"employeeHireDate\": \"2026-02-15T00:00:00Z\"}, "
            + "{\"id\": \"jan15\", \"usageLocation\": \"NL\", \"employeeHireDate\": \"2026-01-15\"}, "
            + "{\"id\": \"feb27\", \"usageLocation\": \"NL\", \"employeeHireDate\": \"2026-02-27\"}, "
            + "{\"id\": \"none\", \"usageLocation\": \"NL\"}], "
            + "\"groups\": [{\"id\": \"new-starters\", \"membershipRule\": "
            + "\"user.employeeHireDate -ge system.now -minus P30D\", \"members\": []}], "
            + "\"assignments\": [{\"groupId\": \"new-starters\", \"skuId\": \"ENTERPRISEPACK\"}]}";

    @Test
    @DisplayName("section 4 date comparisons parse: literal dates, system.now, -plus and -minus with ISO 8601 durations")
    void parses() {
        Rule.DateCompare d = (Rule.DateCompare) RuleParser.parse("user.employeeHireDate -ge system.now -minus p30d");
        assertTrue(d.relative());
        assertEquals(-30L * 86_400, d.offsetSeconds());
        assertEquals(Op.GE, d.op());
        Rule.DateCompare lit = (Rule.DateCompare) RuleParser.parse("user.employeeHireDate -lt \"2026-01-31\"");
        assertFalse(lit.relative());
        assertEquals(Instant.parse("2026-01-31T00:00:00Z").getEpochSecond(), lit.at());
        Rule.DateCompare plus = (Rule.DateCompare) RuleParser.parse("user.employeeHireDate -le system.now -plus PT12H");
        assertEquals(12L * 3600, plus.offsetSeconds());
        assertEquals(0, ((Rule.DateCompare) RuleParser.parse("user.employeeHireDate -gt system.now")).offsetSeconds());
    }

    @Test
    @DisplayName("bad date rules name the column, the token and what was expected")
    void errors() {
        RuleException notDate = assertThrows(RuleException.class, () -> RuleParser.parse("user.department -ge \"a\""));
        assertEquals(17, notDate.column());
        assertTrue(notDate.getMessage().contains("-ge orders dates: it applies to user.employeeHireDate"), notDate.getMessage());
        RuleException badDuration = assertThrows(RuleException.class, () -> RuleParser.parse(
                "user.employeeHireDate -ge system.now -minus P30X"));
        assertEquals(45, badDuration.column());
        assertTrue(badDuration.getMessage().contains("expected a duration such as P30D"), badDuration.getMessage());
        RuleException badDate = assertThrows(RuleException.class, () -> RuleParser.parse(
                "user.employeeHireDate -ge \"2026-13-01\""));
        assertTrue(badDate.getMessage().contains("\"2026-13-01\" is not a date"), badDate.getMessage());
        RuleException noValue = assertThrows(RuleException.class, () -> RuleParser.parse("user.employeeHireDate -ge 5"));
        assertTrue(noValue.getMessage().contains("expected a date such as \"2026-01-31\" or system.now"),
                noValue.getMessage());
    }

    @Test
    @DisplayName("a new-starters group: members at the snapshot's time, and time alone moves them out at the next event")
    void membershipFollowsTheClock() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        assertTrue(s.member("new-starters", "feb15"));
        assertTrue(s.member("new-starters", "feb27"));
        assertFalse(s.member("new-starters", "jan15"));
        assertFalse(s.member("new-starters", "none"), "no hire date: no ordering holds");
        assertEquals(2, s.engine().consumed(0));
        // any event on 2026-03-20: feb15's 30 days ended on 2026-03-17, feb27's last until 2026-03-29
        s.engine().apply(new Event.UnitsChanged(1, Instant.parse("2026-03-20T09:00:00Z"), "ENTERPRISEPACK",
                new PrepaidUnits(10, 0, 0, 0)));
        assertFalse(s.member("new-starters", "feb15"));
        assertTrue(s.member("new-starters", "feb27"));
        assertEquals(1, s.engine().consumed(0), "the licence went with the membership, under that event");
        // a hire date changed now (2026-03-20) is judged at now
        UserData d = new UserData();
        d.strings.put("employeeHireDate", "2026-03-10");
        s.engine().apply(new Event.UserAttributesChanged(2, Instant.parse("2026-03-20T10:00:00Z"), "jan15", d));
        assertTrue(s.member("new-starters", "jan15"));
        // and leaves on its own 30 days later
        s.engine().apply(new Event.UnitsChanged(3, Instant.parse("2026-04-10T00:00:00Z"), "ENTERPRISEPACK",
                new PrepaidUnits(10, 0, 0, 0)));
        assertFalse(s.member("new-starters", "jan15"));
        assertFalse(s.member("new-starters", "feb27"));
        assertEquals(0, s.engine().consumed(0));
    }
}
