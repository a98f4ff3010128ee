package org.licensim.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.UserData;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.directory.Users;

/** The flat store of a run of snapshot users holds what a UserData's maps hold, and writes it to the columns alike. */
class UserBlockTest {
    private static final int DEPARTMENT = UserSchema.STRING_PROPERTIES.indexOf("department");
    private static final int CITY = UserSchema.STRING_PROPERTIES.indexOf("city");
    private static final int PROXIES = UserSchema.MULTI_PROPERTIES.indexOf("proxyAddresses");
    private static final int OTHER_MAILS = UserSchema.MULTI_PROPERTIES.indexOf("otherMails");

    private static void multi(UserBlock b, int property, String... values) {
        b.startMulti(property);
        for (String v : values) {
            b.addValue(v);
        }
    }

    @Test
    @DisplayName("a property given twice keeps its first place and its last value, single- and multi-valued, "
            + "as UserData's maps do; users' entries stay apart")
    void repeatsAndOrder() {
        UserBlock b = new UserBlock(4);
        b.begin();
        b.ids[0] = "u0";
        b.putString(DEPARTMENT, "D1");
        multi(b, PROXIES, "SMTP:a@x", "smtp:b@x");
        b.putString(CITY, "Delft");
        b.putString(DEPARTMENT, "D2");
        multi(b, PROXIES, "SMTP:c@x");
        b.putString(CITY, null);
        UserData d = b.toUserData();
        assertEquals(List.of("department", "city"), List.copyOf(d.strings.keySet()));
        assertEquals("D2", d.strings.get("department"));
        assertTrue(d.strings.containsKey("city"));
        assertNull(d.strings.get("city"));
        assertEquals(List.of("SMTP:c@x"), d.multi.get("proxyAddresses"));
        b.end();

        b.begin();
        b.ids[1] = "u1";
        b.enabled[1] = false;
        b.hasLocation[1] = true;
        b.location[1] = "NL";
        multi(b, OTHER_MAILS);
        b.putString(DEPARTMENT, "D3");
        UserData d1 = b.toUserData();
        assertEquals(List.of("department"), List.copyOf(d1.strings.keySet()), "the first user's entries are not the second's");
        assertEquals(List.of(), d1.multi.get("otherMails"));
        assertEquals(Boolean.FALSE, d1.accountEnabled);
        assertEquals("NL", d1.usageLocation);
        b.end();

        // written to the columns: what UserData.Changes writes for the same fields
        Users flat = new Users(4);
        Users maps = new Users(4);
        for (int j = 0; j < b.size; j++) {
            int u = flat.addNew(b.ids[j], b.enabled[j]);
            b.applyFlat(j, flat, u);
        }
        maps.addNew("u0", true);
        d.applyTo(maps, 0);
        maps.addNew("u1", false);
        d1.applyTo(maps, 1);
        for (int u = 0; u < 2; u++) {
            for (String p : UserSchema.STRING_PROPERTIES) {
                assertEquals(maps.get(u, p), flat.get(u, p), p);
            }
            for (String p : UserSchema.MULTI_PROPERTIES) {
                assertEquals(maps.multiColumn(p).get(u), flat.multiColumn(p).get(u), p);
            }
            assertEquals(maps.usageLocationCode(u), flat.usageLocationCode(u));
            assertEquals(maps.accountEnabled(u), flat.accountEnabled(u));
        }
        assertEquals("D2", flat.get(0, "department"));
        assertNull(flat.get(0, "city"));

        b.clear();
        assertEquals(0, b.size);
        assertFalse(b.full());
    }

    @Test
    @DisplayName("values kept as characters are made by the thread adding the block, shared ones through the caches "
            + "(one String per value); a multi-valued entry in a reused block is not taken for a kept value")
    void valuesKeptAsCharacters() {
        ValueCache[] caches = new ValueCache[UserSchema.STRING_PROPERTIES.size()];
        caches[DEPARTMENT] = new ValueCache();
        ValueCache locations = new ValueCache();
        UserBlock b = new UserBlock(4);
        char[] in = "xxD1NLDelftD1 nl".toCharArray();
        b.begin();
        b.ids[0] = "u0";
        b.putStringChars(DEPARTMENT, in, 2, 2);
        b.putStringChars(CITY, in, 6, 5);
        b.locationChars(in, 4, 2);
        b.end();
        b.begin();
        b.ids[1] = "u1";
        b.putStringChars(DEPARTMENT, in, 11, 2);
        b.putString(CITY, null);
        b.putStringChars(CITY, in, 6, 5); // given twice: the last value
        b.locationChars(in, 13, 3);
        b.end();
        assertTrue(b.locationKept(0));
        assertEquals(" nl", b.locationValue(1, locations));
        b.makeStrings(b.size, caches);
        assertEquals("D1", b.value[0]);
        assertSame(b.value[0], b.value[2], "one String for a shared value");
        assertEquals("Delft", b.value[1]);
        assertEquals("Delft", b.value[3]);
        assertEquals("NL", b.locationValue(0, locations));
        b.locationChecked(0, "NL");
        assertFalse(b.locationKept(0));
        assertEquals("NL", b.location[0]);

        // reused: entry 0 is now a multi-valued property's, its old kept length is not its own
        b.clear();
        b.begin();
        b.ids[0] = "u2";
        multi(b, PROXIES, "SMTP:a@x");
        b.end();
        b.makeStrings(b.size, caches);
        assertNull(b.value[0]);
        Users users = new Users(2);
        b.applyFlat(0, users, users.addNew("u2", true));
        assertEquals(List.of("SMTP:a@x"), users.multiColumn("proxyAddresses").get(0));
        assertNull(users.get(0, "department"));
    }
}
