package org.licensim.core.graph;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.licensim.core.LicensimException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Graph's directory audit log as exported ({@code GET /auditLogs/directoryAudits}, saved as
 * {@code directoryAudits.json}, {@code directoryAudits-2.json}, ... like every collection of an
 * export): the entries licensim fits churn rates from, each with its activity, time, the user and
 * group it targets and the properties it changed. Only successful entries count.
 */
public final class DirectoryAudits {
    /**
     * One audit entry.
     *
     * @param modified property display name (Graph's, e.g. "Department") to {old, new} value text
     */
    public record Entry(Instant time, String activity, String userId, String groupId,
                        Map<String, String[]> modified, String where) {
    }

    private DirectoryAudits() {
    }

    /** The successful entries of the export whose first page is {@code firstPage}, oldest first. */
    public static List<Entry> read(Path firstPage) {
        Path dir = firstPage.toAbsolutePath().getParent();
        String name = firstPage.getFileName().toString();
        if (!name.endsWith(".json")) {
            throw new LicensimException(firstPage + ": expected a .json file (the response of GET "
                    + "/auditLogs/directoryAudits; further pages as NAME-2.json, NAME-3.json, ...)");
        }
        if (!java.nio.file.Files.isRegularFile(firstPage)) {
            throw new LicensimException("audit export not found: " + firstPage);
        }
        String base = name.substring(0, name.length() - ".json".length());
        List<Entry> out = new ArrayList<>();
        for (GraphExport.Item it : GraphExport.read(dir, base, true)) {
            JsonNode n = it.node();
            String result = text(n, "result");
            if (result != null && !result.equalsIgnoreCase("success")) {
                continue;
            }
            String activity = text(n, "activityDisplayName");
            String when = text(n, "activityDateTime");
            if (activity == null || when == null) {
                throw new LicensimException(it.where() + ": an audit entry needs activityDisplayName and "
                        + "activityDateTime (found " + (activity == null ? "no activityDisplayName" : "no activityDateTime")
                        + ")");
            }
            Instant t;
            try {
                t = Instant.parse(when);
            } catch (DateTimeParseException e) {
                throw new LicensimException(it.where() + ".activityDateTime: \"" + when
                        + "\" is not an ISO 8601 instant such as 2026-10-01T08:00:00Z");
            }
            String user = null;
            String group = null;
            Map<String, String[]> modified = new LinkedHashMap<>();
            JsonNode targets = n.get("targetResources");
            if (targets != null && targets.isArray()) {
                for (JsonNode r : targets) {
                    String type = text(r, "type");
                    if ("User".equalsIgnoreCase(type) && user == null) {
                        user = text(r, "id");
                    } else if ("Group".equalsIgnoreCase(type) && group == null) {
                        group = text(r, "id");
                    }
                    JsonNode props = r.get("modifiedProperties");
                    if (props != null && props.isArray()) {
                        for (JsonNode p : props) {
                            String pn = text(p, "displayName");
                            if (pn != null) {
                                modified.put(pn, new String[] {plain(text(p, "oldValue")), plain(text(p, "newValue"))});
                            }
                        }
                    }
                }
            }
            // "Add member to group" names the group in a modified property when the target list has only the user
            if (group == null && modified.containsKey("Group.ObjectID")) {
                group = modified.get("Group.ObjectID")[1] != null ? modified.get("Group.ObjectID")[1]
                        : modified.get("Group.ObjectID")[0];
            }
            out.add(new Entry(t, activity, user, group, modified, it.where()));
        }
        out.sort(java.util.Comparator.comparing(Entry::time));
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Graph writes modified values as JSON text ({@code ["Sales"]}); the value inside, or null when empty. */
    static String plain(String v) {
        if (v == null) {
            return null;
        }
        String s = v.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        if (s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2) {
            s = s.substring(1, s.length() - 1);
        }
        return s.isEmpty() ? null : s;
    }
}
