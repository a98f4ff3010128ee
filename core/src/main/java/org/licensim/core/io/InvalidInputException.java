package org.licensim.core.io;

import java.util.List;

import org.licensim.core.LicensimException;

/** An input file with one or more problems; nothing was loaded from it. */
public final class InvalidInputException extends LicensimException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;
    private final int total;

    public InvalidInputException(List<Problem> problems, int total) {
        super(format(problems, total));
        this.problems = List.copyOf(problems);
        this.total = total;
    }

    /** The problems found, up to the reader's limit. */
    public List<Problem> problems() {
        return problems;
    }

    /** How many problems there were in all (may exceed {@code problems().size()}). */
    public int total() {
        return total;
    }

    private static String format(List<Problem> problems, int total) {
        StringBuilder sb = new StringBuilder();
        sb.append(total).append(total == 1 ? " problem" : " problems");
        for (Problem p : problems) {
            sb.append(System.lineSeparator()).append("  ").append(p);
        }
        if (total > problems.size()) {
            sb.append(System.lineSeparator()).append("  ... and ").append(total - problems.size()).append(" more");
        }
        return sb.toString();
    }
}
