package org.licensim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.feed.ChangeFeed;

/** A disabled change feed is not diffed at all, and one turned on again records the next event's changes. */
class FeedRecordingTest {
    private static final String TENANT = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"subscribedSkus\": ["
            + "{\"skuPartNumber\": \"ENTERPRISEPACK\", \"prepaidUnits\": {\"enabled\": 5}}], "
            + "\"users\": [{\"id\": \"u1\", \"usageLocation\": \"NL\"}, {\"id\": \"u2\", \"usageLocation\": \"NL\"}], "
            + "\"groups\": [{\"id\": \"GE3\", \"members\": []}], "
            + "\"assignments\": [{\"groupId\": \"GE3\", \"skuId\": \"ENTERPRISEPACK\"}]}";

    private static String memberAdded(int seq, String user) {
        return "{\"seq\":" + seq + ",\"time\":\"2026-01-0" + seq + "T10:00:00Z\",\"type\":\"MemberAdded\","
                + "\"groupId\":\"GE3\",\"memberId\":\"" + user + "\"}\n";
    }

    private static List<String> records(ChangeFeed f) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            out.add(f.cause(i) + " " + f.kind(i));
        }
        return out;
    }

    @Test
    @DisplayName("a disabled feed: no user's entries are diffed for it; enabled again, the next event's changes are recorded")
    void disabledFeedIsNotDiffed() {
        Harness h = new Harness(TENANT);
        h.engine.feed().setEnabled(false);
        h.events(memberAdded(1, "u1"));
        assertFalse(h.engine.diffedFeed());
        assertEquals(List.of(), records(h.engine.feed()));
        assertEquals(List.of("ENTERPRISEPACK|GE3|Active|None"), h.sources("u1"));

        h.engine.feed().setEnabled(true);
        h.events(memberAdded(2, "u2"));
        assertTrue(h.engine.diffedFeed());
        assertEquals(List.of("2 LicenseAssigned"), records(h.engine.feed()));
        assertEquals(List.of(), h.rejections);
    }
}
