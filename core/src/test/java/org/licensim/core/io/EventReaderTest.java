package org.licensim.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.event.Event;

class EventReaderTest {
    static final Path EXAMPLE = Path.of("..", "examples", "contoso-small.events.jsonl");

    private static List<Event> readAll(String text) {
        List<Event> out = new ArrayList<>();
        EventReader r = new EventReader(new StringReader(text), "events.jsonl");
        for (Event e = r.next(); e != null; e = r.next()) {
            out.add(e);
        }
        return out;
    }

    @Test
    @DisplayName("the shipped example feed has one event of each of the 16 types, in seq order")
    void example() {
        assertEquals(16, EventReader.check(EXAMPLE));
        List<Event> events = new ArrayList<>();
        try (EventReader r = EventReader.open(EXAMPLE)) {
            for (Event e = r.next(); e != null; e = r.next()) {
                events.add(e);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(16, events.stream().map(Event::type).distinct().count());
        Event.AssignLicense both = assertInstanceOf(Event.AssignLicense.class, events.get(15));
        assertEquals("b0000000-0000-4000-8000-0000000000a1", both.groupId());
        assertEquals(List.of(new Event.AddedLicense("ENTERPRISEPACK", List.of("SWAY", "YAMMER_ENTERPRISE"))),
                both.addLicenses());
        assertEquals(List.of(), both.removeLicenses());
        Event.UserCreated created = assertInstanceOf(Event.UserCreated.class, events.get(0));
        assertEquals("nestor.wilke@contoso.com", created.user().strings.get("userPrincipalName"));
        assertEquals(Instant.parse("2026-01-05T09:00:00Z"), created.time());
        Event.GroupRuleChanged rule = assertInstanceOf(Event.GroupRuleChanged.class, events.get(11));
        assertEquals("user.department -in [\"Engineering\",\"Research\"]", rule.membershipRule());
        Event.UnitsChanged units = assertInstanceOf(Event.UnitsChanged.class, events.get(9));
        assertEquals(10, units.prepaidUnits().capacity());
    }

    @Test
    @DisplayName("EventWriter writes every event type so that EventReader reads it back unchanged")
    void writerRoundTrip() throws Exception {
        String original = Files.readString(EXAMPLE);
        List<Event> events = readAll(original);
        String written = writeAll(events);
        List<Event> again = readAll(written);
        assertEquals(events.size(), again.size());
        for (int i = 0; i < events.size(); i++) {
            Event a = events.get(i);
            Event b = again.get(i);
            assertEquals(a.type(), b.type(), "event " + i);
            if (!(a instanceof Event.UserCreated) && !(a instanceof Event.UserAttributesChanged)) {
                assertEquals(a, b, "event " + i);
            }
        }
        Event.UserCreated c0 = (Event.UserCreated) events.get(0);
        Event.UserCreated c1 = (Event.UserCreated) again.get(0);
        assertEquals(c0.user().id, c1.user().id);
        assertEquals(c0.user().strings, c1.user().strings);
        assertEquals(c0.user().multi, c1.user().multi);
        assertEquals(c0.user().usageLocation, c1.user().usageLocation);
        assertEquals(written, writeAll(again), "writing is a fixed point");
        assertEquals(events.size(), written.lines().count(), "one line per event");
    }

    private static String writeAll(List<Event> events) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (EventWriter w = new EventWriter(bytes)) {
            for (Event e : events) {
                w.write(e);
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("R22 a time outside Graph's years 1601-9999, or outside the change times the state records, is refused with line and value, never clamped")
    void timesOutOfRange() {
        String line = "{\"seq\": 1, \"time\": \"%s\", \"type\": \"Reprocess\", \"userId\": \"u1\"}\n";
        InvalidInputException far = assertThrows(InvalidInputException.class, () -> readAll(String.format(line,
                "+99999-01-01T00:00:00Z")));
        assertTrue(far.getMessage().contains("events.jsonl:1:") && far.getMessage().contains(
                "time +99999-01-01T00:00:00Z is outside the range Microsoft Graph accepts (years 1601 to 9999)"), far.getMessage());
        InvalidInputException zero = assertThrows(InvalidInputException.class, () -> readAll(String.format(line,
                "0000-01-01T00:00:00Z")));
        assertTrue(zero.getMessage().contains("years 1601 to 9999"), zero.getMessage());
        InvalidInputException late = assertThrows(InvalidInputException.class, () -> readAll(String.format(line,
                "2100-01-01T00:00:00Z")));
        assertTrue(late.getMessage().contains("time 2100-01-01T00:00:00Z is outside the change times licensim records "
                + "(1931-12-13T20:45:53Z to 2068-01-19T03:14:07Z"), late.getMessage());
        assertEquals(1, readAll(String.format(line, "2068-01-19T03:14:07Z")).size(), "the last recordable second is taken");
    }

    @Test
    @DisplayName("a byte order mark at the start of an events file is accepted, as at the start of a snapshot; a seq past 2^36 - 1 is refused")
    void bomAndSeq() {
        assertEquals(1, readAll("\uFEFF{\"seq\": 1, \"time\": \"2026-01-05T09:00:00Z\", \"type\": \"Reprocess\", "
                + "\"userId\": \"u1\"}\n").size());
        InvalidInputException seq = assertThrows(InvalidInputException.class, () -> readAll("{\"seq\": 68719476736, "
                + "\"time\": \"2026-01-05T09:00:00Z\", \"type\": \"Reprocess\", \"userId\": \"u1\"}\n"));
        assertTrue(seq.getMessage().contains("seq 68719476736 is above the largest licensim supports, 68719476735"),
                seq.getMessage());
    }

    @Test
    @DisplayName("R22 an unknown event type is rejected naming the line and the allowed types")
    void unknownType() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> readAll(
                "{\"seq\":1,\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"UserCreated\",\"user\":{\"id\":\"u\"}}\n"
                        + "{\"seq\":2,\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"UserRenamed\",\"userId\":\"u\"}\n"));
        Problem p = e.problems().get(0);
        assertEquals(2, p.line());
        assertTrue(p.message().startsWith("unknown event type \"UserRenamed\"; allowed: UserCreated, "), p.message());
    }

    @Test
    @DisplayName("malformed JSON on a line is named with line and column")
    void malformed() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> readAll("\n\n{\"seq\": 1, \"type\" }\n"));
        Problem p = e.problems().get(0);
        assertEquals(3, p.line());
        assertEquals(19, p.column());
        assertTrue(p.message().startsWith("malformed JSON"), p.message());
    }

