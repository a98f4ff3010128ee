package org.licensim.core;

/**
 * An error a user can act on: the message says what was wrong, where, and what is allowed.
 * Every rejection of bad input (SPEC R22) and every refused operation is one of these; the
 * CLI prints the message and exits non-zero.
 */
public class LicensimException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LicensimException(String message) {
        super(message);
    }

    public LicensimException(String message, Throwable cause) {
        super(message, cause);
    }
}
