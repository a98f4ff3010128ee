package org.licensim.core.io;

import java.time.Instant;

/**
 * The instants licensim reads: within Microsoft Graph's range (years 1601 to 9999), and, for a
 * time that becomes a change time ({@code lastUpdatedDateTime}: an event's time, a snapshot
 * state's own), within what the state's 32-bit TIME field records. Outside either, the input is
 * refused with the value and where, never clamped.
 */
final class Times {
    static final Instant GRAPH_FIRST = Instant.parse("1601-01-01T00:00:00Z");
    static final Instant GRAPH_LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** The state's TIME field: seconds since 2000-01-01T00:00Z in an int (its lowest value means "no time"). */
    static final Instant RECORDED_FIRST = Instant.ofEpochSecond(946_684_800L + Integer.MIN_VALUE + 1);
    static final Instant RECORDED_LAST = Instant.ofEpochSecond(946_684_800L + Integer.MAX_VALUE);

    private Times() {
    }

    /** What is wrong with {@code field} = {@code t} as an instant Graph could send, or null. */
    static String outsideGraph(String field, Instant t) {
        if (t.isBefore(GRAPH_FIRST) || t.isAfter(GRAPH_LAST)) {
            return field + " " + t + " is outside the range Microsoft Graph accepts (years 1601 to 9999)";
        }
        return null;
    }

    /** As {@link #outsideGraph}, and also outside what licensim records as a change time. */
    static String outsideRecorded(String field, Instant t) {
        String graph = outsideGraph(field, t);
        if (graph != null) {
            return graph;
        }
        if (t.isBefore(RECORDED_FIRST) || t.isAfter(RECORDED_LAST)) {
            return field + " " + t + " is outside the change times licensim records (" + RECORDED_FIRST + " to "
                    + RECORDED_LAST + ": lastUpdatedDateTime is kept as seconds since 2000 in 32 bits)";
        }
        return null;
    }
}
