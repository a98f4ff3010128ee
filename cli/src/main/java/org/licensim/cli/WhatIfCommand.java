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
import org.licensim.core.graph.GraphRequests;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.planning.HealthCheck;
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
                + "product before and after. A change is an event of the feed format (docs/FORMATS.md), where a group "
                + "may be named by its display name and a user by its userPrincipalName; seq and time "
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


    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (default: users by userPrincipalName), csv (one row per finding, every row, columns "
                    + "in docs/PLANNING.md) or json (one object).")
    Format format;

    @Override
    public Integer call() throws java.io.IOException {
        Main.requireNonNegative(spec, "--limit", limit);
        SnapshotReader reader = SnapshotReader.withDefaults();
        Tenant probe = reader.read(snapshot);
        List<Event> events = parse(changes, Math.max(0, probe.lastAppliedSeq() + 1), WhatIf.clock(probe), probe);
        WhatIf w = WhatIf.of(() -> reader.read(snapshot), events);
        Names names = new Names(probe);
        List<String> said = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            said.add(words(probe, events.get(i), changes.get(i), names));
        }
        new Printer(format, spec).print(o -> table(o, w, names, said), () -> csv(w, names), () -> json(w, names));
        return 0;
    }

    /** Each section counted, at most --limit lines of it, users and products by name; then the seats. */
    private void table(PrintWriter out, WhatIf w, Names names, List<String> said) {
        out.printf("what if, on %s:%n", snapshot);
        for (int i = 0; i < said.size(); i++) {
            out.printf("  change %d: %s%n", i + 1, said.get(i));
        }
        section(out, "group memberships", w.memberships(), m -> (m.joins() ? "+ " : "- ") + names.user(m.user())
                + (m.joins() ? " joins " : " leaves ") + names.group(m.group()));
        section(out, "licences gained", w.gained(), c -> names.user(c.user()) + " gains " + names.productLabel(c.product()));
        section(out, "licences lost", w.lost(), c -> names.user(c.user()) + " loses " + names.productLabel(c.product()));
        section(out, "service plans changed", w.plansChanged(), c -> names.user(c.user()) + ", "
                + names.productLabel(c.product()) + ": " + c.detail());
        section(out, "licences that change kind", w.kindChanged(), c -> names.user(c.user()) + ", "
                + names.productLabel(c.product()) + ": " + c.detail());
        section(out, "new errors", w.newErrors(), c -> names.user(c.user()) + ", " + names.productLabel(c.product()) + ": "
                + c.detail());
        Table seats = PreviewRuleCommand.seats();
        for (WhatIf.Seats s : w.seats()) {
            seats.row(names.productLabel(s.product()), s.before(), "->", s.after(), "of", s.capacity(),
                    (s.delta() == 0 ? "" : String.format("  (%+,d)", s.delta()))
                    + (s.after() > s.capacity() ? String.format("  OVER CAPACITY by %,d: holders keep their seats (SPEC R10) "
                            + "but nobody new gets one until %,d are bought or freed", s.after() - s.capacity(),
                            s.after() - s.capacity() + 1) : ""));
        }
        out.println("  seats (consumed before -> after, of capacity):");
        seats.print(out);
        for (var wait : w.waitingAfter()) {
            out.printf("  still waiting: %,d %s for %s while %,d %s free after the changes: seats added do not reach "
                    + "sources that already failed (SPEC R18); add %s%n", wait.users(),
                    wait.users() == 1 ? "user waits" : "users wait", names.productLabel(wait.sku()), wait.free(),
                    wait.free() == 1 ? "seat is" : "seats are", reprocess(wait, names));
        }
        out.println("nothing was changed (dry run)");
    }

    /** The change that would give the waiting users their seats, as the user would type it. */
    private static String reprocess(HealthCheck.WaitingWhileFree wait, Names names) {
        if (wait.groups().isEmpty()) {
            return "a {\"type\":\"Reprocess\",\"userId\":...} change for each user with the direct assignment";
        }
        List<String> cs = new ArrayList<>();
        for (String g : wait.groups()) {
            cs.add("--change '{\"type\":\"Reprocess\",\"groupId\":" + JSON.valueToTree(names.groupName(g)) + "}'");
        }
        return String.join(" ", cs);
    }

    /**
     * One row per finding: section,userId,userPrincipalName,groupId,group,product,productName,detail,
     * plansOn,plansOff,before,after,capacity (service plans by internal name, separated by ";").
     */
    private static Table csv(WhatIf w, Names n) {
        Table out = Table.of("section", "userId", "userPrincipalName", "groupId", "group", "product", "productName", "detail",
                "plansOn", "plansOff", "before", "after", "capacity");
        for (WhatIf.Membership m : w.memberships()) {
            out.row(m.joins() ? "joins" : "leaves", m.user(), n.upn(m.user()), m.group(), n.groupName(m.group()),
                    null, null, null, null, null, null, null, null);
        }
        changes(out, "gained", w.gained(), n);
        changes(out, "lost", w.lost(), n);
        changes(out, "plansChanged", w.plansChanged(), n);
        changes(out, "kindChanged", w.kindChanged(), n);
        changes(out, "newError", w.newErrors(), n);
        for (WhatIf.Seats s : w.seats()) {
            out.row("seats", null, null, null, null, s.product(), n.product(s.product()),
                    s.after() > s.capacity() ? "over capacity" : null, null, null, s.before(), s.after(), s.capacity());
        }
        for (var wait : w.waitingAfter()) {
            out.row("waiting", null, null, String.join(";", wait.groups()), wait.groups().stream().map(n::groupName)
                    .collect(java.util.stream.Collectors.joining(";")), wait.sku(), wait.name(),
                    String.format(java.util.Locale.ROOT, "%d users wait while %d seats are free: reprocess (SPEC R18)",
                            wait.users(), wait.free()), null, null, null, null, null);
        }
        return out;
    }

    private static void changes(Table out, String section, List<WhatIf.Change> cs, Names n) {
        for (WhatIf.Change c : cs) {
            out.row(section, c.user(), n.upn(c.user()), c.group(), c.group() == null ? null : n.groupName(c.group()),
                    c.product(), n.product(c.product()), c.detail(), Names.planNames(c.plansOn()),
                    Names.planNames(c.plansOff()), null, null, null);
        }
    }

    /** The same findings as one JSON object, every list complete, with names beside the ids. */
    private static ObjectNode json(WhatIf w, Names n) {
        ObjectNode root = JSON.createObjectNode();
        var memberships = root.putArray("memberships");
        for (WhatIf.Membership m : w.memberships()) {
            memberships.addObject().put("userId", m.user()).put("userPrincipalName", n.upn(m.user()))
                    .put("groupId", m.group()).put("group", n.groupName(m.group())).put("joins", m.joins());
        }
        for (var section : List.of(java.util.Map.entry("gained", w.gained()), java.util.Map.entry("lost", w.lost()),
                java.util.Map.entry("plansChanged", w.plansChanged()), java.util.Map.entry("kindChanged", w.kindChanged()),
                java.util.Map.entry("newErrors", w.newErrors()))) {
            var arr = root.putArray(section.getKey());
            for (WhatIf.Change c : section.getValue()) {
                ObjectNode o = arr.addObject().put("userId", c.user()).put("userPrincipalName", n.upn(c.user()))
                        .put("product", c.product()).put("productName", n.product(c.product())).put("detail", c.detail());
                if (c.group() != null) {
                    o.put("groupId", c.group()).put("group", n.groupName(c.group()));
                }
                if (!c.plansOn().isEmpty() || !c.plansOff().isEmpty()) {
                    Names.planArray(o.putArray("plansOn"), c.plansOn());
                    Names.planArray(o.putArray("plansOff"), c.plansOff());
                }
            }
        }
        var seats = root.putArray("seats");
        for (WhatIf.Seats s : w.seats()) {
            seats.addObject().put("product", s.product()).put("productName", n.product(s.product()))
                    .put("before", s.before()).put("after", s.after()).put("capacity", s.capacity())
                    .put("overCapacity", s.after() > s.capacity());
        }
        root.set("waitingWhileSeatsAreFree", JSON.valueToTree(w.waitingAfter()));
        return root;
    }

    /**
     * A change in words, users by userPrincipalName, groups and products by name ("remove Office 365 E3
     * (ENTERPRISEPACK) from group \"Sales\""), as {@code --apply} describes its requests; a change with no
     * Graph request (a user created) is shown as it was given; seats bought or cut are said with their counts.
     */
    static String words(Tenant before, Event e, String given, Names names) {
        if (e instanceof Event.UnitsChanged u) {
            var p = u.prepaidUnits();
            return String.format(java.util.Locale.ROOT, "%s: seats set to %,d enabled, %,d in warning (%,d usable), %,d suspended, %,d locked out",
                    names.productLabel(u.skuId()), p.enabled(), p.warning(), p.capacity(), p.suspended(), p.lockedOut());
        }
        try {
            return GraphRequests.of(before, List.of(e)).requests().get(0).description();
        } catch (LicensimException noGraphRequest) {
            return given;
        }
    }

    /**
     * Events from JSON objects; a missing seq counts on from {@code firstSeq}, a missing time is
     * {@code clock} (the tenant's system.now, so that time-driven rules do not move). Typed by a
     * person, so a group may be named by its display name and a user by its userPrincipalName
     * (each when exactly one has it); they become ids before the event is read.
     */
    static List<Event> parse(List<String> json, long firstSeq, java.time.Instant clock, Tenant tenant) {
        List<Event> out = new ArrayList<>();
        java.util.Set<String> made = new java.util.HashSet<>();
        for (int i = 0; i < json.size(); i++) {
            String where = "--change " + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(json.get(i));
            } catch (JsonProcessingException e) {
                throw new LicensimException(where + ": not valid JSON" + (e.getLocation() == null ? ""
                        : " at column " + e.getLocation().getColumnNr()) + ": "
                        + org.licensim.core.files.JsonSyntax.words(e));
            }
            if (!(n instanceof ObjectNode o)) {
                throw new LicensimException(where + ": expected an event object, found " + json.get(i));
            }
            if (!o.has("seq")) {
                o.put("seq", firstSeq + i);
            }
            byName(o, tenant, made, where);
            if (!o.has("time")) {
                o.put("time", clock.toString());
            }
            try (EventReader r = new EventReader(new StringReader(o.toString()), where)) {
                out.add(r.next());
            } catch (java.io.IOException e) {
                throw new LicensimException(where + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * {@code groupId}, {@code userId} and {@code memberId} given as names replaced by the ids they
     * name. A value that is an id (of the tenant, or made by an earlier change) or that names nothing
     * is kept, so the engine's own refusal names it; a name two groups share is refused here.
     */
    private static void byName(ObjectNode o, Tenant tenant, java.util.Set<String> made, String where) {
        JsonNode type = o.get("type");
        boolean creates = type != null && (type.asText().equals("GroupCreated") || type.asText().equals("UserCreated"));
        if (creates) {
            JsonNode id = type.asText().equals("GroupCreated") ? o.get("groupId") : o.path("user").get("id");
            if (id != null && id.isTextual()) {
                made.add(id.asText());
            }
            return;
        }
        for (String field : List.of("groupId", "userId", "memberId")) {
            JsonNode v = o.get(field);
            if (v == null || !v.isTextual() || made.contains(v.asText()) || tenant.users().indexOf(v.asText()) >= 0
                    || tenant.groups().indexOf(v.asText()) >= 0) {
                continue;
            }
            int u = field.equals("groupId") ? -1 : userByName(tenant, v.asText());
            if (u >= 0) {
                o.put(field, tenant.users().id(u));
            } else if (!field.equals("userId") && named(tenant, v.asText()) > 0) {
                try { // one group of that name gives its index; two or more are refused, naming their ids
                    o.put(field, tenant.groups().id(tenant.groups().resolve(v.asText())));
                } catch (LicensimException ambiguous) {
                    throw new LicensimException(where + ": " + ambiguous.getMessage());
                }
            }
        }
    }

    /** How many live groups have the display name {@code name} (ignoring case). */
    private static int named(Tenant tenant, String name) {
        int n = 0;
        for (int g = 0; g < tenant.groups().size(); g++) {
            if (!tenant.groups().isDeleted(g) && name.equalsIgnoreCase(tenant.groups().displayName(g))) {
                n++;
            }
        }
        return n;
    }

    /** The live user whose userPrincipalName is {@code name} (ignoring case), or -1. */
    private static int userByName(Tenant tenant, String name) {
        for (int u = 0; u < tenant.users().size(); u++) {
            if (!tenant.users().isDeleted(u) && name.equalsIgnoreCase(tenant.users().get(u, "userPrincipalName"))) {
                return u;
            }
        }
        return -1;
    }

    private <T> void section(PrintWriter out, String title, List<T> items, Function<T, String> line) {
        PreviewRuleCommand.section(out, title, items, line, limit);
    }
}
