package org.licensim.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading result files, with errors that name the file and the field. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ReportException(file + ": no such file");
        }
        try {
            return MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ReportException(file + ": not valid JSON" + (e.getLocation() == null ? "" : " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()) + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ReportException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** {@code node.field}, which must exist and be of the expected kind. */
    static JsonNode field(JsonNode node, String field, Path file, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ReportException(file + ": " + where + " has no \"" + field + "\"");
        }
        return v;
    }

    static double number(JsonNode node, String field, Path file, String where) {
        JsonNode v = field(node, field, file, where);
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual() && v.asText().equals("NaN")) {
            return Double.NaN;
        }
        throw new ReportException(file + ": " + where + "." + field + " must be a number, found " + v);
    }

    static JsonNode array(JsonNode node, String field, Path file, String where) {
        JsonNode v = field(node, field, file, where);
        if (!v.isArray()) {
            throw new ReportException(file + ": " + where + "." + field + " must be an array, found " + v.getNodeType());
        }
        return v;
    }
}
