package org.licensim.core.rules;

import java.util.Locale;

/** Comparison operators of the rule language (with or without the leading hyphen, any case). */
public enum Op {
    EQ("-eq"), NE("-ne"), STARTS_WITH("-startsWith"), NOT_STARTS_WITH("-notStartsWith"), ENDS_WITH("-endsWith"),
    NOT_ENDS_WITH("-notEndsWith"), CONTAINS("-contains"), NOT_CONTAINS("-notContains"), MATCH("-match"),
    NOT_MATCH("-notMatch"), IN("-in"), NOT_IN("-notIn"),
    /** Date comparisons (section 4 time-driven rules): earlier or equal, later or equal, earlier, later. */
    LE("-le"), GE("-ge"), LT("-lt"), GT("-gt");

    final String text;

    Op(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** Whether this operator orders dates ({@code -le -ge -lt -gt}). */
    public boolean ordering() {
        return this == LE || this == GE || this == LT || this == GT;
    }

    /** The negative operators are the negation of their positive twin. */
    public boolean negated() {
        return this == NE || this == NOT_STARTS_WITH || this == NOT_ENDS_WITH || this == NOT_CONTAINS
                || this == NOT_MATCH || this == NOT_IN;
    }

    public Op positive() {
        return switch (this) {
            case NE -> EQ;
            case NOT_STARTS_WITH -> STARTS_WITH;
            case NOT_ENDS_WITH -> ENDS_WITH;
            case NOT_CONTAINS -> CONTAINS;
            case NOT_MATCH -> MATCH;
            case NOT_IN -> IN;
            default -> this;
        };
    }

    static Op of(String word) {
        String w = word.startsWith("-") || word.startsWith("\u2013") ? word.substring(1) : word;
        for (Op op : values()) {
            if (op.text.substring(1).equalsIgnoreCase(w)) {
                return op;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text.toLowerCase(Locale.ROOT).equals(text) ? text : text;
    }
}
