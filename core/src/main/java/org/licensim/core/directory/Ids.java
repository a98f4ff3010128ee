package org.licensim.core.directory;

/**
 * The longest user or group id licensim takes. Entra's object ids are GUIDs (36 characters) and
 * userPrincipalNames at most 113; 1,024 leaves room for any id a tool makes up while keeping
 * every id storable in a persisted store's id maps. A longer id is refused where it enters: in a
 * snapshot (with its place) or by the event that would create it (a rejected event), never by
 * the store later (docs/FORMATS.md).
 */
public final class Ids {
    /** Characters at most in a user or group id. */
    public static final int MAX_LENGTH = 1024;

    private Ids() {
    }

    /** Whether {@code id} is longer than {@link #MAX_LENGTH}. */
    public static boolean tooLong(String id) {
        return id.length() > MAX_LENGTH;
    }

    /** The refusal of an id that is too long: its length and its first characters, not all of it. */
    public static String tooLongMessage(String id) {
        return String.format(java.util.Locale.ROOT, "id \"%s...\" of %,d characters is longer than the %,d characters "
                + "licensim keeps for a user or group id", id.substring(0, 40), id.length(), MAX_LENGTH);
    }
}
