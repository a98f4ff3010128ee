package org.licensim.core.state;

import org.licensim.core.LicensimException;

/**
 * The persisted store could not do what was asked: an I/O error, a full disk, an entry too
 * large for the map, or damage found on a read. Never a rejected event: a run that meets one
 * stops (whatever {@code --on-reject} says), the store stays at its last commit, and the same
 * command resumes once the cause is gone. The message names the file.
 */
public final class StoreFailure extends LicensimException {
    private static final long serialVersionUID = 1L;

    public StoreFailure(String message) {
        super(message);
    }

    public StoreFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
