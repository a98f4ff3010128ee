package org.licensim.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.Summary;
import org.licensim.core.event.Event;
import org.licensim.core.io.SnapshotReader;

/** One meaning of "short" (holders plus waiting users above the seats), as check reports it. */
class ShortageTest {
    /** 10 seats of E3 for a group of 15: the first 10 hold one, 5 wait (R10, R11). */
    static Engine fifteenForTen() throws IOException {
        StringBuilder users = new StringBuilder();
        StringBuilder members = new StringBuilder();
        for (int i = 1; i <= 15; i++) {
            users.append(i > 1 ? ", " : "").append("{\"id\": \"u").append(i).append("\", \"usageLocation\": \"NL\"}");
            members.append(i > 1 ? ", " : "").append("\"u").append(i).append('"');
        }
        String json = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": "
                + "[{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 10}}], \"users\": [" + users
                + "], \"groups\": [{\"id\": \"g\", \"securityEnabled\": true, \"members\": [" + members + "]}], "
                + "\"assignments\": [{\"groupId\": \"g\", \"skuId\": \"ENTERPRISEPACK\"}]}";
        return Engine.builder(SnapshotReader.withDefaults().read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "fifteen.json")).reconcile();
    }

    @Test
    @DisplayName("R10 R18 short means more users want a product than it has seats, free seats or not; fewer waiting than free is a reprocess")
    void oneDefinition() throws IOException {
        Engine e = fifteenForTen();
        Summary s = Summary.of(e);
        assertEquals(10, s.consumed()[0]);
        assertEquals(5, s.usersWaiting()[0]);
        HealthCheck full = HealthCheck.of(e, 90);
        assertEquals(5, full.products().get(0).shortBy(), "no seat free, 5 wait: short by 5");
        assertTrue(full.waiting().isEmpty());

        // two holders leave the group: 2 seats are free, but nobody retries the 5 (R18): still 3 seats short
        e.apply(new Event.MemberRemoved(100, Instant.parse("2026-03-01T10:00:00Z"), "g", "u1"));
        e.apply(new Event.MemberRemoved(101, Instant.parse("2026-03-01T10:01:00Z"), "g", "u2"));
        s = Summary.of(e);
        assertEquals(8, s.consumed()[0]);
        assertEquals(5, s.usersWaiting()[0]);
        assertTrue(Shortage.isShort(8, 5, 10));
        HealthCheck some = HealthCheck.of(e, 70);
        assertEquals(1, some.waiting().size());
        assertEquals(2, some.waiting().get(0).free());
        assertEquals(3, some.waiting().get(0).shortBy(), "a reprocess serves 2 of the 5; 3 need seats");
        assertEquals(3, some.products().get(0).shortBy());

        // three more leave: 5 free for 5 waiting, a reprocess serves them all: not short
        for (int i = 3; i <= 5; i++) {
            e.apply(new Event.MemberRemoved(100 + i, Instant.parse("2026-03-01T11:00:00Z"), "g", "u" + i));
        }
        s = Summary.of(e);
        assertFalse(Shortage.isShort(s.consumed()[0], s.usersWaiting()[0], s.capacity()[0]));
        assertEquals(0, HealthCheck.of(e, 0).waiting().get(0).shortBy());
    }
}
