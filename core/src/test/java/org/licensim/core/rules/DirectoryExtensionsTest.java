package org.licensim.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.UserData;
import org.licensim.core.engine.Rejection;
import org.licensim.core.event.Event;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.io.SnapshotWriter;

/** SPEC section 4 directory extensions: {@code user.extension_<appId>_<name>}, declared in the snapshot, typed. */
class DirectoryExtensionsTest {
    static final String APP = "extension_b7d8e5fa3c2a4d1e9f0a1b2c3d4e5f60_";
    static final String SNAPSHOT = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"directoryExtensions\": ["
            + "{\"name\": \"" + APP + "costCenter\", \"dataType\": \"String\", \"isMultiValued\": false, \"targetObjects\": [\"User\"]}, "
            + "{\"name\": \"" + APP + "level\", \"dataType\": \"Integer\"}, "
            + "{\"name\": \"" + APP + "isManager\", \"dataType\": \"Boolean\"}, "
            + "{\"name\": \"" + APP + "skills\", \"dataType\": \"String\", \"isMultiValued\": true}], "
            + "\"subscribedSkus\": [{\"skuPartNumber\": \"EMS\", \"prepaidUnits\": {\"enabled\": 10}}], \"users\": ["
            + "{\"id\": \"u1\", \"" + APP + "costCenter\": \"4711\", \"" + APP + "level\": 5, \"" + APP + "isManager\": true, "
            + "\"" + APP + "skills\": [\"Java\", \"SQL\"]}, "
            + "{\"id\": \"u2\", \"" + APP + "costCenter\": \"0815\", \"" + APP + "level\": \"05\", \"" + APP + "isManager\": false}, "
            + "{\"id\": \"u3\"}], \"groups\": ["
            + "{\"id\": \"cc4711\", \"membershipRule\": \"user." + APP + "costCenter -eq \\\"4711\\\"\", \"members\": []}, "
            + "{\"id\": \"level5\", \"membershipRule\": \"user." + APP + "level -eq 5\", \"members\": []}, "
            + "{\"id\": \"managers\", \"membershipRule\": \"user." + APP + "isManager -eq true\", \"members\": []}, "
            + "{\"id\": \"java\", \"membershipRule\": \"user." + APP + "skills -any (_ -eq \\\"java\\\")\", \"members\": []}], "
            + "\"assignments\": [{\"groupId\": \"managers\", \"skuId\": \"EMS\"}]}";

