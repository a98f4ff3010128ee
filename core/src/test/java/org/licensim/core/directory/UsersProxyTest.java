package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SPEC R16's collision counts: the proxy addresses of users loaded before the first question are
 * counted when it is asked, and changes after it are counted as they come; either way a user
 * collides exactly when another live user holds one of its addresses, compared without case.
 */
class UsersProxyTest {
    private static Users loaded() {
        Users users = new Users(4);
        for (int u = 0; u < 6; u++) {
            assertEquals(u, users.addNew("u" + u, true));
        }
        users.setMulti(0, "proxyAddresses", List.of("SMTP:a@x.com", "smtp:shared@x.com"));
        users.setMulti(1, "proxyAddresses", List.of("SMTP:b@x.com", "smtp:SHARED@x.com"));
        users.setMulti(2, "proxyAddresses", List.of("SMTP:c@x.com", "smtp:C@X.COM")); // its own twice: no collision
        users.setMulti(3, "proxyAddresses", List.of("SMTP:d@x.com"));
        users.setMulti(4, "proxyAddresses", List.of("smtp:D@x.com"));
        return users;
    }

    @Test
    @DisplayName("R16: users loaded before the first question collide by folded address, a user's own repeats aside")
    void countedWhenFirstAsked() {
        Users users = loaded();
        assertTrue(users.sharesProxyAddresses());
        boolean[] expected = {true, true, false, true, true, false};
        for (int u = 0; u < expected.length; u++) {
            assertEquals(expected[u], users.hasProxyCollision(u), "user " + u);
        }
        assertEquals(List.of("SMTP:c@x.com", "smtp:C@X.COM"), users.multiColumn("proxyAddresses").get(2));
        assertEquals(-1, users.addNew("u3", true));
    }

    @Test
    @DisplayName("R16: changes, deletions and copies after the first question keep the counts right")
    void changesAfterCounting() {
        Users users = loaded();
        assertTrue(users.hasProxyCollision(3));
        users.delete(4);
        assertFalse(users.hasProxyCollision(3));
        users.setMulti(5, "proxyAddresses", List.of("SMTP:A@X.COM"));
        assertTrue(users.hasProxyCollision(0) && users.hasProxyCollision(5));
        Users copy = users.copy();
        users.setMulti(1, "proxyAddresses", List.of("SMTP:b@x.com"));
        assertFalse(users.hasProxyCollision(1));
        assertTrue(users.hasProxyCollision(0), "u0 still shares a@x.com with u5");
        users.setMulti(5, "proxyAddresses", List.of());
        assertFalse(users.sharesProxyAddresses());
        assertTrue(copy.hasProxyCollision(1) && copy.hasProxyCollision(5), "the copy is its own");
    }

    @Test
    @DisplayName("a copy made before the first question counts its own addresses")
    void copyBeforeCounting() {
        Users users = loaded();
        Users copy = users.copy();
        copy.setMulti(0, "proxyAddresses", List.of("SMTP:a@x.com"));
        assertFalse(copy.hasProxyCollision(1));
        assertTrue(users.hasProxyCollision(1));
    }
}
