package org.licensim.core.state;

/**
 * Codes of a source's state and error, as Graph's {@code licenseAssignmentState} names them.
 * Packed in one int of an entry: {@code state << 8 | error}.
 */
public final class States {
    public static final int ACTIVE = 1;
    public static final int ACTIVE_WITH_ERROR = 2;
    public static final int ERROR = 3;

    public static final int NONE = 0;
    public static final int COUNT_VIOLATION = 1;
    public static final int MUTUALLY_EXCLUSIVE_VIOLATION = 2;
    public static final int DEPENDENCY_VIOLATION = 3;
    public static final int PROHIBITED_IN_USAGE_LOCATION_VIOLATION = 4;
    public static final int UNIQUENESS_VIOLATION = 5;
    public static final int OTHER = 6;

    private static final String[] STATE_NAMES = {"?", "Active", "ActiveWithError", "Error"};
    private static final String[] ERROR_NAMES = {"None", "CountViolation", "MutuallyExclusiveViolation",
        "DependencyViolation", "ProhibitedInUsageLocationViolation", "UniquenessViolation", "Other"};

    private States() {
    }

    public static int pack(int state, int error) {
        return state << 8 | error;
    }

    public static int state(int packed) {
        return packed >>> 8;
    }

    public static int error(int packed) {
        return packed & 0xFF;
    }

    /** Whether a source in this state gives the user the product (and so holds a seat). */
    public static boolean holds(int packed) {
        int s = packed >>> 8;
        return s == ACTIVE || s == ACTIVE_WITH_ERROR;
    }

    public static String stateName(int packed) {
        return STATE_NAMES[packed >>> 8];
    }

    public static String errorName(int packed) {
        return ERROR_NAMES[packed & 0xFF];
    }

    /** The name of error code {@code error} (not packed with a state). */
    public static String errorNameOf(int error) {
        return ERROR_NAMES[error];
    }

    public static int errorCount() {
        return ERROR_NAMES.length;
    }
}
