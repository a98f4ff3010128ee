package org.licensim.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.catalog.ServicePlan;
import org.licensim.core.event.Event;

/** What whatif says in words: service plans by Microsoft's friendly names, groups by display name; ids beside. */
class WhatIfWordsTest {
    private static final String SNAPSHOT = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": ["
            + "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 1}}], "
            + "\"users\": [{\"id\": \"u1\", \"userPrincipalName\": \"adele.vance@contoso.com\", \"usageLocation\": \"NL\"}, "
            + "{\"id\": \"u2\", \"userPrincipalName\": \"alex.wilber@contoso.com\", \"usageLocation\": \"NL\"}], "
            + "\"groups\": [{\"id\": \"b0000000-0000-4000-8000-0000000000a1\", \"displayName\": \"Sales - Office 365 E3\", "
            + "\"members\": [\"u1\"]}], "
            + "\"assignments\": [{\"groupId\": \"b0000000-0000-4000-8000-0000000000a1\", \"skuId\": \"ENTERPRISEPACK\"}]}";

    @Test
    @DisplayName("R4 a plan diff names plans by friendly name with the internal name beside, and lists the plans")
    void planDiffByFriendlyName() {
        WhatIf w = WhatIf.of(MigrationTest.fromText(SNAPSHOT, "t.json"), List.of(new Event.GroupDisabledPlansChanged(1,
                Instant.EPOCH, "b0000000-0000-4000-8000-0000000000a1", "ENTERPRISEPACK", List.of("OFFICESUBSCRIPTION"))));
        assertEquals(1, w.plansChanged().size(), w.toString());
        WhatIf.Change c = w.plansChanged().get(0);
        assertEquals("u1", c.user());
        assertEquals("switched off: Microsoft 365 Apps for enterprise (OFFICESUBSCRIPTION)", c.detail());
        assertEquals(List.of("43de0ff5-c92c-492b-9116-175376d08c38"),
                c.plansOff().stream().map(ServicePlan::servicePlanId).toList());
        assertTrue(c.plansOn().isEmpty());
    }

    @Test
    @DisplayName("R10 a new error names its group by display name; the group's id is beside it")
    void errorNamesTheGroup() {
        WhatIf w = WhatIf.of(MigrationTest.fromText(SNAPSHOT, "t.json"), List.of(
                new Event.MemberAdded(1, Instant.EPOCH, "b0000000-0000-4000-8000-0000000000a1", "u2")));
        assertEquals(1, w.newErrors().size(), w.toString());
        WhatIf.Change c = w.newErrors().get(0);
        assertEquals("u2", c.user());
        assertEquals("Error/CountViolation (group \"Sales - Office 365 E3\")", c.detail());
        assertEquals("b0000000-0000-4000-8000-0000000000a1", c.group());
    }
}
