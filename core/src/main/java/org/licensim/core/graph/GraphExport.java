package org.licensim.core.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.licensim.core.LicensimException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Microsoft Graph responses saved as files (docs/IMPORT.md), read as they come: a response
 * object with its {@code value} array, {@code @odata.context} and {@code @odata.nextLink}, or a
 * bare array (PowerShell's {@code ConvertTo-Json}). A collection may be paged over
 * {@code NAME.json}, {@code NAME-2.json}, {@code NAME-3.json}, ...; a page that has an
 * {@code @odata.nextLink} must be followed by the next file, or the export is incomplete.
 */
final class GraphExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One object of a collection and where it came from ({@code users-2.json value[17]}). */
    record Item(JsonNode node, String where) {
    }

    private GraphExport() {
    }

    /** The pages of collection {@code name} in {@code dir}, in page order; empty when there is none. */
    static List<Path> pages(Path dir, String name) {
        Pattern page = Pattern.compile(Pattern.quote(name) + "(?:-(\\d+))?\\.json");
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> page.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        } catch (IOException e) {
            throw new LicensimException(dir + ": cannot list: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(p -> {
            Matcher m = page.matcher(p.getFileName().toString());
            m.matches();
            return m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
        }));
        for (int i = 0; i < out.size(); i++) {
            Matcher m = page.matcher(out.get(i).getFileName().toString());
            m.matches();
            int n = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
            if (n != i + 1) {
                throw new LicensimException(dir.resolve(i == 0 ? name + ".json" : name + "-" + (i + 1) + ".json")
                        + ": missing page " + (i + 1) + " of " + name + " (found " + out.get(i).getFileName() + ")");
            }
        }
        return out;
    }

    /** Every object of collection {@code name}, across its pages; {@code required} makes a missing collection an error. */
    static List<Item> read(Path dir, String name, boolean required) {
        List<Path> files = pages(dir, name);
        if (files.isEmpty()) {
            if (required) {
                throw new LicensimException(dir.resolve(name + ".json") + ": missing (the response of GET /" + name
                        + "; docs/IMPORT.md lists the files an export needs)");
            }
            return List.of();
        }
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            JsonNode root = parse(f);
            JsonNode values;
            if (root.isArray()) {
                values = root;
            } else if (root.isObject()) {
                values = root.get("value");
                if (values == null || !values.isArray()) {
                    throw new LicensimException(f + ": no \"value\" array: expected a Graph collection response "
                            + "({\"@odata.context\": ..., \"value\": [...]}) or a JSON array");
                }
                if (root.hasNonNull("@odata.nextLink") && i == files.size() - 1) {
                    throw new LicensimException(f + ": has @odata.nextLink but " + dir.resolve(name + "-" + (i + 2)
                            + ".json") + " is missing: the export stopped before its last page");
                }
            } else {
                throw new LicensimException(f + ": expected a Graph collection response or a JSON array, found "
                        + root.getNodeType());
            }
            for (int k = 0; k < values.size(); k++) {
                JsonNode v = values.get(k);
                String where = f.getFileName() + " value[" + k + "]";
                if (!v.isObject()) {
                    throw new LicensimException(f + ": value[" + k + "] is not an object");
                }
                out.add(new Item(v, where));
            }
        }
        return out;
    }

    /** A single object response (e.g. organization.json), or null when the file is absent. */
    static JsonNode single(Path dir, String name) {
        Path f = dir.resolve(name + ".json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        JsonNode root = parse(f);
        if (root.isObject() && root.has("value") && root.get("value").isArray()) {
            return root.get("value").size() == 0 ? null : root.get("value").get(0);
        }
        if (root.isArray()) {
            return root.size() == 0 ? null : root.get(0);
        }
        return root;
    }

    private static JsonNode parse(Path f) {
        try {
            return JSON.readTree(f.toFile());
        } catch (JsonProcessingException e) {
            throw new LicensimException(f + (e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr() + ":"
                    + e.getLocation().getColumnNr()) + ": not valid JSON: " + org.licensim.core.files.JsonSyntax.words(e), e);
        } catch (IOException e) {
            throw new LicensimException(f + ": cannot read: " + e.getMessage(), e);
        }
    }
}
