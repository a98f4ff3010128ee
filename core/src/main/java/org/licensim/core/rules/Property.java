package org.licensim.core.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.licensim.core.directory.UserSchema;

/**
 * The user properties a rule may read, with their kind, as the Entra docs list them. Names are
 * matched without regard to case (the docs spell some two ways, e.g. mailNickName/mailNickname).
 */
public record Property(String name, Kind kind) {
    public enum Kind {
        /** A single string ({@code null} allowed). */
        STRING,
        /** true or false. */
        BOOLEAN,
        /** A string collection: -any/-all, or an operator applied to any element. */
        COLLECTION,
        /** The user's object id. */
        OBJECT_ID,
        /** The usage location (two-letter code). */
        USAGE_LOCATION,
        /** A date stored as ISO-8601 text ({@code employeeHireDate}): also ordered, against a date or system.now. */
        DATE,
        /**
         * A directory extension ({@code extension_<appId>_<name>}): its type and whether it is
         * multi-valued come from the tenant's declaration, checked when the rule is compiled.
         */
        EXTENSION
    }

    /** The user properties that hold dates (ISO 8601: a date, or a date and time). */
    public static final List<String> DATE_PROPERTIES = List.of("employeeHireDate");

    /** Properties the docs list that licensim does not store: named in the error instead of "unknown". */
    static final List<String> UNSUPPORTED = List.of("dirSyncEnabled", "passwordPolicies",
            "manager", "directReports");

    private static final Map<String, Property> BY_NAME = new LinkedHashMap<>();

    static {
        add(new Property("accountEnabled", Kind.BOOLEAN));
        add(new Property("objectId", Kind.OBJECT_ID));
        add(new Property("usageLocation", Kind.USAGE_LOCATION));
        for (String p : UserSchema.STRING_PROPERTIES) {
            add(new Property(p, DATE_PROPERTIES.contains(p) ? Kind.DATE : Kind.STRING));
        }
        for (String p : UserSchema.MULTI_PROPERTIES) {
            add(new Property(p, Kind.COLLECTION));
        }
    }

    private static void add(Property p) {
        BY_NAME.put(p.name.toLowerCase(Locale.ROOT), p);
    }

    /** The property named {@code name} (any case), or null; a directory extension's name gives an EXTENSION property. */
    public static Property find(String name) {
        Property p = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (p == null && UserSchema.isDirectoryExtension(name)) {
            return new Property(name, Kind.EXTENSION);
        }
        return p;
    }

    public static List<String> names() {
        List<String> out = new ArrayList<>();
        BY_NAME.values().forEach(p -> out.add(p.name));
        return out;
    }
}
