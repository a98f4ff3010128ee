package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.cli.CliTest.Result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Output an administrator acts on: commands refused clearly, output files written whole or not at all, Graph requests. */
class AdminOutputTest {
    private static final String SWITCH = "../core/src/test/resources/plans/switch.json";
    private static final String MIGRATION = "../core/src/test/resources/plans/migration.json";

    private static Result run(String... args) {
        return CliTest.run(args);
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).sorted().toList();
        }
    }

    @Test
    @DisplayName("An unknown command is refused with exit 2 even with --help, with a suggestion for a near miss")
    void unknownCommand() {
        Result help = run("no-such-command", "--help");
        assertEquals(2, help.code(), help.out());
        assertEquals("", help.out(), "no top-level usage");
        assertTrue(help.err().startsWith("licensim: unknown command \"no-such-command\"; the commands are simulate, "), help.err());
        Result typo = run("simulte");
        assertEquals(2, typo.code());
        assertTrue(typo.err().startsWith("licensim: unknown command \"simulte\" (did you mean simulate?)"), typo.err());
        Result known = run("check", "--help");
        assertEquals(0, known.code());
        assertTrue(known.out().startsWith("Usage: licensim check"), known.out());
    }

    @Test
    @DisplayName("--out of resolve and import-graph, and --apply, create missing parent folders")
    void missingFolders(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("a/b/state.json");
        Result r = run("resolve", "../examples/contoso-small.json", "--out", state.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(state) > 1000);
        Path snap = dir.resolve("c/d/tenant.json");
        Result i = run("import-graph", "--dir", "../core/src/test/resources/graph/contoso-export", "--out", snap.toString());
        assertEquals(0, i.code(), i.err());
        assertTrue(Files.readString(snap).contains("\"subscribedSkus\""));
        Path feed = dir.resolve("e/f/migration.jsonl");
        Result m = run("migrate", MIGRATION, "--apply", feed.toString());
        assertEquals(0, m.code(), m.err());
        assertEquals(2, Files.readAllLines(feed).size());
    }

    @Test
    @DisplayName("switch-product --apply writes nothing when no order ends without errors (exit 1), and says so")
    void switchFailsWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("new/steps.json");
        Result r = run("switch-product", "../examples/contoso-small.json", "--group", "Sales - Office 365 E3", "--from",
                "ENTERPRISEPACK", "--to", "STANDARDPACK", "--apply", out.toString(), "--apply", dir.resolve("steps.ps1").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("nothing written to " + out + ", " + dir.resolve("steps.ps1")
                + ": no order ends without errors"), r.out());
        // the service plans members lose, by Microsoft's friendly names with the internal names beside them
        assertTrue(r.out().contains("members lose, whatever the order (Office 365 E1 (STANDARDPACK) lacks them): ")
                && r.out().contains("Microsoft 365 Apps for enterprise (OFFICESUBSCRIPTION)"), r.out());
        // the members who would lose service, one per line
        assertTrue(r.out().contains("members who would lose service (their new licence fails, 1):\n"
                + "  alex.wilber@contoso.com: Office 365 E1 (STANDARDPACK) MutuallyExclusiveViolation\n"), r.out());
        assertEquals(List.of(), files(dir));
    }

    @Test
    @DisplayName("--apply with another ending, or onto a symbolic link, is refused before any work and writes nothing")
    void applyRefused(@TempDir Path dir) throws Exception {
        Result bad = run("migrate", MIGRATION, "--apply", dir.resolve("changes.txt").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--apply " + dir.resolve("changes.txt") + ": the name must end in .jsonl (licensim "
                + "events), .json (Microsoft Graph JSON batches) or .ps1"), bad.err());
        assertEquals("", bad.out(), "refused before the plan is made");
        Path target = dir.resolve("real.json");
        Files.writeString(target, "mine");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), target);
        Result l = run("switch-product", SWITCH, "--group", "g-support", "--from", "STANDARDPACK", "--to", "ENTERPRISEPACK",
                "--apply", link.toString());
        assertEquals(1, l.code());
        assertTrue(l.err().contains(link + ": it is a symbolic link"), l.err());
        assertEquals("mine", Files.readString(target));
    }

    @Test
    @DisplayName("migrate and switch-product --apply write Graph $batch files and a PowerShell script for the same changes")
    void graphOutputs(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path batch = dir.resolve("migration.json");
        Path script = dir.resolve("migration.ps1");
        Result m = run("migrate", MIGRATION, "--apply", batch.toString(), "--apply", script.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("wrote " + batch + " (2 Graph requests in 1 batch"), m.out());
        JsonNode reqs = json.readTree(batch.toFile()).get("batches").get(0).get("requests");
        assertEquals(2, reqs.size());
        assertEquals("/users/u2/assignLicense", reqs.get(0).get("url").asText());
        assertEquals("{\"addLicenses\":[],\"removeLicenses\":[\"6fd2c87f-b296-42f0-b197-1e91e994b900\"]}",
                reqs.get(0).get("body").toString());
        assertEquals("[\"1\"]", reqs.get(1).get("dependsOn").toString());
        String ps = Files.readString(script);
        assertEquals(2, ps.lines().filter(l -> l.strip().startsWith("Set-MgUserLicense -UserId ")).count(), ps);

        Path sw = dir.resolve("switch.json");
        Result s = run("switch-product", SWITCH, "--group", "g-support", "--from", "STANDARDPACK", "--to", "ENTERPRISEPACK",
                "--apply", sw.toString(), "--format", "json");
        assertEquals(0, s.code(), s.err());
        JsonNode one = json.readTree(sw.toFile()).get("batches").get(0).get("requests").get(0);
        assertEquals("POST /groups/g-support/assignLicense", one.get("method").asText() + " " + one.get("url").asText());
        assertEquals("{\"addLicenses\":[{\"disabledPlans\":[],\"skuId\":\"6fd2c87f-b296-42f0-b197-1e91e994b900\"}],"
                + "\"removeLicenses\":[\"18181a46-0d4e-45cd-891e-60aabd171b4e\"]}", one.get("body").toString());
        assertFalse(s.out().contains("wrote"), "with --format json, stdout is the JSON alone");
        json.readTree(s.out());
    }

    private static final java.util.regex.Pattern GUID =
            java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Test
    @DisplayName("R4 whatif names service plans by Microsoft's friendly names in the table, ids and internal names in CSV and JSON")
    void whatIfPlansByFriendlyName() throws Exception {
        String change = "{\"type\":\"GroupDisabledPlansChanged\",\"groupId\":\"b0000000-0000-4000-8000-0000000000a1\","
                + "\"skuId\":\"ENTERPRISEPACK\",\"disabledPlans\":[\"OFFICESUBSCRIPTION\"]}";
        Result t = run("whatif", "../examples/contoso-small.json", "--change", change);
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("  service plans changed: 3\n    adele.vance@contoso.com, Office 365 E3 (ENTERPRISEPACK): "
                + "switched off: Microsoft 365 Apps for enterprise (OFFICESUBSCRIPTION)\n"), t.out());
        assertFalse(t.out().contains("-OFFICESUBSCRIPTION"), t.out());
        assertTrue(t.out().contains("  change 1: add Office 365 E3 (ENTERPRISEPACK) without Microsoft 365 Apps for enterprise "
                + "(licence of group \"Sales - Office 365 E3\")\n"), t.out());
        assertFalse(GUID.matcher(t.out()).find(), "no id, the change included: " + t.out());
        Result units = run("whatif", "../examples/contoso-small.json", "--change",
                "{\"type\":\"UnitsChanged\",\"skuId\":\"ENTERPRISEPACK\",\"prepaidUnits\":{\"enabled\":5}}");
        assertTrue(units.out().contains("  change 1: Office 365 E3 (ENTERPRISEPACK): seats set to 5 enabled, 0 in warning "
                + "(5 usable), 0 suspended, 0 locked out\n"), units.out());
        Result csv = run("whatif", "../examples/contoso-small.json", "--change", change, "--format", "csv");
        assertTrue(csv.out().contains("plansChanged,a1b2c3d4-0001-4000-8000-000000000001,adele.vance@contoso.com,,,"
                + "ENTERPRISEPACK,Office 365 E3,switched off: Microsoft 365 Apps for enterprise (OFFICESUBSCRIPTION),,"
                + "OFFICESUBSCRIPTION,,,\r\n"), csv.out());
        JsonNode off = new ObjectMapper().readTree(run("whatif", "../examples/contoso-small.json", "--change", change,
                "--format", "json").out()).get("plansChanged").get(0).get("plansOff").get(0);
        assertEquals("43de0ff5-c92c-492b-9116-175376d08c38", off.get("servicePlanId").asText());
        assertEquals("OFFICESUBSCRIPTION", off.get("servicePlanName").asText());
        assertEquals("Microsoft 365 Apps for enterprise", off.get("friendlyName").asText());
    }

    @Test
    @DisplayName("check's table writes counts of a thousand and more with separators, as its other lines do; CSV keeps plain numbers")
    void checkCountsReadable() {
        java.util.Map<String, Integer> byError = new java.util.LinkedHashMap<>();
        byError.put("CountViolation", 2073);
        byError.put("UniquenessViolation", 8);
        assertEquals("CountViolation 2,073, UniquenessViolation 8", CheckCommand.join(byError, "%,d"));
        assertEquals("CountViolation 2073, UniquenessViolation 8", CheckCommand.join(byError, "%d"));
        assertEquals("reprocess the group: 2,099 seats of Power BI Pro (POWER_BI_PRO) are free now",
                org.licensim.core.planning.HealthCheck.action(org.licensim.core.state.States.COUNT_VIOLATION, 2099, true,
                        "Power BI Pro (POWER_BI_PRO)"));
    }

    @Test
    @DisplayName("migrate counts of a thousand and more are written with separators, in its table and in what --apply says it wrote")
    void migrateCountsReadable(@TempDir Path dir) throws Exception {
        StringBuilder users = new StringBuilder();
        StringBuilder direct = new StringBuilder();
        for (int i = 0; i < 1_200; i++) {
            String id = String.format("u%04d", i);
            users.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"userPrincipalName\":\"").append(id)
                    .append("@contoso.com\",\"accountEnabled\":true,\"usageLocation\":\"NL\"}");
            direct.append(i == 0 ? "" : ",").append("{\"userId\":\"").append(id).append("\",\"skuId\":\"STANDARDPACK\"}");
        }
        Path t = dir.resolve("t.json");
        Files.writeString(t, "{\"tenant\":{\"id\":\"t1\",\"countryLetterCode\":\"NL\"},\"subscribedSkus\":[{\"skuId\":"
                + "\"STANDARDPACK\",\"prepaidUnits\":{\"enabled\":2000}}],\"users\":[" + users + "],\"groups\":[{\"id\":"
                + "\"g1\",\"displayName\":\"Everyone\",\"securityEnabled\":true,\"members\":[\"u0000\"]}],\"assignments\":["
                + direct + ",{\"groupId\":\"g1\",\"skuId\":\"STANDARDPACK\"}]}");
        Result m = run("migrate", t.toString(), "--limit", "1", "--apply", dir.resolve("m.jsonl").toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("  keep: 1,199\n"), m.out());
        assertTrue(m.out().contains("    ... and 1,198 more\n"), m.out());
    }

    @Test
    @DisplayName("R18 plan of a tenant whose users wait for a seat while seats are free says which group to reprocess now")
    void planSaysReprocessFirst(@TempDir Path dir) throws Exception {
        // seats cut, a user enabled joins the EMS group and fails for want of a seat, seats bought back: the user waits
        Path events = dir.resolve("e.jsonl");
        Files.writeString(events, String.join("\n",
                "{\"seq\":1,\"time\":\"2026-01-05T09:00:00Z\",\"type\":\"UnitsChanged\",\"skuId\":\"EMS\",\"prepaidUnits\":{\"enabled\":5}}",
                "{\"seq\":2,\"time\":\"2026-01-05T09:01:00Z\",\"type\":\"UserAttributesChanged\",\"userId\":"
                        + "\"a1b2c3d4-0007-4000-8000-000000000007\",\"attributes\":{\"accountEnabled\":true}}",
                "{\"seq\":3,\"time\":\"2026-01-05T09:02:00Z\",\"type\":\"UnitsChanged\",\"skuId\":\"EMS\",\"prepaidUnits\":{\"enabled\":22}}",
                ""));
        Path now = dir.resolve("now.json");
        Result r = run("resolve", "../examples/contoso-small.json", "--events", events.toString(), "--out-snapshot", now.toString(),
                "--quiet");
        assertEquals(0, r.code(), r.err());
        Path churn = dir.resolve("churn.json");
        Files.writeString(churn, "{\"start\":\"2026-02-02\",\"days\":30,\"rates\":{\"hires\":\"0.1%\",\"leavers\":\"0.1%\"}}");
        Result plan = run("plan", now.toString(), "--churn", churn.toString(), "--runs", "2", "--quiet", "--out",
                dir.resolve("p").toString());
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("  reprocess group \"All enabled users - EMS\" now: 1 user waits for Enterprise Mobility "
                + "+ Security E3 (EMS) while 13 seats are free (SPEC R18"), plan.out());
        JsonNode waiting = new ObjectMapper().readTree(dir.resolve("p").resolve("plan.json").toFile()).findValue(
                "waitingWhileSeatsAreFree");
        assertEquals("All enabled users - EMS", waiting.get(0).get("groups").get(0).get("displayName").asText(), waiting.toString());
        // the tenant as the example is, nobody waiting: no such line
        Result clean = run("plan", "../examples/contoso-small.json", "--churn", churn.toString(), "--runs", "2", "--quiet",
                "--out", dir.resolve("q").toString());
        assertEquals(0, clean.code(), clean.err());
        assertFalse(clean.out().contains("reprocess group"), clean.out());
    }

    @Test
    @DisplayName("R18 whatif says who still waits for a seat while seats are free after the changes, and the change that gives it them")
    void whatIfSaysWhoStillWaits() throws Exception {
        // seats cut, a user enabled joins the EMS group and fails for want of a seat, seats bought back: still failed
        String cut = "{\"type\":\"UnitsChanged\",\"skuId\":\"EMS\",\"prepaidUnits\":{\"enabled\":5}}";
        String enable = "{\"type\":\"UserAttributesChanged\",\"userId\":\"a1b2c3d4-0007-4000-8000-000000000007\","
                + "\"attributes\":{\"accountEnabled\":true}}";
        String buy = "{\"type\":\"UnitsChanged\",\"skuId\":\"EMS\",\"prepaidUnits\":{\"enabled\":22}}";
        Result t = run("whatif", "../examples/contoso-small.json", "--change", cut, "--change", enable, "--change", buy);
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("  still waiting: 1 user waits for Enterprise Mobility + Security E3 (EMS) while 13 seats "
                + "are free after the changes: seats added do not reach sources that already failed (SPEC R18); add "
                + "--change '{\"type\":\"Reprocess\",\"groupId\":\"All enabled users - EMS\"}'\n"), t.out());
        JsonNode waiting = new ObjectMapper().readTree(run("whatif", "../examples/contoso-small.json", "--change", cut,
                "--change", enable, "--change", buy, "--format", "json").out()).get("waitingWhileSeatsAreFree");
        assertEquals(1, waiting.size(), waiting.toString());
        assertEquals("EMS", waiting.get(0).get("sku").asText());
        assertEquals(13, waiting.get(0).get("free").asInt());
        // the change it names, added, leaves nobody waiting
        Result reprocessed = run("whatif", "../examples/contoso-small.json", "--change", cut, "--change", enable, "--change",
                buy, "--change", "{\"type\":\"Reprocess\",\"groupId\":\"All enabled users - EMS\"}");
        assertEquals(0, reprocessed.code(), reprocessed.err());
        assertFalse(reprocessed.out().contains("still waiting"), reprocessed.out());
        assertTrue(reprocessed.out().contains("johanna.lorenz@contoso.com gains Enterprise Mobility + Security E3 (EMS)"),
                reprocessed.out());
    }

    @Test
    @DisplayName("whatif takes a group by display name and a user by userPrincipalName, as people type them, and gives what the ids give")
    void whatIfByName() throws Exception {
        String byId = "{\"type\":\"MemberAdded\",\"groupId\":\"b0000000-0000-4000-8000-0000000000a1\","
                + "\"memberId\":\"a1b2c3d4-0009-4000-8000-000000000009\"}";
        String byName = "{\"type\":\"MemberAdded\",\"groupId\":\"sales - office 365 e3\","
                + "\"memberId\":\"Lidia.Holloway@contoso.com\"}";
        Result ids = run("whatif", "../examples/contoso-small.json", "--change", byId, "--format", "json");
        Result names = run("whatif", "../examples/contoso-small.json", "--change", byName, "--format", "json");
        assertEquals(0, names.code(), names.err());
        assertEquals(ids.out(), names.out());
        assertEquals("lidia.holloway@contoso.com", new ObjectMapper().readTree(names.out()).get("gained").get(0)
                .get("userPrincipalName").asText(), names.out());
        Result direct = run("whatif", "../examples/contoso-small.json", "--change",
                "{\"type\":\"LicenseAssignedToUser\",\"userId\":\"lidia.holloway@contoso.com\",\"skuId\":\"STANDARDPACK\"}");
        assertEquals(0, direct.code(), direct.err());
        assertTrue(direct.out().contains("licences gained: 1\n    lidia.holloway@contoso.com gains"), direct.out());
        Result unknown = run("whatif", "../examples/contoso-small.json", "--change",
                "{\"type\":\"MemberAdded\",\"groupId\":\"Marketing\",\"memberId\":\"lidia.holloway@contoso.com\"}");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown group \"Marketing\""), unknown.err());
    }

    @Test
    @DisplayName("R22 a refused event names the group by display name and the user by userPrincipalName, not by id")
    void refusalsByName(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("e.jsonl");
        Files.writeString(events, "{\"seq\":1,\"time\":\"2026-06-01T09:00:00Z\",\"type\":\"LicenseAssignedToGroup\","
                + "\"groupId\":\"b0000000-0000-4000-8000-0000000000a5\",\"skuId\":\"EMS\"}\n"
                + "{\"seq\":2,\"time\":\"2026-06-01T09:00:00Z\",\"type\":\"LicenseRemovedFromUser\","
                + "\"userId\":\"a1b2c3d4-0002-4000-8000-000000000002\",\"skuId\":\"EMS\"}\n");
        Result r = run("resolve", "../examples/contoso-small.json", "--events", events.toString(), "--on-reject", "skip");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(":1: event seq 1 (LicenseAssignedToGroup) rejected: group \"Contoso Social\" is not a "
                + "security group: only security groups can be assigned products (SPEC R8)\n"), r.out());
        assertTrue(r.out().contains(":2: event seq 2 (LicenseRemovedFromUser) rejected: user \"alex.wilber@contoso.com\" has "
                + "no direct assignment of Enterprise Mobility + Security E3 (EMS); it is inherited from group \"All enabled "
                + "users - EMS\" and can only be removed there (SPEC R8)\n"), r.out());
        Result fail = run("resolve", "../examples/contoso-small.json", "--events", events.toString());
        assertEquals(1, fail.code());
        assertTrue(fail.err().contains("group \"Contoso Social\" is not a security group"), fail.err());
        assertFalse(GUID.matcher(fail.err()).find(), fail.err());
    }

    @Test
    @DisplayName("a prices file kept for several tenants is accepted where a tenant lacks some of its products; a misspelt part number is still refused")
    void sharedPriceList(@TempDir Path dir) throws Exception {
        // examples/prices.json prices E5 and CRM, which the example tenant does not subscribe to
        Result shared = run("reclaim", "../examples/contoso-small.json", "--prices", "../examples/prices.json");
        assertEquals(0, shared.code(), shared.err());
        Path typo = dir.resolve("prices.json");
        Files.writeString(typo, "{\"currency\": \"EUR\", \"products\": {\"ENTERPRISEPAK\": {\"perMonth\": 30}}}");
        Result refused = run("reclaim", "../examples/contoso-small.json", "--prices", typo.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("$.products[\"ENTERPRISEPAK\"]: not a product of the plan"), refused.err());
    }

    @Test
    @DisplayName("R17 check names the users in licence error (UPN, name, product, group by name) and what to do; --limit with the rest counted")
    void checkListsUsers() throws Exception {
        String snap = "../examples/contoso-small.json";
        String ev = "../examples/contoso-small.events.jsonl";
        Result t = run("check", snap, "--events", ev);
        assertEquals(3, t.code(), t.err());
        assertTrue(t.out().contains("  users in licence error: 1 licence\n    lidia.holloway@contoso.com (Lidia Holloway): "
                + "Office 365 E3 (ENTERPRISEPACK) from group \"Engineering - Office 365 E3 without Yammer\": Error CountViolation\n"
                + "  what to do, CountViolation of Office 365 E3 (ENTERPRISEPACK): reprocess the group: 3 seats of Office 365 E3 (ENTERPRISEPACK) "
                + "are free now\n"), t.out());
        assertTrue(t.out().contains("reprocess group \"Engineering - Office 365 E3 without Yammer\" (SPEC R18)"),
                "the group to reprocess by name: " + t.out());
        assertFalse(java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
                .matcher(t.out()).find(), "no id in the table an administrator reads: " + t.out());
        Result none = run("check", snap, "--events", ev, "--limit", "0");
        assertFalse(none.out().contains("lidia.holloway"), none.out());
        assertTrue(none.out().contains("    ... and 1 more (--limit N shows more; --format csv lists every one)"), none.out());
        List<String> csv = run("check", snap, "--events", ev, "--format", "csv", "--limit", "0").out().lines().toList();
        assertEquals("user,a1b2c3d4-0009-4000-8000-000000000009,lidia.holloway@contoso.com,1,,,,,Error CountViolation,"
                + "Lidia Holloway,ENTERPRISEPACK,b0000000-0000-4000-8000-0000000000a2,Engineering - Office 365 E3 without Yammer,"
                + "reprocess the group: 3 seats of Office 365 E3 (ENTERPRISEPACK) are free now", csv.get(csv.size() - 1),
                "csv lists every one whatever --limit");
        List<String> all = run("check", snap, "--events", ev, "--format", "csv").out().lines().toList();
        assertTrue(all.contains("reprocess,ENTERPRISEPACK,Office 365 E3,1,,,3,,reprocess b0000000-0000-4000-8000-0000000000a2,,"
                + "ENTERPRISEPACK,b0000000-0000-4000-8000-0000000000a2,Engineering - Office 365 E3 without Yammer,"
                + "\"reprocess group \"\"Engineering - Office 365 E3 without Yammer\"\"\""), String.join("\n", all));
        assertTrue(all.contains("errors,b0000000-0000-4000-8000-0000000000a2,Engineering - Office 365 E3 without Yammer,1,,,,,"
                + "CountViolation 1,,,b0000000-0000-4000-8000-0000000000a2,Engineering - Office 365 E3 without Yammer,"),
                String.join("\n", all));
        csv.forEach(l -> assertEquals(13, l.chars().filter(ch -> ch == ',').count(),
                "every row has the header's 14 fields: " + l));
        JsonNode j = new ObjectMapper().readTree(run("check", snap, "--events", ev, "--format", "json").out());
        assertEquals("lidia.holloway@contoso.com", j.get("users").get(0).get("userPrincipalName").asText());
        assertEquals("Engineering - Office 365 E3 without Yammer", j.get("users").get(0).get("groupName").asText());
        assertEquals("CountViolation", j.get("users").get(0).get("error").asText());
    }

    @Test
    @DisplayName("reclaim lists the seats of disabled and inactive accounts by name, with source, money and the changes as Graph requests")
    void reclaim(@TempDir Path dir) throws Exception {
        Path tenant = dir.resolve("tenant.json");
        Result imported = run("import-graph", "--dir", "../examples/graph-export", "--out", tenant.toString());
        assertEquals(0, imported.code(), imported.err());
        // the import's notes name a group by display name; its id only in the file name the export lacks
        assertTrue(imported.out().contains("  note: group \"All devices\": no members file "
                + "(members/9a0c6a3e-5d7f-4e36-8b0e-3c2f6f1d4e21.json); imported without members"), imported.out());
        Path batch = dir.resolve("out/reclaim.json");
        Result r = run("reclaim", tenant.toString(), "--now", "2026-12-01T00:00:00Z", "--prices", "../examples/prices.json",
                "--apply", batch.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  AlexW@contoso.com (Alex Wilber), inactive (last sign-in 2026-06-02): Office 365 E5 "
                + "(ENTERPRISEPREMIUM) from direct and group \"Sales\", 657 EUR a year\n      to free it: remove the direct "
                + "licence; remove the user from group \"Sales\""), r.out());
        assertTrue(r.out().contains("  IsaiahL@contoso.com (Isaiah Langer), disabled: Office 365 E5 (ENTERPRISEPREMIUM) from "
                + "direct, 657 EUR a year"), r.out());
        assertTrue(r.out().contains("reclaiming them frees 1,314 EUR a year"), "the plan's reclaim figure: " + r.out());
        JsonNode reqs = new ObjectMapper().readTree(batch.toFile()).get("batches").get(0).get("requests");
        assertEquals(List.of("POST /users/626cbf8c-5dde-46b0-8385-9e40d64736fe/assignLicense",
                "DELETE /groups/02bd9fd6-8f93-4758-87c3-1fb73740a315/members/626cbf8c-5dde-46b0-8385-9e40d64736fe/$ref",
                "POST /users/5f2a1e9c-7a4b-4a61-8f0d-2b8c9e6d1a33/assignLicense"),
                List.of(reqs.get(0).get("method").asText() + " " + reqs.get(0).get("url").asText(),
                        reqs.get(1).get("method").asText() + " " + reqs.get(1).get("url").asText(),
                        reqs.get(2).get("method").asText() + " " + reqs.get(2).get("url").asText()));
        // 200 days on, the active users are inactive too; --limit counts the rest
        Result later = run("reclaim", tenant.toString(), "--now", "2027-06-01T00:00:00Z", "--limit", "1");
        assertTrue(later.out().matches("(?s).*  \\.\\.\\. and \\d+ more \\(--limit N shows more.*"), later.out());
    }

    @Test
    @DisplayName("R22 check and reclaim after a feed: a refused event stops them unless --on-reject skip; the state's time is the last event's; reclaim's changes continue the feed")
    void reclaimAfterAFeed(@TempDir Path dir) throws Exception {
        Path tenant = dir.resolve("tenant.json");
        assertEquals(0, run("import-graph", "--dir", "../examples/graph-export", "--out", tenant.toString()).code());
        Path feed = dir.resolve("feed.jsonl");
        Files.writeString(feed, """
                {"seq":4,"time":"2027-05-01T00:00:00Z","type":"MemberAdded","groupId":"no-such-group","memberId":"no-such-user"}
                {"seq":5,"time":"2027-06-01T00:00:00Z","type":"UnitsChanged","skuId":"ENTERPRISEPREMIUM","prepaidUnits":{"enabled":50}}
                """);
        for (String command : List.of("check", "reclaim")) {
            Result refused = run(command, tenant.toString(), "--events", feed.toString());
            assertEquals(1, refused.code(), command + ": " + refused.out());
            assertTrue(refused.err().startsWith("licensim: " + feed + ":1: event seq 4 (MemberAdded) rejected: "), refused.err());
            assertTrue(refused.err().contains("(--on-reject skip goes on past rejected events)"), refused.err());
        }
        Result check = run("check", tenant.toString(), "--events", feed.toString(), "--on-reject", "skip", "--format", "csv");
        assertTrue(check.code() == 0 || check.code() == 3, check.err());
        assertTrue(check.err().startsWith("1 event refused and skipped (--on-reject skip), the state unchanged by it:\n  "
                + feed + ":1: event seq 4 (MemberAdded) rejected: "), "said beside the CSV, on stderr: " + check.err());
        assertTrue(check.out().startsWith("finding,id,name,"), "stdout holds the CSV alone: " + check.out());

        // inactive counted back from the last event's time (2027-06-01), as --now 2027-06-01 would
        Result atFeed = run("reclaim", tenant.toString(), "--events", feed.toString(), "--on-reject", "skip", "--format", "csv");
        Result atNow = run("reclaim", tenant.toString(), "--now", "2027-06-01T00:00:00Z", "--format", "csv");
        Result atSnapshot = run("reclaim", tenant.toString(), "--format", "csv", "--now", "2026-12-01T00:00:00Z");
        assertEquals(atNow.out(), atFeed.out());
        assertTrue(atFeed.out().lines().count() > atSnapshot.out().lines().count(), atFeed.out());

        // a snapshot written after the feed: reclaim's events follow its last seq and resolve applies them
        Path next = dir.resolve("next.json");
        assertEquals(0, run("resolve", tenant.toString(), "--events", feed.toString(), "--on-reject", "skip",
                "--out-snapshot", next.toString(), "-q").code());
        Path changes = dir.resolve("reclaim.jsonl");
        Result written = run("reclaim", next.toString(), "--now", "2027-06-01T00:00:00Z", "--apply", changes.toString());
        assertEquals(0, written.code(), written.err());
        List<String> lines = Files.readAllLines(changes);
        assertTrue(lines.get(0).startsWith("{\"seq\":6,\"time\":\"2027-06-01T00:00:00Z\","), lines.get(0));
        Result applied = run("resolve", next.toString(), "--events", changes.toString(), "-q");
        assertEquals(0, applied.code(), applied.err());
        assertTrue(applied.out().contains(lines.size() + " events in "), applied.out());
        assertTrue(java.util.regex.Pattern.compile("\\n  ENTERPRISEPREMIUM +0 +50 +50 ").matcher(applied.out()).find(),
                "the E5 seats of the disabled and inactive accounts are free: " + applied.out());
    }

    @Test
    @DisplayName("A group named like a spreadsheet formula reaches check's CSV as text, and its JSON as it is")
    void formulaNamesStayText(@TempDir Path dir) throws Exception {
        String evil = "=HYPERLINK(\"http://example.invalid\",\"open\")";
        Path snap = dir.resolve("tenant.json");
        String tenant = Files.readString(Path.of("../examples/contoso-small.json"));
        assertTrue(tenant.contains("\"Engineering - Office 365 E3 without Yammer\""));
        Files.writeString(snap, tenant.replace("\"Engineering - Office 365 E3 without Yammer\"",
                new ObjectMapper().writeValueAsString(evil)));
        String ev = "../examples/contoso-small.events.jsonl";
        Result csv = run("check", snap.toString(), "--events", ev, "--format", "csv");
        assertEquals(3, csv.code(), csv.err());
        assertTrue(csv.out().contains(",\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"open\"\")\","), csv.out());
        assertFalse(csv.out().contains(",=HYPERLINK") || csv.out().contains(",\"=HYPERLINK"), csv.out());
        JsonNode j = new ObjectMapper().readTree(run("check", snap.toString(), "--events", ev, "--format", "json").out());
        assertEquals(evil, j.get("users").get(0).get("groupName").asText());
    }

    @Test
    @DisplayName("A mistyped product part number is refused with the one meant: catalog, whatif, switch-product, a scenario")
    void mistypedProductSuggested(@TempDir Path dir) throws Exception {
        Result catalog = run("catalog", "--product", "ENTERPRISEPAK");
        assertEquals(1, catalog.code());
        assertTrue(catalog.err().contains("unknown product \"ENTERPRISEPAK\"") && catalog.err().contains("; did you mean ENTERPRISEPACK"),
                catalog.err());
        Result whatif = run("whatif", "../examples/contoso-small.json", "--change",
                "{\"type\":\"UnitsChanged\",\"skuId\":\"ENTERPRISEPAK\",\"prepaidUnits\":{\"enabled\":5}}");
        assertEquals(1, whatif.code());
        assertTrue(whatif.err().contains("unknown product \"ENTERPRISEPAK\": not in the product catalog (did you mean ENTERPRISEPACK?)"),
                whatif.err());
        Result sw = run("switch-product", "../examples/contoso-small.json", "--group", "Engineering - Office 365 E3 without Yammer",
                "--from", "ENTERPRISEPAK", "--to", "STANDARDPACK");
        assertEquals(1, sw.code());
        assertTrue(sw.err().contains("product \"ENTERPRISEPAK\" is not among the tenant's subscribedSkus (ENTERPRISEPACK, "
                + "STANDARDPACK, EMS, WORKPLACE_ANALYTICS, MCOMEETADV); did you mean ENTERPRISEPACK?"), sw.err());
        Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, run("simulate", "--print-scenario", "small").out()
                .replaceFirst("\"ENTERPRISEPACK\"", "\"ENTERPRISEPAK\""));
        Result sim = run("simulate", scenario.toString(), "-q", "--out", dir.resolve("out").toString());
        assertEquals(1, sim.code(), sim.out());
        assertTrue(sim.err().contains("unknown product \"ENTERPRISEPAK\" (did you mean ENTERPRISEPACK? licensim catalog --search "
                + "lists products)"), sim.err());
    }

    @Test
    @DisplayName("bench --store-scale says how much disk it takes and removes its store once measured")
    void storeScaleCleansUp(@TempDir Path dir) throws Exception {
        Path jar = Path.of("../bench/target/benchmarks.jar");
        assertTrue(Files.isRegularFile(jar), "the benchmarks jar is built before the CLI's tests (mvn verify; or -pl cli,bench -am)");
        Result r = run("bench", "--store-scale", "2000", "--out", dir.resolve("scale").toString(), "--benchmarks-jar",
                jar.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("--store-scale 2,000 writes a store of about 1 MB under " + dir.resolve("scale/store-2000")
                + "; it is removed once measured (--keep-store keeps it)"), r.err());
        assertTrue(r.err().contains("licensim: removed " + dir.resolve("scale/store-2000")), r.err());
        assertFalse(Files.exists(dir.resolve("scale/store-2000")));
        assertTrue(new ObjectMapper().readTree(dir.resolve("scale/store-scale.json").toFile()).get("storeFileBytesPerUser")
                .asDouble() > 0);
    }

    @Test
    @DisplayName("one plan: on every shipped scenario and the example tenant, the advice and the table say what the purchase schedule says")
    void headlineIsTheSchedule(@TempDir Path dir) throws Exception {
        Path tenant = dir.resolve("tenant.json");
        assertEquals(0, run("import-graph", "--dir", "../examples/graph-export", "--out", tenant.toString()).code());
        List<List<String>> plans = List.of(List.of("default", "--users", "2000"), List.of("small", "--users", "2000"),
                List.of("seat-crunch", "--users", "2000"), List.of("enterprise", "--users", "2000"),
                List.of(tenant.toString(), "--churn", "../examples/churn.json"));
        int bought = 0;
        for (List<String> what : plans) {
            Path out = dir.resolve("p" + plans.indexOf(what));
            List<String> args = new java.util.ArrayList<>(List.of("plan"));
            args.addAll(what);
            args.addAll(List.of("--horizon", "60", "--runs", "4", "--quiet", "--out", out.toString()));
            Result r = run(args.toArray(String[]::new));
            assertEquals(0, r.code(), what + ": " + r.err());
            JsonNode json = new ObjectMapper().readTree(out.resolve("plan.json").toFile());
            assertEquals(14, json.get("procurement").get("leadTimeDays").asInt(), "the default lead time");
            assertTrue(r.out().contains("lead time 14 days"), "and it is shown: " + r.out());
            for (JsonNode a : json.get("procurement").get("products")) {
                String sku = a.get("sku").asText();
                List<String> lines = r.out().lines().filter(l -> l.startsWith("  buy ") && l.contains("(" + sku + ") to stay")
                        || l.startsWith("  buy ") && l.contains(" of " + sku + " to stay")).toList();
                int buy = a.get("buy").asInt();
                if (buy == 0) {
                    assertEquals(List.of(), lines, what + " " + sku + ": nothing scheduled, nothing advised");
                    continue;
                }
                bought++;
                assertEquals(1, lines.size(), what + " " + sku + ": " + r.out());
                StringBuilder expected = new StringBuilder(String.format(java.util.Locale.ROOT, "  buy %,d seat%s of ", buy,
                        buy == 1 ? "" : "s"));
                String line = lines.get(0);
                assertTrue(line.startsWith(expected.toString()), line);
                String parts = line.substring(line.indexOf("runs: ") + 6, line.lastIndexOf(" (short in"));
                List<String> expectedParts = new java.util.ArrayList<>();
                int sum = 0;
                for (JsonNode x : a.get("schedule")) {
                    sum += x.get("units").asInt();
                    expectedParts.add(String.format(java.util.Locale.ROOT, "%,d by %s (order %s)", x.get("units").asInt(),
                            x.get("neededBy").asText(), x.get("late").asBoolean() ? "now: the lead time has passed"
                                    : "by " + x.get("orderBy").asText()));
                }
                assertEquals(buy, sum, "the schedule adds up to its buy");
                assertEquals(String.join(", ", expectedParts), parts, what + " " + sku);
                // the table's buy column is the same number
                // (with its 95% Monte Carlo interval beside it, and the first date's error after it)
                assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  " + sku + " ") && l.matches(".* "
                        + String.format(java.util.Locale.ROOT, "%,d", buy) + "( \\([\\d,]+-[\\d,]+\\))? +"
                        + a.get("schedule").get(0).get("neededBy").asText() + " \\(day \\d+\\) .*")),
                        what + " " + sku + ": " + r.out());
            }
        }
        assertTrue(bought >= 3, "the scenarios have products to buy: " + bought);
    }

    @Test
    @DisplayName("a dated purchase that comes too late is advised to be brought forward, and committed prices are totalled per "
            + "month and year, alike in the terminal, plan.json and the report")
    void bringForwardAndCommitments(@TempDir Path dir) throws Exception {
        Path prices = dir.resolve("prices.json");
        Files.writeString(prices, "{\"currency\": \"EUR\", \"products\": {\"ENTERPRISEPACK\": {\"perYear\": 300, "
                + "\"commitment\": \"annual\"}, \"POWER_BI_PRO\": {\"perMonth\": 10, \"commitment\": \"monthly\"}}}");
        Path out = dir.resolve("plan");
        Result r = run("plan", "default", "--users", "2000", "--horizon", "130", "--runs", "4", "--quiet", "--prices",
                prices.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode proc = new ObjectMapper().readTree(out.resolve("plan.json").toFile()).get("procurement");
        JsonNode e3 = null;
        for (JsonNode a : proc.get("products")) {
            if (a.get("sku").asText().equals("ENTERPRISEPACK")) {
                e3 = a;
            }
        }
        // the default scenario dates 4% of E3 on day 100 (2026-04-15 from its start) and E3 is short well before
        JsonNode b = e3.get("bringForward").get(0);
        assertEquals(80, b.get("units").asInt());
        assertEquals("2026-04-15", b.get("date").asText());
        String line = String.format(java.util.Locale.ROOT, "    bring forward the purchase of 80 ENTERPRISEPACK dated 2026-04-15 "
                + "to %s (order by %s)", b.get("by").asText(), b.get("orderBy").asText());
        assertTrue(r.out().contains(line), line + " in " + r.out());
        // annual: 12 months of 25 EUR per seat bought
        for (JsonNode p : e3.get("schedule")) {
            assertEquals(p.get("units").asInt() * 300.0, p.get("cost").asDouble(), 0.01, p.toString());
        }
        assertEquals("annual", e3.get("commitment").asText());
        double byMonth = 0;
        StringBuilder months = new StringBuilder("    per month: ");
        for (var it = proc.get("costByMonth").fields(); it.hasNext(); ) {
            var e = it.next();
            byMonth += e.getValue().asDouble();
            months.append(months.length() > 15 ? ", " : "").append(String.format(java.util.Locale.ROOT, "%s %,.0f EUR",
                    e.getKey(), e.getValue().asDouble()));
        }
        double byYear = 0;
        for (var it = proc.get("costByYear").fields(); it.hasNext(); ) {
            byYear += it.next().getValue().asDouble();
        }
        assertEquals(byMonth, byYear, 0.05, "the months and the years add to the same total");
        assertTrue(r.out().contains(months.toString() + "\n") || r.out().contains(months.toString() + "\r\n"), months + " in " + r.out());
        assertTrue(r.out().contains("    per year:  2026 "), r.out());
        Path html = dir.resolve("plan.html");
        assertEquals(0, run("report", out.toString(), "--out", html.toString()).code());
        String page = Files.readString(html);
        assertTrue(page.contains("bring forward to"), "the report's bring-forward table");
        assertTrue(page.contains(b.get("by").asText()));
        assertTrue(page.contains("year 2026"), "the report's totals per year");
    }
}
