package org.licensim.core.io;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;

/** Collects problems while a reader goes on, so that one run reports all of them. */
final class Problems {
    static final int LIMIT = 200;
    /** A resolved-state file (tenantId, lastAppliedSeq, users' licence states) where a snapshot belongs. */
    static final String NOT_A_SNAPSHOT = "this is a resolved-state file (what `licensim resolve --out` and "
            + "`simulate --state` write), not a tenant snapshot: give the snapshot it was resolved from, or write the "
            + "tenant with its resolved state as a snapshot with `licensim resolve SNAPSHOT [--events FEED] "
            + "--out-snapshot FILE` (a simulation's snapshot and feed: `simulate --events`)";
    private final String file;
    private final List<Problem> list = new ArrayList<>();
    private int total;

    Problems(String file) {
        this.file = file;
    }

    void add(int line, int column, String path, String message) {
        total++;
        if (list.size() < LIMIT) {
            list.add(new Problem(file, line, column, path, message));
        }
    }

    /** A problem at the parser's current token. */
    void at(JsonParser p, String message) {
        JsonLocation loc = p.currentTokenLocation();
        add(loc.getLineNr(), loc.getColumnNr(), path(p), message);
    }

    void at(Where w, String message) {
        add(w.line(), w.column(), w.path(), message);
    }

    /**
     * A snapshot section licensim does not know, named with those it does; {@code tenantId}, the
     * first field of a resolved-state file, refuses the file as one (not as its 27 differences).
     */
    void unknownSection(JsonParser p, String section) {
        if (section.equals("tenantId")) {
            at(p, NOT_A_SNAPSHOT);
            throwIfAny();
        }
        at(p, "unknown section \"" + section + "\"; allowed: tenant, subscribedSkus, servicePlanRules, users, groups, "
                + "assignments, lastAppliedSeq, unreachableStates, evaluatedAt, directoryExtensions, subscriptions");
    }

    boolean any() {
        return total > 0;
    }

    void throwIfAny() {
        if (total > 0) {
            throw new InvalidInputException(list, total);
        }
    }

    List<Problem> list() {
        return list;
    }

    String file() {
        return file;
    }

    /** A remembered position, for problems found after the parser has moved on. */
    record Where(int line, int column, String path) {
        static Where of(JsonParser p) {
            JsonLocation loc = p.currentTokenLocation();
            return new Where(loc.getLineNr(), loc.getColumnNr(), Problems.path(p));
        }

        /** Line and column only: building the JSON path costs more than reading the value, so hot loops skip it. */
        static Where cheap(JsonParser p) {
            if (p.getClass() == com.fasterxml.jackson.core.json.UTF8StreamJsonParser.class
                    && p.currentToken() != com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                // the token's position without a JsonLocation (and its content reference) per call: the
                // same line and column (this parser's token column number is one past its location's, when >= 0)
                var q = (com.fasterxml.jackson.core.json.UTF8StreamJsonParser) p;
                int column = q.getTokenColumnNr();
                return new Where(q.getTokenLineNr(), column < 0 ? column : column - 1, null);
            }
            JsonLocation loc = p.currentTokenLocation();
            return new Where(loc.getLineNr(), loc.getColumnNr(), null);
        }

        Where withPath(String path) {
            return new Where(line, column, path);
        }
    }

    /** The JSON path of the parser's current token, e.g. {@code $.users[3].id}. */
    static String path(JsonParser p) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                if (c.getEntryCount() > 0) { // none at the array's own '[': the path is the array's
                    parts.add("[" + c.getCurrentIndex() + "]");
                }
            } else if (c.inObject() && c.getCurrentName() != null) {
                parts.add("." + c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder("$");
        for (int i = parts.size() - 1; i >= 0; i--) {
            sb.append(parts.get(i));
        }
        return sb.toString();
    }
}
