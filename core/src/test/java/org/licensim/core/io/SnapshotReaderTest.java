package org.licensim.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;

class SnapshotReaderTest {
    static final Path EXAMPLE = Path.of("..", "examples", "contoso-small.json");
    private static final String TENANT = "\"tenant\": {\"id\": \"t1\", \"countryLetterCode\": \"NL\"}";
    private static final String E3 = "{\"skuId\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 5}}";
    private final SnapshotReader reader = SnapshotReader.withDefaults();

    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        Path f = dir.resolve("snapshot.json");
        Files.writeString(f, json);
        return f;
    }

    private InvalidInputException invalid(String json) throws Exception {
        Path f = write(json);
        return assertThrows(InvalidInputException.class, () -> reader.read(f));
    }

    @Test
    @DisplayName("R22 an empty tenant id and an evaluatedAt outside Graph's years 1601-9999 are refused, named; a BOM is accepted")
    void tenantIdAndTimes() throws Exception {
        InvalidInputException empty = invalid("{\"tenant\": {\"id\": \"\", \"countryLetterCode\": \"NL\"}, "
                + "\"subscribedSkus\": [], \"users\": [], \"groups\": [], \"assignments\": []}");
        assertTrue(empty.getMessage().contains("tenant \"id\" is empty"), empty.getMessage());
        InvalidInputException year = invalid("{" + TENANT + ", \"evaluatedAt\": \"0000-01-01T00:00:00Z\", "
                + "\"subscribedSkus\": [], \"users\": [], \"groups\": [], \"assignments\": []}");
        assertTrue(year.getMessage().contains("evaluatedAt 0000-01-01T00:00:00Z is outside the range Microsoft Graph "
                + "accepts (years 1601 to 9999)"), year.getMessage());
        Tenant t = reader.read(write("\uFEFF{" + TENANT + ", \"subscribedSkus\": [], \"users\": [], \"groups\": [], "
                + "\"assignments\": []}"));
        assertEquals("t1", t.settings().id());
    }

    @Test
    @DisplayName("signInActivity keeps the latest sign-in, survives a snapshot written back, and a bad time is named")
    void signInActivity() throws Exception {
        Tenant t = reader.read(write("{" + TENANT + ", \"subscribedSkus\": [" + E3 + "], \"users\": ["
                + "{\"id\": \"u1\", \"signInActivity\": {\"lastSignInDateTime\": \"2026-10-01T08:00:00Z\", "
                + "\"lastNonInteractiveSignInDateTime\": \"2026-10-03T09:30:00Z\", \"lastSignInRequestId\": \"x\"}},"
                + "{\"id\": \"u2\", \"signInActivity\": null}, {\"id\": \"u3\"}]}"));
        Users us = t.users();
        assertEquals(java.time.Instant.parse("2026-10-03T09:30:00Z").getEpochSecond(), us.lastSignIn(us.indexOf("u1")));
        assertEquals(Long.MIN_VALUE, us.lastSignIn(us.indexOf("u2")));
        assertEquals(Long.MIN_VALUE, us.lastSignIn(us.indexOf("u3")));
        assertTrue(us.hasSignInActivity());
        Path back = dir.resolve("back.json");
        SnapshotWriter.write(org.licensim.core.engine.Engine.builder(t).reconcile(), back);
        Users again = reader.read(back).users();
        assertEquals(us.lastSignIn(us.indexOf("u1")), again.lastSignIn(again.indexOf("u1")));
        assertEquals(Long.MIN_VALUE, again.lastSignIn(again.indexOf("u3")));
        InvalidInputException e = invalid("{" + TENANT + ", \"subscribedSkus\": [" + E3 + "], \"users\": ["
                + "{\"id\": \"u1\", \"signInActivity\": {\"lastSignInDateTime\": \"yesterday\"}}]}");
        assertTrue(e.getMessage().contains("signInActivity.lastSignInDateTime: \"yesterday\" is not an ISO 8601 instant"),
                e.getMessage());
    }

    @Test
    @DisplayName("the shipped example loads with the counts it was written with")
    void example() {
        assertTrue(Files.exists(EXAMPLE), "examples/contoso-small.json must exist at " + EXAMPLE.toAbsolutePath());
        Tenant t = reader.read(EXAMPLE);
        assertEquals("NL", t.settings().defaultCountry());
        assertEquals(10, t.users().liveCount());
        assertEquals(5, t.groups().size());
        assertEquals(18, t.directory().membershipCount());
        assertEquals(5, t.subscriptions().size());
        assertEquals(2, t.assignments().directCount());
        assertEquals(5, t.assignments().groupLicenseCount());
        Users u = t.users();
        int grady = u.indexOf("a1b2c3d4-0004-4000-8000-000000000004");
        assertNull(u.usageLocation().get(grady), "usageLocation null stays null (R15 uses the tenant default)");
        assertEquals("contractor", u.get(grady, "extensionAttribute7"));
        assertEquals("Engineering", u.get(grady, "department"));
        int johanna = u.indexOf("a1b2c3d4-0007-4000-8000-000000000007");
        assertEquals(false, u.accountEnabled(johanna));
        int alex = u.indexOf("a1b2c3d4-0002-4000-8000-000000000002");
        assertEquals(List.of("SMTP:alex.wilber@contoso.com", "smtp:alex@contoso.com"),
                u.multiColumn("proxyAddresses").get(alex));
    }

    @Test
    @DisplayName("R9 disabled plans are stored as a mask over the product's own plan numbers")
    void disabledMask() {
        Tenant t = reader.read(EXAMPLE);
        int eng = t.groups().indexOf("b0000000-0000-4000-8000-0000000000a2");
        Assignments.License l = t.assignments().ofGroup(eng)[0];
        var e3 = t.subscriptions().product(l.product());
        int yammer = t.catalog().findPlanInProduct(e3, "YAMMER_ENTERPRISE");
        assertEquals(1, Long.bitCount(l.disabled()[0]) + (l.disabled().length > 1 ? Long.bitCount(l.disabled()[1]) : 0));
        assertTrue((l.disabled()[yammer >>> 6] & (1L << yammer)) != 0);
    }

    @Test
    @DisplayName("R2 a nested group is recorded as a group member, not as its users")
    void nestedGroupMember() {
        Tenant t = reader.read(EXAMPLE);
        int social = t.groups().indexOf("b0000000-0000-4000-8000-0000000000a5");
        int sales = t.groups().indexOf("b0000000-0000-4000-8000-0000000000a1");
        assertTrue(t.groups().groupMembers(social).contains(sales));
        assertEquals(1, t.groups().userMembers(social).getCardinality());
    }

    @Test
    @DisplayName("R22 an unknown skuId is rejected with file, line, column, JSON path and the value")
    void unknownSkuId() throws Exception {
        InvalidInputException e = invalid("{" + TENANT + ",\n\"subscribedSkus\": [\n  {\"skuId\": "
                + "\"00000000-1111-2222-3333-444444444444\"}]}");
        Problem p = e.problems().get(0);
        assertEquals(3, p.line());
        assertEquals(13, p.column());
        assertEquals("$.subscribedSkus[0].skuId", p.path());
        assertEquals("unknown skuId \"00000000-1111-2222-3333-444444444444\": not in the product catalog "
                + "(see licensim catalog)", p.message());
        assertTrue(e.getMessage().contains("snapshot.json:3:13 $.subscribedSkus[0].skuId: unknown skuId"), e.getMessage());
    }

    @Test
    @DisplayName("R22 a duplicate user id is rejected at the second occurrence")
    void duplicateUser() throws Exception {
        InvalidInputException e = invalid("{" + TENANT + ", \"users\": [{\"id\": \"u1\"},\n {\"id\": \"u1\"}]}");
        assertEquals(1, e.total());
        Problem p = e.problems().get(0);
        assertEquals(2, p.line());
        assertEquals("$.users[1].id", p.path());
        assertEquals("duplicate id \"u1\": ids must be unique across users and groups", p.message());
    }

    @Test
    @DisplayName("R22 a disabled plan that is not in the product is rejected, listing the product's plans")
    void disabledPlanNotInProduct() throws Exception {
        InvalidInputException e = invalid("{" + TENANT + ", \"subscribedSkus\": [" + E3 + "], \"users\": [{\"id\": \"u1\"}],"
                + "\"assignments\": [{\"userId\": \"u1\", \"skuId\": \"ENTERPRISEPACK\", \"disabledPlans\": "
                + "[\"YAMMER_ENTERPRISE\", \"EXCHANGE_S_STANDARD\"]}]}");
        Problem p = e.problems().get(0);
        assertEquals("$.assignments[0].disabledPlans[1]", p.path());
        assertTrue(p.message().startsWith("disabled plan \"EXCHANGE_S_STANDARD\" is not a plan of product "
                + "ENTERPRISEPACK; its plans are: "), p.message());
        assertTrue(p.message().contains("EXCHANGE_S_ENTERPRISE"), p.message());
    }

    @Test
    @DisplayName("R22 negative seats are rejected with the value")
    void negativeSeats() throws Exception {
        InvalidInputException e = invalid("{" + TENANT + ", \"subscribedSkus\": [{\"skuId\": \"EMS\", "
                + "\"prepaidUnits\": {\"enabled\": -3}}]}");
        Problem p = e.problems().get(0);
        assertEquals("$.subscribedSkus[0].prepaidUnits.enabled", p.path());
        assertEquals("seat counts must be between 0 and 2147483647, found -3", p.message());
    }

    @Test
    @DisplayName("R22 a member id that does not exist is rejected with its position")
    void unknownMember() throws Exception {
        InvalidInputException e = invalid("{" + TENANT + ", \"users\": [{\"id\": \"u1\"}], \"groups\": [{\"id\": \"g1\", "
                + "\"members\": [\"u1\",\n \"u9\"]}]}");
        Problem p = e.problems().get(0);
        assertEquals(2, p.line());
        assertEquals(2, p.column());
        assertEquals("$.groups[0].members[1]", p.path());
        assertEquals("member \"u9\" of group \"g1\" is neither a user nor a group of this snapshot", p.message());
    }

    @Test
    @DisplayName("members may be listed before their users: forward references resolve")
    void forwardReference() throws Exception {
        Tenant t = reader.read(write("{" + TENANT + ", \"groups\": [{\"id\": \"g1\", \"members\": [\"u1\"]}], "
                + "\"users\": [{\"id\": \"u1\"}]}"));
        assertTrue(t.directory().isMember(0, 0));
    }

    @Test
    @DisplayName("malformed JSON is rejected with the line and column where it breaks")
    void malformedJson() throws Exception {
        InvalidInputException e = invalid("{" + TENANT + ",\n\"users\": [{\"id\": \"u1\",, }]}");
        Problem p = e.problems().get(0);
        assertEquals(2, p.line());
        assertEquals(23, p.column());
        assertTrue(p.message().startsWith("malformed JSON: Unexpected character (','"), p.message());
    }

    @Test
    @DisplayName("a file cut short names where the unclosed array opened, in words; an array where an object belongs is named at its own path")
    void cutShortAndArrayPaths() throws Exception {
        InvalidInputException cut = invalid("{" + TENANT + ",\n\"users\": [{\"id\": \"u1\"}\n");
        Problem p = cut.problems().get(0);
        assertEquals("malformed JSON: the input ends before the array [ opened at line 2, column 10 is closed", p.message());
        InvalidInputException array = invalid("[1, 2]");
        assertEquals("$", array.problems().get(0).path());
        InvalidInputException states = invalid("{" + TENANT + ", \"users\": [{\"id\": \"u1\", \"displayName\": [\"x\"]}]}");
        assertEquals("$.users[0].displayName", states.problems().get(0).path(), states.problems().get(0).message());
    }

    @Test
    @DisplayName("a resolved-state file given where a snapshot belongs is named as such in one problem, not as every field it lacks")
    void stateFileInsteadOfSnapshot() throws Exception {
        Path state = dir.resolve("state.json");
        StateWriter.write(org.licensim.core.engine.Engine.builder(reader.read(EXAMPLE)).reconcile(), state);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> reader.read(state));
        assertEquals(1, e.total(), e.getMessage());
        Problem p = e.problems().get(0);
        assertEquals("$.tenantId", p.path());
        assertTrue(p.message().startsWith("this is a resolved-state file"), p.message());
        assertTrue(p.message().contains("--out-snapshot"), p.message());
    }

    @Test
    @DisplayName("every problem of a file is reported in one run, not just the first")
    void allProblems() throws Exception {
        InvalidInputException e = invalid("{" + TENANT + ", \"subscribedSkus\": [{\"skuId\": \"NOPE\"}, {\"skuId\": "
                + "\"EMS\", \"prepaidUnits\": {\"enabled\": -1}}], \"users\": [{\"id\": \"u1\", \"favouriteColour\": \"red\"}]}");
        assertEquals(3, e.total());
        assertTrue(e.problems().get(2).message().startsWith("unknown field \"favouriteColour\""),
                e.problems().get(2).message());
    }

    @Test
    @DisplayName("R22 R8 group licences need group licensing enabled and a security group")
    void groupLicensingRules() throws Exception {
        InvalidInputException e = invalid("{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\", "
                + "\"groupLicensingEnabled\": false}, \"subscribedSkus\": [" + E3 + "], \"groups\": [{\"id\": \"g1\"}, "
                + "{\"id\": \"g2\", \"securityEnabled\": false}], \"assignments\": [{\"groupId\": \"g1\", \"skuId\": "
                + "\"ENTERPRISEPACK\"}]}");
        assertTrue(e.problems().get(0).message().contains("groupLicensingEnabled false"), e.getMessage());
        Path ok = write("{" + TENANT + ", \"subscribedSkus\": [" + E3 + "], \"groups\": [{\"id\": \"g2\", "
                + "\"securityEnabled\": false}], \"assignments\": [{\"groupId\": \"g2\", \"skuId\": \"ENTERPRISEPACK\"}]}");
        InvalidInputException s = assertThrows(InvalidInputException.class, () -> reader.read(ok));
        assertTrue(s.problems().get(0).message().contains("is not a security group"), s.getMessage());
    }

    @Test
    @DisplayName("a product assigned but not subscribed, and a missing tenant section, are named")
    void notSubscribed() throws Exception {
        InvalidInputException e = invalid("{\"users\": [{\"id\": \"u1\"}], \"assignments\": [{\"userId\": \"u1\", "
                + "\"skuId\": \"EMS\"}]}");
        assertEquals(2, e.total());
        assertTrue(e.getMessage().contains("no \"tenant\" section"), e.getMessage());
        assertTrue(e.getMessage().contains("EMS (efccb6f7-5641-4e0e-bd10-b4976e1bf68e) is not among the tenant's "
                + "subscribedSkus"), e.getMessage());
    }

    @Test
    @DisplayName("a missing file is a clear error, not a stack trace")
    void missingFile() {
        LicensimException e = assertThrows(LicensimException.class, () -> reader.read(dir.resolve("nope.json")));
        assertTrue(e.getMessage().startsWith("snapshot file not found: "), e.getMessage());
    }

    @Test
    @DisplayName("R16 proxy addresses collide case-insensitively, and a deleted user frees them")
    void proxyCollision() throws Exception {
        Tenant t = reader.read(write("{" + TENANT + ", \"users\": [{\"id\": \"u1\", \"proxyAddresses\": "
                + "[\"SMTP:a@contoso.com\"]}, {\"id\": \"u2\", \"proxyAddresses\": [\"smtp:A@Contoso.com\"]}, "
                + "{\"id\": \"u3\", \"proxyAddresses\": [\"SMTP:c@contoso.com\", \"smtp:C@contoso.com\"]}]}"));
        Users u = t.users();
        assertTrue(u.hasProxyCollision(0));
        assertTrue(u.hasProxyCollision(1));
        assertEquals(false, u.hasProxyCollision(2), "a user's own two spellings do not collide with each other");
        u.delete(1);
        assertEquals(false, u.hasProxyCollision(0));
        assertNotNull(u.id(1));
    }

    private static final String WPA = "{\"skuId\": \"WORKPLACE_ANALYTICS\", \"prepaidUnits\": {\"enabled\": 5}}";

    @Test
    @DisplayName("R24 a group assignment without its add-on's prerequisite is refused with the event's message")
    void groupWithoutPrerequisite() throws Exception {
        InvalidInputException e = invalid("{" + TENANT + ", \"subscribedSkus\": [" + WPA + "], \"users\": [], "
                + "\"groups\": [{\"id\": \"wpa-only\", \"members\": []}], "
                + "\"assignments\": [{\"groupId\": \"wpa-only\", \"skuId\": \"WORKPLACE_ANALYTICS\"}]}");
        assertTrue(e.getMessage().contains("license operation failed for group \"wpa-only\": the service Microsoft Workplace "
                + "Analytics requires Exchange Online (Plan 1) or Exchange Online (Plan 2) to be enabled as well; the "
                + "group must have the prerequisite services itself"), e.getMessage());
        assertTrue(e.getMessage().contains("$.assignments[0]"), e.getMessage());
        // with E3 in the same group the prerequisite is there
        Tenant ok = reader.read(write("{" + TENANT + ", \"subscribedSkus\": [" + WPA + ", " + E3 + "], \"users\": [], "
                + "\"groups\": [{\"id\": \"g\", \"members\": []}], \"assignments\": [{\"groupId\": \"g\", "
                + "\"skuId\": \"WORKPLACE_ANALYTICS\"}, {\"groupId\": \"g\", \"skuId\": \"ENTERPRISEPACK\"}]}"));
        assertEquals(2, ok.assignments().groupLicenseCount());
    }

    @Test
    @DisplayName("R24 a direct assignment to a user without usage location is refused with the event's message")
    void directWithoutUsageLocation() throws Exception {
        InvalidInputException e = invalid("{" + TENANT + ", \"subscribedSkus\": [" + E3 + "], \"users\": [{\"id\": "
                + "\"u1\"}], \"groups\": [], \"assignments\": [{\"userId\": \"u1\", \"skuId\": \"ENTERPRISEPACK\"}]}");
        assertTrue(e.getMessage().contains("user \"u1\" has no usageLocation: a licence cannot be assigned directly until "
                + "one is set (SPEC R15"), e.getMessage());
    }

    @Test
    @DisplayName("R24 an imported snapshot (unreachableStates: report) loads such states as they are and lists each")
    void importedSnapshotReports() throws Exception {
        Tenant t = reader.read(write("{" + TENANT + ", \"unreachableStates\": \"report\", \"subscribedSkus\": [" + E3
                + ", " + WPA + "], \"users\": [{\"id\": \"u1\"}], \"groups\": [{\"id\": \"wpa-only\", \"members\": "
                + "[\"u1\"]}, {\"id\": \"team\", \"securityEnabled\": false, \"members\": []}], \"assignments\": ["
                + "{\"userId\": \"u1\", \"skuId\": \"ENTERPRISEPACK\"}, {\"groupId\": \"wpa-only\", \"skuId\": "
                + "\"WORKPLACE_ANALYTICS\"}, {\"groupId\": \"team\", \"skuId\": \"ENTERPRISEPACK\"}]}"));
        assertTrue(t.reportsUnreachable());
        assertEquals(3, t.unreachable().size(), t.unreachable().toString());
        assertTrue(t.unreachable().get(0).startsWith("$.assignments[0]: user \"u1\" has no usageLocation"),
                t.unreachable().toString());
        assertTrue(t.unreachable().stream().anyMatch(x -> x.contains("is not a security group")), t.unreachable().toString());
        assertTrue(t.unreachable().stream().anyMatch(x -> x.contains("license operation failed for group \"wpa-only\"")),
                t.unreachable().toString());
        assertEquals(1, t.assignments().directCount());
        assertEquals(3, t.assignments().groupLicenseCount() + t.assignments().directCount());
        InvalidInputException bad = invalid("{" + TENANT + ", \"unreachableStates\": \"maybe\"}");
        assertTrue(bad.getMessage().contains("unreachableStates must be \"refuse\" (the default) or \"report\""),
                bad.getMessage());
    }

    @Test
    @DisplayName("R25 the tenant's servicePlans is the product's plan list: a plan Microsoft added later is enabled by default")
    void tenantPlanList() throws Exception {
        // Office 365 E1 as a tenant sees it: two of the shipped plans and one the shipped table does not know yet
        String e1 = "{\"skuPartNumber\": \"STANDARDPACK\", \"prepaidUnits\": {\"enabled\": 5}, \"servicePlans\": ["
                + "{\"servicePlanId\": \"9aaf7827-d63c-4b61-89c3-182f06f82e5c\", \"servicePlanName\": \"EXCHANGE_S_STANDARD\", "
                + "\"provisioningStatus\": \"Success\", \"appliesTo\": \"User\"}, "
                + "{\"servicePlanId\": \"c7699d2e-19aa-44de-8edf-1736da088ca1\", \"servicePlanName\": \"SHAREPOINTSTANDARD\"}, "
                + "{\"servicePlanId\": \"00000000-1111-4222-8333-444444444444\", \"servicePlanName\": \"NEW_COPILOT_PLAN\"}]}";
        Tenant t = reader.read(write("{" + TENANT + ", \"subscribedSkus\": [" + e1 + "], \"users\": [{\"id\": \"u1\", "
                + "\"usageLocation\": \"NL\"}], \"groups\": [], \"assignments\": [{\"userId\": \"u1\", \"skuId\": "
                + "\"STANDARDPACK\", \"disabledPlans\": [\"SHAREPOINTSTANDARD\"]}]}"));
        var product = t.subscriptions().product(0);
        assertEquals(3, product.planCount());
        assertEquals(List.of("EXCHANGE_S_STANDARD", "SHAREPOINTSTANDARD", "NEW_COPILOT_PLAN"),
                t.catalog().planNames(product));
        assertTrue(t.subscriptions().hasTenantPlans(0));
        // the direct assignment disables SharePoint only: the new plan is enabled (R9)
        Assignments.License l = t.assignments().findDirect(0, 0);
        assertTrue(t.masks().has(l.enabled(), 2), "the plan Microsoft added later is enabled");
        assertTrue(!t.masks().has(l.enabled(), 1));
        // a plan of the shipped list the tenant's list does not have is no plan of the product here
        InvalidInputException e = invalid("{" + TENANT + ", \"subscribedSkus\": [" + e1 + "], \"users\": [{\"id\": \"u1\", "
                + "\"usageLocation\": \"NL\"}], \"groups\": [], \"assignments\": [{\"userId\": \"u1\", \"skuId\": "
                + "\"STANDARDPACK\", \"disabledPlans\": [\"YAMMER_ENTERPRISE\"]}]}");
        assertTrue(e.getMessage().contains("\"YAMMER_ENTERPRISE\" is not a plan of product STANDARDPACK"), e.getMessage());
        // without servicePlans the shipped list is used
        Tenant shipped = reader.read(write("{" + TENANT + ", \"subscribedSkus\": [" + E3 + "], \"users\": [], "
                + "\"groups\": [], \"assignments\": []}"));
        assertTrue(!shipped.subscriptions().hasTenantPlans(0));
        assertEquals(shipped.catalog().findProduct("ENTERPRISEPACK").planCount(), shipped.subscriptions().product(0).planCount());
    }

    @Test
    @DisplayName("R25 a servicePlans entry whose servicePlanId is not a GUID is refused, the value named with its place")
    void tenantPlanListBadId() throws Exception {
        String sku = "{\"skuPartNumber\": \"STANDARDPACK\", \"prepaidUnits\": {\"enabled\": 5}, \"servicePlans\": ["
                + "{\"servicePlanId\": \"9aaf7827-d63c-4b61-89c3-182f06f82e5c\", \"servicePlanName\": \"EXCHANGE_S_STANDARD\"}, "
                + "{\"servicePlanId\": \"9aaf7827-d63c-4b61-89c3\", \"servicePlanName\": \"SHAREPOINTSTANDARD\"}]}";
        InvalidInputException e = invalid("{" + TENANT + ", \"subscribedSkus\": [" + sku + "], \"users\": [], "
                + "\"groups\": [], \"assignments\": []}");
        assertTrue(e.getMessage().contains("a servicePlans entry needs a servicePlanId (a GUID), found \"9aaf7827-d63c-4b61-89c3\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("snapshot.json:"), e.getMessage());
    }

    @Test
    @DisplayName("subscriptions (Graph's companySubscription) load with their lifecycle dates; a bad one names its field and place")
    void subscriptions() throws Exception {
        String base = "{" + TENANT + ", \"subscribedSkus\": [" + E3 + "], \"users\": [], \"groups\": [], \"assignments\": [], "
                + "\"subscriptions\": [";
        Tenant t = reader.read(write(base + "{\"id\": \"s1\", \"skuPartNumber\": \"ENTERPRISEPACK\", \"status\": \"Enabled\", "
                + "\"totalLicenses\": 5, \"isTrial\": true, \"nextLifecycleDateTime\": \"2026-12-20T00:00:00Z\", "
                + "\"commerceSubscriptionId\": \"c1\", \"serviceStatus\": []}]}"));
        var s = t.commercialSubscriptions().get(0);
        assertEquals("6fd2c87f-b296-42f0-b197-1e91e994b900", s.skuId());
        assertEquals(java.time.Instant.parse("2026-12-20T00:00:00Z").getEpochSecond(), s.nextLifecycle());
        assertTrue(s.isTrial());
        assertEquals("Warning", s.nextStatus());
        InvalidInputException status = invalid(base + "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"status\": \"Expired\"}]}");
        assertTrue(status.getMessage().contains("$.subscriptions[0]") && status.getMessage().contains(
                "status \"Expired\" is not one of Enabled, Warning, Suspended, LockedOut, Deleted"), status.getMessage());
        InvalidInputException date = invalid(base + "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"nextLifecycleDateTime\": "
                + "\"next year\"}]}");
        assertTrue(date.getMessage().contains("nextLifecycleDateTime must be an ISO 8601 instant such as 2026-12-31T00:00:00Z, "
                + "found \"next year\""), date.getMessage());
        InvalidInputException sku = invalid(base + "{\"skuPartNumber\": \"NOPE\"}]}");
        assertTrue(sku.getMessage().contains("needs the skuId or skuPartNumber of a product in the catalog, found "
                + "skuPartNumber NOPE"), sku.getMessage());
    }
}
