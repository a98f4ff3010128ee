package org.licensim.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.Users;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

/** The two-thread users reader asks the parser for the field names the user before had, and reads what differs as usual. */
class PipelinedUsersTest {
    /** The users array {@code json} read by a session's two-thread users reader; returns the reader. */
    private static PipelinedUsers read(SnapshotReader.Session s, String json) throws Exception {
        PipelinedUsers pipelined = new PipelinedUsers(s);
        try (JsonParser p = new JsonFactory().createParser(json.getBytes(StandardCharsets.UTF_8))) {
            p.nextToken();
            pipelined.read(p);
        }
        return pipelined;
    }

    @Test
    @DisplayName("users with the same fields in the same order: every name after the first user's is matched as the "
            + "user before's; a user with other fields, fewer or more, or in another order, is read as it is")
    void namesMatchedWhereTheUserBeforeHadThem() throws Exception {
        int users = PipelinedUsers.USER_BLOCK * 2 + 7;
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < users; i++) {
            sb.append(i > 0 ? "," : "").append("{\"id\": \"u").append(i).append("\", \"usageLocation\": \"NL\", ")
                    .append("\"department\": \"D").append(i % 5).append("\", \"employeeHireDate\": \"2020-01-0")
                    .append(1 + i % 9).append("\"}");
        }
        SnapshotReader.Session s = SnapshotReader.withDefaults().new Session("t", true, 0);
        PipelinedUsers same = read(s, sb.append(']').toString());
        assertEquals(4L * (users - 1), same.namesMatched);
        Users u = s.dir.users();
        assertEquals(users, u.size());
        assertEquals("D" + (users - 2) % 5, u.get(users - 2, "department"));
        assertEquals("2020-01-0" + (1 + (users - 3) % 9), u.get(users - 3, "employeeHireDate"));
        assertEquals("NL", u.usageLocation().dictionary().value(u.usageLocationCode(users - 1)));

        // a field left out, one more, two swapped, a name the reader does not hold flat (the user read whole)
        String mixed = "[{\"id\": \"a\", \"department\": \"D1\", \"city\": \"Delft\"},"
                + "{\"id\": \"b\", \"department\": \"D2\"},"
                + "{\"id\": \"c\", \"department\": \"D3\", \"city\": \"Leiden\", \"jobTitle\": \"J\"},"
                + "{\"id\": \"d\", \"city\": \"Gouda\", \"department\": \"D4\"},"
                + "{\"id\": \"e\", \"city\": \"Ede\", \"department\": \"D5\", \"signInActivity\": null},"
                + "{\"id\": \"f\", \"city\": \"Ede\", \"department\": \"D6\", \"signInActivity\": null}]";
        SnapshotReader.Session m = SnapshotReader.withDefaults().new Session("t", true, 0);
        PipelinedUsers mixedReader = read(m, mixed);
        // b: id, department; c: id, department, city; d: id; e: id, city, department; f: all four
        assertEquals(2 + 3 + 1 + 3 + 4, mixedReader.namesMatched);
        Users mu = m.dir.users();
        String[][] expected = {
            {"a", "D1", "Delft", null}, {"b", "D2", null, null}, {"c", "D3", "Leiden", "J"}, {"d", "D4", "Gouda", null},
            {"e", "D5", "Ede", null}, {"f", "D6", "Ede", null},
        };
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k][0], mu.id(k));
            assertEquals(expected[k][1], mu.get(k, "department"), expected[k][0]);
            assertEquals(expected[k][2], mu.get(k, "city"), expected[k][0]);
            assertEquals(expected[k][3], mu.get(k, "jobTitle"), expected[k][0]);
        }
    }

    /** Each user's id, location code, and every property's value and dictionary code, as one string. */
    private static String users(Users u) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < u.size(); k++) {
            sb.append(u.id(k)).append('|').append(u.usageLocationCode(k));
            for (String p : org.licensim.core.directory.UserSchema.STRING_PROPERTIES) {
                sb.append('|').append(u.get(k, p)).append('#').append(u.column(p).code(k));
            }
            sb.append('|').append(u.multiColumn("proxyAddresses").get(k)).append('\n');
        }
        return sb.toString();
    }

    @Test
    @DisplayName("the Strings of a block made by the parsing thread (every block, or none): the same users, values "
            + "and dictionary codes; a usage location that is no country code gives up on either thread")
    void stringsMadeOnEitherThread() throws Exception {
        int users = PipelinedUsers.USER_BLOCK * 3 + 11;
        StringBuilder sb = new StringBuilder("[");
        String[] places = {"NL", "us", " de ", "FR"};
        for (int i = 0; i < users; i++) {
            sb.append(i > 0 ? "," : "").append("{\"id\": \"u").append(i).append("\", \"usageLocation\": \"")
                    .append(places[i % places.length]).append("\", \"department\": \"D").append(i % 7)
                    .append("\", \"city\": \"C").append(i % 3).append("\", \"proxyAddresses\": [\"SMTP:u").append(i)
                    .append("@x\"]}");
        }
        String json = sb.append(']').toString();
        String[] got = new String[2];
        int[] helps = {PipelinedGroups.HELP_ALWAYS, PipelinedGroups.HELP_NEVER};
        for (int k = 0; k < 2; k++) {
            SnapshotReader.Session s = SnapshotReader.withDefaults().new Session("t", true, 0);
            PipelinedUsers pipelined = new PipelinedUsers(s);
            pipelined.help = helps[k];
            try (JsonParser p = new JsonFactory().createParser(json.getBytes(StandardCharsets.UTF_8))) {
                p.nextToken();
                pipelined.read(p);
            }
            // every full block handed off (the last, not full, is handed off as it is)
            assertEquals(k == 0 ? users / PipelinedUsers.USER_BLOCK : 0, pipelined.blocksMadeByParser);
            got[k] = users(s.dir.users());
            assertEquals(users, s.dir.users().size());
        }
        assertEquals(got[1], got[0]);
        assertTrue(got[0].startsWith("u0|"), got[0].substring(0, 20));

        // a location refused in a block the parsing thread makes, and in one the other thread makes
        String bad = json.replace("\"usageLocation\": \"FR\"", "\"usageLocation\": \"QQ\"");
        for (int help : helps) {
            SnapshotReader.Session s = SnapshotReader.withDefaults().new Session("t", true, 0);
            PipelinedUsers pipelined = new PipelinedUsers(s);
            pipelined.help = help;
            try (JsonParser p = new JsonFactory().createParser(bad.getBytes(StandardCharsets.UTF_8))) {
                p.nextToken();
                assertThrows(SnapshotReader.Retry.class, () -> pipelined.read(p));
            }
        }
    }
}
