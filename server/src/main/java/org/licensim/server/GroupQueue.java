package org.licensim.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.licensim.core.LicensimException;
import org.licensim.core.event.Event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The durable record of group licence jobs a store's server accepted (answered 202) and of those
 * it finished: one JSON line per acceptance ({@code {"job":N,"groupId":..,"addLicenses":..,"removeLicenses":..}})
 * and per finish ({@code {"done":N}}), fsynced before the answer. After a restart the jobs accepted
 * and not done are queued again, in their order.
 */
final class GroupQueue implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final LineFile lines;

    GroupQueue(Path file) throws IOException {
        this.file = file;
        this.lines = new LineFile(file, true, "the group queue");
    }

    /** Jobs accepted and not done, in acceptance order (their group index is filled in by the caller). */
    List<Tenancy.GroupJob> pending() throws IOException {
        Map<Long, Tenancy.GroupJob> open = new LinkedHashMap<>();
        int line = 0;
        for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line++;
            if (s.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(s);
                if (n.has("done")) {
                    open.remove(n.get("done").asLong());
                    continue;
                }
                long id = n.get("job").asLong();
                List<Event.AddedLicense> add = new ArrayList<>();
                for (JsonNode a : n.get("addLicenses")) {
                    List<String> disabled = new ArrayList<>();
                    a.get("disabledPlans").forEach(p -> disabled.add(p.asText()));
                    add.add(new Event.AddedLicense(a.get("skuId").asText(), disabled));
                }
                List<String> remove = new ArrayList<>();
                n.get("removeLicenses").forEach(r -> remove.add(r.asText()));
                open.put(id, new Tenancy.GroupJob(id, -1, new Event.AssignLicense(0, Instant.EPOCH, null,
                        n.get("groupId").asText(), add, remove), 0));
            } catch (JsonProcessingException e) { // malformed JSON: the file was damaged, or is not this server's
                String why = e.getOriginalMessage();
                int internals = why.indexOf(" (start marker at"); // the parser's own location, said by file:line:column
                why = internals < 0 ? why : why.substring(0, internals);
                int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
                throw new LicensimException(file + ":" + line + (column > 0 ? ":" + column : "")
                        + ": not a group job record (malformed JSON: " + why
                        + "); restore the store's files, or start a new --store");
            } catch (RuntimeException e) {
                throw new LicensimException(file + ":" + line + ": not a group job record (" + e.getMessage()
                        + "); restore the store's files, or start a new --store");
            }
        }
        return new ArrayList<>(open.values());
    }

    void accepted(long id, Event.AssignLicense r) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("job", id);
        n.put("groupId", r.groupId());
        ArrayNode add = n.putArray("addLicenses");
        for (Event.AddedLicense a : r.addLicenses()) {
            ObjectNode o = add.addObject();
            o.put("skuId", a.skuId());
            ArrayNode d = o.putArray("disabledPlans");
            a.disabledPlans().forEach(d::add);
        }
        ArrayNode rem = n.putArray("removeLicenses");
        r.removeLicenses().forEach(rem::add);
        write(JSON.writeValueAsString(n));
    }

    void done(long id) throws IOException {
        write("{\"done\":" + id + "}");
    }

    private void write(String line) throws IOException {
        lines.append((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        lines.close();
    }
}
