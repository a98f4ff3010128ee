package org.licensim.core.files;

/**
 * RFC 4180 fields for the CSV licensim writes for spreadsheets (every {@code --format csv}, a
 * simulation's {@code days.csv}): a field with a comma, quote or line break is quoted, and a text
 * that a spreadsheet would run as a formula is kept text.
 *
 * <p>Display names come from the directory, where anyone allowed to name a group or edit a user
 * chooses them. A cell that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
 * carriage return is a formula to Excel, LibreOffice and Google Sheets when the file is opened
 * ({@code =HYPERLINK(...)}, DDE), so such a text is written with a leading apostrophe, as OWASP's
 * advice on CSV injection asks; a number ({@code -3}, {@code +1.5}) is written as it is. The
 * resolved state's CSV for data tools ({@code resolve --out state.csv}) carries ids and values
 * unchanged and does not use this class.
 */
public final class Csv {
    private Csv() {
    }

    /** {@code s} as one CSV field (null: empty), kept text if a spreadsheet would read it as a formula. */
    public static String field(String s) {
        if (s == null) {
            return "";
        }
        if (formula(s)) {
            s = "'" + s;
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** The fields as one CSV line, without its line end: numbers as they are, texts through {@link #field}. */
    public static String line(Object... fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object f = fields[i];
            sb.append(f instanceof Number ? f.toString() : field(f == null ? null : f.toString()));
        }
        return sb.toString();
    }

    /** Whether a spreadsheet opening the file would take {@code s} for a formula: a formula sign first, and not a number. */
    static boolean formula(String s) {
        if (s.length() < 2) {
            return false; // "-" or "+" alone is text to a spreadsheet
        }
        char c = s.charAt(0);
        if (c == '=' || c == '@' || c == '\t' || c == '\r') {
            return true;
        }
        if (c != '+' && c != '-') {
            return false;
        }
        return !number(s.substring(1));
    }

    /** Digits with at most one decimal point (and digit grouping commas), optionally a trailing percent sign. */
    private static boolean number(String s) {
        int end = s.endsWith("%") ? s.length() - 1 : s.length();
        boolean digit = false;
        boolean point = false;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !point) {
                point = true;
            } else if (c != ',') {
                return false;
            }
        }
        return digit;
    }
}
