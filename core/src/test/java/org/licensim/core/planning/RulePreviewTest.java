package org.licensim.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.io.SnapshotReader;

/** preview-rule and whatif are the change itself on a copy: what they show is what the change then does. */
class RulePreviewTest {
    static Supplier<Tenant> scenario(String name) {
        Path p = Path.of("src", "test", "resources", "scenarios", name, "snapshot.json");
        return () -> SnapshotReader.withDefaults().read(p);
    }

    @Test
    @DisplayName("R18 R19 a preview of a rule edit that moves 2 users out and 3 in with 1 free seat matches what the edit then does")
    void previewMatchesTheEdit() {
        String rule = "user.department -eq \"Support\"";
        RulePreview p = RulePreview.of(scenario("22-rule-edit-leavers-first"), "g-dyn", rule);
        assertEquals(List.of("u1", "u2", "u3"), p.joining());
        assertEquals(List.of("u4", "u5"), p.leaving());
        assertEquals(List.of(), p.newErrors(), "the leavers' seats serve the joiners: nobody waits");
        assertEquals(List.of(new RulePreview.Seats("ENTERPRISEPACK", 2, 3, 3)), p.seats());
        assertEquals(List.of(), p.warnings());

        // the same edit applied: the members and the seats the preview showed
        Tenant t = scenario("22-rule-edit-leavers-first").get();
        Engine e = WhatIf.resolve(t);
        e.apply(new Event.GroupRuleChanged(1, Instant.parse("2026-03-01T09:00:00Z"), "g-dyn", rule, false));
        int g = t.groups().indexOf("g-dyn");
        List<String> members = new ArrayList<>();
        for (int u : t.groups().userMembers(g).toArray()) {
            members.add(t.users().id(u));
        }
        assertEquals(p.joining(), members);
        assertEquals(p.seats().get(0).after(), e.consumed(0));
        assertEquals(0, org.licensim.core.engine.Summary.of(e).usersInError()[0], "nobody in error after the edit either");
    }

    @Test
    @DisplayName("section 4 preview-rule accepts a licence-driven cycle that only adds, with a warning; a cycle through -not is refused")
    void cycles() {
        String exchange = "efb87545-963c-4e0d-99df-69c6916d9eb0";
        String additive = "user.assignedPlans -any (assignedPlan.servicePlanId -eq \"" + exchange + "\") -or "
                + "user.department -eq \"Sales\"";
        RulePreview p = RulePreview.of(scenario("23-additive-licence-cycle"), "g-mailbox-users", additive);
        assertEquals(1, p.warnings().size(), p.warnings().toString());
        assertTrue(p.warnings().get(0).startsWith("group \"g-mailbox-users\" is on a licence-driven cycle that only adds"),
                p.warnings().get(0));
        LicensimException negated = assertThrows(LicensimException.class, () -> RulePreview.of(
                scenario("23-additive-licence-cycle"), "g-mailbox-users",
                "-not (user.assignedPlans -any (assignedPlan.servicePlanId -eq \"" + exchange + "\"))"));
        assertTrue(negated.getMessage().contains("would never settle: \"g-mailbox-users\" -> \"g-mailbox-users\""),
                negated.getMessage());
    }

    @Test
    @DisplayName("R18 R23 whatif of a group's assignLicense shows the removals made for every member first: a freed seat serves an earlier member")
    void whatIfShowsRemovalsFirst() {
        Instant at = Instant.parse("2026-03-01T09:00:00Z");
        WhatIf w = WhatIf.of(scenario("18-group-request-removals-first"), List.of(
                new Event.MemberAdded(1, at, "g-bundle", "u1"),
                new Event.AssignLicense(2, at, null, "g-bundle", List.of(new Event.AddedLicense("ENTERPRISEPACK", List.of())),
                        List.of("EMS"))));
        List<String> gained = w.gained().stream().map(c -> c.user() + " +" + c.product()).toList();
        assertTrue(gained.contains("u1 +EMS") && gained.contains("u1 +ENTERPRISEPACK") && gained.contains("u2 +ENTERPRISEPACK"),
                gained.toString());
        assertEquals(List.of("u2 -EMS"), w.lost().stream().map(c -> c.user() + " -" + c.product()).toList());
        assertEquals(List.of(), w.newErrors(), "u1 does not wait beside the seat u2 freed");
    }
}
