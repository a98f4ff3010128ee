package org.licensim.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.io.SnapshotReader;

/** The migration and product-switch planners on small tenants whose right answers are known. */
class MigrationTest {
    static Supplier<Tenant> load(String name) {
        try {
            Path p = Path.of(MigrationTest.class.getResource("/plans/" + name).toURI());
            return () -> SnapshotReader.withDefaults().read(p);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> users(List<Migration.Direct> ds) {
        return ds.stream().map(d -> d.user() + " " + d.product()).toList();
    }

    @Test
    @DisplayName("migration: redundant directs go, directs that would lose plans stay with the plans named")
    void migration() {
        Migration m = Migration.plan(load("migration.json"), List.of());
        assertEquals(List.of("u2 ENTERPRISEPACK", "u5 ENTERPRISEPACK"), users(m.remove()));
        assertEquals(List.of("u1 ENTERPRISEPACK", "u3 ENTERPRISEPACK", "u4 EMS"), users(m.keep()));
        Migration.Direct u1 = m.keep().get(0);
        assertEquals(List.of("YAMMER_ENTERPRISE"), u1.plansLost());
        assertTrue(m.keep().get(1).reason().contains("no group assigns"), m.keep().get(1).reason());
        assertEquals(2, m.events().size());
        assertTrue(m.events().stream().allMatch(e -> e instanceof Event.LicenseRemovedFromUser));
        // taking the plan changes no one's licences or plans: only seats stay the same too (R3)
        WhatIf w = WhatIf.of(load("migration.json"), m.events());
        assertTrue(w.lost().isEmpty() && w.plansChanged().isEmpty() && w.newErrors().isEmpty(), w.toString());
        assertTrue(w.seats().stream().allMatch(s -> s.delta() == 0), w.seats().toString());
    }

    @Test
    @DisplayName("migration under a target policy: the policy's group assignment comes first, then the direct it covers goes")
    void migrationWithPolicy() {
        List<Event> policy = List.of(new Event.LicenseAssignedToGroup(1, Instant.EPOCH, "g-e3", "EMS", List.of()));
        Migration m = Migration.plan(load("migration.json"), policy);
        assertTrue(users(m.remove()).contains("u4 EMS"), users(m.remove()).toString());
        assertEquals(policy.get(0), m.events().get(0), "the policy is applied before any removal");
        WhatIf w = WhatIf.of(load("migration.json"), m.events());
        assertTrue(w.lost().isEmpty() && w.plansChanged().stream().noneMatch(c -> c.detail().contains("-")),
                w.toString());
        LicensimException bad = assertThrows(LicensimException.class, () -> Migration.plan(load("migration.json"),
                List.of(new Event.LicenseAssignedToGroup(1, Instant.EPOCH, "nope", "EMS", List.of()))));
        assertTrue(bad.getMessage().startsWith("policy event 1 (LicenseAssignedToGroup) is refused: "), bad.getMessage());
    }

    @Test
    @DisplayName("E1 to E3: the staged order (conflicting plan held back, then enabled) wins; SharePoint's gap is the only one")
    void productSwitch() {
        ProductSwitch s = ProductSwitch.plan(load("switch.json"), "g-support", "STANDARDPACK", "ENTERPRISEPACK", List.of());
        assertEquals(4, s.candidates().size());
        ProductSwitch.Candidate best = s.chosen();
        assertTrue(best.safe(), best.toString());
        assertTrue(best.name().startsWith("assign the new product without its conflicting plans"), best.name());
        assertEquals(3, best.steps().size());
        // SharePoint Plan 1 and Plan 2 conflict (R13): both members miss SharePoint for one step, nothing else
        assertEquals(2, best.membersWithGap());
        assertEquals(2, best.serviceGaps());
        // plans of E1 that E3 does not have are lost whatever the order: named, and the same for every safe order
        assertFalse(s.notInTarget().isEmpty());
        assertTrue(s.candidates().stream().filter(ProductSwitch.Candidate::safe)
                .allMatch(c -> c.membersLosingService() == best.membersLosingService()));
        // assigning E3 to the group that gives E1 makes the group's unit conflict with itself (R12, R13): the
        // members lose E1 for a step; removing E1 then processes them as a whole (R18) and E3 is granted
        ProductSwitch.Candidate naive = s.candidates().get(0);
        assertTrue(naive.safe(), naive.toString());
        assertEquals(0, naive.errorsAtEnd());
        assertEquals(2, naive.membersWithGap());
        assertTrue(naive.serviceGaps() > best.serviceGaps(), naive + " vs " + best);
        assertTrue(s.candidates().stream().allMatch(c -> c == best || c.serviceGaps() > best.serviceGaps()
                || !c.safe()), s.candidates().toString());
        // the chosen steps, applied, move both members to E3 with every plan and no error
        WhatIf w = WhatIf.of(load("switch.json"), best.steps());
        assertEquals(List.of("u1 +ENTERPRISEPACK", "u2 +ENTERPRISEPACK"),
                w.gained().stream().map(c -> c.user() + " +" + c.product()).toList());
        assertTrue(w.newErrors().isEmpty(), w.newErrors().toString());
    }
}
