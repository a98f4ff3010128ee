package org.licensim.core.io;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Subscriptions.PrepaidUnits;
import org.licensim.core.directory.UserData;
import org.licensim.core.event.Event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads the JSON Lines event feed (docs/FORMATS.md) one line at a time, so a feed of any
 * length streams. {@link #next()} throws {@link InvalidInputException} at the first bad line
 * (file, line, column, field and value); {@link #check(Path)} reads a whole feed and reports
 * every bad line, for validating before anything is applied.
 */
public final class EventReader implements Closeable {
    private static final JsonFactory JSON = new JsonFactory();
    static final String TYPES = java.util.Arrays.stream(Event.Kind.values()).map(Enum::name)
            .collect(java.util.stream.Collectors.joining(", "));

    private final BufferedReader reader;
    private final String file;
    private int lineNo;
    private long lastSeq = Long.MIN_VALUE;
    /** Whether an event was read yet (else {@link #lastSeq} is the snapshot's, when {@link #check(Path, long)} gave one). */
    private boolean seen;

    public EventReader(Reader reader, String file) {
        this.reader = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        this.file = file;
    }

    /**
     * What a byte sequence that is not UTF-8 decodes to: U+FFFF, a noncharacter that no
     * directory text holds, so that such bytes are reported with the line and column they are
     * on (a decoder that refuses them fails while filling its buffer, lines ahead of them).
     */
    private static final char NOT_UTF8 = '\uFFFF';

    public static EventReader open(Path path) {
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
                    .replaceWith(String.valueOf(NOT_UTF8));
            return new EventReader(new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(path), decoder),
                    1 << 16), path.toString());
        } catch (NoSuchFileException e) {
            throw new LicensimException("event file not found: " + path);
        } catch (IOException e) {
            throw new LicensimException("cannot read events " + path + ": " + e.getMessage(), e);
        }
    }

    /** The next event, or null at the end of the feed. Blank lines are skipped. */
    public Event next() {
        while (true) {
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                throw unreadable(file, lineNo + 1, e);
            }
            if (line == null) {
                return null;
            }
            line = withoutBom(line, lineNo);
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            checkUtf8(file, lineNo, line);
            Problems problems = new Problems(file);
            Event e = parse(line, lineNo, problems);
            problems.throwIfAny();
            return e;
        }
    }

    /**
     * The first line without a UTF-8 byte order mark, which Windows editors write: accepted at the
     * start of an events file as it is at the start of a snapshot (anywhere else it is content).
     */
    private static String withoutBom(String line, int linesBefore) {
        return linesBefore == 0 && line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static String readLine(EventReader r) throws IOException {
        try {
            String line = r.reader.readLine();
            return line == null ? null : withoutBom(line, r.lineNo);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw unreadable(r.file, r.lineNo + 1, e);
        }
    }

    /** Line number of the last line read. */
    public int line() {
        return lineNo;
    }

    /** Reads the whole feed and throws one exception listing every bad line; returns the event count. */
    public static long check(Path path) {
        return check(path, Long.MIN_VALUE);
    }

    /**
     * {@link #check(Path)} for events that follow a snapshot whose state is as of {@code afterSeq}
     * (its lastAppliedSeq): the first event's seq must be above it, as {@code resolve} requires.
     */
    public static long check(Path path, long afterSeq) {
        try (EventReader r = open(path)) {
            r.lastSeq = afterSeq;
            Problems problems = new Problems(path.toString());
            long n = 0;
            String line;
            while ((line = readLine(r)) != null) {
                r.lineNo++;
                checkUtf8(r.file, r.lineNo, line);
                if (!line.isBlank() && r.parse(line, r.lineNo, problems) != null) {
                    n++;
                }
            }
            problems.throwIfAny();
            return n;
        } catch (IOException e) {
            throw new LicensimException("cannot read events " + path + ": " + e.getMessage(), e);
        }
    }

    private static void checkUtf8(String file, int line, String text) {
        int at = text.indexOf(NOT_UTF8);
        if (at >= 0) {
            throw new LicensimException(file + ":" + line + ":" + (at + 1) + ": the line is not valid UTF-8 (bytes that "
                    + "no UTF-8 character has, at column " + (at + 1) + "); events are JSON Lines in UTF-8: re-save the "
                    + "file as UTF-8");
        }
    }

    /** A read failure at line {@code line}: bytes that are not UTF-8 are named as such, with the line. */
    private static LicensimException unreadable(String file, int line, IOException e) {
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return new LicensimException(file + ":" + line + ": the line is not valid UTF-8 (a byte sequence that "
                    + "no UTF-8 character has); events are JSON Lines in UTF-8: re-save the file as UTF-8", e);
        }
        return new LicensimException("cannot read events " + file + " at line " + line + ": " + e.getMessage(), e);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Fields an event line may carry; which are required depends on the type. */
    private static final class Fields {
        Long seq;
        Instant time;
        String type;
        String userId;
        String groupId;
        String memberId;
        String skuId;
        List<String> disabledPlans;
        List<Event.AddedLicense> addLicenses;
        List<String> removeLicenses;
        PrepaidUnits units;
        UserData user;
        UserData attributes;
        boolean hasGroup;
        String gId;
        String gName;
        boolean gSecurity = true;
        String rule;
        boolean hasRule;
        boolean paused;
        List<String> members = List.of();
        final List<String> seen = new ArrayList<>();
    }

    private Event parse(String line, int no, Problems problems) {
        Problems local = new Problems(file);
        Fields f = new Fields();
        JsonFields fields = new JsonFields(local);
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                local.at(p, "expected one JSON object per line");
            } else {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    f.seen.add(name);
                    readField(p, name, f, fields, local);
                }
                if (p.nextToken() != null) {
                    local.at(p, "unexpected content after the event object");
                }
            }
        } catch (JsonProcessingException e) {
            local.add(no, e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), null,
                    "malformed JSON: " + org.licensim.core.files.JsonSyntax.words(e));
        } catch (IOException e) {
            throw new LicensimException("cannot read events " + file + ": " + e.getMessage(), e);
        }
        Event e = local.any() ? null : build(f, local);
        if (e != null) {
            if (e.seq() <= lastSeq) {
                local.add(0, 0, "$.seq", "seq " + e.seq() + " is not greater than " + (seen ? "the previous event's seq "
                        + lastSeq + ": events must be in increasing seq order" : lastSeq + ", the snapshot's lastAppliedSeq: "
                        + "the events must follow the state the snapshot holds"));
                e = null;
            } else {
                lastSeq = e.seq();
                seen = true;
            }
        }
        // re-home problems: the per-line parser counts lines from 1
        for (Problem pr : local.list()) {
            problems.add(no, pr.column(), pr.path(), pr.message());
        }
        return local.any() ? null : e;
    }

    private void readField(JsonParser p, String name, Fields f, JsonFields fields, Problems local) throws IOException {
        switch (name) {
            case "seq" -> {
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getLongValue() > Event.MAX_SEQ) {
                    local.at(p, "seq " + p.getText() + " is above the largest licensim supports, " + Event.MAX_SEQ);
                } else if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0) {
                    f.seq = p.getLongValue();
                } else {
                    local.at(p, "seq must be a non-negative whole number, found " + JsonFields.describe(p));
                    p.skipChildren();
                }
            }
            case "time" -> {
                String t = fields.string(p);
                try {
                    f.time = t == null ? null : Instant.parse(t);
                    String range = f.time == null ? null : Times.outsideRecorded("time", f.time);
                    if (range != null) {
                        local.at(p, range);
                        f.time = null;
                    }
                } catch (DateTimeParseException ex) {
                    local.at(p, "time must be an ISO-8601 instant such as 2026-01-05T09:00:00Z, found \"" + t + "\"");
                }
            }
            case "type" -> f.type = fields.string(p);
            case "userId" -> f.userId = fields.string(p);
            case "groupId" -> f.groupId = fields.string(p);
            case "memberId" -> f.memberId = fields.string(p);
            case "skuId" -> f.skuId = fields.string(p);
            case "disabledPlans" -> {
                List<String> refs = new ArrayList<>();
                fields.planRefs(p, refs, new ArrayList<>());
                f.disabledPlans = refs;
            }
            case "addLicenses" -> f.addLicenses = addedLicenses(p, fields, local);
            case "removeLicenses" -> f.removeLicenses = fields.strings(p);
            case "prepaidUnits" -> {
                int[] u = {0, 0, 0, 0};
                fields.readUnits(p, u);
                f.units = new PrepaidUnits(u[0], u[1], u[2], u[3]);
            }
            case "user", "attributes" -> {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    local.at(p, "expected an object of user properties, found " + JsonFields.describe(p));
                    p.skipChildren();
                    return;
                }
                UserData d = new UserData();
                fields.readUser(p, d, new Problems.Where[1]);
                if (name.equals("user")) {
                    f.user = d;
                } else {
                    f.attributes = d;
                }
            }
            case "group" -> readGroup(p, f, fields, local);
            case "membershipRule" -> {
                f.rule = fields.string(p);
                f.hasRule = true;
            }
            case "membershipRuleProcessingState" -> f.paused = processingState(p, fields, local);
            default -> fields.unknownField(p, name, "seq, time, type and the fields of the event type "
                    + "(docs/FORMATS.md)");
        }
    }

    /** {@code addLicenses}: Graph's array of {@code {"skuId": ..., "disabledPlans": [...]}}. */
    private static List<Event.AddedLicense> addedLicenses(JsonParser p, JsonFields fields, Problems local)
            throws IOException {
        List<Event.AddedLicense> out = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            local.at(p, "addLicenses must be an array of {\"skuId\": ..., \"disabledPlans\": [...]}, found "
                    + JsonFields.describe(p));
            p.skipChildren();
            return out;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                local.at(p, "each of addLicenses must be an object with skuId and disabledPlans, found "
                        + JsonFields.describe(p));
                p.skipChildren();
                continue;
            }
            String sku = null;
            List<String> plans = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "skuId" -> sku = fields.string(p);
                    case "disabledPlans" -> fields.planRefs(p, plans, new ArrayList<>());
                    default -> fields.unknownField(p, name, "skuId, disabledPlans");
                }
            }
            if (sku == null) {
                local.at(p, "each of addLicenses needs a skuId");
            } else {
                out.add(new Event.AddedLicense(sku, List.copyOf(plans)));
            }
        }
        return out;
    }

    private void readGroup(JsonParser p, Fields f, JsonFields fields, Problems local) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            local.at(p, "expected a group object, found " + JsonFields.describe(p));
            p.skipChildren();
            return;
        }
        f.hasGroup = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "id" -> f.gId = fields.string(p);
                case "displayName" -> f.gName = fields.string(p);
                case "securityEnabled" -> f.gSecurity = fields.bool(p, true);
                case "membershipRule" -> f.rule = fields.string(p);
                case "membershipRuleProcessingState" -> f.paused = processingState(p, fields, local);
                case "members" -> f.members = fields.strings(p);
                default -> fields.unknownField(p, name, "id, displayName, securityEnabled, membershipRule, "
                        + "membershipRuleProcessingState, members");
            }
        }
    }

    private static boolean processingState(JsonParser p, JsonFields fields, Problems local) throws IOException {
        String s = fields.string(p);
        if (s != null && !s.equals("On") && !s.equals("Paused")) {
            local.at(p, "membershipRuleProcessingState must be \"On\" or \"Paused\", found \"" + s + "\"");
        }
        return "Paused".equals(s);
    }

    private static Event build(Fields f, Problems local) {
        if (f.seq == null) {
            local.add(0, 0, "$.seq", "every event needs a \"seq\"");
        }
        if (f.time == null) {
            local.add(0, 0, "$.time", "every event needs a \"time\" (ISO-8601 instant)");
        }
        if (f.type == null) {
            local.add(0, 0, "$.type", "every event needs a \"type\": one of " + TYPES);
            return null;
        }
        if (local.any()) {
            return null;
        }
        long s = f.seq;
        Instant t = f.time;
        Event.Kind kind = Event.Kind.named(f.type);
        if (kind == null) {
            local.add(0, 0, "$.type", "unknown event type \"" + f.type + "\"; allowed: " + TYPES);
            return null;
        }
        Event e = switch (kind) {
            case UserCreated -> need(local, f.user != null && f.user.id != null, "user (with an id)")
                    ? new Event.UserCreated(s, t, f.user) : null;
            case UserDeleted -> need(local, f.userId != null, "userId") ? new Event.UserDeleted(s, t, f.userId) : null;
            case UserAttributesChanged -> need(local, f.userId != null && f.attributes != null, "userId, attributes")
                    ? new Event.UserAttributesChanged(s, t, f.userId, f.attributes) : null;
            case MemberAdded -> need(local, f.groupId != null && f.memberId != null, "groupId, memberId")
                    ? new Event.MemberAdded(s, t, f.groupId, f.memberId) : null;
            case MemberRemoved -> need(local, f.groupId != null && f.memberId != null, "groupId, memberId")
                    ? new Event.MemberRemoved(s, t, f.groupId, f.memberId) : null;
            case GroupCreated -> need(local, f.hasGroup && f.gId != null, "group (with an id)")
                    ? new Event.GroupCreated(s, t, f.gId, f.gName, f.gSecurity, f.rule, f.paused, List.copyOf(f.members))
                    : null;
            case GroupDeleted -> need(local, f.groupId != null, "groupId") ? new Event.GroupDeleted(s, t, f.groupId) : null;
            case GroupRuleChanged -> need(local, f.groupId != null && f.hasRule, "groupId, membershipRule")
                    ? new Event.GroupRuleChanged(s, t, f.groupId, f.rule, f.paused) : null;
            case LicenseAssignedToGroup -> need(local, f.groupId != null && f.skuId != null, "groupId, skuId")
                    ? new Event.LicenseAssignedToGroup(s, t, f.groupId, f.skuId, plans(f)) : null;
            case LicenseRemovedFromGroup -> need(local, f.groupId != null && f.skuId != null, "groupId, skuId")
                    ? new Event.LicenseRemovedFromGroup(s, t, f.groupId, f.skuId) : null;
            case GroupDisabledPlansChanged -> need(local, f.groupId != null && f.skuId != null && f.disabledPlans != null,
                    "groupId, skuId, disabledPlans")
                    ? new Event.GroupDisabledPlansChanged(s, t, f.groupId, f.skuId, plans(f)) : null;
            case LicenseAssignedToUser -> need(local, f.userId != null && f.skuId != null, "userId, skuId")
                    ? new Event.LicenseAssignedToUser(s, t, f.userId, f.skuId, plans(f)) : null;
            case LicenseRemovedFromUser -> need(local, f.userId != null && f.skuId != null, "userId, skuId")
                    ? new Event.LicenseRemovedFromUser(s, t, f.userId, f.skuId) : null;
            case AssignLicense -> need(local, (f.userId == null) != (f.groupId == null), "exactly one of userId, groupId")
                    && need(local, f.addLicenses != null || f.removeLicenses != null, "addLicenses or removeLicenses")
                    ? new Event.AssignLicense(s, t, f.userId, f.groupId,
                            f.addLicenses == null ? List.of() : List.copyOf(f.addLicenses),
                            f.removeLicenses == null ? List.of() : List.copyOf(f.removeLicenses)) : null;
            case UnitsChanged -> need(local, f.skuId != null && f.units != null, "skuId, prepaidUnits")
                    ? new Event.UnitsChanged(s, t, f.skuId, f.units) : null;
            case Reprocess -> need(local, (f.userId == null) != (f.groupId == null), "exactly one of userId, groupId")
                    ? new Event.Reprocess(s, t, f.userId, f.groupId) : null;
        };
        return e;
    }

    private static List<String> plans(Fields f) {
        return f.disabledPlans == null ? List.of() : List.copyOf(f.disabledPlans);
    }

    private static boolean need(Problems local, boolean ok, String what) {
        if (!ok) {
            local.add(0, 0, null, "this event type needs " + what);
        }
        return ok;
    }
}
