package org.licensim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.PlanRules;
import org.licensim.core.directory.Tenant;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.rules.DynamicMembership;
import org.licensim.core.state.HeapStateStore;

import com.fasterxml.jackson.databind.JsonNode;

class RulesTest {
    private static final String BASE = "\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, "
            + "\"subscribedSkus\": [{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 5}}, "
            + "{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 5}}], "
            + "\"users\": [{\"id\": \"u1\", \"usageLocation\": \"NL\"}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}]";

    private static String ev(int seq, String type, String fields) {
        return "{\"seq\":" + seq + ",\"time\":\"2026-01-0" + Math.min(9, seq) + "T10:00:00Z\",\"type\":\"" + type + "\","
                + fields + "}\n";
    }

    @Test
    @DisplayName("R2 members of a nested group do not inherit the outer group's licences")
    void noNesting() {
        Harness h = new Harness("{" + BASE + ", \"groups\": [{\"id\": \"inner\", \"members\": [\"u1\"]}, "
                + "{\"id\": \"outer\", \"members\": [\"inner\"]}], \"assignments\": [{\"groupId\": \"outer\", "
                + "\"skuId\": \"EMS\"}]}");
        assertEquals(List.of(), h.sources("u1"));
        assertEquals(0, h.consumed("EMS"));
        h.events(ev(1, "MemberAdded", "\"groupId\":\"outer\",\"memberId\":\"u1\""));
        assertEquals(List.of("EMS|outer|Active|None"), h.sources("u1"));
    }

    @Test
    @DisplayName("R5 removing a member removes that source; the product goes only with the last active source")
    void membershipChange() {
        Harness h = new Harness("{" + BASE + ", \"groups\": [{\"id\": \"a\", \"members\": [\"u1\"]}, {\"id\": \"b\", "
                + "\"members\": [\"u1\"]}], \"assignments\": [{\"groupId\": \"a\", \"skuId\": \"EMS\"}, {\"groupId\": \"b\", "
                + "\"skuId\": \"EMS\"}]}");
        assertEquals(List.of("EMS|a|Active|None", "EMS|b|Active|None"), h.sources("u1"));
        h.events(ev(1, "MemberRemoved", "\"groupId\":\"a\",\"memberId\":\"u1\""));
        assertEquals(List.of("EMS|b|Active|None"), h.sources("u1"));
        assertEquals(1, h.consumed("EMS"));
        h.events(ev(2, "MemberRemoved", "\"groupId\":\"b\",\"memberId\":\"u1\""));
        assertEquals(List.of(), h.sources("u1"));
        assertEquals(0, h.consumed("EMS"));
    }

    @Test
    @DisplayName("R7 changing a group's disabled plans re-resolves every member; removing the product removes it from all")
    void assignmentEdits() {
        Harness h = new Harness("{" + BASE + ", \"groups\": [{\"id\": \"g\", \"members\": [\"u1\", \"u2\"]}], "
                + "\"assignments\": [{\"groupId\": \"g\", \"skuId\": \"ENTERPRISEPACK\"}]}");
        assertTrue(h.enabledPlans("u2", "ENTERPRISEPACK").contains("YAMMER_ENTERPRISE"));
        h.events(ev(1, "GroupDisabledPlansChanged", "\"groupId\":\"g\",\"skuId\":\"ENTERPRISEPACK\","
                + "\"disabledPlans\":[\"YAMMER_ENTERPRISE\"]"));
        for (String u : List.of("u1", "u2")) {
            assertTrue(!h.enabledPlans(u, "ENTERPRISEPACK").contains("YAMMER_ENTERPRISE"), u);
            assertTrue(h.enabledPlans(u, "ENTERPRISEPACK").contains("EXCHANGE_S_ENTERPRISE"), u);
        }
        h.events(ev(2, "LicenseRemovedFromGroup", "\"groupId\":\"g\",\"skuId\":\"ENTERPRISEPACK\""));
        assertEquals(List.of(), h.sources("u1"));
        assertEquals(List.of(), h.sources("u2"));
        assertEquals(0, h.consumed("ENTERPRISEPACK"));
    }

