package org.licensim.core.directory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The properties of one user as an input gives them (a snapshot's user, a UserCreated event,
 * or the changed properties of a UserAttributesChanged event). Only properties present are
 * in the maps; a present property with a null value clears it.
 */
public final class UserData {
    public String id;
    public Boolean accountEnabled;
    /** Present-and-null (clear) is told from absent by {@link #hasUsageLocation}. */
    public String usageLocation;
    public boolean hasUsageLocation;
    public final Map<String, String> strings = new LinkedHashMap<>();
    public final Map<String, List<String>> multi = new LinkedHashMap<>();

    /** Writes every present property to user {@code u}. */
    public void applyTo(Users users, int u) {
        if (accountEnabled != null) {
            users.setAccountEnabled(u, accountEnabled);
        }
        if (hasUsageLocation) {
            users.setUsageLocation(u, usageLocation);
        }
        strings.forEach((k, v) -> users.set(u, k, v));
        multi.forEach((k, v) -> users.setMulti(u, k, v));
    }

    /** Names of the properties present, for dynamic-rule re-evaluation. */
    public List<String> changedProperties() {
        List<String> out = new java.util.ArrayList<>();
        if (accountEnabled != null) {
            out.add("accountEnabled");
        }
        if (hasUsageLocation) {
            out.add("usageLocation");
        }
        out.addAll(strings.keySet());
        out.addAll(multi.keySet());
        return out;
    }
}
