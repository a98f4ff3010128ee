package org.licensim.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