    @Test
    @DisplayName("R9 a plan Microsoft adds to a product is enabled for every source that did not disable it")
    void catalogGrowth(@TempDir Path dir) throws Exception {
        String header = "Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,"
                + "Service_Plans_Included_Friendly_Names\r\n";
        String v1 = header + "Suite,SUITE,11111111-1111-1111-1111-111111111111,PLAN_A,aaaaaaaa-0000-0000-0000-000000000001,A\r\n"
                + "Suite,SUITE,11111111-1111-1111-1111-111111111111,PLAN_B,aaaaaaaa-0000-0000-0000-000000000002,B\r\n";
        String v2 = v1 + "Suite,SUITE,11111111-1111-1111-1111-111111111111,PLAN_C,aaaaaaaa-0000-0000-0000-000000000003,C\r\n";
        Path c1 = dir.resolve("v1.csv");
        Path c2 = dir.resolve("v2.csv");
        Files.writeString(c1, v1, StandardCharsets.UTF_8);
        Files.writeString(c2, v2, StandardCharsets.UTF_8);
        Path snap = dir.resolve("s.json");
        Files.writeString(snap, "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": "
                + "[{\"skuPartNumber\": \"SUITE\", \"prepaidUnits\": {\"enabled\": 1}}], \"users\": [{\"id\": \"u1\", "
                + "\"usageLocation\": \"NL\"}], \"groups\": [{\"id\": \"g\", \"members\": [\"u1\"]}], \"assignments\": "
                + "[{\"groupId\": \"g\", \"skuId\": \"SUITE\", \"disabledPlans\": [\"PLAN_A\"]}]}");
        assertEquals(List.of("PLAN_B"), enabled(snap, Catalog.load(c1)));
        assertEquals(List.of("PLAN_B", "PLAN_C"), enabled(snap, Catalog.load(c2)));
    }

    private static List<String> enabled(Path snap, Catalog catalog) {
        Tenant t = new SnapshotReader(catalog, PlanRules.none()).read(snap);
        Engine e = new Engine(t, new HeapStateStore(), new ChangeFeed(), DynamicMembership.MEMBER_LISTS);
        e.reconcile();
        int[] es = new int[16 * 7];
        e.store().read(0, es);
        List<String> out = new ArrayList<>();
        int[] plans = t.subscriptions().product(0).plans();
        for (int i = 0; i < plans.length; i++) {
            if (t.masks().has(es[2], i)) {
                out.add(catalog.plan(plans[i]).servicePlanName());
            }
        }
        return out;
    }

    @Test
    @DisplayName("R17 every source shows state, error, disabled plans, assignedByGroup and when it last changed")
    void visibleErrors() {
        Harness h = new Harness("{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": "
                + "[{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 1}}], \"users\": [{\"id\": \"u1\", "
                + "\"usageLocation\": \"NL\"}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}], \"groups\": [{\"id\": \"g\"}], "
                + "\"assignments\": [{\"groupId\": \"g\", \"skuId\": \"EMS\"}]}");
        h.events(ev(1, "MemberAdded", "\"groupId\":\"g\",\"memberId\":\"u1\"")
                + ev(2, "MemberAdded", "\"groupId\":\"g\",\"memberId\":\"u2\""));
        JsonNode u2 = null;
        for (JsonNode u : h.state().get("users")) {
            if (u.get("id").asText().equals("u2")) {
                u2 = u.get("licenseAssignmentStates").get(0);
            }
        }
        assertEquals("g", u2.get("assignedByGroup").asText());
        assertEquals("Error", u2.get("state").asText());
        assertEquals("CountViolation", u2.get("error").asText());
        assertEquals("2026-01-02T10:00:00Z", u2.get("lastUpdatedDateTime").asText());
        assertTrue(u2.get("disabledPlans").isArray());
        JsonNode ems = h.state().get("subscribedSkus").get(0);
        assertEquals(1, ems.get("consumedUnits").asInt());
        assertEquals(1, ems.get("usersInError").asInt());
    }