    @Test
    @DisplayName("seq must increase; a missing field of the type is named")
    void seqAndMissingFields() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> readAll(
                "{\"seq\":5,\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"UserDeleted\",\"userId\":\"u\"}\n"
                        + "{\"seq\":5,\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"UserDeleted\",\"userId\":\"u\"}\n"));
        assertEquals("seq 5 is not greater than the previous event's seq 5: events must be in increasing seq order",
                e.problems().get(0).message());
        InvalidInputException m = assertThrows(InvalidInputException.class, () -> readAll(
                "{\"seq\":1,\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"MemberAdded\",\"groupId\":\"g\"}\n"));
        assertEquals("this event type needs groupId, memberId", m.problems().get(0).message());
    }

    @Test
    @DisplayName("a bad time and negative seats are named with the value")
    void badValues() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> readAll(
                "{\"seq\":1,\"time\":\"yesterday\",\"type\":\"UnitsChanged\",\"skuId\":\"EMS\",\"prepaidUnits\":{\"enabled\":-2}}\n"));
        assertEquals(2, e.total());
        assertTrue(e.problems().get(0).message().contains("found \"yesterday\""), e.getMessage());
        assertEquals("$.prepaidUnits.enabled", e.problems().get(1).path());
    }

    @Test
    @DisplayName("check() reports every bad line of a feed in one run")
    void checkReportsAll(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("e.jsonl");
        Files.writeString(f, "{\"seq\":1,\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"Nope\"}\n"
                + "{\"seq\":2,\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"Reprocess\"}\n"
                + "{\"seq\":3,\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"Reprocess\",\"userId\":\"u\"}\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> EventReader.check(f));
        assertEquals(2, e.total());
        assertEquals(1, e.problems().get(0).line());
        assertEquals(2, e.problems().get(1).line());
        assertEquals("this event type needs exactly one of userId, groupId", e.problems().get(1).message());
    }

    @Test
    @DisplayName("an empty feed has no events")
    void empty() {
        assertNull(new EventReader(new StringReader("\n  \n"), "e").next());
    }
}
