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
        assertEquals(0b11011L, users.proxyCollisions()[0], "the bits: u0, u1, u3 and u4 collide");
        users.delete(4);
        assertFalse(users.hasProxyCollision(3));
        assertEquals(0b00011L, users.proxyCollisions()[0], "the bits after u4's deletion");
        users.setMulti(5, "proxyAddresses", List.of("SMTP:A@X.COM"));
        assertTrue(users.hasProxyCollision(0) && users.hasProxyCollision(5));
        Users copy = users.copy();
        users.setMulti(1, "proxyAddresses", List.of("SMTP:b@x.com"));
        assertFalse(users.hasProxyCollision(1));
        assertTrue(users.hasProxyCollision(0), "u0 still shares a@x.com with u5");
        users.setMulti(5, "proxyAddresses", List.of());
        assertFalse(users.sharesProxyAddresses());
        assertTrue(copy.hasProxyCollision(1) && copy.hasProxyCollision(5), "the copy is its own");
        assertEquals(0L, users.proxyCollisions()[0], "no address is shared any more");
        assertEquals(0b100011L, copy.proxyCollisions()[0], "the copy's bits: u0 and u5 share a@x.com, u1 shared@x.com with u0");
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

    @Test
    @DisplayName("R16: a count started in the background while changes and questions come gives the counts a brute-force pass gives")
    void backgroundCount() {
        for (int round = 0; round < 3; round++) {
            Users users = new Users(16);
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(round);
            int n = 30_000;
            java.util.List<java.util.List<String>> addresses = new java.util.ArrayList<>();
            for (int u = 0; u < n; u++) {
                users.addNew("u" + u, true);
                java.util.List<String> a = java.util.List.of("SMTP:u" + u + "@x.com", (rnd.nextInt(3) == 0 ? "smtp:S" : "smtp:s")
                        + rnd.nextInt(n) + "@x.com");
                users.setMulti(u, "proxyAddresses", a);
                addresses.add(a);
            }
            users.countProxyAddressesInBackground();
            // changes at once, racing the count: they wait for it and then count themselves
            for (int k = 0; k < 200; k++) {
                int u = rnd.nextInt(n);
                java.util.List<String> a = java.util.List.of("smtp:S" + rnd.nextInt(n) + "@X.com");
                users.setMulti(u, "proxyAddresses", a);
                addresses.set(u, a);
            }
            int deleted = rnd.nextInt(n);
            users.delete(deleted);
            addresses.set(deleted, java.util.List.of());
            java.util.Map<String, Integer> holders = new java.util.HashMap<>();
            for (java.util.List<String> a : addresses) {
                for (String x : new java.util.HashSet<>(a.stream().map(v -> v.toLowerCase(java.util.Locale.ROOT)).toList())) {
                    holders.merge(x, 1, Integer::sum);
                }
            }
            int colliding = 0;
            for (int u = 0; u < n; u++) {
                boolean expected = addresses.get(u).stream().anyMatch(v -> holders.get(v.toLowerCase(java.util.Locale.ROOT)) > 1);
                assertEquals(expected, users.hasProxyCollision(u), "round " + round + ", user " + u);
                assertEquals(expected, (users.proxyCollisions()[u >>> 6] & (1L << u)) != 0, "the bit of user " + u);
                colliding += expected ? 1 : 0;
            }
            assertTrue(colliding > 500, "the generated addresses collide often enough to test: " + colliding);
        }
    }
    @Test
    @DisplayName("R16: addresses collide exactly when their toLowerCase(Locale.ROOT) forms are equal, "
            + "non-Latin-1 letters included (Kelvin sign, dotted I, final sigma, accented capitals)")
    void foldedLikeToLowerCase() {
        // letters whose folding differs from a character-by-character lower-casing, or crosses from outside Latin-1 into it
        String[] pieces = {"a", "A", "k", "K", "\u212A", "i", "I", "\u0130", "\u0131", "\u00e9", "\u00c9", "\u03c3",
            "\u03a3", "\u03c2", "\u00df", "\u00b5", "\u00ff", "\u0178", "@", "\ud801\udc00", "\ud801\udc28"};
        for (int round = 0; round < 4; round++) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(100 + round);
            int n = 3_000;
            Users users = new Users(16);
            java.util.List<java.util.List<String>> addresses = new java.util.ArrayList<>();
            for (int u = 0; u < n; u++) {
                users.addNew("u" + u, true);
                java.util.List<String> a = new java.util.ArrayList<>();
                for (int k = rnd.nextInt(1, 3); k > 0; k--) {
                    StringBuilder b = new StringBuilder("smtp:");
                    for (int c = rnd.nextInt(1, 5); c > 0; c--) {
                        b.append(pieces[rnd.nextInt(pieces.length)]);
                    }
                    a.add(b.toString());
                }
                users.setMulti(u, "proxyAddresses", a);
                addresses.add(a);
            }
            java.util.Map<String, java.util.Set<Integer>> holders = new java.util.HashMap<>();
            for (int u = 0; u < n; u++) {
                for (String v : addresses.get(u)) {
                    holders.computeIfAbsent(v.toLowerCase(java.util.Locale.ROOT), x -> new java.util.HashSet<>()).add(u);
                }
            }
            int colliding = 0;
            int apart = 0;
            for (int u = 0; u < n; u++) {
                boolean expected = addresses.get(u).stream()
                        .anyMatch(v -> holders.get(v.toLowerCase(java.util.Locale.ROOT)).size() > 1);
                assertEquals(expected, users.hasProxyCollision(u), "round " + round + ", user " + u + ": " + addresses.get(u));
                colliding += expected ? 1 : 0;
                apart += expected ? 0 : 1;
            }
            assertTrue(colliding > 300 && apart > 300, "both kinds of user occur: " + colliding + " colliding, " + apart + " apart");
        }
    }

    @Test
    @DisplayName("R16: a Kelvin sign folds to k and collides with K; a dotted capital I does not fold to plain i")
    void foldedExamples() {
        Users users = new Users(4);
        for (int u = 0; u < 4; u++) {
            users.addNew("u" + u, true);
        }
        users.setMulti(0, "proxyAddresses", List.of("smtp:\u212Aim@x.com"));
        users.setMulti(1, "proxyAddresses", List.of("SMTP:KIM@X.COM"));
        users.setMulti(2, "proxyAddresses", List.of("smtp:\u0130da@x.com"));
        users.setMulti(3, "proxyAddresses", List.of("smtp:ida@x.com"));
        assertTrue(users.hasProxyCollision(0) && users.hasProxyCollision(1));
        assertFalse(users.hasProxyCollision(2) || users.hasProxyCollision(3));
    }
    @Test
    @DisplayName("R16: users counted as they are added (flat or as lists, told ahead or not, changed later) "
            + "collide as a brute-force pass says")
    void countedAsAdded() {
        for (int round = 0; round < 3; round++) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(200 + round);
            int n = 5_000;
            Users users = new Users(16);
            users.countProxyAddressesAsAdded();
            java.util.List<java.util.List<String>> addresses = new java.util.ArrayList<>();
            int proxy = UserSchema.MULTI_PROPERTIES.indexOf("proxyAddresses");
            for (int u = 0; u < n; u++) {
                if (u == 1_000 && round > 0) {
                    users.expect(round == 1 ? 2_000 : 20_000);
                }
                users.addNew("u" + u, true);
                String[] a = {"SMTP:u" + u + "@x.com", (rnd.nextBoolean() ? "smtp:S" : "smtp:s") + rnd.nextInt(n) + "@x.com",
                    "smtp:U" + u + "@X.com"};
                int k = rnd.nextInt(4);
                if (rnd.nextInt(5) == 0) {
                    users.setMulti(u, "proxyAddresses", java.util.List.of(a).subList(0, k));
                } else {
                    users.setMultiProperty(u, proxy, a, 0, k);
                }
                addresses.add(java.util.List.of(a).subList(0, k));
            }
            long[] before = users.proxyCollisions(); // made now, so the changes below must replace it
            for (int c = 0; c < 100; c++) {
                int u = rnd.nextInt(n);
                java.util.List<String> a = java.util.List.of("smtp:S" + rnd.nextInt(n) + "@x.COM");
                users.setMulti(u, "proxyAddresses", a);
                addresses.set(u, a);
            }
            java.util.Map<String, java.util.Set<Integer>> holders = new java.util.HashMap<>();
            for (int u = 0; u < n; u++) {
                for (String v : addresses.get(u)) {
                    holders.computeIfAbsent(v.toLowerCase(java.util.Locale.ROOT), x -> new java.util.HashSet<>()).add(u);
                }
            }
            int colliding = 0;
            for (int u = 0; u < n; u++) {
                boolean expected = addresses.get(u).stream()
                        .anyMatch(v -> holders.get(v.toLowerCase(java.util.Locale.ROOT)).size() > 1);
                assertEquals(expected, users.hasProxyCollision(u), "round " + round + ", user " + u);
                assertEquals(expected, (users.proxyCollisions()[u >>> 6] & (1L << u)) != 0, "the bit of user " + u);
                colliding += expected ? 1 : 0;
            }
            assertTrue(colliding > 500 && colliding < n - 500, "both kinds of user occur: " + colliding);
            assertTrue(before != users.proxyCollisions(), "a change of addresses replaces the bits");
        }
    }
}
