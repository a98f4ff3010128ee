package org.licensim.cli;

import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.planning.WhatIf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code licensim whatif}: what one or more changes would do to a snapshot, without doing them. */
@Command(name = "whatif", mixinStandardHelpOptions = true,
        description = {"Shows what a change would do to a tenant, without changing the snapshot: group memberships that "
                + "change, licences gained and lost, service plans switched on or off, new errors, and seats per "
                + "product before and after. A change is an event of the feed format (docs/FORMATS.md); seq and time "
                + "may be left out.",
                "Examples:",
                "  licensim whatif tenant.json --change '{\"type\":\"LicenseRemovedFromGroup\",\"groupId\":\"g1\",\"skuId\":\"EMS\"}'",
                "  licensim whatif tenant.json --change '{\"type\":\"UnitsChanged\",\"skuId\":\"ENTERPRISEPACK\","
                        + "\"prepaidUnits\":{\"enabled\":5}}'"})
final class WhatIfCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Tenant snapshot JSON (with or without state).")
    Path snapshot;

    @Option(names = "--change", required = true, paramLabel = "EVENT",
            description = "An event as JSON (repeat for several, applied in order).")
    List<String> changes;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "List at most N lines per section (default ${DEFAULT-VALUE}); counts are always complete.")
    int limit;

    @Override
    public Integer call() {
        Main.requireNonNegative(spec, "--limit", limit);
        PrintWriter out = spec.commandLine().getOut();
        SnapshotReader reader = SnapshotReader.withDefaults();
        Tenant probe = reader.read(snapshot);
        List<Event> events = parse(changes, Math.max(0, probe.lastAppliedSeq() + 1));
        WhatIf w = WhatIf.of(() -> reader.read(snapshot), events);
        out.printf("what if, on %s:%n", snapshot);
        for (int i = 0; i < events.size(); i++) {
            out.printf("  change %d: %s%n", i + 1, changes.get(i));
        }
        section(out, "group memberships", w.memberships(), m -> (m.joins() ? "+ " : "- ") + m.user() + (m.joins()
                ? " joins " : " leaves ") + m.group());
        section(out, "licences gained", w.gained(), c -> c.user() + " +" + c.product());
        section(out, "licences lost", w.lost(), c -> c.user() + " -" + c.product());
        section(out, "service plans changed", w.plansChanged(), c -> c.user() + " " + c.product() + ": " + c.detail());
        section(out, "licences that change kind", w.kindChanged(), c -> c.user() + " " + c.product() + ": " + c.detail());
        section(out, "new errors", w.newErrors(), c -> c.user() + " " + c.product() + " " + c.detail());
        out.println("  seats (consumed before -> after, of capacity):");
        for (WhatIf.Seats s : w.seats()) {
            out.printf("    %-28s %,8d -> %,8d of %,8d%s%s%n", s.product(), s.before(), s.after(), s.capacity(),
                    s.delta() == 0 ? "" : String.format("  (%+,d)", s.delta()),
                    s.after() > s.capacity() ? String.format("  OVER CAPACITY by %,d: holders keep their seats (SPEC R10) "
                            + "but nobody new gets one until %,d are bought or freed", s.after() - s.capacity(),
                            s.after() - s.capacity() + 1) : "");
        }
        out.println("nothing was changed (dry run)");
        return 0;
    }

    /** Events from JSON objects; a missing seq counts on from {@code firstSeq}, a missing time is the epoch. */
    static List<Event> parse(List<String> json, long firstSeq) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            String where = "--change " + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(json.get(i));
            } catch (JsonProcessingException e) {
                throw new LicensimException(where + ": not valid JSON" + (e.getLocation() == null ? ""
                        : " at column " + e.getLocation().getColumnNr()) + ": "
                        + e.getOriginalMessage());
            }
            if (!(n instanceof ObjectNode o)) {
                throw new LicensimException(where + ": expected an event object, found " + json.get(i));
            }
            if (!o.has("seq")) {
                o.put("seq", firstSeq + i);
            }
            if (!o.has("time")) {
                o.put("time", "1970-01-01T00:00:00Z");
            }
            try (EventReader r = new EventReader(new StringReader(o.toString()), where)) {
                out.add(r.next());
            } catch (java.io.IOException e) {
                throw new LicensimException(where + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private <T> void section(PrintWriter out, String title, List<T> items, Function<T, String> line) {
        PreviewRuleCommand.section(out, title, items, line, limit);
    }
}
