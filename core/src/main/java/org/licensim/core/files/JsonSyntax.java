package org.licensim.core.files;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Jackson's words for a syntax error, as a person reads them. Jackson names where an unclosed
 * array or object began as {@code (start marker at [Source: REDACTED (`StreamReadFeature...`
 * disabled); line: 1, column: 11])}: the parser's internals, not the file. The place is kept as
 * "opened at line 1, column 11" and the rest dropped; every reader of JSON input says its
 * syntax errors through here.
 */
public final class JsonSyntax {
    private static final Pattern START_MARKER = Pattern.compile(
            "\\s*\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)\\]\\)");
    private static final Pattern SOURCE = Pattern.compile("\\s*\\[Source: .*?; line: (\\d+), column: (\\d+)\\]");
    private static final Pattern UNCLOSED = Pattern.compile(
            "Unexpected end-of-input: expected close marker for (Array|Object) \\(opened at line (\\d+), column (\\d+)\\)");

    private JsonSyntax() {
    }

    /** The problem of {@code e} in words, without the parser's source description. */
    public static String words(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "not valid JSON";
        }
        m = START_MARKER.matcher(m).replaceAll(" (opened at line $1, column $2)");
        m = SOURCE.matcher(m).replaceAll(" (at line $1, column $2)");
        Matcher u = UNCLOSED.matcher(m);
        if (u.find()) {
            String kind = u.group(1).equals("Array") ? "array [" : "object {";
            m = u.replaceFirst("the input ends before the " + kind + " opened at line $2, column $3 is closed");
        }
        return m.replace("Unexpected end-of-input", "the input ends");
    }
}
