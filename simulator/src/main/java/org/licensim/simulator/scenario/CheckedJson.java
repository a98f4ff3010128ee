package org.licensim.simulator.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.licensim.core.LicensimException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/**
 * What the simulator's input readers (scenario, churn and prices files) share: parsing with the
 * line and column of malformed JSON, problems collected by JSON path and reported at once, and
 * the checks of fields, whole numbers and ranges. A problem names the path and the value found.
 */
public abstract class CheckedJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    protected final List<String> problems = new ArrayList<>();

    /** The JSON of {@code what} ("scenario x.json"); malformed JSON is refused with its line and column. */
    public static JsonNode parse(InputStream in, String what) throws IOException {
        try {
            return JSON.readTree(in);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new LicensimException(what + (loc == null ? "" : " line " + loc.getLineNr() + ", column "
                    + loc.getColumnNr()) + ": malformed JSON: " + org.licensim.core.files.JsonSyntax.words(e));
        }
    }

    /** Refuses {@code what} with every problem, one per line, when there are any. */
    public static void fail(String what, List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(what).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (String p : problems) {
            sb.append(System.lineSeparator()).append("  ").append(p);
        }
        throw new LicensimException(sb.toString());
    }

    /** Fields of object {@code n} not in {@code fields} are problems ({@code $comment} and other "$" fields are allowed). */
    protected void known(JsonNode n, String at, String... fields) {
        if (!n.isObject()) {
            return;
        }
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f) && !f.startsWith("$")) {
                problems.add(at + "." + f + ": unknown field; allowed here: " + String.join(", ", fields));
            }
        }
    }

    protected long integer(JsonNode v, String at, long min, long max) {
        if (v == null || v.isMissingNode()) {
            return min;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            problems.add(at + ": expected a whole number from " + min + " to " + max + ", found " + describe(v));
            return min;
        }
        return v.asLong();
    }

    protected double number(JsonNode v, String at, double min, double max) {
        if (v == null || v.isMissingNode()) {
            return min;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            problems.add(at + ": expected a number from " + min + " to " + max + ", found " + describe(v));
            return min;
        }
        return v.asDouble();
    }

    public static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        JsonNodeType t = v.getNodeType();
        String shown = v.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        return switch (t) {
            case STRING -> "\"" + v.asText() + "\"";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            default -> shown;
        };
    }
}
