package org.licensim.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.reconcile.ReconcilePath;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/** Importing a Graph export: the snapshot it builds, the fidelity check, and bad exports refused by name. */
class GraphImportTest {
    static final Catalog CATALOG = Catalog.loadDefault();

    static Path export() {
        try {
            return Path.of(GraphImportTest.class.getResource("/graph/contoso-export").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A writable copy of the fixture export. */
    static Path copy(Path to) throws IOException {
        Path src = export();
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path d = to.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
        return to;
    }

    static Engine resolve(Path snapshot) {
        Tenant t = SnapshotReader.withDefaults().read(snapshot);
        return Engine.builder(t).feed(new ChangeFeed()).reconcile();
    }

    @Test
    @DisplayName("a paged Graph export becomes a snapshot licensim resolves exactly as Entra reported it")
    void importsAndAgrees(@TempDir Path dir) {
        GraphImport.Result r = GraphImport.read(export(), CATALOG, null, false);
        assertEquals(5, r.users());
        assertEquals(3, r.groups());
        assertEquals(2, r.skus());
        assertEquals(2, r.directAssignments(), "Alex's and Isaiah's E5 (assignedByGroup null)");
        assertEquals(2, r.groupAssignments());
        assertEquals(3, r.memberships());
        assertEquals(1, r.skippedMembers(), "the device in Sales");
        Path snap = dir.resolve("snapshot.json");
        GraphImport.write(r, snap);
        Engine e = resolve(snap);
        assertEquals("NL", e.tenant().settings().defaultCountry());
        // Megan joins the dynamic Engineering group by her department, and CRM has no assignable unit
        int megan = e.tenant().users().indexOf("48d31887-5fad-4d73-a9f5-3c356e68a038");
        int[] es = new int[16 * StateStore.ENTRY_INTS];
        assertEquals(1, e.store().read(megan, es));
        assertEquals(States.pack(States.ERROR, States.COUNT_VIOLATION), es[StateStore.STATE]);
        List<GraphFidelity.Disagreement> d = GraphFidelity.compare(e, r);
        assertTrue(d.isEmpty(), d.toString());
    }

    @Test
    @DisplayName("the fidelity check names the user, the source, both sides and the rules where licensim disagrees")
    void disagreementIsReported(@TempDir Path dir) throws IOException {
        Path x = copy(dir.resolve("export"));
        Path users2 = x.resolve("users-2.json");
        Files.writeString(users2, Files.readString(users2).replace("\"state\": \"Error\", \"error\": \"CountViolation\"",
                "\"state\": \"Active\", \"error\": \"None\""));
        Path users = x.resolve("users.json");
        Files.writeString(users, Files.readString(users).replaceFirst(
                "\"disabledPlans\": \\[\\] \\},\n        \\{ \"assignedByGroup\": \"02bd", "\"disabledPlans\": [\"efb87545-963c-4e0d-99df-69c6916d9eb0\"] },\n        { \"assignedByGroup\": \"02bd"));
        GraphImport.Result r = GraphImport.read(x, CATALOG, null, false);
        Path snap = dir.resolve("s.json");
        GraphImport.write(r, snap);
        List<GraphFidelity.Disagreement> d = GraphFidelity.compare(resolve(snap), r);
        assertEquals(1, d.size(), d.toString());
        String line = d.get(0).toString();
        assertTrue(line.startsWith("user MeganB@contoso.com (48d31887-5fad-4d73-a9f5-3c356e68a038), CRMSTANDARD from group "
                + "3cb4e0e4-f8f4-4a51-8c4b-f7d5e1b3a6b7: Graph says Active/None, licensim says Error/CountViolation"), line);
        assertTrue(line.contains("R10 capacity") && line.contains("R11"), line);
        // Alex's direct E5 now disables Exchange in the export: the direct assignment carries it, so both agree
        assertTrue(d.stream().noneMatch(x1 -> x1.userId().equals("626cbf8c-5dde-46b0-8385-9e40d64736fe")), d.toString());
    }

    @Test
    @DisplayName("--with-state keeps Entra's states in the snapshot: resolving it continues from the real tenant")
    void withState(@TempDir Path dir) throws IOException {
        GraphImport.Result r = GraphImport.read(export(), CATALOG, null, true);
        Path snap = dir.resolve("s.json");
        GraphImport.write(r, snap);
        assertTrue(Files.readString(snap).contains("\"licenseAssignmentStates\""));
        Engine e = resolve(snap);
        assertEquals(ReconcilePath.FROM_PRIOR_STATE, e.reconcilePath());
        assertTrue(GraphFidelity.compare(e, r).isEmpty());
    }

    static String refused(Path x) {
        return assertThrows(LicensimException.class, () -> GraphImport.read(x, CATALOG, null, false)).getMessage();
    }

    @Test
    @DisplayName("bad exports are refused naming the file, the object and what is wrong")
    void badExports(@TempDir Path dir) throws IOException {
        Path a = copy(dir.resolve("a"));
        Files.writeString(a.resolve("groups.json"), "{\"@odata.context\": \"x\", \"values\": []}");
        String m = refused(a);
        assertTrue(m.contains(a.resolve("groups.json") + ": no \"value\" array"), m);

        Path b = copy(dir.resolve("b"));
        Files.writeString(b.resolve("users-2.json"), Files.readString(b.resolve("users-2.json"))
                .replace("\"skuId\": \"d17b27af-3f49-4822-99f9-56a661538792\"", "\"skuId\": \"11111111-2222-3333-4444-555555555555\""));
        m = refused(b);
        assertTrue(m.contains("users-2.json value[0] (user 48d31887-5fad-4d73-a9f5-3c356e68a038) licenseAssignmentStates[0]: "
                + "skuId 11111111-2222-3333-4444-555555555555 is not one of the tenant's subscribedSkus"), m);

        Path c = copy(dir.resolve("c"));
        Path mf = c.resolve("members/3cb4e0e4-f8f4-4a51-8c4b-f7d5e1b3a6b7.json");
        Files.writeString(mf, Files.readString(mf).replace("48d31887-5fad-4d73-a9f5-3c356e68a038", "not-a-user"));
        m = refused(c);
        assertTrue(m.contains("3cb4e0e4-f8f4-4a51-8c4b-f7d5e1b3a6b7.json value[0] (group 3cb4e0e4-f8f4-4a51-8c4b-f7d5e1b3a6b7): "
                + "member not-a-user is neither a user in users.json nor a group in groups.json"), m);

        Path d = copy(dir.resolve("d"));
        Files.delete(d.resolve("users-2.json"));
        m = refused(d);
        assertTrue(m.contains(d.resolve("users.json") + ": has @odata.nextLink but " + d.resolve("users-2.json")
                + " is missing"), m);

        Path e = copy(dir.resolve("e"));
        Files.delete(e.resolve("subscribedSkus.json"));
        m = refused(e);
        assertTrue(m.contains(e.resolve("subscribedSkus.json") + ": missing"), m);

        Path f = copy(dir.resolve("f"));
        Files.writeString(f.resolve("users.json"), "{\"value\": [ {\"id\": \"x\",, } ]}");
        m = refused(f);
        assertTrue(m.contains(f.resolve("users.json") + ":1:") && m.contains("not valid JSON"), m);

        Path g = copy(dir.resolve("g"));
        Files.delete(g.resolve("organization.json"));
        m = refused(g);
        assertTrue(m.contains("organization.json: missing") && m.contains("--country"), m);
        assertEquals("US", GraphImport.read(g, CATALOG, "US", false).snapshot().path("tenant")
                .path("countryLetterCode").asText());
    }

    @Test
    @DisplayName("R21 R15 import-graph says which user properties the export lacked and what they were taken as")
    void saysWhatTheExportLacked(@TempDir Path dir) throws Exception {
        Path x = copyExport(dir.resolve("export"));
        GraphImport.Result full = GraphImport.read(x, CATALOG, null, false);
        assertTrue(full.notes().stream().noneMatch(n -> n.contains("came without")), full.notes().toString());
        Path users = x.resolve("users.json");
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        var doc = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(users.toFile());
        for (var u : doc.path("value")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) u).remove(java.util.List.of("accountEnabled", "usageLocation"));
        }
        m.writeValue(users.toFile(), doc);
        int stripped = doc.path("value").size();
        GraphImport.Result r = GraphImport.read(x, CATALOG, null, false);
        assertTrue(r.notes().contains(stripped + " of 5 users came without accountEnabled (not in the export's $select?) "
                + "and are taken as enabled; export it to see disabled accounts, which keep their licences (SPEC R21)"),
                r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith(stripped + " of 5 users came without usageLocation")),
                r.notes().toString());
        // R24: a direct licence of a user without usage location is a state requests cannot reach; a real tenant
        // can hold it, so the import loads it and says so instead of refusing the snapshot
        assertEquals("report", r.snapshot().path("unreachableStates").asText());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("a state licensim's rules would refuse: ")
                && n.contains("user \"AlexW@contoso.com\" has no usageLocation")), r.notes().toString());
        assertTrue(full.notes().stream().noneMatch(n -> n.contains("would refuse")), full.notes().toString());
    }

    @Test
    @DisplayName("section 4 directory extensions come through the import: declared from extensionProperties.json, else inferred and said")
    void directoryExtensions(@TempDir Path dir) throws Exception {
        Path x = copyExport(dir.resolve("export"));
        String name = "extension_b7d8e5fa3c2a4d1e9f0a1b2c3d4e5f60_costCenter";
        Path users = x.resolve("users.json");
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        var doc = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(users.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.path("value").get(0)).put(name, 4711);
        m.writeValue(users.toFile(), doc);
        GraphImport.Result inferred = GraphImport.read(x, CATALOG, null, false);
        assertTrue(inferred.notes().stream().anyMatch(n -> n.contains("types were taken from their values: " + name
                + " (Integer)")), inferred.notes().toString());
        assertEquals("Integer", inferred.snapshot().path("directoryExtensions").get(0).path("dataType").asText());
        Files.writeString(x.resolve("extensionProperties.json"), "{\"value\": [{\"name\": \"" + name
                + "\", \"dataType\": \"String\", \"isMultiValued\": false, \"targetObjects\": [\"User\"]}]}");
        GraphImport.Result declared = GraphImport.read(x, CATALOG, null, false);
        assertTrue(declared.notes().stream().noneMatch(n -> n.contains("types were taken")), declared.notes().toString());
        var t = org.licensim.core.io.SnapshotReader.withDefaults().read(new java.io.ByteArrayInputStream(
                m.writeValueAsBytes(declared.snapshot())), "imported.json");
        assertEquals("4711", t.users().get(t.users().indexOf(doc.path("value").get(0).path("id").asText()), name));
    }

    /** A copy of the example export in {@code x}, for a test that edits it. */
    private static Path copyExport(Path x) throws IOException {
        try (var files = java.nio.file.Files.walk(export())) {
            for (Path f : files.toList()) {
                Path to = x.resolve(export().relativize(f).toString());
                if (java.nio.file.Files.isDirectory(f)) {
                    java.nio.file.Files.createDirectories(to);
                } else {
                    java.nio.file.Files.copy(f, to);
                }
            }
        }
        return x;
    }
}