    @Test
    @DisplayName("rules read String, Integer, Boolean and multi-valued extensions; values are compared in their type")
    void rulesReadExtensions() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        assertTrue(s.member("cc4711", "u1"));
        assertFalse(s.member("cc4711", "u2"));
        assertTrue(s.member("level5", "u1") && s.member("level5", "u2"), "\"05\" is the Integer 5");
        assertTrue(s.member("managers", "u1"));
        assertFalse(s.member("managers", "u2"));
        assertTrue(s.member("java", "u1"), "string comparisons ignore case");
        assertFalse(s.member("java", "u3"));
        assertEquals(1, s.engine().consumed(0));
        // an event sets an extension: the rules that read it are evaluated again
        UserData d = new UserData();
        d.strings.put(APP + "isManager", "TRUE");
        s.engine().apply(new Event.UserAttributesChanged(1, Instant.EPOCH, "u2", d));
        assertTrue(s.member("managers", "u2"));
        assertEquals(2, s.engine().consumed(0));
    }

    @Test
    @DisplayName("a snapshot written back keeps the declarations and the values in their types")
    void roundTrip() throws Exception {
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(s.engine(), out);
        String written = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(written.contains("\"" + APP + "level\" : 5"), written);
        assertTrue(written.contains("\"" + APP + "isManager\" : true"), written);
        var again = SnapshotReader.withDefaults().read(new ByteArrayInputStream(out.toByteArray()), "again.json");
        assertEquals(4, again.users().extensions().size());
        assertEquals(List.of("Java", "SQL"), again.users().multiColumn(APP + "skills").get(0));
    }

    @Test
    @DisplayName("R22 undeclared extensions and values of the wrong type are refused, naming the value and where it is")
    void refused() throws Exception {
        LicensimException undeclared = assertThrows(LicensimException.class, () -> RuleMembershipTest.load(
                SNAPSHOT.replace("{\"id\": \"u3\"}", "{\"id\": \"u3\", \"" + APP + "team\": \"x\"}")));
        assertTrue(undeclared.getMessage().contains("$.users[2]") && undeclared.getMessage().contains(APP
                + "team is not a declared directory extension"), undeclared.getMessage());
        LicensimException type = assertThrows(LicensimException.class, () -> RuleMembershipTest.load(
                SNAPSHOT.replace("\"" + APP + "level\": 5", "\"" + APP + "level\": \"five\"")));
        assertTrue(type.getMessage().contains(APP + "level: \"five\" is not an Integer value"), type.getMessage());
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        Rejection rule = assertThrows(Rejection.class, () -> s.engine().apply(new Event.GroupCreated(1, Instant.EPOCH, "g",
                "g", true, "user." + APP + "team -eq \"x\"", false, List.of())));
        assertEquals(Rejection.Reason.MALFORMED_RULE, rule.reason());
        assertTrue(rule.getMessage().contains("column 1: unknown directory extension user." + APP + "team"), rule.getMessage());
        Rejection badInt = assertThrows(Rejection.class, () -> s.engine().apply(new Event.GroupCreated(2, Instant.EPOCH,
                "g2", "g2", true, "user." + APP + "level -eq \"high\"", false, List.of())));
        assertTrue(badInt.getMessage().contains("is an Integer extension: \"high\" is not one of its values"),
                badInt.getMessage());
        UserData d = new UserData();
        d.strings.put(APP + "team", "x");
        Rejection event = assertThrows(Rejection.class, () -> s.engine().apply(new Event.UserAttributesChanged(3,
                Instant.EPOCH, "u1", d)));
        assertEquals(Rejection.Reason.UNKNOWN_PROPERTY, event.reason());
        UserData bad = new UserData();
        bad.strings.put(APP + "level", "many");
        Rejection value = assertThrows(Rejection.class, () -> s.engine().apply(new Event.UserAttributesChanged(4,
                Instant.EPOCH, "u1", bad)));
        assertTrue(value.getMessage().contains("\"many\" is not an Integer value"), value.getMessage());
    }
    @Test
    @DisplayName("R22 a new user's id is checked before its extensions: an id in use is the refusal, and a refused new user leaves its id free")
    void newUserChecksInOrder() throws Exception {
        // given a tenant with user u1 and declared extensions
        RuleMembershipTest.Setup s = RuleMembershipTest.load(SNAPSHOT);
        UserData taken = new UserData();
        taken.id = "u1";
        taken.strings.put(APP + "team", "x");
        // when a UserCreated reuses u1's id and also sets an undeclared extension
        Rejection inUse = assertThrows(Rejection.class, () -> s.engine().apply(new Event.UserCreated(1, Instant.EPOCH, taken)));
        // then the id is what is refused
        assertEquals(Rejection.Reason.ID_IN_USE, inUse.reason());
        assertTrue(inUse.getMessage().contains("id \"u1\" is already used"), inUse.getMessage());
        // when a new id comes with the undeclared extension, the extension is refused and nothing is added
        UserData fresh = new UserData();
        fresh.id = "u9";
        fresh.strings.put(APP + "team", "x");
        Rejection ext = assertThrows(Rejection.class, () -> s.engine().apply(new Event.UserCreated(2, Instant.EPOCH, fresh)));
        assertEquals(Rejection.Reason.UNKNOWN_PROPERTY, ext.reason());
        int users = s.engine().tenant().users().size();
        assertEquals(-1, s.engine().tenant().users().indexOf("u9"));
        // and the same id, given correctly, is then taken
        UserData ok = new UserData();
        ok.id = "u9";
        ok.strings.put(APP + "isManager", "true");
        s.engine().apply(new Event.UserCreated(3, Instant.EPOCH, ok));
        assertEquals(users, s.engine().tenant().users().indexOf("u9"));
        assertTrue(s.member("managers", "u9"));
    }
}
