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
        // one assignLicense request per user, removing that user's redundant directs together (R23)
        assertTrue(m.events().stream().allMatch(e -> e instanceof Event.AssignLicense a && a.addLicenses().isEmpty()
                && a.removeLicenses().size() == 1), m.events().toString());
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
        assertTrue(w.lost().isEmpty() && w.plansChanged().stream().allMatch(c -> c.plansOff().isEmpty()),
                w.toString());
        LicensimException bad = assertThrows(LicensimException.class, () -> Migration.plan(load("migration.json"),
                List.of(new Event.LicenseAssignedToGroup(1, Instant.EPOCH, "nope", "EMS", List.of()))));
        assertTrue(bad.getMessage().startsWith("policy event 1 (LicenseAssignedToGroup) is refused: "), bad.getMessage());
    }

    /** A tenant read afresh from snapshot text on every call (each planner step starts from a copy). */
    static Supplier<Tenant> fromText(String json, String name) {
        return () -> {
            try {
                return SnapshotReader.withDefaults().read(new java.io.ByteArrayInputStream(
                        json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), name);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /** switch.json with {@code e3} seats of Office 365 E3. */
    static Supplier<Tenant> switchWithSeats(int e3) {
        try {
            String text = java.nio.file.Files.readString(Path.of(MigrationTest.class.getResource("/plans/switch.json").toURI()))
                    .replace("{ \"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": { \"enabled\": 10 } }",
                            "{ \"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": { \"enabled\": " + e3 + " } }");
            return fromText(text, "switch.json");
        } catch (java.io.IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("R23 E1 to E3: one assignLicense request on the group wins, with no gap and no error; two-step orders have gaps")
    void productSwitch() {
        ProductSwitch s = ProductSwitch.plan(load("switch.json"), "g-support", "STANDARDPACK", "ENTERPRISEPACK", List.of());
        assertEquals(5, s.candidates().size());
        ProductSwitch.Candidate best = s.chosen();
        assertTrue(best.safe(), best.toString());
        assertTrue(best.name().startsWith("one request"), best.name());
        assertEquals(1, best.steps().size());
        assertTrue(best.steps().get(0) instanceof Event.AssignLicense, best.steps().toString());
        assertEquals(0, best.membersWithGap());
        assertEquals(0, best.serviceGaps());
        assertEquals(List.of(), best.failedMembers());
        // plans of E1 that E3 does not have are lost whatever the order: named, and the same for every safe order
        assertFalse(s.notInTarget().isEmpty());
        assertTrue(s.candidates().stream().filter(ProductSwitch.Candidate::safe)
                .allMatch(c -> c.membersLosingService() == best.membersLosingService()));
        // the staged two-step order: SharePoint Plan 1 / Plan 2 and Exchange Online Plan 1 / Plan 2 conflict (R13,
        // Microsoft's tables and statement), so both members miss SharePoint and Exchange for one step
        ProductSwitch.Candidate staged = s.candidates().get(4);
        assertTrue(staged.name().startsWith("assign the new product without its conflicting plans"), staged.name());
        assertTrue(staged.safe(), staged.toString());
        assertEquals(2, staged.membersWithGap());
        assertEquals(4, staged.serviceGaps());
        // assigning E3 to the group that gives E1 makes the group's unit conflict with itself (R12, R13): the
        // members lose E1 for a step; removing E1 then processes them as a whole (R18) and E3 is granted
        ProductSwitch.Candidate naive = s.candidates().get(1);
        assertTrue(naive.name().startsWith("assign the new product, then remove the old"), naive.name());
        assertTrue(naive.safe(), naive.toString());
        assertEquals(2, naive.membersWithGap());
        assertTrue(naive.serviceGaps() > staged.serviceGaps(), naive + " vs " + staged);
        // the chosen step, applied, moves both members to E3 with every plan and no error
        WhatIf w = WhatIf.of(load("switch.json"), best.steps());
        assertEquals(List.of("u1 +ENTERPRISEPACK", "u2 +ENTERPRISEPACK"),
                w.gained().stream().map(c -> c.user() + " +" + c.product()).toList());
        assertTrue(w.newErrors().isEmpty(), w.newErrors().toString());
    }

    @Test
    @DisplayName("R23 E1 to E3 with one E3 seat for two members: the one request is shown losing service for the second")
    void productSwitchShortOfSeats() {
        ProductSwitch s = ProductSwitch.plan(switchWithSeats(1), "g-support", "STANDARDPACK", "ENTERPRISEPACK", List.of());
        ProductSwitch.Candidate one = s.candidates().get(0);
        assertFalse(one.safe(), one.toString());
        assertEquals(List.of("u2: Office 365 E3 (ENTERPRISEPACK) CountViolation"), one.failedMembers());
        assertEquals(1, one.errorsAtEnd());
        assertEquals(1, one.membersLosingService(), "u2 loses its services; u1 only the plans E3 lacks, which do not count");
        WhatIf w = WhatIf.of(switchWithSeats(1), one.steps());
        assertEquals(List.of("u1 +ENTERPRISEPACK"), w.gained().stream().map(c -> c.user() + " +" + c.product()).toList());
        assertEquals(List.of("u1 STANDARDPACK", "u2 STANDARDPACK"),
                w.lost().stream().map(c -> c.user() + " " + c.product()).toList());
        // the error's group by display name in the words, by id beside them
        assertEquals(List.of("u2 ENTERPRISEPACK Error/CountViolation (group \"Support (E1 today, E3 tomorrow)\") g-support"),
                w.newErrors().stream().map(c -> c.user() + " " + c.product() + " " + c.detail() + " " + c.group()).toList());
        // no order can end without errors, so none is safe
        assertTrue(s.candidates().stream().noneMatch(ProductSwitch.Candidate::safe), s.candidates().toString());
    }

    @Test
    @DisplayName("R16a whatif names a licence that changes kind: E3 removed from the group, kept as direct for a WPA user")
    void whatIfShowsConversion() {
        String snapshot = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": ["
                + "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 5}}, "
                + "{\"skuPartNumber\": \"WORKPLACE_ANALYTICS\", \"prepaidUnits\": {\"enabled\": 5}}], "
                + "\"users\": [{\"id\": \"u1\", \"usageLocation\": \"NL\"}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}], "
                + "\"groups\": [{\"id\": \"G\", \"members\": [\"u1\", \"u2\"]}], \"assignments\": ["
                + "{\"groupId\": \"G\", \"skuId\": \"ENTERPRISEPACK\"}, {\"userId\": \"u1\", \"skuId\": \"WORKPLACE_ANALYTICS\"}]}";
        Supplier<Tenant> load = fromText(snapshot, "t.json");
        WhatIf w = WhatIf.of(load, List.of(new Event.LicenseRemovedFromGroup(1, Instant.EPOCH, "G", "ENTERPRISEPACK")));
        assertEquals(List.of("u1 ENTERPRISEPACK"), w.kindChanged().stream().map(c -> c.user() + " " + c.product()).toList());
        assertTrue(w.kindChanged().get(0).detail().startsWith("inherited from group \"G\" -> direct"),
                w.kindChanged().toString());
        assertEquals("G", w.kindChanged().get(0).group());
        assertEquals(List.of("u2 ENTERPRISEPACK"), w.lost().stream().map(c -> c.user() + " " + c.product()).toList());
    }

    @Test
    @DisplayName("R23 a member's error from before the switch (a calling plan prohibited in India) does not make the switch unsafe")
    void productSwitchIgnoresErrorsFromBefore() {
        String snapshot = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": ["
                + "{\"skuPartNumber\": \"STANDARDPACK\", \"prepaidUnits\": {\"enabled\": 5}}, "
                + "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 5}}, "
                + "{\"skuPartNumber\": \"MCOPSTN1\", \"prepaidUnits\": {\"enabled\": 5}}], "
                + "\"users\": [{\"id\": \"u1\", \"usageLocation\": \"IN\"}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}], "
                + "\"groups\": [{\"id\": \"g-support\", \"members\": [\"u1\", \"u2\"]}, {\"id\": \"g-pstn\", \"members\": [\"u1\"]}], "
                + "\"assignments\": [{\"groupId\": \"g-support\", \"skuId\": \"STANDARDPACK\"}, "
                + "{\"groupId\": \"g-pstn\", \"skuId\": \"MCOPSTN1\"}]}";
        Supplier<Tenant> load = fromText(snapshot, "t.json");
        ProductSwitch s = ProductSwitch.plan(load, "g-support", "STANDARDPACK", "ENTERPRISEPACK", List.of());
        ProductSwitch.Candidate one = s.candidates().get(0);
        assertTrue(one.safe(), one.toString());
        assertEquals(0, one.errorsAtEnd(), "u1's calling plan error was there before");
        assertEquals(List.of(), one.failedMembers());
        assertTrue(s.chosen() == one, s.chosen().toString());
    }
}
