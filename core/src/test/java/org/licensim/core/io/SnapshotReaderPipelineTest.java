package org.licensim.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.directory.Dictionary;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.MultiColumn;
import org.licensim.core.directory.StringColumn;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.Engine;

/**
 * A snapshot's users read on two threads ({@code SnapshotReader.read(file, true)}) give the
 * tenant the one-thread reader gives, index for index and dictionary code for code; and any
 * snapshot the one-thread reader refuses is refused with the same problems, in the same order
 * and words. Snapshots are made by a seeded generator with users over several blocks of the
 * hand-off ({@code PipelinedUsers.USER_BLOCK}), every field kind a user can carry, and one fault put at
 * a drawn place.
 */
class SnapshotReaderPipelineTest {
    private final SnapshotReader reader = SnapshotReader.withDefaults();

    @TempDir
    Path dir;

    private static final String[] COUNTRIES = {"NL", "US", "de", " gb ", "FR"};

    /** A snapshot of {@code users} users drawn from {@code seed}, each user's fields in a drawn order. */
    static String snapshot(long seed, int users, String fault, int faultAt) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        sb.append("{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": [")
                .append("{\"skuId\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": ").append(users / 3).append("}},")
                .append("{\"skuId\": \"EMS\", \"prepaidUnits\": {\"enabled\": ").append(users).append("}}],\n\"users\": [");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            if (i > 0) {
                sb.append(r.nextInt(5) == 0 ? ",\n  " : ",");
            }
            if (i == faultAt && fault != null) {
                sb.append(fault.replace("#", Integer.toString(i)));
                continue;
            }
            List<String> fields = new ArrayList<>();
            String id = switch (r.nextInt(20)) {
                case 0 -> "u\\u00e9" + i;
                case 1 -> "u\\\"{q},[" + i;
                default -> "u" + i;
            };
            fields.add("\"id\": \"" + id + "\"");
            ids.add(id);
            if (r.nextInt(3) == 0) {
                fields.add("\"accountEnabled\": " + r.nextBoolean());
            }
            if (r.nextInt(4) != 0) {
                fields.add("\"usageLocation\": " + (r.nextInt(10) == 0 ? "null" : "\"" + COUNTRIES[r.nextInt(COUNTRIES.length)]
                        + "\""));
            }
            fields.add("\"department\": " + (r.nextInt(15) == 0 ? "null" : "\"D" + r.nextInt(12) + "\""));
            if (r.nextInt(8) == 0) {
                fields.add("\"department\": \"again" + r.nextInt(3) + "\""); // given twice: the last value, the first place
            }
            fields.add("\"employeeHireDate\": \"20" + (10 + r.nextInt(15)) + "-0" + (1 + r.nextInt(9)) + "-1" + r.nextInt(10) + "\"");
            if (r.nextBoolean()) {
                fields.add("\"userPrincipalName\": \"u" + i + "@contoso.com\"");
            }
            if (r.nextInt(3) != 0) {
                StringBuilder a = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    a.append(k > 0 ? "," : "").append(r.nextInt(6) == 0 ? "null" : "\"smtp:" + (r.nextInt(4) == 0 ? "Shared"
                            + r.nextInt(5) : "u" + i + "." + k) + "@contoso.com\"");
                }
                fields.add("\"proxyAddresses\": " + (r.nextInt(12) == 0 ? "null" : a.append("]").toString()));
            }
            if (r.nextInt(10) == 0) {
                fields.add("\"proxyAddresses\": [\"SMTP:twice" + i + "@contoso.com\"]");
            }
            if (r.nextInt(6) == 0) {
                fields.add("\"otherMails\": [\"o" + i + "@example.com\"]");
            }
            switch (r.nextInt(30)) {
                case 0 -> fields.add("\"onPremisesExtensionAttributes\": {\"extensionAttribute3\": \"x" + r.nextInt(3) + "\"}");
                case 1 -> fields.add("\"onPremisesExtensionAttributes\": null");
                case 2 -> fields.add("\"signInActivity\": {\"lastSignInDateTime\": \"2026-0" + (1 + r.nextInt(9))
                        + "-01T08:00:00Z\"}");
                case 3 -> fields.add("\"@odata.type\": \"#microsoft.graph.user\"");
                case 4 -> fields.add("\"assignedLicenses\": [{\"skuId\": \"x\"}]");
                case 5 -> fields.add("\"jobTitle\": \"J\\\"" + r.nextInt(4) + "\"");
                default -> {
                }
            }
            java.util.Collections.shuffle(fields, r);
            sb.append('{').append(String.join(", ", fields)).append('}');
        }
        sb.append("],\n\"groups\": [");
        for (int g = 0; g < 6; g++) {
            sb.append(g > 0 ? ", " : "").append("{\"id\": \"g").append(g).append("\", \"members\": [");
            for (int k = 0, n = ids.isEmpty() ? 0 : r.nextInt(ids.size() / 2 + 1); k < n; k++) {
                sb.append(k > 0 ? "," : "").append('"').append(ids.get(r.nextInt(ids.size()))).append('"');
            }
            sb.append("]}");
        }
        sb.append("],\n\"assignments\": [{\"groupId\": \"g0\", \"skuId\": \"ENTERPRISEPACK\"}, "
                + "{\"groupId\": \"g1\", \"skuId\": \"EMS\"}, {\"groupId\": \"g2\", \"skuId\": \"ENTERPRISEPACK\"}]}");
        return sb.toString();
    }

    /** Everything the reader stores of the users and groups, codes included, as one string. */
    static String fingerprint(Tenant t) {
        StringBuilder sb = new StringBuilder();
        Users users = t.users();
        sb.append(users.size()).append(' ').append(users.liveCount()).append('\n');
        for (int u = 0; u < users.size(); u++) {
            sb.append(users.id(u)).append('|').append(users.accountEnabled(u)).append('|').append(users.usageLocationCode(u))
                    .append('|').append(users.lastSignIn(u));
            for (String p : UserSchema.STRING_PROPERTIES) {
                StringColumn c = users.column(p);
                sb.append('|').append(c.get(u)).append('#').append(c.code(u));
            }
            for (String p : UserSchema.MULTI_PROPERTIES) {
                MultiColumn c = users.multiColumn(p);
                sb.append('|').append(c.get(u));
                for (int i = 0; i < c.count(u); i++) {
                    sb.append('#').append(c.code(u, i));
                }
            }
            sb.append('|').append(users.hasProxyCollision(u)).append('\n');
        }
        Dictionary loc = users.usageLocation().dictionary();
        for (int c = 0; c < loc.size(); c++) {
            sb.append(loc.value(c)).append(',');
        }
        Groups groups = t.groups();
        for (int g = 0; g < groups.size(); g++) {
            sb.append('\n').append(groups.id(g)).append(groups.userMembers(g));
        }
        return sb.toString();
    }

    private Path file(String name, String json) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    private static byte[] resolved(Tenant t) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(Engine.builder(t).reconcile(), out);
        return out.toByteArray();
    }

    @Test
    @DisplayName("users read on two threads: the same tenant as one at a time, index for index and code for code, "
            + "and the same resolved state")
    void sameTenant() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            int users = PipelinedUsers.USER_BLOCK * 3 + (int) seed * 37;
            Path f = file("s" + seed + ".json", snapshot(seed, users, null, -1));
            Tenant two = reader.read(f, true);
            Tenant one = reader.read(f, false);
            assertEquals(users, two.users().size(), "seed " + seed);
            assertEquals(fingerprint(one), fingerprint(two), "seed " + seed);
            byte[] state = resolved(one);
            assertEquals(new String(state, java.nio.charset.StandardCharsets.UTF_8),
                    new String(resolved(two), java.nio.charset.StandardCharsets.UTF_8), "seed " + seed);

            // the written snapshot carries licenseAssignmentStates on its users (users read whole), pretty-printed
            Path withState = dir.resolve("state" + seed + ".json");
            Files.write(withState, state);
            assertTrue(Files.readString(withState).contains("licenseAssignmentStates"));
            Tenant twoAgain = reader.read(withState, true);
            Tenant oneAgain = reader.read(withState, false);
            assertEquals(fingerprint(oneAgain), fingerprint(twoAgain), "seed " + seed + " with state");
            assertEquals(new String(resolved(oneAgain), java.nio.charset.StandardCharsets.UTF_8),
                    new String(resolved(twoAgain), java.nio.charset.StandardCharsets.UTF_8), "seed " + seed + " with state");
        }
        assertEquals(0, reader.readAgain.get(), "every read stayed on two threads");
    }

    @Test
    @DisplayName("users read on two threads past the point where the rest of the file is counted ahead as users "
            + "(too many: groups follow): the same tenant as one at a time, code for code, and the same resolved state")
    void sameTenantPastTheCountAhead() throws Exception {
        for (long seed = 5; seed <= 6; seed++) {
            int users = PipelinedUsers.EXPECT_AFTER * 2 + PipelinedUsers.USER_BLOCK / 2 + (int) seed;
            Path f = file("x" + seed + ".json", snapshot(seed, users, null, -1));
            Tenant two = reader.read(f, true);
            Tenant one = reader.read(f, false);
            assertEquals(users, two.users().size(), "seed " + seed);
            assertEquals(fingerprint(one), fingerprint(two), "seed " + seed);
            assertEquals(new String(resolved(one), java.nio.charset.StandardCharsets.UTF_8),
                    new String(resolved(two), java.nio.charset.StandardCharsets.UTF_8), "seed " + seed);
        }
        assertEquals(0, reader.readAgain.get(), "every read stayed on two threads");
    }

    @Test
    @DisplayName("users read on two threads: no users, one user, and a last block of one user")
    void edges() throws Exception {
        for (int users : new int[] {0, 1, PipelinedUsers.USER_BLOCK, PipelinedUsers.USER_BLOCK + 1}) {
            Path f = file("e" + users + ".json", snapshot(users, users, null, -1));
            assertEquals(fingerprint(reader.read(f, false)), fingerprint(reader.read(f, true)), users + " users");
            assertEquals(users, reader.read(f, true).users().size());
        }
        assertEquals(0, reader.readAgain.get(), "every read stayed on two threads");
    }

    /** Faults, each put at a drawn user: the problems must be the one-thread reader's. */
    private static final String[] FAULTS = {
        "{\"id\": \"dup\"}, {\"id\": \"u#\"}, {\"id\": \"dup\", \"department\": \"D1\"}", // a duplicate id
        "{\"id\": \"u#\", \"usageLocation\": \"Netherlands\"}",
        "{\"id\": \"u#\", \"usageLocation\": \"ZZ\"}", // two letters, no country's
        "{\"id\": \"u#\", \"usageLocation\": \"Holland\", \"usageLocation\": \"NL\"}", // given twice, the first refused
        "{\"id\": \"u#\", \"usageLocation\": \"XY\", \"signInActivity\": null}", // refused, then the user read whole
        "{\"id\": \"u#\", \"accountEnabled\": \"yes\", \"department\": 5}",
        "{\"id\": \"\"}",
        "{\"id\": \" \\t \"}", // blank: white space only
        "{\"id\": \"u#\", \"id\": null}", // given twice, the last one missing
        "{\"department\": \"D1\"}",
        "\"not a user\"",
        "{\"id\": \"u#\", \"proxyAddresses\": \"smtp:a@b\"}",
        "{\"id\": \"u#\", \"proxyAddresses\": [1, \"smtp:a@b\"]}",
        "{\"id\": \"u#\", \"favouriteColour\": \"blue\"}",
        "{\"id\": \"u#\", \"extension_0123456789abcdef0123456789abcdef_code\": \"X1\"}",
        "{\"id\": \"u#\", \"signInActivity\": {\"lastSignInDateTime\": \"yesterday\"}}",
        "{\"id\": \"" + "x".repeat(org.licensim.core.directory.Ids.MAX_LENGTH + 1) + "\"}",
        "{\"id\": \"u#\", \"department\": \"D1\" \"city\": \"C\"}", // malformed JSON inside the users
        "{\"id\": \"g3\"}", // a user with a group's id (groups come after: found when the group is read)
    };

    @Test
    @DisplayName("R22 a snapshot with a bad user read on two threads is refused with the one-thread reader's problems, "
            + "in its order and words")
    void sameProblems() throws Exception {
        Random r = new Random(37);
        int cases = 0;
        int retries = 0;
        for (String fault : FAULTS) {
            for (int k = 0; k < 2; k++) {
                int users = PipelinedUsers.USER_BLOCK * 2 + 50;
                int at = k == 0 ? r.nextInt(30) : PipelinedUsers.USER_BLOCK + r.nextInt(PipelinedUsers.USER_BLOCK);
                Path f = file("p" + cases + ".json", snapshot(100 + cases, users, fault, at));
                cases++;
                Exception one = assertThrows(Exception.class, () -> reader.read(f, false), fault);
                Exception two = assertThrows(Exception.class, () -> reader.read(f, true), fault);
                assertEquals(one.getClass(), two.getClass(), fault);
                assertEquals(one.getMessage(), two.getMessage(), fault);
                // (a user with a group's id is found when the group is read: a problem in the groups, read again too)
                retries++;
                assertEquals(retries, reader.readAgain.get(), fault + ": the two-thread read gave up and read again");
                if (one instanceof InvalidInputException i1) {
                    assertEquals(i1.problems(), ((InvalidInputException) two).problems(), fault);
                    assertFalse(i1.problems().isEmpty());
                }
            }
        }
    }

    @Test
    @DisplayName("R22 groups listed before the users: a user with a group's id is refused as the one-thread reader refuses it")
    void groupsFirst() throws Exception {
        String users = snapshot(5, PipelinedUsers.USER_BLOCK + 10, null, -1);
        int u = users.indexOf("\n\"users\": [");
        int g = users.indexOf("\n\"groups\": [");
        int a = users.indexOf("\n\"assignments\": [");
        String groupsFirst = users.substring(0, u) + users.substring(g, a) + users.substring(u, g) + users.substring(a);
        Path ok = file("gf.json", groupsFirst);
        // members name users read later: linked at the end
        assertEquals(fingerprint(reader.read(ok, false)), fingerprint(reader.read(ok, true)));
        int n = PipelinedUsers.USER_BLOCK + 3;
        while (!groupsFirst.contains("\"id\": \"u" + n + "\"")) {
            n++;
        }
        String clash = groupsFirst.replace("\"id\": \"u" + n + "\"", "\"id\": \"g2\"");
        Path bad = file("gf-clash.json", clash);
        InvalidInputException one = assertThrows(InvalidInputException.class, () -> reader.read(bad, false));
        InvalidInputException two = assertThrows(InvalidInputException.class, () -> reader.read(bad, true));
        assertEquals(one.problems(), two.problems());
    }

    @Test
    @DisplayName("R22 an assignment's problems name the assignment, its userId or groupId, or its skuId, by line, column and path")
    void assignmentWheres() throws Exception {
        String json = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": [{\"skuId\": "
                + "\"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 5}}], \"users\": [{\"id\": \"u1\", \"usageLocation\": \"NL\"}], \"groups\": "
                + "[{\"id\": \"g1\", \"members\": [\"u1\"]}], \"assignments\": [{\"userId\": \"u1\", \"skuId\": \"ENTERPRISEPACK\"}, "
                + "{\"skuId\": \"ENTERPRISEPACK\", \"userId\": \"nobody\"}, {\"groupId\": \"g1\", \"skuId\": \"NO_SUCH_SKU\"}, "
                + "{\"groupId\": \"g1\"}]}";
        Path f = file("a.json", json);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> reader.read(f, false));
        List<Problem> problems = e.problems();
        assertEquals(3, problems.size(), problems.toString());
        assertEquals("$.assignments[1].userId", problems.get(0).path());
        assertEquals(json.indexOf("\"nobody\"") + 1, problems.get(0).column());
        assertTrue(problems.get(0).message().startsWith("unknown user \"nobody\""), problems.get(0).message());
        assertEquals("$.assignments[2].skuId", problems.get(1).path());
        assertEquals(json.indexOf("\"NO_SUCH_SKU\"") + 1, problems.get(1).column());
        assertEquals("$.assignments[3]", problems.get(2).path());
        assertEquals(json.indexOf("{\"groupId\": \"g1\"}]") + 1, problems.get(2).column());
        assertEquals("an assignment needs a \"skuId\" (GUID or part number)", problems.get(2).message());
        assertEquals(1, problems.get(2).line());
        InvalidInputException two = assertThrows(InvalidInputException.class, () -> reader.read(f, true));
        assertEquals(problems, two.problems());
    }

    @Test
    @DisplayName("R22 groups read on two threads: nested groups named before and after, unknown members, a members "
            + "array given twice, lists over several chunks: the one-thread reader's tenant or problems")
    void groups() throws Exception {
        String base = snapshot(9, PipelinedGroups.MEMBER_CHUNK * 2 + 100, null, -1);
        String[][] edits = {
            // {what is replaced, by what}
            {"{\"id\": \"g1\", \"members\": [", "{\"id\": \"g1\", \"members\": [\"g0\", \"g4\", \"g1\",\n  "},
            {"{\"id\": \"g2\", \"members\": [", "{\"id\": \"g2\", \"members\": [\"nobody\",\n \"g5\", \"nobody2\", "},
            {"{\"id\": \"g3\", \"members\": [", "{\"id\": \"g3\", \"members\": [\"u1\"], \"members\": ["},
            {"{\"id\": \"g4\", \"members\": [", "{\"id\": \"g4\", \"members\": [5, "},
            {"{\"id\": \"g5\", \"members\": [", "{\"id\": \"g5\", \"members\": [\"g0\", "},
        };
        // whether the two-thread read gives up on each edit (a problem in a group, or a members array given twice)
        boolean[] again = {false, false, true, true, false};
        for (int k = 0; k < edits.length; k++) {
            String[] e = edits[k];
            int retriesBefore = reader.readAgain.get();
            assertTrue(base.contains(e[0]), e[0]);
            String json = base.replace(e[0], e[1]);
            Path f = file("g.json", json);
            String one;
            String two;
            try {
                one = fingerprint(reader.read(f, false));
            } catch (InvalidInputException x) {
                one = x.problems().toString();
            }
            try {
                two = fingerprint(reader.read(f, true));
            } catch (InvalidInputException x) {
                two = x.problems().toString();
            }
            assertEquals(one, two, e[1]);
            assertEquals(retriesBefore + (again[k] ? 1 : 0), reader.readAgain.get(), e[1]);
        }
        // every edit at once: the problems of all of them, in order
        String all = base;
        for (String[] e : edits) {
            all = all.replace(e[0], e[1]);
        }
        Path f = file("all.json", all);
        InvalidInputException one = assertThrows(InvalidInputException.class, () -> reader.read(f, false));
        InvalidInputException two = assertThrows(InvalidInputException.class, () -> reader.read(f, true));
        assertEquals(one.problems(), two.problems());
        assertTrue(one.problems().toString().contains("member \"nobody2\" of group \"g2\""), one.problems().toString());
        // a big group over several chunks with an unknown member at the end of one chunk: no reading again needed
        String chunked = base.replace("{\"id\": \"g0\", \"members\": [", "{\"id\": \"g0\", \"members\": ["
                + "\"u1\",".repeat(PipelinedGroups.MEMBER_CHUNK - 1) + "\"stranger\", ");
        Path c = file("chunked.json", chunked);
        int before = reader.readAgain.get();
        InvalidInputException c1 = assertThrows(InvalidInputException.class, () -> reader.read(c, false));
        InvalidInputException c2 = assertThrows(InvalidInputException.class, () -> reader.read(c, true));
        assertEquals(c1.problems(), c2.problems());
        assertEquals("$.groups[0].members[" + (PipelinedGroups.MEMBER_CHUNK - 1) + "]", c2.problems().get(0).path());
        assertEquals(before, reader.readAgain.get(), "an unknown member is found after the groups: read once");
    }

    @Test
    @DisplayName("R22 groups read on two threads with the member lookups on either thread (the parsing thread looking "
            + "up every chunk it hands off, or none): the one-thread reader's tenant, nested groups and unknown members included")
    void lookupsOnEitherThread() throws Exception {
        String base = snapshot(11, PipelinedGroups.MEMBER_CHUNK * 3 + 50, null, -1);
        String nested = base.replace("{\"id\": \"g1\", \"members\": [", "{\"id\": \"g1\", \"members\": [\"g0\", \"g4\",\n  ");
        String unknown = nested.replace("{\"id\": \"g2\", \"members\": [", "{\"id\": \"g2\", \"members\": [\"nobody\", ");
        for (String json : new String[] {base, nested, unknown}) {
            Path f = file("lookups.json", json);
            String one;
            try {
                one = fingerprint(reader.read(f, false));
            } catch (InvalidInputException x) {
                one = x.problems().toString();
            }
            for (int help : new int[] {PipelinedGroups.HELP_ALWAYS, PipelinedGroups.HELP_NEVER}) {
                SnapshotReader r = SnapshotReader.withDefaults();
                r.groupLookupsHelp = help;
                String two;
                try {
                    two = fingerprint(r.read(f, true));
                } catch (InvalidInputException x) {
                    two = x.problems().toString();
                }
                assertEquals(one, two, help == PipelinedGroups.HELP_ALWAYS ? "every chunk looked up by the parser" : "none");
                assertEquals(0, r.readAgain.get(), "read once, on two threads");
                // always: every chunk handed off is looked up by the parsing thread (several per group here); never: none
                if (help == PipelinedGroups.HELP_ALWAYS) {
                    assertTrue(r.chunksLookedUpByParser.get() >= 6, "chunks the parsing thread looked up: "
                            + r.chunksLookedUpByParser.get());
                } else {
                    assertEquals(0, r.chunksLookedUpByParser.get());
                }
            }
        }
        assertTrue(unknownProblems(unknown).contains("\"nobody\""), "the unknown member is reported");
    }

    private String unknownProblems(String json) throws Exception {
        Path f = file("unknown.json", json);
        InvalidInputException x = assertThrows(InvalidInputException.class, () -> reader.read(f, true));
        return x.problems().toString();
    }

    @Test
    @DisplayName("the shipped examples read on two threads: the same tenant and resolved state as on one")
    void examples() throws Exception {
        for (String name : new String[] {"contoso-small.json", "two-groups-e3.json"}) {
            Path f = Path.of("..", "examples", name);
            Tenant one = reader.read(f, false);
            Tenant two = reader.read(f, true);
            assertEquals(fingerprint(one), fingerprint(two), name);
            assertEquals(new String(resolved(one), java.nio.charset.StandardCharsets.UTF_8),
                    new String(resolved(two), java.nio.charset.StandardCharsets.UTF_8), name);
        }
        assertEquals(0, reader.readAgain.get(), "every example stayed on two threads");
    }
}
