package org.licensim.core.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.licensim.core.directory.UserData;
import org.licensim.core.directory.UserSchema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Typed reads of JSON values with problems recorded at the value's position; shared by the
 * snapshot and event readers so both accept exactly the same user properties.
 */
final class JsonFields {
    private final Problems problems;

    JsonFields(Problems problems) {
        this.problems = problems;
    }

    /** One licenseAssignmentState of a snapshot's user, as read; resolved once groups and products are known. */
    static final class RawState {
        Problems.Where where;
        String sku;
        Problems.Where skuWhere;
        String group;
        String state;
        String error;
        String time;
        Long order;
        final List<String> disabled = new ArrayList<>();
        final List<Problems.Where> disabledWheres = new ArrayList<>();
    }

    /** Reads a user object (parser on its START_OBJECT) into {@code out}; idWhere[0] gets the id's position. */
    void readUser(JsonParser p, UserData out, Problems.Where[] idWhere) throws IOException {
        readUser(p, out, idWhere, null);
    }

    /**
     * Reads a user object; a snapshot's user may also carry its resolved state
     * ({@code licenseAssignmentStates}, collected into {@code states}; {@code assignedLicenses}
     * is derived from them and skipped). With {@code states} null both are unknown fields.
     */
    void readUser(JsonParser p, UserData out, Problems.Where[] idWhere, List<RawState> states) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            readUserField(p, f, userField(f), out, idWhere, states);
        }
    }

    /**
     * One field of a user object (parser on its value), {@code field} being {@link #userField}
     * of its name: what {@link #readUser} does with each field, for a reader that takes the
     * common fields its own way and hands the others here.
     */
    void readUserField(JsonParser p, String f, int field, UserData out, Problems.Where[] idWhere, List<RawState> states)
            throws IOException {
        switch (field >>> 8) {
            case ID -> {
                idWhere[0] = Problems.Where.cheap(p);
                out.id = string(p);
            }
            case ENABLED -> out.accountEnabled = bool(p, true);
            case LOCATION -> {
                out.usageLocation = countryCode(p);
                out.hasUsageLocation = true;
            }
            case EXTENSIONS -> readExtensions(p, out);
            case SIGN_IN -> readSignIn(p, out);
            case MULTI -> out.multi.put(f, strings(p));
            case STRING -> out.strings.put(f, string(p));
            default -> {
                if (UserSchema.isDirectoryExtension(f)) {
                    directoryExtension(p, f, out);
                } else if (f.startsWith("@odata.") || (states != null && f.equals("assignedLicenses"))) {
                    p.skipChildren();
                } else if (states != null && f.equals("licenseAssignmentStates")) {
                    readStates(p, states);
                } else {
                    unknownField(p, f, "id, accountEnabled, usageLocation, " + UserSchema.EXTENSION_ATTRIBUTES + ", "
                            + String.join(", ", UserSchema.MULTI_PROPERTIES)
                            + " and the user properties listed in docs/FORMATS.md");
                }
            }
        }
    }

    static final int OTHER = 0;
    static final int ID = 1;
    static final int ENABLED = 2;
    static final int LOCATION = 3;
    static final int EXTENSIONS = 4;
    static final int SIGN_IN = 5;
    static final int MULTI = 6;
    static final int STRING = 7;

    /**
     * A user object's fixed field names to what they are, in one hash lookup per field (the list
     * of forty-odd properties was searched name by name for every field of every user): the kind
     * times 256 plus, for a STRING or MULTI property, its index in {@link UserSchema#STRING_PROPERTIES}
     * or {@link UserSchema#MULTI_PROPERTIES}.
     */
    private static final java.util.Map<String, Integer> USER_FIELDS;

    static {
        java.util.Map<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < UserSchema.STRING_PROPERTIES.size(); i++) {
            String prop = UserSchema.STRING_PROPERTIES.get(i);
            if (!UserSchema.isExtensionAttribute(prop)) {
                m.put(prop, STRING << 8 | i);
            }
        }
        for (int i = 0; i < UserSchema.MULTI_PROPERTIES.size(); i++) {
            m.put(UserSchema.MULTI_PROPERTIES.get(i), MULTI << 8 | i);
        }
        m.put(UserSchema.EXTENSION_ATTRIBUTES, EXTENSIONS << 8);
        m.put("signInActivity", SIGN_IN << 8);
        m.put("usageLocation", LOCATION << 8);
        m.put("accountEnabled", ENABLED << 8);
        m.put("id", ID << 8);
        USER_FIELDS = java.util.Map.copyOf(m);
    }

    /** What a user object's field named {@code f} is: its kind ({@code >>> 8}) and property index ({@code & 255}). */
    static int userField(String f) {
        Integer kind = USER_FIELDS.get(f);
        return kind == null ? OTHER : kind;
    }

    /**
     * Graph's {@code signInActivity}: the latest of its interactive, non-interactive and
     * successful sign-in times is kept (what "inactive for N days" asks); request ids are skipped.
     */
    private void readSignIn(JsonParser p, UserData out) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            problems.at(p, "signInActivity: expected an object such as {\"lastSignInDateTime\": "
                    + "\"2026-10-01T08:00:00Z\"}, found " + describe(p));
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (f.endsWith("DateTime") && p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    long t = java.time.Instant.parse(p.getText()).getEpochSecond();
                    out.lastSignIn = out.lastSignIn == null ? t : Math.max(out.lastSignIn, t);
                } catch (java.time.format.DateTimeParseException e) {
                    problems.at(p, "signInActivity." + f + ": \"" + p.getText() + "\" is not an ISO 8601 instant");
                }
            } else {
                p.skipChildren();
            }
        }
    }

    /**
     * A directory extension's value as Graph sends it: a string, number or boolean (kept as text),
     * null, or an array of them (multi-valued); whether it fits the declared type is checked where
     * the declarations are known.
     */
    private void directoryExtension(JsonParser p, String name, UserData out) throws IOException {
        out.markDirectoryExtension();
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            List<String> values = new java.util.ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken().isScalarValue() && p.currentToken() != JsonToken.VALUE_NULL) {
                    values.add(p.getText());
                } else {
                    problems.at(p, name + ": expected strings, numbers or booleans in the list, found " + describe(p));
                    p.skipChildren();
                }
            }
            out.multi.put(name, values);
        } else if (t == JsonToken.VALUE_NULL) {
            out.strings.put(name, null);
        } else if (t.isScalarValue()) {
            out.strings.put(name, p.getText());
        } else {
            problems.at(p, name + ": expected a string, number, boolean, null or a list, found " + describe(p));
            p.skipChildren();
        }
    }

    private void readStates(JsonParser p, List<RawState> states) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            problems.at(p, "expected an array of licenseAssignmentStates, found " + describe(p));
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                problems.at(p, "expected a licenseAssignmentState object, found " + describe(p));
                p.skipChildren();
                continue;
            }
            RawState r = new RawState();
            r.where = Problems.Where.of(p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "skuId" -> {
                        r.skuWhere = Problems.Where.of(p);
                        r.sku = string(p);
                    }
                    case "assignedByGroup" -> r.group = string(p);
                    case "state" -> r.state = string(p);
                    case "error" -> r.error = string(p);
                    case "disabledPlans" -> planRefs(p, r.disabled, r.disabledWheres);
                    case "lastUpdatedDateTime" -> r.time = string(p);
                    case "demandOrder" -> {
                        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                            r.order = p.getLongValue();
                        } else {
                            problems.at(p, "demandOrder must be a whole number, found " + describe(p));
                            p.skipChildren();
                        }
                    }
                    default -> unknownField(p, f, "skuId, assignedByGroup, state, error, disabledPlans, "
                            + "lastUpdatedDateTime, demandOrder");
                }
            }
            states.add(r);
        }
    }

    private void readExtensions(JsonParser p, UserData out) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            problems.at(p, "expected an object of extensionAttribute1..15, found " + describe(p));
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (UserSchema.isExtensionAttribute(f)) {
                out.strings.put(f, string(p));
            } else {
                unknownField(p, f, "extensionAttribute1 .. extensionAttribute15");
            }
        }
    }

    String string(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t != JsonToken.VALUE_NULL) {
            problems.at(p, "expected a string, found " + describe(p));
            p.skipChildren();
        }
        return null;
    }

    List<String> strings(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            problems.at(p, "expected an array of strings, found " + describe(p));
            p.skipChildren();
            return List.of();
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String s = string(p);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    boolean bool(JsonParser p, boolean dflt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        problems.at(p, "expected true or false, found " + describe(p));
        p.skipChildren();
        return dflt;
    }

    /** The assigned ISO 3166 alpha-2 codes (the JDK's list), which Entra accepts as usage locations. */
    private static final java.util.Set<String> COUNTRIES = java.util.Set.of(Locale.getISOCountries());

    String countryCode(JsonParser p) throws IOException {
        return countryCode(string(p), p);
    }

    /** {@link #countryCode(JsonParser)} of the string value {@code v} the parser is on (null: none). */
    /**
     * The country code {@code v} gives (trimmed, upper case), or null when it is none:
     * what {@link #countryCode(String, JsonParser)} takes, without a problem recorded.
     */
    static String country(String v) {
        String c = v.trim().toUpperCase(Locale.ROOT);
        if (c.length() != 2 || c.charAt(0) < 'A' || c.charAt(0) > 'Z' || c.charAt(1) < 'A' || c.charAt(1) > 'Z'
                || !COUNTRIES.contains(c)) {
            return null;
        }
        return c;
    }

    String countryCode(String v, JsonParser p) {
        if (v == null) {
            return null;
        }
        String c = v.trim().toUpperCase(Locale.ROOT);
        if (c.length() != 2 || c.charAt(0) < 'A' || c.charAt(0) > 'Z' || c.charAt(1) < 'A' || c.charAt(1) > 'Z') {
            problems.at(p, "expected a two-letter country code (ISO 3166 alpha-2), found \"" + v + "\"");
            return null;
        }
        if (!COUNTRIES.contains(c)) {
            problems.at(p, "\"" + v + "\" is not an ISO 3166 alpha-2 country code (e.g. \"NL\", \"US\", \"GB\")");
            return null;
        }
        return c;
    }

    /** A non-negative whole number (seats), or 0 with a problem. */
    int seats(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            problems.at(p, "expected a whole number of seats, found " + describe(p));
            p.skipChildren();
            return 0;
        }
        long v = p.getLongValue();
        if (v < 0 || v > Integer.MAX_VALUE) {
            problems.at(p, "seat counts must be between 0 and " + Integer.MAX_VALUE + ", found " + v);
            return 0;
        }
        return (int) v;
    }

    /** Reads {enabled, warning, suspended, lockedOut} into units[0..3]. */
    void readUnits(JsonParser p, int[] units) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            problems.at(p, "expected an object {enabled, warning, suspended, lockedOut}, found " + describe(p));
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            int slot = switch (f) {
                case "enabled" -> 0;
                case "warning" -> 1;
                case "suspended" -> 2;
                case "lockedOut" -> 3;
                default -> -1;
            };
            if (slot < 0) {
                unknownField(p, f, "enabled, warning, suspended, lockedOut");
            } else {
                units[slot] = seats(p);
            }
        }
    }

    /** Plan references of a disabledPlans array (null entries for non-strings, reported). */
    void planRefs(JsonParser p, List<String> refs, List<Problems.Where> wheres) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            problems.at(p, "expected an array of service plan ids or names, found " + describe(p));
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            wheres.add(Problems.Where.of(p));
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                refs.add(p.getText());
            } else {
                problems.at(p, "expected a service plan id or name (string), found " + describe(p));
                refs.add(null);
                p.skipChildren();
            }
        }
    }

    void unknownField(JsonParser p, String f, String allowed) throws IOException {
        problems.at(p, "unknown field \"" + f + "\"; allowed: " + allowed);
        p.skipChildren();
    }

    static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "\"" + p.getText() + "\"";
            case VALUE_NULL -> "null";
            default -> p.getText();
        };
    }
}
