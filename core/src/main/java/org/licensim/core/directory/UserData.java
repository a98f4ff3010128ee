package org.licensim.core.directory;

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
    /** Graph's signInActivity: the latest sign-in, epoch seconds; null when not given. Not a rule property. */
    public Long lastSignIn;
    /** Single-valued properties in the order given ({@link AttributeMap}: ordered as a LinkedHashMap). */
    public final Map<String, String> strings = new AttributeMap<>();
    public final Map<String, List<String>> multi = new AttributeMap<>();
    /** Whether a directory extension property (extension_APPID_name) was read into the maps. */
    private boolean directoryExtensions;

    /** Notes that {@link #strings} or {@link #multi} hold a directory extension property. */
    public void markDirectoryExtension() {
        directoryExtensions = true;
    }

    /** Whether {@link #markDirectoryExtension} was called since the last {@link #clear}. */
    public boolean hasDirectoryExtensions() {
        return directoryExtensions;
    }

    /** Empties this object for the next user (a reader reuses one: no maps made per user). */
    public void clear() {
        id = null;
        accountEnabled = null;
        usageLocation = null;
        hasUsageLocation = false;
        lastSignIn = null;
        strings.clear();
        multi.clear();
        directoryExtensions = false;
    }

    /** Writes every present property to user {@code u}. */
    public void applyTo(Users users, int u) {
        new Changes().apply(this, users, u);
    }

    /** Names of the properties present, for dynamic-rule re-evaluation. */
    public List<String> changedProperties() {
        return new Changes().names(this);
    }

    /**
     * Reads many {@link UserData} one after another (an engine applying attribute changes)
     * without allocating per UserData: the name list is reused, and the maps are walked with
     * {@code forEach} and consumers made once, not through their key and entry views (which a
     * fresh map creates on first use).
     */
    public static final class Changes {
        private final java.util.ArrayList<String> names = new java.util.ArrayList<>();
        private final java.util.function.BiConsumer<String, String> nameOfString = (k, v) -> names.add(k);
        private final java.util.function.BiConsumer<String, List<String>> nameOfMulti = (k, v) -> names.add(k);
        private Users users;
        private int user;
        private final java.util.function.BiConsumer<String, String> setString = (k, v) -> users.set(user, k, v);
        private final java.util.function.BiConsumer<String, List<String>> setMulti = (k, v) -> users.setMulti(user, k, v);

        /** The names of {@code d}'s present properties; the list is this reader's, valid until its next call. */
        public List<String> names(UserData d) {
            names.clear();
            if (d.accountEnabled != null) {
                names.add("accountEnabled");
            }
            if (d.hasUsageLocation) {
                names.add("usageLocation");
            }
            d.strings.forEach(nameOfString);
            d.multi.forEach(nameOfMulti);
            return names;
        }

        /** Writes every present property of {@code d} to user {@code u}. */
        public void apply(UserData d, Users to, int u) {
            if (d.accountEnabled != null) {
                to.setAccountEnabled(u, d.accountEnabled);
            }
            if (d.hasUsageLocation) {
                to.setUsageLocation(u, d.usageLocation);
            }
            if (d.lastSignIn != null) {
                to.setLastSignIn(u, d.lastSignIn);
            }
            users = to;
            user = u;
            d.strings.forEach(setString);
            d.multi.forEach(setMulti);
            users = null;
        }
    }
}
