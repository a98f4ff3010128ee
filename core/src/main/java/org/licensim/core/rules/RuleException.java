package org.licensim.core.rules;

import org.licensim.core.LicensimException;

/** A malformed or unsupported rule: the message starts with the column (1-based) of the problem. */
public final class RuleException extends LicensimException {
    private static final long serialVersionUID = 1L;
    private final int column;

    public RuleException(int column, String message) {
        super("column " + column + ": " + message);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
