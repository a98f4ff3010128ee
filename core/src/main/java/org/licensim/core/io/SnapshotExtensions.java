package org.licensim.core.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.licensim.core.directory.DirectoryExtension;
import org.licensim.core.directory.UserData;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.directory.Users;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A snapshot's directory extensions (SPEC section 4): the {@code directoryExtensions}
 * declarations, and the users' {@code extension_<appId>_<name>} values, which wait for the
 * declarations (a section may come after the users) and are then checked against them.
 */
final class SnapshotExtensions {
    /** A user's value, applied once the declarations are known. */
    private record ExtensionValue(int user, String name, String value, List<String> values, Problems.Where where) {
    }

    private final List<ExtensionValue> values = new ArrayList<>();
    private final List<DirectoryExtension> declared = new ArrayList<>();

    /** Moves user {@code u}'s extension values out of {@code data}, to be applied by {@link #apply}. */
    void takeValues(int u, UserData data, Problems.Where where) {
        for (Iterator<Map.Entry<String, String>> it = data.strings.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, String> e = it.next();
            if (UserSchema.isDirectoryExtension(e.getKey())) {
                values.add(new ExtensionValue(u, e.getKey(), e.getValue(), null, where));
                it.remove();
            }
        }
        for (Iterator<Map.Entry<String, List<String>>> it = data.multi.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, List<String>> e = it.next();
            if (UserSchema.isDirectoryExtension(e.getKey())) {
                values.add(new ExtensionValue(u, e.getKey(), null, e.getValue(), where));
                it.remove();
            }
        }
    }

    /** {@code directoryExtensions}: Graph's extensionProperty objects (name, dataType, isMultiValued). */
    void readDeclaration(JsonParser p, int index, JsonFields fields, Problems problems) throws IOException {
        Problems.Where at = Problems.Where.of(p).withPath("$.directoryExtensions[" + index + "]");
        String name = null;
        String type = null;
        boolean multi = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "name" -> name = fields.string(p);
                case "dataType" -> type = fields.string(p);
                case "isMultiValued" -> multi = fields.bool(p, false);
                case "id", "appDisplayName", "targetObjects", "isSyncedFromOnPremises", "deletedDateTime" -> p.skipChildren();
                default -> fields.unknownField(p, f, "name, dataType, isMultiValued, targetObjects");
            }
        }
        if (name == null || !UserSchema.isDirectoryExtension(name)) {
            problems.at(at, "a directory extension needs a name of the form extension_<app id without dashes>_<name>, "
                    + "found " + (name == null ? "none" : "\"" + name + "\""));
            return;
        }
        DirectoryExtension.Type t = null;
        for (var v : DirectoryExtension.Type.values()) {
            if (v.name().equalsIgnoreCase(type == null ? "String" : type)) {
                t = v;
            }
        }
        if (t == null) {
            problems.at(at, name + ": dataType \"" + type + "\" is not supported; licensim keeps String, Integer and "
                    + "Boolean extensions");
            return;
        }
        for (var d : declared) {
            if (d.name().equalsIgnoreCase(name)) {
                problems.at(at, name + " is declared twice");
                return;
            }
        }
        declared.add(new DirectoryExtension(name, t, multi));
    }

    /** Declares the extensions, then gives each user its values, checked against the declaration. */
    void apply(Users users, Problems problems) {
        declared.forEach(users::declare);
        for (ExtensionValue v : values) {
            var d = users.extension(v.name());
            if (d == null) {
                problems.at(v.where(), v.name() + " is not a declared directory extension: declare it in "
                        + "$.directoryExtensions (name, dataType, isMultiValued)");
                continue;
            }
            boolean mismatch = d.multiValued() ? v.values() == null && v.value() != null : v.values() != null;
            if (mismatch) {
                problems.at(v.where(), d.name() + " is " + (d.multiValued() ? "multi-valued: give a list"
                        : "single-valued: give one value, not a list"));
                continue;
            }
            if (d.multiValued()) {
                List<String> canonical = new ArrayList<>();
                for (String x : v.values() == null ? List.<String>of() : v.values()) {
                    String c = d.canonical(x);
                    if (c == null) {
                        problems.at(v.where(), d.name() + ": \"" + x + "\" is not " + article(d) + " value");
                    } else {
                        canonical.add(c);
                    }
                }
                users.setMulti(v.user(), d.name(), canonical);
            } else {
                String c = d.canonical(v.value());
                if (v.value() != null && c == null) {
                    problems.at(v.where(), d.name() + ": \"" + v.value() + "\" is not " + article(d) + " value");
                    continue;
                }
                users.set(v.user(), d.name(), c);
            }
        }
    }

    private static String article(DirectoryExtension d) {
        return d.type() == DirectoryExtension.Type.Integer ? "an Integer" : "a "
                + d.type();
    }
}
