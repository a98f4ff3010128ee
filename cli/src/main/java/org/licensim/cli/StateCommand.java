package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.licensim.core.LicensimException;
import org.licensim.core.state.ChronicleStateStore;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;
import org.licensim.core.state.StoreSource;
import org.licensim.core.state.StoredEntry;
import org.licensim.core.state.StoredProduct;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code licensim state}: what a persisted store holds, for the store or one user. */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Shows a persisted store made by 'licensim resolve --store DIR': without --user, what it holds "
                + "(source, last applied event, counts, products); with --user, one user's licences with their sources, "
                + "enabled and disabled plans, states and errors, as a table or as Graph JSON. Opening a store verifies "
                + "it and, after a killed run, returns it to its last commit.",
                "Examples:", "  licensim state store/", "  licensim state store/ --user adele.vance@contoso.com",
                "  licensim state store/ --user a1b2c3d4-0001-4000-8000-000000000001 --format json"})
final class StateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Store directory.")
    Path dir;

    @Option(names = "--user", paramLabel = "USER", description = "The user's id or userPrincipalName (looked up in the "
            + "snapshot and events the store was resolved from, which resolve --store records; users created by events too).")
    String user;

    @Option(names = "--snapshot", paramLabel = "SNAPSHOT", description = "The snapshot the store was made from (checked "
            + "by its SHA-256), when it is no longer where resolve --store read it.")
    Path snapshot;

    @Option(names = "--events", paramLabel = "EVENTS", description = "The events the store was resolved with, when they "
            + "are no longer where resolve --store read them (to find a user created by events by userPrincipalName).")
    Path eventsFile;

    /** What resolve --store records in the store directory: the absolute paths of its snapshot and events. */
    static final String INPUTS = "inputs.json";

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (default), csv (one row per licence source; columns in docs/STORE.md) or json: Graph's "
                    + "assignedLicenses and licenseAssignmentStates.")
    Format format;

    @Option(names = "--verify", description = "Check every value's checksum, not just the commit record and counts "
            + "(about a second per million users).")
    boolean verify;

    private static final ObjectMapper JSON = Printer.JSON;

    /** The userPrincipalName --user gave, when it was one (the table names the user by it beside the id). */
    private String asked;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        try (ChronicleStateStore s = ChronicleStateStore.open(dir, verify, "licensim state (reading)")) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (s.recovery() != null) {
                err.println("note: " + dir + " was not closed cleanly; " + s.recovery());
            }
            Printer out = new Printer(format, o, err);
            if (user == null) {
                out.print(x -> overview(x, s, ms), () -> products(s), () -> overviewJson(s));
                return 0;
            }
            int u = s.userIndex(user);
            if (u < 0) {
                asked = user;
                user = idByName(s);
                u = s.userIndex(user);
            }
            List<StoredEntry> es = s.entries(u);
            out.print(x -> table(x, s, es), () -> csv(s, es), () -> graphJson(s, user, es));
            return 0;
        }
    }

    /** What the store holds: its source, last event, counts and products. */
    private void overview(PrintWriter o, ChronicleStateStore s, long ms) {
        o.printf("store %s%n", dir);
        o.printf("  source:             %s%n", s.source().orElseThrow());
        o.printf("  last applied event: %s%n", s.lastSeq() < 0 ? "none (the snapshot only)" : "seq " + s.lastSeq());
        o.printf("  users:              %,d (%,d with licence state)%n", s.userCount(), s.entries());
        o.printf("  groups:             %,d%n", s.groupCount());
        o.printf("  map files:          %,d MB%n", s.offHeapBytes() >> 20);
        o.printf("  opened in %,d ms%s%n", ms, verify ? ", every value's checksum verified" : "");
        o.println("  products:");
        Table t = new Table().indent("    ").noHeader().left("skuPartNumber", 32).left("skuId", 0).left("plans", 0);
        s.products().forEach(p -> t.row(p.skuPartNumber(), p.skuId(),
                "(" + p.planIds().length + (p.planIds().length == 1 ? " plan)" : " plans)")));
        t.print(o);
    }

    /** csv without --user: one row per product the store knows. */
    private static Table products(ChronicleStateStore s) {
        Table t = Table.of("skuPartNumber", "skuId", "plans");
        s.products().forEach(p -> t.row(p.skuPartNumber(), p.skuId(), p.planIds().length));
        return t;
    }

    /** json without --user: what the table says, as one object (docs/STORE.md). */
    private ObjectNode overviewJson(ChronicleStateStore s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("store", dir.toString());
        n.put("source", s.source().orElseThrow().toString());
        n.put("lastAppliedSeq", s.lastSeq());
        n.put("users", s.userCount());
        n.put("usersWithState", s.entries());
        n.put("groups", s.groupCount());
        n.put("mapFileBytes", s.offHeapBytes());
        ArrayNode ps = n.putArray("products");
        s.products().forEach(p -> ps.addObject().put("skuPartNumber", p.skuPartNumber()).put("skuId", p.skuId())
                .put("plans", p.planIds().length));
        return n;
    }

    private void table(PrintWriter o, ChronicleStateStore s, List<StoredEntry> es) {
        // by the name asked for; the id is in CSV and JSON
        o.printf("user %s: state after event seq %d%n", asked == null ? user : asked, s.lastSeq());
        if (es.isEmpty()) {
            o.println("  no licences (none assigned, or the user was deleted)");
            return;
        }
        groupNames = groupNames(s, es);
        // columns as wide as their longest value, so a long group name never pushes the next column out of line
        Table t = Table.of("product", "assigned by", "state", "error", "plans", "last updated").indent("  ");
        for (StoredEntry e : es) {
            StoredProduct p = s.products().get(e.product());
            int on = 0;
            for (int i = 0; i < p.planIds().length; i++) {
                on += enabled(e, i) ? 1 : 0;
            }
            Instant when = StateStore.instant(e.time());
            t.row(productName(p), source(s, e), States.stateName(e.state()), States.errorName(e.state()),
                    on + "/" + p.planIds().length, when == null ? "(snapshot)" : when.toString());
        }
        t.print(o);
        for (StoredEntry e : es) {
            StoredProduct p = s.products().get(e.product());
            StringBuilder off = new StringBuilder();
            for (int i = 0; i < p.planIds().length; i++) {
                if (!enabled(e, i)) {
                    off.append(off.length() == 0 ? "" : ", ").append(planName(p.planIds()[i], p.planNames()[i]));
                }
            }
            if (off.length() > 0) {
                o.printf("  disabled in %s from %s: %s%n", productName(p), source(s, e), off);
            }
        }
    }

    /** One row per licence source of the user: product, where it comes from, its state and its plans. */
    private Table csv(ChronicleStateStore s, List<StoredEntry> es) {
        Table t = Table.of("userId", "skuPartNumber", "skuId", "assignedByGroup", "state", "error", "enabledPlans", "plans",
                "disabledPlans", "lastUpdated", "lastAppliedSeq");
        for (StoredEntry e : es) {
            StoredProduct p = s.products().get(e.product());
            int on = 0;
            StringBuilder off = new StringBuilder();
            for (int i = 0; i < p.planIds().length; i++) {
                if (enabled(e, i)) {
                    on++;
                } else {
                    off.append(off.length() == 0 ? "" : " ").append(p.planNames()[i]);
                }
            }
            Instant when = StateStore.instant(e.time());
            t.row(user, p.skuPartNumber(), p.skuId(), StateStore.isDirect(e.src()) ? "" : s.groupId(e.src()),
                    States.stateName(e.state()), States.errorName(e.state()), on, p.planIds().length, off,
                    when == null ? "" : when.toString(), s.lastSeq());
        }
        return t;
    }

    private String source(ChronicleStateStore s, StoredEntry e) {
        if (StateStore.isDirect(e.src())) {
            return "direct";
        }
        String g = s.groupId(e.src());
        String name = g == null || groupNames == null ? null : groupNames.get(g);
        return "group " + (g == null ? "#" + e.src() : name != null ? "\"" + name + "\"" : g);
    }

    /** Display names of the groups {@link #source} names, for the table (ids in CSV and JSON). */
    private java.util.Map<String, String> groupNames;

    /**
     * The display names of the groups the user's entries come from: the store keeps ids only, so
     * they are read from the inputs resolve --store recorded (or --snapshot/--events): the snapshot's
     * groups, then GroupCreated events up to the store's last seq. Inputs that are gone or another
     * snapshot give no names: the table then shows the ids, as before.
     */
    private java.util.Map<String, String> groupNames(ChronicleStateStore s, List<StoredEntry> es) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        for (StoredEntry e : es) {
            if (!StateStore.isDirect(e.src()) && s.groupId(e.src()) != null) {
                wanted.add(s.groupId(e.src()));
            }
        }
        java.util.Map<String, String> out = new java.util.HashMap<>();
        if (wanted.isEmpty()) {
            return out;
        }
        com.fasterxml.jackson.databind.JsonNode rec = null;
        try {
            Path recorded = dir.resolve(INPUTS);
            rec = java.nio.file.Files.isRegularFile(recorded) ? JSON.readTree(recorded.toFile()) : null;
        } catch (java.io.IOException e) {
            rec = null;
        }
        Path snap = snapshot != null ? snapshot : rec != null && rec.hasNonNull("snapshot") ? Path.of(rec.get("snapshot").asText()) : null;
        Path ev = eventsFile != null ? eventsFile : rec != null && rec.hasNonNull("events") ? Path.of(rec.get("events").asText()) : null;
        try {
            if (snap == null || !java.nio.file.Files.isRegularFile(snap) || s.source().isEmpty()
                    || !s.source().get().sameContent(StoreSource.ofFile(snap))) {
                return out;
            }
            var groups = org.licensim.core.io.SnapshotReader.withDefaults().read(snap).groups();
            for (int g = 0; g < groups.size(); g++) {
                if (wanted.contains(groups.id(g)) && groups.displayName(g) != null && !groups.displayName(g).isBlank()) {
                    out.put(groups.id(g), groups.displayName(g));
                }
            }
            if (out.size() < wanted.size() && ev != null && s.lastSeq() >= 0 && java.nio.file.Files.isRegularFile(ev)) {
                try (org.licensim.core.io.EventReader r = org.licensim.core.io.EventReader.open(ev)) {
                    for (org.licensim.core.event.Event e = r.next(); e != null && e.seq() <= s.lastSeq(); e = r.next()) {
                        if (e instanceof org.licensim.core.event.Event.GroupCreated c && wanted.contains(c.groupId())
                                && c.displayName() != null && !c.displayName().isBlank()) {
                            out.put(c.groupId(), c.displayName());
                        }
                    }
                }
            }
        } catch (java.io.IOException | LicensimException unreadable) {
            return out; // names are a courtesy here: the ids still say which group
        }
        return out;
    }

    private org.licensim.core.catalog.Catalog catalog;

    /** A plan by Microsoft's friendly name from the shipped catalog ("Microsoft 365 Apps for enterprise"), else its name. */
    private String planName(String id, String name) {
        catalog = catalog != null ? catalog : org.licensim.core.catalog.Catalog.loadDefault();
        org.licensim.core.catalog.ServicePlan sp = catalog.findPlan(id);
        return sp == null || sp.friendlyName() == null || sp.friendlyName().isBlank() ? name : sp.friendlyName().strip();
    }

    /** "Office 365 E3 (ENTERPRISEPACK)" from the shipped catalog, else the part number. */
    private String productName(StoredProduct p) {
        catalog = catalog != null ? catalog : org.licensim.core.catalog.Catalog.loadDefault();
        org.licensim.core.catalog.Product c = catalog.findProduct(p.skuId());
        return c == null || c.displayName() == null || c.displayName().isBlank() ? p.skuPartNumber()
                : c.displayName() + " (" + p.skuPartNumber() + ")";
    }

    private static boolean enabled(StoredEntry e, int plan) {
        return (e.enabled()[plan >>> 6] & (1L << plan)) != 0;
    }

    /** The user as Graph shows it: assignedLicenses (the union of held sources) and licenseAssignmentStates. */
    private static ObjectNode graphJson(ChronicleStateStore s, String id, List<StoredEntry> es) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("lastAppliedSeq", s.lastSeq());
        ArrayNode assigned = n.putArray("assignedLicenses");
        for (int t = 0; t < s.products().size(); t++) {
            long[] union = null;
            for (StoredEntry e : es) {
                if (e.product() == t && States.holds(e.state())) {
                    if (union == null) {
                        union = e.enabled().clone();
                    } else {
                        for (int w = 0; w < union.length; w++) {
                            union[w] |= e.enabled()[w];
                        }
                    }
                }
            }
            if (union != null) {
                ObjectNode a = assigned.addObject();
                a.put("skuId", s.products().get(t).skuId());
                disabled(a, s.products().get(t), union);
            }
        }
        ArrayNode states = n.putArray("licenseAssignmentStates");
        for (StoredEntry e : es) {
            ObjectNode a = states.addObject();
            StoredProduct p = s.products().get(e.product());
            a.put("skuId", p.skuId());
            if (StateStore.isDirect(e.src())) {
                a.putNull("assignedByGroup");
            } else {
                a.put("assignedByGroup", s.groupId(e.src()));
            }
            a.put("state", States.stateName(e.state()));
            a.put("error", States.errorName(e.state()));
            disabled(a, p, e.enabled());
            Instant when = StateStore.instant(e.time());
            if (when == null) {
                a.putNull("lastUpdatedDateTime");
            } else {
                a.put("lastUpdatedDateTime", when.toString());
            }
        }
        return n;
    }

    private static void disabled(ObjectNode a, StoredProduct p, long[] enabled) {
        ArrayNode d = a.putArray("disabledPlans");
        for (int i = 0; i < p.planIds().length; i++) {
            if ((enabled[i >>> 6] & (1L << i)) == 0) {
                d.add(p.planIds()[i]);
            }
        }
    }

    /**
     * The id of the user whose userPrincipalName is {@code --user} (ignoring case): looked up in the
     * snapshot the store was made from (checked by its SHA-256 against the store's source), then in
     * the events applied to it (up to its last seq: users created, renamed or deleted by events).
     * The paths come from {@code --snapshot}/{@code --events}, else from what resolve --store
     * recorded ({@value #INPUTS}); refused, naming what to give, when they are missing, another
     * snapshot, or the name is unknown or ambiguous.
     */
    private String idByName(ChronicleStateStore s) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode rec = null;
        Path recorded = dir.resolve(INPUTS);
        if (java.nio.file.Files.isRegularFile(recorded)) {
            try {
                rec = JSON.readTree(recorded.toFile());
            } catch (java.io.IOException e) {
                rec = null; // an unreadable record is as good as none: the messages below say what to give
            }
        }
        Path snap = snapshot != null ? snapshot : rec != null && rec.hasNonNull("snapshot") ? Path.of(rec.get("snapshot").asText()) : null;
        Path ev = eventsFile != null ? eventsFile : rec != null && rec.hasNonNull("events") ? Path.of(rec.get("events").asText()) : null;
        if (snap == null) {
            throw new LicensimException("--user " + user + ": no user with that id in store " + dir + ", and the store "
                    + "records no snapshot to look the name up in (made by an older licensim): give --snapshot, the "
                    + "snapshot the store was made from (" + s.source().orElseThrow() + "), and --events for a user created by events");
        }
        String from = snapshot != null ? "--snapshot " + snap : "the snapshot " + snap + " (recorded in " + recorded + ")";
        if (!java.nio.file.Files.isRegularFile(snap)) {
            throw new LicensimException("--user " + user + ": no user with that id in store " + dir + "; to look the name up, "
                    + from + " is no longer there: give --snapshot with its new path");
        }
        StoreSource given = StoreSource.ofFile(snap);
        StoreSource made = s.source().orElseThrow();
        if (!made.sameContent(given)) {
            throw new LicensimException(from + ": not the snapshot store " + dir + " was made from (" + made
                    + "; this one is " + given + "): give --snapshot with the right one");
        }
        org.licensim.core.directory.Users users = org.licensim.core.io.SnapshotReader.withDefaults().read(snap).users();
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (int u = 0; u < users.size(); u++) {
            if (!users.isDeleted(u) && user.equalsIgnoreCase(users.get(u, "userPrincipalName"))) {
                ids.add(users.id(u));
            }
        }
        boolean readEvents = ev != null && s.lastSeq() >= 0 && java.nio.file.Files.isRegularFile(ev);
        if (readEvents) {
            try (org.licensim.core.io.EventReader r = org.licensim.core.io.EventReader.open(ev)) {
                for (org.licensim.core.event.Event e = r.next(); e != null && e.seq() <= s.lastSeq(); e = r.next()) {
                    if (e instanceof org.licensim.core.event.Event.UserCreated c) {
                        if (user.equalsIgnoreCase(c.user().strings.get("userPrincipalName"))) {
                            ids.add(c.user().id);
                        }
                    } else if (e instanceof org.licensim.core.event.Event.UserAttributesChanged c
                            && c.attributes().strings.containsKey("userPrincipalName")) {
                        if (user.equalsIgnoreCase(c.attributes().strings.get("userPrincipalName"))) {
                            ids.add(c.userId());
                        } else {
                            ids.remove(c.userId());
                        }
                    } else if (e instanceof org.licensim.core.event.Event.UserDeleted d) {
                        ids.remove(d.userId());
                    }
                }
            }
        }
        ids.removeIf(id -> s.userIndex(id) < 0);
        if (ids.isEmpty()) {
            throw new LicensimException("--user " + user + ": neither an id in store " + dir + " nor the userPrincipalName "
                    + "of a user it holds (looked up in " + snap + (readEvents ? " and " + ev + " up to seq " + s.lastSeq()
                    : s.lastSeq() >= 0 ? "; the events applied to the store were not read: give --events" : "") + ")");
        }
        if (ids.size() > 1) {
            throw new LicensimException("--user " + user + " is the userPrincipalName of " + ids.size() + " users in "
                    + "store " + dir + ": " + String.join(", ", ids) + "; give one id");
        }
        return ids.iterator().next();
    }
}
