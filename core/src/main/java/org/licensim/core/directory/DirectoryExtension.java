package org.licensim.core.directory;

import java.util.Locale;

/**
 * A directory extension property of users ({@code extension_<appId>_<name>}, Graph's
 * extensionProperty): synced from on-premises or added by an application, declared in the
 * snapshot with its type. Values are kept as text in a canonical form: an Integer as its
 * decimal digits, a Boolean as {@code true} or {@code false}.
 */
public record DirectoryExtension(String name, Type type, boolean multiValued) {
    /** Graph's dataType values licensim keeps (Binary, DateTime and LargeInteger are refused). */
    public enum Type { String, Integer, Boolean }

    /** {@code value} in canonical form for this type, or null when it is not a value of it. */
    public String canonical(String value) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case String -> value;
            case Integer -> {
                try {
                    yield Long.toString(Long.parseLong(value.trim()));
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case Boolean -> {
                String v = value.trim().toLowerCase(Locale.ROOT);
                yield v.equals("true") || v.equals("false") ? v : null;
            }
        };
    }
}
