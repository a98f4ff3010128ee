package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link Users#expect}: a reader that tells ahead how many users come gets the same users, values
 * and codes as one that does not, whether it told too many or too few.
 */
class UsersExpectTest {
    /** Users 0..n-1 with a location, a department, a UPN and proxy addresses; {@code expectAt}/{@code expect}: when and what to tell. */
    private static Users users(int n, int expectAt, int expect) {
        Users users = new Users(16);
        for (int u = 0; u < n; u++) {
            if (u == expectAt) {
                users.expect(expect);
            }
            assertEquals(u, users.addNew("u" + u, u % 5 != 0));
            if (u % 4 != 0) {
                users.setUsageLocation(u, u % 3 == 0 ? "NL" : "US");
            }
            users.setProperty(u, UserSchema.STRING_PROPERTIES.indexOf("department"), "D" + (u % 7));
            users.setProperty(u, UserSchema.STRING_PROPERTIES.indexOf("userPrincipalName"), "u" + u + "@x.com");
            String[] a = {"SMTP:u" + u + "@x.com", "smtp:S" + (u % 50) + "@x.com"};
            users.setMultiProperty(u, UserSchema.MULTI_PROPERTIES.indexOf("proxyAddresses"), a, 0, 1 + u % 2);
        }
        return users;
    }

    private static String fingerprint(Users users) {
        StringBuilder sb = new StringBuilder().append(users.size()).append('\n');
        for (int u = 0; u < users.size() + 3; u++) {
            sb.append(u < users.size() ? users.id(u) + "|" + users.accountEnabled(u) + "|" : "beyond|")
                    .append(users.usageLocationCode(u)).append('|').append(users.usageLocation().get(u));
            for (String p : UserSchema.STRING_PROPERTIES) {
                sb.append('|').append(users.column(p).get(u)).append('#').append(users.column(p).code(u));
            }
            for (String p : UserSchema.MULTI_PROPERTIES) {
                MultiColumn c = users.multiColumn(p);
                sb.append('|').append(c.count(u));
                for (int i = 0; i < c.count(u); i++) {
                    sb.append('#').append(c.value(u, i)).append('#').append(c.code(u, i));
                }
            }
            sb.append('|').append(u < users.size() && users.hasProxyCollision(u)).append('\n');
        }
        return sb.toString();
    }

    @Test
    @DisplayName("users told ahead too many, too few or none come out the same, values and codes")
    void sameUsers() {
        int n = 3_000;
        String plain = fingerprint(users(n, -1, 0));
        for (int[] told : new int[][] {{100, 10_000}, {100, 1_000}, {0, 3_000}, {2_999, 3_500}, {500, 20}}) {
            assertEquals(plain, fingerprint(users(n, told[0], told[1])), "told " + told[1] + " after " + told[0]);
        }
        Users u = users(10, 5, 100);
        assertEquals(List.of("SMTP:u9@x.com", "smtp:S9@x.com"), u.multiColumn("proxyAddresses").get(9));
    }
}
