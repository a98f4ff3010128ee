package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    @DisplayName("catalog --product ENTERPRISEPACK prints Office 365 E3's real plans")
    void catalogProduct() {
        Result r = run("catalog", "--product", "ENTERPRISEPACK");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("ENTERPRISEPACK  Office 365 E3\n  skuId 6fd2c87f-b296-42f0-b197-1e91e994b900, "
                + "36 service plans"), r.out());
        assertTrue(r.out().contains("EXCHANGE_S_ENTERPRISE                    efb87545-963c-4e0d-99df-69c6916d9eb0 "
                + "Exchange Online (Plan 2)"), r.out());
        assertEquals(36 + 4, r.out().split("\n").length, "header lines plus one line per plan");
    }

    @Test
    @DisplayName("catalog with an unknown product exits 1 and suggests close names")
    void catalogUnknown() {
        Result r = run("catalog", "--product", "ENTERPRISEPAK");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("licensim: unknown product \"ENTERPRISEPAK\""), r.err());
        Result s = run("catalog", "--product", "E3");
        assertTrue(s.err().contains("did you mean"), s.err());
    }

    @Test
    @DisplayName("catalog --search and --plan filter the real table")
    void catalogSearchAndPlan() {
        Result r = run("catalog", "--search", "workplace analytics");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("WORKPLACE_ANALYTICS"), r.out());
        Result p = run("catalog", "--plan", "WORKPLACE_ANALYTICS");
        assertTrue(p.out().startsWith("WORKPLACE_ANALYTICS  Microsoft Workplace Analytics"), p.out());
    }

    @Test
    @DisplayName("validate prints the example's counts and exits 0")
    void validateExample() {
        Result r = run("validate", "../examples/contoso-small.json", "--events", "../examples/contoso-small.events.jsonl");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  users           10\n"), r.out());
        assertTrue(r.out().contains("  groups          5 (2 dynamic, 4 with licences)\n"), r.out());
        assertTrue(r.out().contains("  memberships     18\n"), r.out());
        assertTrue(r.out().contains("contoso-small.events.jsonl: valid, 16 events"), r.out());
    }

    @Test
    @DisplayName("validate of a bad snapshot exits 1 and lists every problem with its place")
    void validateBad(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"},\n"
                + "\"subscribedSkus\": [{\"skuId\": \"NOT_A_PRODUCT\"}],\n"
                + "\"users\": [{\"id\": \"u1\"}, {\"id\": \"u1\"}]}\n");
        Result r = run("validate", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("licensim: 2 problems"), r.err());
        assertTrue(r.err().contains(f + ":2:30 $.subscribedSkus[0].skuId: unknown product \"NOT_A_PRODUCT\""), r.err());
        assertTrue(r.err().contains(f + ":3:32 $.users[1].id: duplicate id \"u1\""), r.err());
        assertEquals("", r.out());
    }

    @Test
    @DisplayName("a missing file and a missing subcommand are errors with non-zero exits")
    void usageErrors() {
        Result missing = run("validate", "no-such-file.json");
        assertEquals(1, missing.code());
        assertEquals("licensim: snapshot file not found: no-such-file.json", missing.err().trim());
        Result none = run();
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("missing subcommand"), none.err());
    }

    @Test
    @DisplayName("resolve writes the Graph-shaped state and prints seats per product")
    void resolveExample(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("state.json");
        Result r = run("resolve", "../examples/contoso-small.json", "--events", "../examples/contoso-small.events.jsonl",
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resolved ../examples/contoso-small.json + ../examples/contoso-small.events.jsonl: "
                + "10 users"), r.out());
        // Lidia moves to Engineering (seq 3): the dynamic group takes her in, but E3 is full then (8 of 8);
        // the seats bought at seq 10 do not retry her (R18: she is not touched), and the group reprocessed is Sales
        assertTrue(r.out().matches("(?s).*  ENTERPRISEPACK\\s+7\\s+3\\s+10\\s+1  Office 365 E3\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*  EMS\\s+10\\s+12\\s+22\\s+0  Enterprise Mobility \\+ Security E3\\n.*"), r.out());
        assertTrue(r.out().contains("sources in error: CountViolation 1"), r.out());
        var state = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
        assertEquals(16, state.get("lastAppliedSeq").asInt());
        assertEquals(10, state.get("users").size());
        assertTrue(Files.notExists(dir.resolve("state.json.tmp")), "the temporary file must be gone");
    }

    @Test
    @DisplayName("resolve --store creates a store, resumes it with more events, and state shows a user as resolve --out does")
    void resolveWithStore(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("store");
        Path firstEight = dir.resolve("first.jsonl");
        java.util.List<String> lines = Files.readAllLines(Path.of("../examples/contoso-small.events.jsonl"));
        Files.write(firstEight, lines.subList(0, 8));
        Result a = run("resolve", "../examples/contoso-small.json", "--events", firstEight.toString(), "--store",
                store.toString(), "--quiet");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("store " + store + ": created, state after event seq 8"), a.out());
        Path out = dir.resolve("state.json");
        Result b = run("resolve", "../examples/contoso-small.json", "--events", "../examples/contoso-small.events.jsonl",
                "--store", store.toString(), "--out", out.toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("resumed after seq 8, 8 events read again, state after event seq 16"), b.out());
        assertTrue(b.err().contains("caught up to seq 8"), b.err());
        assertTrue(b.out().matches("(?s).*  ENTERPRISEPACK\\s+7\\s+3\\s+10\\s+1  Office 365 E3\\n.*"), b.out());

        Result info = run("state", store.toString(), "--verify");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("last applied event: seq 16"), info.out());
        assertTrue(info.out().contains("ENTERPRISEPACK"), info.out());
        // a product of one plan says so in the singular; the others in the plural
        assertTrue(info.out().matches("(?s).*MCOMEETADV\\s+\\S+ \\(1 plan\\)\n.*"), info.out());
        assertTrue(info.out().matches("(?s).*EMS\\s+\\S+ \\(7 plans\\)\n.*"), info.out());
        assertTrue(!info.out().contains("(1 plans)"), info.out());

        String lidia = "a1b2c3d4-0009-4000-8000-000000000009";
        Result table = run("state", store.toString(), "--user", lidia);
        assertEquals(0, table.code(), table.err());
        // products and groups by name in the table, read from the inputs resolve --store recorded; ids in CSV and JSON
        assertTrue(table.out().matches("(?s).*Office 365 E3 \\(ENTERPRISEPACK\\)\\s+group \"Engineering - Office 365 E3 "
                + "without Yammer\"\\s+Error\\s+CountViolation.*"), table.out());

        Result json = run("state", store.toString(), "--user", lidia, "--format", "json");
        assertEquals(0, json.code(), json.err());
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var fromStore = mapper.readTree(json.out());
        com.fasterxml.jackson.databind.JsonNode fromOut = null;
        for (var u : mapper.readTree(out.toFile()).get("users")) {
            if (u.get("id").asText().equals(lidia)) {
                fromOut = u;
            }
        }
        assertEquals(fromOut.get("assignedLicenses"), fromStore.get("assignedLicenses"));
        assertEquals(fromOut.get("licenseAssignmentStates"), fromStore.get("licenseAssignmentStates"));
        // CSV: a row per licence source, the same sources and states as Graph's licenseAssignmentStates
        List<String> rows = run("state", store.toString(), "--user", lidia, "--format", "csv").out().lines().toList();
        assertEquals("userId,skuPartNumber,skuId,assignedByGroup,state,error,enabledPlans,plans,disabledPlans,lastUpdated,"
                + "lastAppliedSeq", rows.get(0));
        assertEquals(fromOut.get("licenseAssignmentStates").size() + 1, rows.size());
        for (int i = 0; i < fromOut.get("licenseAssignmentStates").size(); i++) {
            var st = fromOut.get("licenseAssignmentStates").get(i);
            String[] f = rows.get(i + 1).split(",", -1);
            assertEquals(lidia, f[0]);
            assertEquals(st.get("skuId").asText(), f[2]);
            assertEquals(st.path("assignedByGroup").asText(""), f[3]);
            assertEquals(st.get("state").asText(), f[4]);
            assertEquals("16", f[10]);
        }

        // by userPrincipalName, with the snapshot the store was made from: the same user as by id
        Result byName = run("state", store.toString(), "--user", "Lidia.Holloway@contoso.com", "--snapshot",
                "../examples/contoso-small.json", "--format", "json");
        assertEquals(0, byName.code(), byName.err());
        assertEquals(fromStore, mapper.readTree(byName.out()));
        // without --snapshot: the inputs resolve --store recorded; a user created by events is found by name too
        Result noSnapshot = run("state", store.toString(), "--user", "lidia.holloway@contoso.com", "--format", "json");
        assertEquals(0, noSnapshot.code(), noSnapshot.err());
        assertEquals(fromStore, mapper.readTree(noSnapshot.out()));
        Result created = run("state", store.toString(), "--user", "Nestor.Wilke@contoso.com");
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().startsWith("user Nestor.Wilke@contoso.com: state after event seq 16\n"), created.out());
        List<String> t = created.out().lines().toList();
        assertEquals(t.get(1).indexOf("assigned by"), t.get(2).indexOf("group "), "columns line up: " + created.out());
        assertEquals(t.get(1).indexOf("state"), t.get(2).indexOf("Active"), "columns line up: " + created.out());
        assertTrue(created.out().contains("disabled in Office 365 E3 (ENTERPRISEPACK) from group "), created.out());
        Result otherSnapshot0 = run("state", store.toString(), "--user", "lidia.holloway@contoso.com", "--snapshot",
                "../examples/two-groups-e3.json");
        assertEquals(1, otherSnapshot0.code());
        assertTrue(otherSnapshot0.err().contains("not the snapshot store " + store + " was made from (contoso-small.json "
                + "sha256:"), otherSnapshot0.err());
        Result unknown = run("state", store.toString(), "--user", "nobody");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("--user nobody: neither an id in store " + store + " nor the userPrincipalName of a "
                + "user it holds (looked up in " + Path.of("../examples/contoso-small.json").toAbsolutePath().normalize()
                + " and "), unknown.err());
        Files.delete(store.resolve("inputs.json"));
        Result unrecorded = run("state", store.toString(), "--user", "lidia.holloway@contoso.com");
        assertEquals(1, unrecorded.code());
        assertTrue(unrecorded.err().contains("records no snapshot to look the name up in (made by an older licensim): give "
                + "--snapshot"), unrecorded.err());
        Result notAStore = run("state", dir.toString());
        assertEquals(1, notAStore.code());
        assertTrue(notAStore.err().contains(dir + ": not a licensim store"), notAStore.err());
        Result otherSnapshot = run("resolve", "../examples/two-groups-e3.json", "--store", store.toString(), "--quiet");
        assertEquals(1, otherSnapshot.code());
        assertTrue(otherSnapshot.err().contains("this store was made from contoso-small.json sha256:"), otherSnapshot.err());
    }

    @Test
    @DisplayName("report renders results as HTML + Markdown; report --baseline/--current exits 3 on a regression")
    void report(@TempDir Path dir) throws Exception {
        String fixtures = "../reports/src/test/resources/fixtures/";
        Path html = dir.resolve("sim.html");
        Result r = run("report", fixtures + "sim-small", "--out", html.toString());
        assertEquals(0, r.code(), r.err());
        // 9 products' seats, the 6 where users waited, errors, churn; engine latency only with --engine-details
        assertTrue(r.out().contains("wrote " + html + " (5 sections, 17 charts)"), r.out());
        Result dev = run("report", fixtures + "sim-small", "--engine-details", "--out", dir.resolve("dev.html").toString());
        assertTrue(dev.out().contains("(6 sections, 18 charts)"), dev.out());
        assertTrue(Files.readString(html).contains("Office 365 E3 (ENTERPRISEPACK): seats"));
        assertTrue(Files.exists(dir.resolve("sim.md")) && Files.exists(dir.resolve("sim-charts/seats-ems.svg")));

        Result slower = run("report", "--baseline", fixtures + "bench-after-cutoff", "--current",
                fixtures + "bench-before-cutoff", "--out", dir.resolve("cmp.html").toString());
        assertEquals(3, slower.code(), slower.err());
        assertTrue(slower.out().contains("REGRESSION ReconcileBenchmark.reconcile avgt {resolver=engine"), slower.out());

        Result same = run("report", "--baseline", fixtures + "bench-after-cutoff", "--current",
                fixtures + "bench-after-cutoff", "--out", dir.resolve("same.html").toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().startsWith("0 regressions, 0 improvements, 12 within noise"), same.out());

        Result missing = run("report", dir.resolve("nothing").toString(), "--out", dir.resolve("x.html").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains(dir.resolve("nothing") + ": no such file or directory"), missing.err());
        assertTrue(Files.notExists(dir.resolve("x.html")));
        Result half = run("report", "--baseline", fixtures + "bench-after-cutoff");
        assertEquals(1, half.code());
        assertTrue(half.err().contains("--baseline and --current go together"), half.err());
    }

    @Test
    @DisplayName("import-graph turns a Graph export into a snapshot that resolve reads, and checks it against Graph")
    void importGraph(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("tenant.json");
        Result r = run("import-graph", "--dir", "../core/src/test/resources/graph/contoso-export", "--out", snap.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 users, 3 groups (3 memberships; 1 members that are not users or groups skipped), "
                + "2 products, 2 direct and 2 group assignments"), r.out());
        assertTrue(r.out().contains("fidelity check: licensim resolves all 5 users as Graph reported them"), r.out());
        Result resolved = run("resolve", snap.toString(), "--quiet");
        assertEquals(0, resolved.code(), resolved.err());
        assertTrue(resolved.out().matches("(?s).*  ENTERPRISEPREMIUM\\s+3\\s+22\\s+25\\s+0  Office 365 E5\\n.*"), resolved.out());
        Result bad = run("import-graph", "--dir", dir.toString(), "--out", dir.resolve("x.json").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains(dir.resolve("organization.json") + ": missing"), bad.err());
        assertTrue(Files.notExists(dir.resolve("x.json")));

        // an export whose first reported Active state says Error: the check finds that one source, in each format
        Path export = dir.resolve("export");
        copyTree(Path.of("../core/src/test/resources/graph/contoso-export"), export);
        String users = Files.readString(export.resolve("users.json"));
        Files.writeString(export.resolve("users.json"), users.replaceFirst("\"state\": *\"Active\"", "\"state\": \"Error\""));
        Result csv = run("import-graph", "--dir", export.toString(), "--out", dir.resolve("t2.json").toString(),
                "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        List<String> rows = csv.out().lines().toList();
        assertEquals("userId,userPrincipalName,product,source,graph,licensim,rules", rows.get(0));
        assertEquals(2, rows.size(), csv.out());
        assertTrue(rows.get(1).startsWith("87d349ed-44d7-43e1-9a83-5f2406dee5bd,AdeleV@contoso.com,ENTERPRISEPREMIUM,from group ")
                && rows.get(1).contains(",Error/None,Active/None,"), rows.get(1));
        assertTrue(csv.err().contains("fidelity check: 1 of 5 users resolve differently"), csv.err());
        Result json = run("import-graph", "--dir", export.toString(), "--out", dir.resolve("t3.json").toString(),
                "--format", "json");
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals(5, node.get("users").asInt());
        assertEquals(1, node.get("fidelityCheck").get("usersDiffering").asInt());
        assertEquals(rows.get(1).split(",")[0], node.get("fidelityCheck").get("disagreements").get(0).get("userId").asText());
    }

    static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    @DisplayName("whatif shows what removing a product from a group and cutting seats would do, and changes nothing")
    void whatIf(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("s.json");
        Files.copy(Path.of("../examples/contoso-small.json"), snap);
        byte[] before = Files.readAllBytes(snap);
        Result r = run("whatif", snap.toString(), "--change",
                "{\"type\":\"LicenseRemovedFromGroup\",\"groupId\":\"b0000000-0000-4000-8000-0000000000a3\",\"skuId\":\"EMS\"}",
                "--limit", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  licences lost: "), r.out());
        assertTrue(r.out().matches("(?s).*    Enterprise Mobility \\+ Security E3 \\(EMS\\)\\s+9 ->\\s+\\d+ of\\s+22  \\(-\\d+\\)\n.*"),
                r.out());
        assertTrue(r.out().endsWith("nothing was changed (dry run)\n"), r.out());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(snap)), "the snapshot must not change");
        Result refused = run("whatif", snap.toString(), "--change",
                "{\"type\":\"LicenseRemovedFromGroup\",\"groupId\":\"nope\",\"skuId\":\"EMS\"}");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("change 1 (LicenseRemovedFromGroup) would be refused: unknown group \"nope\"; "
                + "nothing was changed"), refused.err());
        assertTrue(!refused.err().contains("event seq 0"), "a change given without a seq shows none: " + refused.err());
        Result over = run("whatif", snap.toString(), "--change",
                "{\"type\":\"UnitsChanged\",\"skuId\":\"EMS\",\"prepaidUnits\":{\"enabled\":5}}");
        assertEquals(0, over.code(), over.err());
        assertTrue(over.out().matches("(?s).*    Enterprise Mobility \\+ Security E3 \\(EMS\\)\\s+9 ->\\s+9 of\\s+5  OVER CAPACITY by 4: holders keep their seats "
                + "\\(SPEC R10\\) but nobody new gets one until 5 are bought or freed\n.*"), over.out());
        // names people read in the table, ids beside them in CSV (the golden file) and JSON
        assertTrue(r.out().contains("    adele.vance@contoso.com loses Enterprise Mobility + Security E3 (EMS)\n"), r.out());
        String removeEms = "{\"type\":\"LicenseRemovedFromGroup\",\"groupId\":\"b0000000-0000-4000-8000-0000000000a3\","
                + "\"skuId\":\"EMS\"}";
        String adeleJoins = "{\"type\":\"MemberAdded\",\"groupId\":\"b0000000-0000-4000-8000-0000000000a4\","
                + "\"memberId\":\"a1b2c3d4-0001-4000-8000-000000000001\"}";
        Result csv = run("whatif", snap.toString(), "--change", removeEms, "--change", adeleJoins, "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        assertEquals(Files.readString(Path.of("src/test/resources/golden/whatif-remove-ems.csv")), csv.out());
        Result json = run("whatif", snap.toString(), "--change", removeEms, "--format", "json");
        assertEquals(0, json.code(), json.err());
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals(9, tree.get("lost").size(), "every finding, not --limit's");
        assertEquals("adele.vance@contoso.com", tree.get("lost").get(0).get("userPrincipalName").asText());
        assertEquals("Enterprise Mobility + Security E3", tree.get("lost").get(0).get("productName").asText());
        Result badFormat = run("whatif", snap.toString(), "--change", removeEms, "--format", "xml");
        assertEquals(2, badFormat.code());
        assertTrue(badFormat.err().contains("--format"), badFormat.err());
        Result broken = run("whatif", snap.toString(), "--change", "{\"type\": ");
        assertEquals(1, broken.code());
        assertTrue(broken.err().contains("--change 1: not valid JSON"), broken.err());
    }

    @Test
    @DisplayName("import-graph then plan from the example export: with a churn file and prices, then with rates fitted from its audit log")
    void planFromTheExampleExport(@TempDir Path dir) throws Exception {
        Path tenant = dir.resolve("tenant.json");
        Result imp = run("import-graph", "--dir", "../examples/graph-export", "--out", tenant.toString());
        assertEquals(0, imp.code(), imp.err());
        Result plan = run("plan", tenant.toString(), "--churn", "../examples/churn.json", "--prices",
                "../examples/prices.json", "--lead-time", "14", "--runs", "4", "--seed", "3", "--quiet", "--out",
                dir.resolve("p").toString());
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("purchase schedule (by month, p95, lead time 14 days"), plan.out());
        assertTrue(plan.out().contains("order now"), "CRM is short on day 0, so its first order is late: " + plan.out());
        assertTrue(plan.out().contains("1 seat held by disabled accounts, 1 by users not signed in for 90 days"), plan.out());
        assertTrue(plan.out().contains("  subscription of Office 365 E5 (ENTERPRISEPREMIUM), trial of 5 licences: on "
                + "2026-12-20 it ends: modelled, its seats go\n"), plan.out());
        assertFalse(plan.out().contains("a1e5d7c3-0b2f-4e6a-9c8d-7f6e5d4c3b2a"), "the subscription's id only in plan.json");
        // a suspended subscription is read as check reads it: it moves to LockedOut on its date, not "renews"
        assertTrue(plan.out().contains("  subscription of Microsoft Dynamics CRM Online (CRMSTANDARD), subscription of 25 "
                + "licences: on 2026-12-10 it moves from Suspended to LockedOut (as licensim check reads it): its units are already not counted as seats"),
                plan.out());
        assertFalse(plan.out().contains("renews (assumed)") && plan.out().contains("CRMSTANDARD on 2026-12-10 renews"), plan.out());
        assertTrue(plan.out().contains("  the accounts behind these seats, and the changes that free them: licensim reclaim "
                + tenant + " --inactive-days 90"), plan.out());
        assertTrue(plan.out().contains(" EUR to the horizon"), plan.out());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("p/plan.json").toFile());
        var crm = json.get("procurement").get("products").get(1);
        assertEquals("CRMSTANDARD", crm.get("sku").asText());
        int scheduled = 0;
        for (var p : crm.get("schedule")) {
            scheduled += p.get("units").asInt();
            assertEquals(java.time.LocalDate.parse(p.get("neededBy").asText()).minusDays(14).toString(),
                    p.get("orderBy").asText());
        }
        assertEquals(crm.get("buy").asInt(), scheduled);
        assertEquals(3, json.get("seed").asLong());
        Result fitted = run("plan", tenant.toString(), "--audits", "../examples/graph-export/directoryAudits.json",
                "--start", "2026-12-01", "--runs", "4", "--out", dir.resolve("f").toString(), "--write-churn",
                dir.resolve("fitted.json").toString());
        assertEquals(0, fitted.code(), fitted.err());
        assertTrue(fitted.err().contains("fitted from the directory audit log directoryAudits.json (10 entries): 55 days"),
                fitted.err());
        Result again = run("plan", tenant.toString(), "--churn", dir.resolve("fitted.json").toString(), "--start",
                "2026-12-01", "--runs", "4", "--quiet", "--out", dir.resolve("g").toString());
        assertEquals(0, again.code(), again.err());
        // --horizon beyond the churn file's days keeps the purchases and lifecycle dates inside the horizon
        Path shortChurn = dir.resolve("short.json");
        Files.writeString(shortChurn, "{\"start\": \"2026-12-01\", \"days\": 30, \"rates\": {\"hires\": 0.01}, "
                + "\"purchases\": [{\"sku\": \"ENTERPRISEPREMIUM\", \"date\": \"2027-01-15\", \"units\": 5}]}");
        Result longer = run("plan", tenant.toString(), "--churn", shortChurn.toString(), "--horizon", "60", "--runs", "2",
                "--quiet", "--out", dir.resolve("h").toString());
        assertEquals(0, longer.code(), longer.err());
        var cap = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("h/plan.json").toFile())
                .get("products").get(0).get("daily").get("capacity");
        assertEquals(61, cap.size());
        assertEquals(cap.get(44).asInt() + 5, cap.get(45).asInt(), "the purchase on day 45 arrives: " + cap);
        assertEquals(cap.get(45).asInt() - 5, cap.get(49).asInt(), "the trial's 5 seats are suspended on day 49: " + cap);
        // a scenario's calendar (seat-crunch: a hiring wave on days 20-40) taken into the tenant's churn
        Result withCalendar = run("plan", tenant.toString(), "--churn", "../examples/churn.json", "--calendar",
                "seat-crunch", "--runs", "2", "--horizon", "60", "--out", dir.resolve("c").toString());
        assertEquals(0, withCalendar.code(), withCalendar.err());
        assertTrue(withCalendar.err().contains("calendar from seat-crunch: weekly [") && withCalendar.err().contains(
                ", 1 wave(s)"), withCalendar.err());
        Result calendarAlone = run("plan", "seat-crunch", "--calendar", "small");
        assertEquals(1, calendarAlone.code());
        assertTrue(calendarAlone.err().contains("--calendar are for a plan from a tenant snapshot"), calendarAlone.err());
        Result noChurn = run("plan", tenant.toString());
        assertEquals(1, noChurn.code());
        assertTrue(noChurn.err().contains("is a tenant snapshot, not a scenario") && !noChurn.err().contains("at org."),
                noChurn.err());
        Result users = run("plan", tenant.toString(), "--churn", "../examples/churn.json", "--users", "10");
        assertEquals(1, users.code());
        assertTrue(users.err().contains("starts with the tenant's own users"), users.err());
    }

    @Test
    @DisplayName("plan --backtest 90, as scripts for the split-day backtest wrote it, still runs and says the day is ignored; a word after it is refused")
    void backtestSplitDayOfEarlierVersions(@TempDir Path dir) throws Exception {
        Result old = run("plan", "seat-crunch", "--users", "300", "--horizon", "20", "--runs", "4", "--truths", "2",
                "--backtest", "90", "--quiet", "--out", dir.resolve("old").toString());
        assertEquals(0, old.code(), old.err());
        assertTrue(old.err().contains("--backtest 90: the backtest no longer splits at a day"), old.err());
        assertTrue(old.out().contains("backtest: 2 held-out runs"), old.out());
        Result word = run("plan", "--backtest", "seat-crunch", "--users", "300", "--quiet", "--out",
                dir.resolve("word").toString());
        assertEquals(2, word.code(), word.err());
        assertTrue(word.err().contains("--backtest takes no value: \"seat-crunch\""), word.err());
        assertFalse(java.nio.file.Files.exists(dir.resolve("word")), "nothing written by a refused command");
    }

    @Test
    @DisplayName("plan, migrate and switch-product give advice and event feeds that resolve reads")
    void planning(@TempDir Path dir) throws Exception {
        Result plan = run("plan", "seat-crunch", "--users", "1000", "--horizon", "60", "--runs", "4", "--quiet", "--out",
                dir.resolve("plan").toString());
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("buy ") && plan.out().contains(" seats of Office 365 E3 (ENTERPRISEPACK) to stay error-free"),
                plan.out());
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var json = mapper.readTree(dir.resolve("plan/plan.json").toFile());
        assertEquals("licensim.plan/1", json.get("schema").asText());
        assertEquals(4, json.get("products").get(0).get("needByRun").size());
        assertEquals(61, json.get("products").get(0).get("daily").get("demandHigh").size(), "day 0 to day 60");
        // --day0 fixed (the default): the scenario's own day-0 tenant in every run; drawn: a new one per run
        assertEquals("fixed", json.get("day0").asText());
        for (var p : json.get("products")) {
            assertEquals(p.get("daily").get("demandLow").get(0), p.get("daily").get("demandHigh").get(0), p.get("sku").asText());
        }
        Result drawn = run("plan", "seat-crunch", "--users", "1000", "--horizon", "60", "--runs", "4", "--day0", "drawn",
                "--quiet", "--out", dir.resolve("drawn").toString());
        assertEquals(0, drawn.code(), drawn.err());
        var d0 = mapper.readTree(dir.resolve("drawn/plan.json").toFile());
        assertEquals("drawn", d0.get("day0").asText());
        boolean differ = false;
        for (var p : d0.get("products")) {
            differ |= !p.get("daily").get("demandLow").get(0).equals(p.get("daily").get("demandHigh").get(0));
        }
        assertTrue(differ, "drawn day-0 tenants differ between runs");
        // the table shows each figure's Monte Carlo error
        assertTrue(plan.out().contains("first by (Monte Carlo error)") && plan.out().matches("(?s).*\\d{4}-\\d\\d-\\d\\d "
                + "\\(day \\d+\\) \\+-\\d+\\.\\d d.*"), plan.out());
        // the same plan as CSV (a row per product, names beside part numbers) and as JSON on stdout
        Result csv = run("plan", "seat-crunch", "--users", "1000", "--horizon", "60", "--runs", "4", "--quiet", "--out",
                dir.resolve("plan").toString(), "--format", "csv");
        List<String> lines = csv.out().lines().toList();
        assertEquals("sku,product,seatsDay0,seatsEnd,runsShort,runs,extraP50,extraP95,extraMax,buy,buyByDate,buyByDay,"
                + "firstShortDayMedian,releasable,buyLow,buyHigh,buyByDayError,firstShortDayMedianError,firstShortDayLate",
                lines.get(0));
        assertEquals(json.get("products").size() + 1, lines.size());
        var e3 = json.get("products").get(0);
        assertEquals(String.join(",", e3.get("sku").asText(), e3.get("name").asText(), e3.get("capacityStart").asText(),
                e3.get("capacityEnd").asText(), e3.get("runsShort").asText(), "4", e3.get("needP50").asText(),
                e3.get("needAtPercentile").asText(), e3.get("needMax").asText(), e3.get("buy").asText(),
                e3.get("buyByDate").asText(), e3.get("buyByDay").asText(), e3.get("firstShortDayMedian").asText(),
                e3.get("releasable").asText(), e3.get("monteCarlo").get("buy").get("low").asText(),
                e3.get("monteCarlo").get("buy").get("high").asText(), String.format(java.util.Locale.ROOT, "%.2f",
                        e3.get("monteCarlo").get("buyByDay").get("error").asDouble()),
                String.format(java.util.Locale.ROOT, "%.2f", e3.get("monteCarlo").get("firstShortDayMedian").get("error")
                        .asDouble()), e3.get("firstShortDayLate").asText()), lines.get(1));
        Result asJson = run("plan", "seat-crunch", "--users", "1000", "--horizon", "60", "--runs", "4", "--quiet", "--out",
                dir.resolve("plan").toString(), "--format", "json");
        var fromStdout = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(asJson.out());
        fromStdout.remove("millis");
        var fromFile = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(dir.resolve("plan/plan.json").toFile());
        fromFile.remove("millis");
        assertEquals(fromFile, fromStdout, "stdout is plan.json");
        Result badPlan = run("plan", "seat-crunch", "--percentile", "95");
        assertEquals(1, badPlan.code());
        assertTrue(badPlan.err().contains("--percentile 95.0: give a value between 0 and 1"), badPlan.err());

        Path feed = dir.resolve("migration.jsonl");
        Result m = run("migrate", "../core/src/test/resources/plans/migration.json", "--apply", feed.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("u1, Office 365 E3 (ENTERPRISEPACK): the groups do not enable every plan the direct "
                + "assignment does (would lose Yammer Enterprise (YAMMER_ENTERPRISE))"), m.out());
        Result applied = run("resolve", "../core/src/test/resources/plans/migration.json", "--events", feed.toString(),
                "--quiet");
        assertEquals(0, applied.code(), applied.err());

        Path steps = dir.resolve("switch.jsonl");
        Result sw = run("switch-product", "../core/src/test/resources/plans/switch.json", "--group", "g-support", "--from",
                "STANDARDPACK", "--to", "ENTERPRISEPACK", "--apply", steps.toString());
        assertEquals(0, sw.code(), sw.err());
        assertTrue(sw.out().startsWith("switch group \"Support (E1 today, E3 tomorrow)\" from Office 365 E1 (STANDARDPACK) "
                + "to Office 365 E3 (ENTERPRISEPACK): 5 orders simulated\n"), sw.out());
        assertTrue(sw.out().contains("steps:\n  1. remove Office 365 E1 (STANDARDPACK) and add Office 365 E3 (ENTERPRISEPACK) "
                + "in one request (assignLicense)\n"), sw.out());
        Result after = run("resolve", "../core/src/test/resources/plans/switch.json", "--events", steps.toString(), "--quiet");
        assertEquals(0, after.code(), after.err());
        assertTrue(after.out().matches("(?s).*  ENTERPRISEPACK\\s+2\\s+8\\s+10\\s+0  Office 365 E3\\n.*"), after.out());
        Result unknown = run("switch-product", "../core/src/test/resources/plans/switch.json", "--group", "nope", "--from",
                "STANDARDPACK", "--to", "ENTERPRISEPACK");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown group \"nope\""), unknown.err());
    }

    @Test
    @DisplayName("R22 resolve stops at a rejected event with exit 1 and writes nothing, unless told to skip")
    void resolveRejected(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("e.jsonl");
        Files.writeString(events, "{\"seq\":1,\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"MemberAdded\","
                + "\"groupId\":\"nope\",\"memberId\":\"x\"}\n");
        Path out = dir.resolve("state.json");
        Result r = run("resolve", "../examples/two-groups-e3.json", "--events", events.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(events + ":1: event seq 1 (MemberAdded) rejected: unknown group \"nope\""), r.err());
        assertTrue(Files.notExists(out), "nothing may be written after a rejected event");
        Result s = run("resolve", "../examples/two-groups-e3.json", "--events", events.toString(), "--out", out.toString(),
                "--on-reject", "skip");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("1 event rejected (state unchanged for it):"), s.out());
        assertTrue(Files.exists(out));
    }

    @Test
    @DisplayName("R10 R18 resolve --out-snapshot writes the state with the tenant; resolving it again continues unchanged")
    void resolveSnapshotRoundTrip(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("after.json");
        Path first = dir.resolve("first.json");
        Path second = dir.resolve("second.json");
        Result r = run("resolve", "../examples/contoso-small.json", "--events", "../examples/contoso-small.events.jsonl",
                "--out", first.toString(), "--out-snapshot", snap.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(snapshot with state, last event seq 16)"), r.out());
        Result again = run("resolve", snap.toString(), "--out", second.toString(), "--quiet");
        assertEquals(0, again.code(), again.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(json.readTree(first.toFile()), json.readTree(second.toFile()));
    }

    @Test
    @DisplayName("resolve --out with an --out-snapshot it cannot write is refused before the work, the earlier state left whole")
    void resolveOutputsRefusedTogether(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.json");
        Files.writeString(state, "earlier state");
        // given: a folder stands where the snapshot would go
        Path folder = Files.createDirectory(dir.resolve("snap.json"));
        // when
        Result r = run("resolve", "../examples/contoso-small.json", "--out", state.toString(),
                "--out-snapshot", folder.toString(), "--quiet");
        // then: refused naming the path; the state file was not replaced, no temporary file is left
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("cannot write snapshot to " + folder + ": it is a directory"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals("earlier state", Files.readString(state));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("snap.json", "state.json"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // and one path given for both is refused too, before anything is written
        Result same = run("resolve", "../examples/contoso-small.json", "--out", state.toString(),
                "--out-snapshot", state.toString(), "--quiet");
        assertEquals(2, same.code(), same.err());
        assertTrue(same.err().contains("--out and --out-snapshot both name " + state), same.err());
        assertEquals("earlier state", Files.readString(state));
        // and two good paths write both, saying that no event was applied to the snapshot
        Path snap = dir.resolve("after.json");
        Result ok = run("resolve", "../examples/contoso-small.json", "--out", state.toString(),
                "--out-snapshot", snap.toString(), "--quiet");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("wrote " + snap + " (snapshot with state, no event applied yet)"), ok.out());
        assertTrue(Files.readString(state).startsWith("{"));
    }

    @Test
    @DisplayName("R19 preview-rule shows joins, leaves, licences, seats and new errors, and changes nothing")
    void previewRule(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("s.json");
        Files.copy(Path.of("../examples/contoso-small.json"), snap);
        byte[] before = Files.readAllBytes(snap);
        Result r = run("preview-rule", snap.toString(), "--group", "b0000000-0000-4000-8000-0000000000a3", "--rule",
                "user.accountEnabled -eq true -and user.usageLocation -eq \"NL\"", "--limit", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("preview: group \"All enabled users - EMS\"\n"), r.out());
        assertTrue(r.out().contains("  would leave: 3\n    diego.siciliani@contoso.com\n"
                + "    grady.archie@contoso.com\n    ... and 1 more\n"), r.out());
        // every finding in CSV and JSON, with ids beside the names
        Result csv = run("preview-rule", snap.toString(), "--group", "b0000000-0000-4000-8000-0000000000a3", "--rule",
                "user.accountEnabled -eq true -and user.usageLocation -eq \"NL\"", "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        assertTrue(csv.out().startsWith("section,userId,userPrincipalName,product,productName,detail,before,after,capacity,"
                + "groupId,group\r\nleaves,a1b2c3d4-0003-4000-8000-000000000003,diego.siciliani@contoso.com,,,,,,,"
                + "b0000000-0000-4000-8000-0000000000a3,All enabled users - EMS\r\n"), csv.out());
        assertEquals(3, csv.out().lines().filter(l -> l.startsWith("leaves,")).count());
        assertTrue(csv.out().contains("seats,,,EMS,Enterprise Mobility + Security E3,,9,6,22,,\r\n"), csv.out());
        Result json = run("preview-rule", snap.toString(), "--group", "b0000000-0000-4000-8000-0000000000a3", "--rule",
                "user.accountEnabled -eq true -and user.usageLocation -eq \"NL\"", "--format", "json");
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals(3, tree.get("leaving").size());
        assertEquals("grady.archie@contoso.com", tree.get("leaving").get(1).get("userPrincipalName").asText());
        assertTrue(r.out().contains("  licences lost: 3\n"), r.out());
        assertTrue(r.out().matches("(?s).*    Enterprise Mobility \\+ Security E3 \\(EMS\\)\\s+9 ->\\s+6 of\\s+22  \\(-3\\)\n.*"),
                r.out());
        assertTrue(r.out().endsWith("nothing was changed (dry run)\n"), r.out());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(snap)), "the snapshot must not change");
        Result bad = run("preview-rule", snap.toString(), "--group", "b0000000-0000-4000-8000-0000000000a3", "--rule",
                "user.country equals \"x\"");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("column 14: expected an operator such as -eq, found \"equals\""), bad.err());
    }

    @Test
    @DisplayName("R18 resolve says which group to reprocess when users wait for a product while seats of it are free")
    void reprocessHint() {
        Result r = run("resolve", "../examples/contoso-small.json", "--events", "../examples/contoso-small.events.jsonl");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("note: 1 user waits for Office 365 E3 (ENTERPRISEPACK) while 3 seats are free; their "
                + "sources failed when seats ran out and are retried only when their user is touched (SPEC R18): reprocess "
                + "group \"Engineering - Office 365 E3 without Yammer\"\n"), r.out());
        Result none = run("resolve", "../examples/two-groups-e3.json");
        assertEquals(0, none.code(), none.err());
        assertTrue(!none.out().contains("note:"), "no hint when nobody waits: " + none.out());
    }

    @Test
    @DisplayName("report --baseline/--current refuses smoke runs (no JMH intervals) unless --judge-without-intervals")
    void comparisonOfSmokeRuns(@TempDir Path tmp) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode runs = m.readTree(
                Path.of("../reports/src/test/resources/fixtures/bench-store/jmh.json").toFile());
        for (com.fasterxml.jackson.databind.JsonNode b : runs) {
            var metric = (com.fasterxml.jackson.databind.node.ObjectNode) b.path("primaryMetric");
            double score = metric.path("score").asDouble();
            metric.put("scoreError", "NaN");
            metric.putArray("scoreConfidence").add(score).add(score);
        }
        for (String name : new String[] {"a", "b"}) {
            Files.createDirectories(tmp.resolve(name));
            m.writeValue(tmp.resolve(name).resolve("jmh.json").toFile(), runs);
        }
        Result refused = run("report", "--baseline", tmp.resolve("a").toString(), "--current", tmp.resolve("b").toString(),
                "--out", tmp.resolve("c.html").toString());
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("have no JMH error interval (a smoke or single-iteration run"), refused.err());
        assertTrue(!Files.exists(tmp.resolve("c.html")), "nothing written for a refused comparison");
        Result judged = run("report", "--baseline", tmp.resolve("a").toString(), "--current", tmp.resolve("b").toString(),
                "--out", tmp.resolve("c.html").toString(), "--judge-without-intervals");
        assertEquals(0, judged.code(), judged.err() + judged.out());
        assertTrue(judged.out().startsWith("0 regressions"), judged.out());
    }

    @Test
    @DisplayName("preview-rule and switch-product take a group by its display name too; an ambiguous or unknown name is refused")
    void groupByDisplayName(@TempDir Path tmp) throws Exception {
        String rule = "user.department -eq \"Engineering\"";
        Result byId = run("preview-rule", "../examples/contoso-small.json", "--group", "b0000000-0000-4000-8000-0000000000a2",
                "--rule", rule);
        Result byName = run("preview-rule", "../examples/contoso-small.json", "--group",
                "engineering - office 365 e3 without yammer", "--rule", rule);
        assertEquals(0, byName.code(), byName.err());
        assertEquals(byId.out(), byName.out());
        Path twice = tmp.resolve("twice.json");
        Files.writeString(twice, Files.readString(Path.of("../examples/two-groups-e3.json"))
                .replaceAll("\"displayName\": \"[^\"]*Sales[^\"]*\"", "\"displayName\": \"Everyone\"")
                .replaceAll("\"displayName\": \"Everyone E3[^\"]*\"", "\"displayName\": \"Everyone\""));
        Result ambiguous = run("preview-rule", twice.toString(), "--group", "Everyone", "--rule", rule);
        assertEquals(1, ambiguous.code(), ambiguous.out());
        assertTrue(ambiguous.err().contains("group name \"Everyone\" is ambiguous: 2 groups have it"), ambiguous.err());
        Result unknown = run("switch-product", twice.toString(), "--group", "Nobody", "--from", "ENTERPRISEPACK", "--to",
                "STANDARDPACK");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown group \"Nobody\": no group has that id or display name"), unknown.err());
    }

    @Test
    @DisplayName("R17 check names a group without a display name by its id, never \"null\"")
    void checkGroupWithoutName(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("t.json");
        Files.writeString(snap, "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": "
                + "[{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 1}}], \"users\": [{\"id\": \"u1\"}, "
                + "{\"id\": \"u2\"}], \"groups\": [{\"id\": \"g-nameless\", \"members\": [\"u1\", \"u2\"]}], "
                + "\"assignments\": [{\"groupId\": \"g-nameless\", \"skuId\": \"EMS\"}]}");
        Result r = run("check", snap.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.out().contains("errors: group \"g-nameless\": 1 member in licence error (CountViolation 1)"), r.out());
        assertTrue(!r.out().contains("null"), r.out());
    }

    @Test
    @DisplayName("R17 R18 check lists what needs attention and exits 3; a tenant with nothing to see exits 0; JSON on request")
    void check() throws Exception {
        Result r = run("check", "../examples/contoso-small.json", "--events", "../examples/contoso-small.events.jsonl",
                "--threshold", "60");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.out().contains("3 findings need attention"), r.out());
        assertTrue(r.out().contains("seats: Office 365 E3 (ENTERPRISEPACK) 70.0% in use, 7 of 10, 3 left"), r.out());
        assertTrue(r.out().contains("errors: group \"Engineering - Office 365 E3 without Yammer\": 1 member in licence "
                + "error (CountViolation 1)"), r.out());
        assertTrue(r.out().contains("reprocess: 1 user waits for Office 365 E3 (ENTERPRISEPACK) while 3 seats are free: "
                + "reprocess group \"Engineering - Office 365 E3 without Yammer\" (SPEC R18)"), r.out());
        Result json = run("check", "../examples/contoso-small.json", "--events", "../examples/contoso-small.events.jsonl",
                "--threshold", "60", "--format", "json");
        assertEquals(3, json.code(), json.err());
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals("ENTERPRISEPACK", node.path("products").get(0).path("sku").asText());
        assertEquals(1, node.path("groups").get(0).path("byError").path("CountViolation").asInt());
        assertEquals(3, node.path("waiting").get(0).path("free").asInt());
        Result csv = run("check", "../examples/contoso-small.json", "--events", "../examples/contoso-small.events.jsonl",
                "--threshold", "60", "--format", "csv");
        assertEquals(3, csv.code(), csv.err());
        assertEquals(List.of("finding,id,name,users,consumed,capacity,free,percent,detail,displayName,sku,groupId,groupName,action",
                "seats,ENTERPRISEPACK,Office 365 E3,,7,10,3,70.0,,,ENTERPRISEPACK,,,",
                "errors,b0000000-0000-4000-8000-0000000000a2,Engineering - Office 365 E3 without Yammer,1,,,,,CountViolation 1,,,"
                        + "b0000000-0000-4000-8000-0000000000a2,Engineering - Office 365 E3 without Yammer,",
                "reprocess,ENTERPRISEPACK,Office 365 E3,1,,,3,,reprocess b0000000-0000-4000-8000-0000000000a2,,ENTERPRISEPACK,"
                        + "b0000000-0000-4000-8000-0000000000a2,Engineering - Office 365 E3 without Yammer,"
                        + "\"reprocess group \"\"Engineering - Office 365 E3 without Yammer\"\"\"",
                "user,a1b2c3d4-0009-4000-8000-000000000009,lidia.holloway@contoso.com,1,,,,,Error CountViolation,Lidia Holloway,"
                        + "ENTERPRISEPACK,b0000000-0000-4000-8000-0000000000a2,Engineering - Office 365 E3 without Yammer,"
                        + "reprocess the group: 3 seats of Office 365 E3 (ENTERPRISEPACK) are free now"),
                csv.out().lines().toList());
        Result clean = run("check", "../examples/two-groups-e3.json");
        assertEquals(0, clean.code(), clean.out() + clean.err());
        assertTrue(clean.out().contains("nothing needs attention"), clean.out());
        Result bad = run("check", "../examples/two-groups-e3.json", "--threshold", "150");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--threshold must be a percentage from 0 to 100, got 150.0"), bad.err());
    }

    @Test
    @DisplayName("section 4 resolve --now sets system.now of time-driven rules; without it the snapshot's evaluatedAt is used")
    void resolveNow(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("starters.json");
        Files.writeString(snap, org.licensim.core.rules.TimeDrivenRulesTest.SNAPSHOT);
        Result at = run("resolve", snap.toString(), "--quiet");
        assertEquals(0, at.code(), at.err());
        assertTrue(at.out().matches("(?s).*  ENTERPRISEPACK\\s+2\\s+8\\s+10\\s+0  Office 365 E3\n.*"), at.out());
        Result later = run("resolve", snap.toString(), "--now", "2026-03-20T00:00:00Z", "--quiet");
        assertEquals(0, later.code(), later.err());
        assertTrue(later.out().matches("(?s).*  ENTERPRISEPACK\\s+1\\s+9\\s+10\\s+0  Office 365 E3\n.*"), later.out());
        // a store is checked against a replay when resumed, so system.now at load must be given or in the snapshot
        Path noTime = dir.resolve("no-time.json");
        Files.writeString(noTime, org.licensim.core.rules.TimeDrivenRulesTest.SNAPSHOT.replace(
                "\"evaluatedAt\": \"2026-03-01T00:00:00Z\", ", ""));
        Result store = run("resolve", noTime.toString(), "--store", dir.resolve("store").toString(), "--quiet");
        assertEquals(2, store.code());
        assertTrue(store.err().contains("has time-driven membership rules (system.now) and no evaluatedAt: give --now"),
                store.err());
        assertTrue(Files.notExists(dir.resolve("store")), "nothing is created");
        Result given = run("resolve", noTime.toString(), "--store", dir.resolve("store").toString(), "--now",
                "2026-03-01", "--quiet");
        assertEquals(0, given.code(), given.err());
        // whatif and preview-rule evaluate at the snapshot's time: a change without a time does not move the clock
        Result whatif = run("whatif", snap.toString(), "--change",
                "{\"type\":\"UnitsChanged\",\"skuId\":\"ENTERPRISEPACK\",\"prepaidUnits\":{\"enabled\":9}}");
        assertEquals(0, whatif.code(), whatif.err());
        assertTrue(whatif.out().contains("  group memberships: 0\n"), whatif.out());
        Result preview = run("preview-rule", snap.toString(), "--group", "new-starters", "--rule",
                "user.employeeHireDate -ge system.now -minus P60D");
        assertEquals(0, preview.code(), preview.err());
        assertTrue(preview.out().contains("  would join: 1\n    jan15\n"), preview.out());
        Result bad = run("resolve", snap.toString(), "--now", "soon");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--now soon: expected an ISO 8601 instant"), bad.err());
    }

    @Test
    @DisplayName("section 4 preview-rule with licence-driven and memberOf rules; a rule that would close a licence cycle is refused, named")
    void previewSection4Rules(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("chain.json");
        Files.writeString(snap, org.licensim.core.rules.LicenceDrivenRulesTest.CHAIN);
        String intune = org.licensim.core.rules.LicenceDrivenRulesTest.INTUNE;
        Result leave = run("preview-rule", snap.toString(), "--group", "intune-too", "--rule",
                "user.assignedPlans -any (assignedPlan.servicePlanId -eq \"" + intune + "\") -and user.usageLocation -eq \"DE\"");
        assertEquals(0, leave.code(), leave.err());
        assertTrue(leave.out().contains("  would leave: 1\n    u1\n"), leave.out());
        Result nested = run("preview-rule", snap.toString(), "--group", "intune-too", "--rule",
                "user.memberof -any (group.objectId -in [\"ems\"])");
        assertEquals(0, nested.code(), nested.err());
        assertTrue(nested.out().contains("  would join: 0\n") && nested.out().contains("  would leave: 0\n"), nested.out());
        // ems gives EMS (so Intune): following Intune itself only adds, so it settles: accepted, with a warning
        Result additive = run("preview-rule", snap.toString(), "--group", "ems", "--rule",
                "user.assignedPlans -any (assignedPlan.servicePlanId -eq \"" + intune + "\")");
        assertEquals(0, additive.code(), additive.err());
        assertTrue(additive.out().contains("  warning: group \"ems\" is on a licence-driven cycle that only adds "
                + "(\"ems\" -> \"ems\")"), additive.out());
        // keeping only users without Intune, while giving it, would flip members in and out: refused, named
        Result cycle = run("preview-rule", snap.toString(), "--group", "ems", "--rule",
                "-not (user.assignedPlans -any (assignedPlan.servicePlanId -eq \"" + intune + "\"))");
        assertEquals(1, cycle.code(), cycle.out());
        assertTrue(cycle.err().contains("licence-driven rules would never settle: \"ems\" -> \"ems\""), cycle.err());
    }

    @Test
    @DisplayName("validate: a bad event fails the run without a \"valid\" line first; seqs as resolve takes them; additive cycles warned")
    void validateEventsAndCycles(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("bad.jsonl");
        Files.writeString(events, "{\"seq\":1,\"time\":\"2026-01-05T09:00:00Z\",\"type\":\"Reprocess\",\"userId\":\"u1\"}\n"
                + "{\"seq\":2,\"time\":\"+99999-01-01T00:00:00Z\",\"type\":\"Reprocess\",\"userId\":\"u1\"}\n");
        Result bad = run("validate", "../examples/contoso-small.json", "--events", events.toString());
        assertEquals(1, bad.code(), bad.out());
        assertTrue(!bad.out().contains("valid"), "nothing is called valid in a run that fails: " + bad.out());
        assertTrue(bad.err().contains("bad.jsonl:2") && bad.err().contains("years 1601 to 9999"), bad.err());
        Files.writeString(events, "{\"seq\":68719476736,\"time\":\"2026-01-05T09:00:00Z\",\"type\":\"Reprocess\","
                + "\"userId\":\"u1\"}\n");
        Result seq = run("validate", "../examples/contoso-small.json", "--events", events.toString());
        assertEquals(1, seq.code(), seq.out());
        assertTrue(seq.err().contains("seq 68719476736 is above the largest licensim supports, 68719476735"), seq.err());
        // a byte order mark at the start of an events file is accepted, as at the start of a snapshot
        Files.writeString(events, "\uFEFF{\"seq\":1,\"time\":\"2026-01-05T09:00:00Z\",\"type\":\"Reprocess\","
                + "\"userId\":\"u1\"}\n");
        Result bom = run("validate", "../examples/contoso-small.json", "--events", events.toString());
        assertEquals(0, bom.code(), bom.err());
        assertTrue(bom.out().contains("bad.jsonl: valid, 1 events"), bom.out());
        Path snap = dir.resolve("chain.json");
        Files.writeString(snap, org.licensim.core.rules.LicenceDrivenRulesTest.CHAIN.replace(
                "{\"groupId\": \"bi-users\", \"skuId\": \"ENTERPRISEPACK\"}",
                "{\"groupId\": \"bi-users\", \"skuId\": \"ENTERPRISEPACK\"}, {\"groupId\": \"bi-users\", \"skuId\": \"EMS\"}"));
        Result cycles = run("validate", snap.toString());
        assertEquals(0, cycles.code(), cycles.err());
        assertTrue(cycles.out().contains("  warning: group \"bi-users\" is on a licence-driven cycle that only adds "
                + "(\"bi-users\" -> \"intune-users\" -> \"bi-users\")"), cycles.out());
        assertTrue(cycles.out().contains("  warning: group \"intune-users\" is on a licence-driven cycle"), cycles.out());
    }

    @Test
    @DisplayName("resolve --format csv prints a row per product and --format json the summary, with the same figures")
    void resolveFormats() throws Exception {
        Result csv = run("resolve", "../examples/contoso-small.json", "--events", "../examples/contoso-small.events.jsonl",
                "--quiet", "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        Result json = run("resolve", "../examples/contoso-small.json", "--events", "../examples/contoso-small.events.jsonl",
                "--quiet", "--format", "json");
        assertEquals(0, json.code(), json.err());
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        List<String> lines = csv.out().lines().toList();
        assertEquals("sku,product,consumed,available,capacity,usersInError", lines.get(0));
        assertEquals(node.get("products").size() + 1, lines.size());
        for (int i = 0; i < node.get("products").size(); i++) {
            var p = node.get("products").get(i);
            assertEquals(String.join(",", p.get("sku").asText(), org.licensim.core.files.Csv.field(p.get("name").asText()),
                    p.get("consumed").asText(), p.get("available").asText(), p.get("capacity").asText(),
                    p.get("usersInError").asText()), lines.get(i + 1));
        }
        assertTrue(lines.contains("ENTERPRISEPACK,Office 365 E3,7,3,10,1"), lines.toString());
        assertEquals(1, node.get("sourcesInError").get("CountViolation").asInt());
        assertEquals("ENTERPRISEPACK", node.get("waitingWhileSeatsAreFree").get(0).get("sku").asText());
        assertEquals(16, node.get("lastAppliedSeq").asInt());
    }

    @Test
    @DisplayName("migrate and switch-product --format csv|json: every direct assignment, every order simulated")
    void planningFormats(@TempDir Path dir) throws Exception {
        Result csv = run("migrate", "../core/src/test/resources/plans/migration.json", "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        assertEquals(List.of("action,userId,userPrincipalName,sku,product,reason,plansLost",
                "remove,u2,,ENTERPRISEPACK,Office 365 E3,inherited sources enable every plan it enables,",
                "remove,u5,,ENTERPRISEPACK,Office 365 E3,inherited sources enable every plan it enables,",
                "keep,u1,,ENTERPRISEPACK,Office 365 E3,the groups do not enable every plan the direct assignment does,"
                        + "YAMMER_ENTERPRISE",
                "keep,u3,,ENTERPRISEPACK,Office 365 E3,no group assigns the product to this user,",
                "keep,u4,,EMS,Enterprise Mobility + Security E3,no group assigns the product to this user,"),
                csv.out().lines().toList());
        Path feed = dir.resolve("m.jsonl");
        Result json = run("migrate", "../core/src/test/resources/plans/migration.json", "--format", "json", "--apply",
                feed.toString());
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var m = mapper.readTree(json.out());
        assertEquals(2, m.get("remove").size());
        assertEquals("YAMMER_ENTERPRISE", m.get("keep").get(0).get("plansLost").get(0).asText());
        assertTrue(Files.size(feed) > 0 && json.err().contains("wrote " + feed), json.err());

        Result orders = run("switch-product", "../core/src/test/resources/plans/switch.json", "--group", "g-support",
                "--from", "STANDARDPACK", "--to", "ENTERPRISEPACK", "--format", "csv");
        assertEquals(0, orders.code(), orders.err());
        List<String> rows = orders.out().lines().toList();
        assertEquals("order,chosen,membersWithGap,serviceSteps,membersLosingService,errorsOnTheWay,errorsAtEnd,safe,"
                + "peakSeatsOfTarget,steps", rows.get(0));
        assertEquals("one request: remove the old product and add the new together,true,0,0,0,0,0,true,2,"
                + "remove Office 365 E1 (STANDARDPACK) and add Office 365 E3 (ENTERPRISEPACK) in one request (assignLicense)",
                rows.get(1));
        Result sw = run("switch-product", "../core/src/test/resources/plans/switch.json", "--group", "g-support",
                "--from", "STANDARDPACK", "--to", "ENTERPRISEPACK", "--format", "json");
        var node = mapper.readTree(sw.out());
        assertEquals(rows.size() - 1, node.get("orders").size());
        assertTrue(node.get("orders").get(0).get("chosen").asBoolean());
        assertEquals("ENTERPRISEPACK", node.get("to").asText());
    }

    @Test
    @DisplayName("check --days lists subscriptions whose next lifecycle date is near, from import-graph's subscriptions")
    void checkSubscriptions(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("contoso.json");
        Result imported = run("import-graph", "--dir", "../core/src/test/resources/graph/contoso-export", "--out",
                snap.toString());
        assertEquals(0, imported.code(), imported.err());
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(3, mapper.readTree(snap.toFile()).get("subscriptions").size());
        Result r = run("check", snap.toString(), "--now", "2026-12-01T00:00:00Z");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.out().contains("  subscription: Office 365 E5 (ENTERPRISEPREMIUM), trial of 5 licences, moves from "
                + "Enabled to Warning on 2026-12-20 (in 19 days): the other 20 seats cover its 3 holders"), r.out());
        assertTrue(r.out().contains("Microsoft Dynamics CRM Online (CRMSTANDARD), subscription of 25 licences, moves from "
                + "Suspended to LockedOut on 2026-12-10 (in 9 days): no user holds the product"), r.out());
        assertTrue(!r.out().contains("456c2b4f"), "renewing in June 2027: not within 30 days");
        // ten days later the CRM date has passed (overdue) and the trial is 9 days away; --days 5 leaves the trial out
        Result later = run("check", snap.toString(), "--now", "2026-12-11T00:00:00Z", "--days", "5", "--format", "json");
        var node = mapper.readTree(later.out());
        assertEquals(1, node.get("ending").size(), later.out());
        assertEquals(-1, node.get("ending").get(0).get("inDays").asInt());
        assertEquals(5, node.get("days").asInt());
        // a purchase ending with more holders than the other seats: the users it would leave without a seat
        String tight = Files.readString(snap).replace("\"totalLicenses\" : 5,", "\"totalLicenses\" : 23,");
        Files.writeString(dir.resolve("tight.json"), tight);
        Result over = run("check", dir.resolve("tight.json").toString(), "--now", "2026-12-01T00:00:00Z", "--format", "csv");
        assertTrue(over.out().lines().anyMatch(l -> l.startsWith("subscription,ENTERPRISEPREMIUM,Office 365 E5,1,3,25,,,")
                        && l.endsWith(",,ENTERPRISEPREMIUM,,,")),
                over.out());
        Result bad = run("check", snap.toString(), "--days", "-1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--days must be 0 or more, got -1"), bad.err());
    }

    @Test
    @DisplayName("check: a subscription's date is counted in calendar days (UTC), as printed: tomorrow at 00:00 is \"in 1 day\" at 23:30, a day past is \"1 day overdue\"")
    void checkSubscriptionsByCalendarDay(@TempDir Path dir) throws Exception {
        Path snap = dir.resolve("contoso.json");
        assertEquals(0, run("import-graph", "--dir", "../core/src/test/resources/graph/contoso-export", "--out",
                snap.toString()).code());
        String trial = "  subscription: Office 365 E5 (ENTERPRISEPREMIUM), trial of 5 licences, moves from Enabled to Warning "
                + "on 2026-12-20 (";
        String[][] cases = {{"2026-12-19T23:30:00Z", "in 1 day)"}, {"2026-12-19T00:00:00Z", "in 1 day)"},
                {"2026-12-20T00:00:00Z", "today)"}, {"2026-12-20T23:59:00Z", "today)"},
                {"2026-12-21T12:00:00Z", "1 day overdue)"}, {"2026-12-23T00:00:00Z", "3 days overdue)"}};
        for (String[] c : cases) {
            Result r = run("check", snap.toString(), "--now", c[0]);
            assertTrue(r.out().contains(trial + c[1]), c[0] + ": " + r.out());
        }
    }
}