    @Test
    @DisplayName("R17 the change feed records assignments, errors and group processing with the causing seq")
    void changeFeed() {
        Harness h = new Harness("{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": "
                + "[{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 1}}], \"users\": [{\"id\": \"u1\", "
                + "\"usageLocation\": \"NL\"}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}], \"groups\": [{\"id\": \"g\", "
                + "\"members\": [\"u1\", \"u2\"]}]}");
        ChangeFeed f = h.engine.feed();
        assertEquals(0, f.size(), "a snapshot is the starting state, not a change");
        h.events(ev(7, "LicenseAssignedToGroup", "\"groupId\":\"g\",\"skuId\":\"EMS\""));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            got.add(f.kind(i) + " u" + f.user(i) + " cause " + f.cause(i));
        }
        assertEquals(List.of("GroupProcessingStarted u-1 cause 7", "LicenseAssigned u0 cause 7",
                "ErrorRaised u1 cause 7", "GroupProcessingFinished u-1 cause 7"), got);
        assertEquals(1, f.before(3), "users succeeded");
        assertEquals(1, f.after(3), "users failed");
        f.clear();
        h.events(ev(8, "MemberRemoved", "\"groupId\":\"g\",\"memberId\":\"u2\""));
        assertEquals(ChangeFeed.Kind.ErrorCleared, f.kind(0));
        assertEquals(1, f.size());
    }

    @Test
    @DisplayName("R20 R21 deleting a user frees its seats; a disabled account keeps them")
    void deletionAndDisabledAccounts() {
        Harness h = new Harness("{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": "
                + "[{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 5}}], \"users\": [{\"id\": \"u1\", "
                + "\"usageLocation\": \"NL\", \"accountEnabled\": false}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}], "
                + "\"groups\": [{\"id\": \"g\", \"members\": [\"u1\", \"u2\"]}], \"assignments\": [{\"groupId\": \"g\", "
                + "\"skuId\": \"EMS\"}, {\"userId\": \"u2\", \"skuId\": \"EMS\"}]}");
        assertEquals(List.of("EMS|g|Active|None"), h.sources("u1"), "R21 disabled account keeps its licence");
        assertEquals(2, h.consumed("EMS"));
        h.events(ev(1, "UserAttributesChanged", "\"userId\":\"u2\",\"attributes\":{\"accountEnabled\":false}"));
        assertEquals(2, h.consumed("EMS"), "R21 disabling an account frees nothing");
        h.events(ev(2, "UserDeleted", "\"userId\":\"u2\""));
        assertEquals(1, h.consumed("EMS"), "R20 a deleted user's seat (direct and inherited: one) is freed");
    }

    @Test
    @DisplayName("R22 bad requests are rejected naming the value, and the state is exactly as before")
    void badRequestsChangeNothing() {
        Harness h = new Harness("{" + BASE + ", \"groups\": [{\"id\": \"g\", \"members\": [\"u1\"]}, {\"id\": \"m365\", "
                + "\"securityEnabled\": false}], \"assignments\": [{\"groupId\": \"g\", \"skuId\": \"ENTERPRISEPACK\"}]}");
        JsonNode before = h.state();
        h.events(ev(1, "MemberAdded", "\"groupId\":\"nope\",\"memberId\":\"u1\"")
                + ev(2, "MemberAdded", "\"groupId\":\"g\",\"memberId\":\"ghost\"")
                + ev(3, "LicenseAssignedToGroup", "\"groupId\":\"g\",\"skuId\":\"ENTERPRISEPACK\"")
                + ev(4, "GroupDisabledPlansChanged", "\"groupId\":\"g\",\"skuId\":\"ENTERPRISEPACK\",\"disabledPlans\":[\"NOT_A_PLAN\"]")
                + ev(5, "LicenseAssignedToUser", "\"userId\":\"u1\",\"skuId\":\"SPE_E5\"")
                + ev(6, "LicenseAssignedToGroup", "\"groupId\":\"m365\",\"skuId\":\"EMS\"")
                + ev(7, "UnitsChanged", "\"skuId\":\"NOPE\",\"prepaidUnits\":{\"enabled\":1}")
                + ev(8, "Reprocess", "\"userId\":\"nobody\""));
        assertEquals(8, h.rejections.size(), String.join("\n", h.rejections));
        List<String> expect = List.of("unknown group \"nope\"", "unknown member \"ghost\"",
                "group \"g\" already assigns Office 365 E3 (ENTERPRISEPACK)",
                "disabled plan \"NOT_A_PLAN\" is not a plan of product Office 365 E3 (ENTERPRISEPACK)",
                "product Microsoft 365 E5 (SPE_E5) is not among the tenant's subscribedSkus", "is not a security group",
                "unknown product \"NOPE\"", "unknown user \"nobody\"");
        assertEquals(List.of(Rejection.Reason.UNKNOWN_GROUP, Rejection.Reason.UNKNOWN_MEMBER,
                Rejection.Reason.ALREADY_ASSIGNED, Rejection.Reason.UNKNOWN_PLAN, Rejection.Reason.UNKNOWN_PRODUCT,
                Rejection.Reason.NOT_SECURITY_GROUP, Rejection.Reason.UNKNOWN_PRODUCT, Rejection.Reason.UNKNOWN_USER),
                h.reasons, "each refusal carries its kind");
        for (int i = 0; i < expect.size(); i++) {
            assertTrue(h.rejections.get(i).contains(expect.get(i)), h.rejections.get(i));
            assertTrue(h.rejections.get(i).startsWith((i + 1) + ": event seq " + (i + 1) + " ("), h.rejections.get(i));
        }
        assertEquals(before, h.state(), "a rejected event must change nothing");
        assertEquals(-1, h.engine.lastAppliedSeq());
    }

    @Test
    @DisplayName("R22 an event whose seq is not after the last applied one is refused")
    void seqOrder() {
        Harness h = new Harness("{" + BASE + "}");
        h.events(ev(9, "Reprocess", "\"userId\":\"u1\""));
        assertEquals(9, h.engine.lastAppliedSeq());
        var e = assertThrows(org.licensim.core.LicensimException.class, () -> h.engine.apply(
                new org.licensim.core.event.Event.Reprocess(9, java.time.Instant.EPOCH, "u1", null)));
        assertTrue(e.getMessage().contains("seq 9 is not after the last applied event's seq 9"), e.getMessage());
        assertEquals(Rejection.Reason.SEQ_OUT_OF_ORDER, ((Rejection) e).reason());
    }

    @Test
    @DisplayName("R22 group licensing disabled: assigning a product to a group is refused")
    void groupLicensingDisabled() {
        Harness h = new Harness("{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\", \"groupLicensingEnabled\": "
                + "false}, \"subscribedSkus\": [{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 1}}], "
                + "\"groups\": [{\"id\": \"g\"}]}");
        h.events(ev(1, "LicenseAssignedToGroup", "\"groupId\":\"g\",\"skuId\":\"EMS\""));
        assertTrue(h.rejections.get(0).contains("group-based licensing is not enabled for tenant \"t\""), h.rejections.get(0));
        assertEquals(List.of(Rejection.Reason.GROUP_LICENSING_DISABLED), h.reasons);
    }

    @Test
    @DisplayName("R19 R5 the engine takes dynamic membership through DynamicMembership: a join grants, a leave removes")
    void dynamicMembershipInterface() throws Exception {
        Tenant t = SnapshotReader.withDefaults().read(new java.io.ByteArrayInputStream(("{" + BASE + ", \"groups\": "
                + "[{\"id\": \"sales\", \"membershipRule\": \"user.department -eq \\\"Sales\\\"\"}], \"assignments\": "
                + "[{\"groupId\": \"sales\", \"skuId\": \"EMS\"}]}").getBytes(StandardCharsets.UTF_8)), "s.json");
        // a stand-in for the rule language: members are the users whose department is Sales
        DynamicMembership byDepartment = new DynamicMembership() {
            @Override
            public boolean managesMembers(Tenant tenant, int group) {
                return tenant.groups().isDynamic(group);
            }

            @Override
            public void checkRule(String rule) {
            }

            @Override
            public void userChanged(Tenant tenant, int u, Iterable<String> changed, Sink sink) {
                boolean sales = "Sales".equals(tenant.users().get(u, "department"));
                if (sales) {
                    sink.join(0, u);
                } else {
                    sink.leave(0, u);
                }
            }

            @Override
            public void ruleChanged(Tenant tenant, int group, Sink sink) {
            }
        };
        Engine e = new Engine(t, new HeapStateStore(), new ChangeFeed(), byDepartment);
        e.reconcile();
        e.apply(new org.licensim.core.event.Event.UserAttributesChanged(1, java.time.Instant.EPOCH, "u1",
                attributes("department", "Sales")));
        assertEquals(1, e.consumed(1), "u1 joined the dynamic group and got EMS");
        var err = assertThrows(org.licensim.core.LicensimException.class, () -> e.apply(
                new org.licensim.core.event.Event.MemberAdded(2, java.time.Instant.EPOCH, "sales", "u2")));
        assertTrue(err.getMessage().contains("is a dynamic group: its members come from its rule"), err.getMessage());
        assertEquals(Rejection.Reason.DYNAMIC_GROUP, ((Rejection) err).reason());
        e.apply(new org.licensim.core.event.Event.UserAttributesChanged(3, java.time.Instant.EPOCH, "u1",
                attributes("department", "Support")));
        assertEquals(0, e.consumed(1), "u1 left the dynamic group and lost EMS");
    }

    private static org.licensim.core.directory.UserData attributes(String name, String value) {
        var d = new org.licensim.core.directory.UserData();
        d.strings.put(name, value);
        return d;
    }
}
