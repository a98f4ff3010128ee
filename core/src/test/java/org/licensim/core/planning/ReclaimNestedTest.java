package org.licensim.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;

/**
 * A seat held through nesting (section 4: a memberOf rule is Entra's way to license the members
 * of nested groups, since R2 gives them nothing): the reclaim list says which group the user must
 * leave, and the change it writes frees the seat.
 */
class ReclaimNestedTest {
    static String snapshot(boolean salesIsDynamic) {
        return "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": ["
                + "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 5}}], "
                + "\"users\": [{\"id\": \"u1\", \"userPrincipalName\": \"megan.bowen@contoso.com\", \"accountEnabled\": false, "
                + "\"department\": \"Sales\"}, {\"id\": \"u2\", \"userPrincipalName\": \"lee.gu@contoso.com\", "
                + "\"department\": \"Sales\"}], \"groups\": ["
                + (salesIsDynamic
                ? "{\"id\": \"g-sales\", \"displayName\": \"Sales\", \"securityEnabled\": true, "
                        + "\"membershipRule\": \"user.department -eq \\\"Sales\\\"\"}, "
                : "{\"id\": \"g-sales\", \"displayName\": \"Sales\", \"securityEnabled\": true, \"members\": [\"u1\", \"u2\"]}, ")
                + "{\"id\": \"g-e3\", \"displayName\": \"E3 for Sales and its teams\", \"securityEnabled\": true, "
                + "\"membershipRule\": \"user.memberof -any (group.objectId -in ['g-sales'])\"}], "
                + "\"assignments\": [{\"groupId\": \"g-e3\", \"skuId\": \"ENTERPRISEPACK\"}]}";
    }

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    @DisplayName("R2 a disabled account's seat from a memberOf group: leave the assigned group the rule names, and the seat is freed")
    void leaveTheNamedGroup() {
        var load = MigrationTest.fromText(snapshot(false), "t.json");
        Engine before = WhatIf.resolve(load.get());
        Reclaim rc = Reclaim.of(before, 90, NOW.getEpochSecond(), null, Map.of());
        assertEquals(1, rc.seats().size(), rc.toString());
        Reclaim.Seat seat = rc.seats().get(0);
        assertEquals("megan.bowen@contoso.com", seat.userPrincipalName());
        Reclaim.Source src = seat.sources().get(0);
        assertTrue(src.dynamic());
        assertEquals(List.of(new Reclaim.Via("g-sales", "Sales", false)), src.via());
        assertTrue(seat.action().startsWith("remove the user from group \"Sales\", then save dynamic group \"E3 for Sales "
                + "and its teams\"'s memberOf rule again"), seat.action());
        List<Event> changes = rc.events(NOW, 1);
        // leaving the named group, then the rule saved again: a member who leaves a named group stays until then
        assertEquals(List.of(new Event.MemberRemoved(1, NOW, "g-sales", "u1"), new Event.GroupRuleChanged(2, NOW, "g-e3",
                "user.memberof -any (group.objectId -in ['g-sales'])", false)), changes);
        assertEquals(0, rc.unreachable());
        // the change frees the seat: after it, u1 holds no E3, and u2 (enabled) keeps it
        WhatIf w = WhatIf.of(load, changes);
        assertEquals(List.of("u1 ENTERPRISEPACK"), w.lost().stream().map(c -> c.user() + " " + c.product()).toList());
    }

    @Test
    @DisplayName("R19 when the group the memberOf rule names is dynamic too, no change is written and the seat is counted unreachable")
    void namedGroupIsDynamic() {
        Engine before = WhatIf.resolve(MigrationTest.fromText(snapshot(true), "t.json").get());
        Reclaim rc = Reclaim.of(before, 90, NOW.getEpochSecond(), null, Map.of());
        assertEquals(1, rc.seats().size(), rc.toString());
        assertTrue(rc.seats().get(0).action().startsWith("change dynamic group \"Sales\"'s rule or the user's attributes"),
                rc.seats().get(0).action());
        assertTrue(rc.events(NOW, 1).isEmpty());
        assertEquals(1, rc.unreachable());
    }
}
