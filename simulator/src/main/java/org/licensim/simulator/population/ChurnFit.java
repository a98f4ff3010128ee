package org.licensim.simulator.population;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.graph.DirectoryAudits;
import org.licensim.core.io.SnapshotReader;
import org.licensim.simulator.scenario.ChurnCalendar;
import org.licensim.simulator.scenario.ChurnReader;
import org.licensim.simulator.scenario.TenantBase;
import org.licensim.simulator.scenario.TenantChurn.Pair;
import org.licensim.simulator.scenario.TenantChurn.Rate;
import org.licensim.simulator.scenario.TenantChurn.Rates;
import org.licensim.simulator.scenario.TenantChurn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Churn rates fitted from a tenant's history: an older snapshot of it (what changed between the
 * two, over the days between them) or Graph's directory audit log (what was done, over the days
 * it covers). Every rate is kept as what was observed ({@code n} events in {@code d} days), so
 * the planner's runs sample its uncertainty; a segment (department) gets its own hire, leaver
 * and transfer rates once it saw {@value #OWN_RATE_MIN} of them, and the others share the rest
 * in proportion to their size.
 */
public final class ChurnFit {
    /** Less history than this is refused: a week of counts says little about a quarter. */
    public static final int MIN_DAYS = 7;
    static final int OWN_RATE_MIN = 10;
    /** Dated history needed for weekday factors (two of each weekday) and for month factors (a year). */
    static final int WEEKLY_MIN_DAYS = 14;
    static final int MONTHLY_MIN_DAYS = 365;
    /** Events of a kind needed for factors of its own; the others take those of all kinds together. */
    static final int OWN_FACTORS_MIN = 50;
    private static final String UNKNOWN = "(unknown)";

    private final TenantChurn churn;
    private final List<String> report;

    private ChurnFit(TenantChurn churn, List<String> report) {
        this.churn = churn;
        this.report = report;
    }

    public TenantChurn churn() {
        return churn;
    }

    /** What was fitted, one line each, with the 95% intervals (for stderr and the plan report). */
    public List<String> report() {
        return report;
    }

    /** Counts per kind: per segment for people flows, per group and product for the edits. */
    private static final class Counts {
        final Map<String, double[]> segments = new LinkedHashMap<>(); // hires, leavers, transfers
        final Map<String, double[]> groups = new LinkedHashMap<>(); // adds, removes, by group id
        final Map<String, double[]> products = new LinkedHashMap<>(); // adds, removes, by part number
        double attributeEdits;
        double directEdits;
        final List<String> notes = new ArrayList<>();

        /** The day of the audit entry being counted (null when counting the changes between snapshots: no dates). */
        LocalDate today;
        /** Per churn kind ({@link ChurnCalendar#KINDS}), events seen by weekday and by month. */
        final double[][] byWeekday = new double[ChurnCalendar.KINDS.size()][7];
        final double[][] byMonth = new double[ChurnCalendar.KINDS.size()][12];

        void person(String segment, int kind) {
            segments.computeIfAbsent(TenantBase.segmentKey(segment), k -> new double[3])[kind]++;
            seen(kind);
        }

        void attributeEdit() {
            attributeEdits++;
            seen(3);
        }

        void directEdit() {
            directEdits++;
            seen(5);
        }

        void seen(int kind) {
            if (today != null) {
                byWeekday[kind][today.getDayOfWeek().getValue() - 1]++;
                byMonth[kind][today.getMonthValue() - 1]++;
            }
        }

        double total(int kind) {
            return segments.values().stream().mapToDouble(v -> v[kind]).sum();
        }
    }

    /**
     * Refuses an older snapshot that cannot be the same tenant earlier: one without users (such as
     * the products-only snapshot {@code simulate --events} writes beside its feed), or one that
     * shares no user with the newer. Fitted anyway, every user would count as a hire.
     */
    static void sameTenant(Path history, Tenant before, Path snapshot, Tenant now) {
        if (before.users().liveCount() == 0) {
            throw new LicensimException(history + " has no users, so every user of " + snapshot.getFileName()
                    + " would count as a hire: --history takes the same tenant some weeks earlier. (A simulation's "
                    + "snapshot.json holds only the products; its users arrive in events.jsonl. Run the same scenario "
                    + "and seed with fewer --days and resolve it: licensim resolve snapshot.json --events events.jsonl "
                    + "--on-reject skip --out-snapshot older.json)");
        }
        int common = 0;
        for (int u = 0; u < before.users().size() && common == 0; u++) {
            if (!before.users().isDeleted(u) && now.users().indexOf(before.users().id(u)) >= 0) {
                common++;
            }
        }
        if (common == 0 && now.users().liveCount() > 0) {
            throw new LicensimException("no user of " + history + " is in " + snapshot + " (by id): they are not the "
                    + "same tenant, so rates fitted from them would count every user as a hire and a leaver");
        }
    }

    public static ChurnFit fit(Path snapshot, Path history, Integer historyDays, Path audits) {
        if (history != null && audits != null) {
            throw new LicensimException("give one history to fit from: --history OLDER_SNAPSHOT or --audits FILE");
        }
        if (history == null && audits == null) {
            throw new LicensimException("nothing to fit from: give --history OLDER_SNAPSHOT or --audits FILE");
        }
        Tenant now = SnapshotReader.withDefaults().read(snapshot);
        Counts c = new Counts();
        double days;
        LocalDate from;
        LocalDate to;
        String source;
        if (history != null) {
            Tenant before = SnapshotReader.withDefaults().read(history);
            sameTenant(history, before, snapshot, now);
            if (before.evaluatedAt() != null && now.evaluatedAt() != null && historyDays == null) {
                days = (now.evaluatedAt() - before.evaluatedAt()) / 86_400.0;
                from = date(before.evaluatedAt());
                to = date(now.evaluatedAt());
            } else if (historyDays != null) {
                days = historyDays;
                to = now.evaluatedAt() != null ? date(now.evaluatedAt()) : null;
                from = to == null ? null : to.minusDays(historyDays);
            } else {
                throw new LicensimException(history + " and " + snapshot + " carry no evaluatedAt, so the days between "
                        + "them are unknown: give --history-days N");
            }
            if (days < 0) {
                throw new LicensimException(history + " (" + from + ") is newer than " + snapshot + " (" + to
                        + "): --history takes the older snapshot");
            }
            compare(before, now, c);
            source = "the changes from " + history.getFileName() + " to " + snapshot.getFileName();
        } else {
            List<DirectoryAudits.Entry> entries = DirectoryAudits.read(audits);
            if (entries.isEmpty()) {
                throw new LicensimException(audits + ": no successful audit entries to fit from");
            }
            Instant first = entries.get(0).time();
            Instant last = entries.get(entries.size() - 1).time();
            days = historyDays != null ? historyDays : Math.ceil((last.getEpochSecond() - first.getEpochSecond()) / 86_400.0);
            from = first.atZone(ZoneOffset.UTC).toLocalDate();
            to = historyDays != null ? from.plusDays(historyDays) : last.atZone(ZoneOffset.UTC).toLocalDate();
            audit(entries, now, c);
            source = "the directory audit log " + audits.getFileName() + " (" + entries.size() + " entries)";
        }
        if (days < MIN_DAYS) {
            throw new LicensimException("too little history to fit rates: " + source + " covers "
                    + String.format(Locale.ROOT, "%.1f", days) + " days; give at least " + MIN_DAYS + " (a month or more "
                    + "gives intervals worth planning on)" + (audits != null ? ", or --history-days N if the export "
                    + "covers more days than its entries span" : ""));
        }
        return build(c, days, from, to, source, now, audits != null);
    }

    private static LocalDate date(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC).toLocalDate();
    }

    /** What changed between two snapshots of one tenant; memberships and direct licences of people in both. */
    private static void compare(Tenant before, Tenant now, Counts c) {
        Users b = before.users();
        Users n = now.users();
        for (int u = 0; u < b.size(); u++) {
            if (b.isDeleted(u)) {
                continue;
            }
            int v = n.indexOf(b.id(u));
            if (v < 0 || n.isDeleted(v)) {
                c.person(b.get(u, "department"), 1);
                continue;
            }
            if (!java.util.Objects.equals(b.get(u, "department"), n.get(v, "department"))) {
                c.person(b.get(u, "department"), 2);
            } else if (!java.util.Objects.equals(b.get(u, "jobTitle"), n.get(v, "jobTitle"))
                    || !java.util.Objects.equals(TenantBase.value(b, u, "usageLocation"), TenantBase.value(n, v, "usageLocation"))
                    || b.accountEnabled(u) != n.accountEnabled(v)) {
                c.attributeEdits++;
            }
        }
        for (int v = 0; v < n.size(); v++) {
            if (!n.isDeleted(v) && b.indexOf(n.id(v)) < 0) {
                c.person(n.get(v, "department"), 0);
            }
        }
        Groups gn = now.groups();
        Groups gb = before.groups();
        int missing = 0;
        for (int g = 0; g < gn.size(); g++) {
            if (gn.isDeleted(g) || gn.isDynamic(g) || now.assignments().ofGroup(g).length == 0) {
                continue;
            }
            int og = gb.indexOf(gn.id(g));
            if (og < 0) {
                missing++;
                continue;
            }
            double[] ar = c.groups.computeIfAbsent(gn.id(g), k -> new double[2]);
            var it = gn.userMembers(g).getIntIterator();
            while (it.hasNext()) {
                int v = it.next();
                int u = b.indexOf(n.id(v));
                if (u >= 0 && !gb.userMembers(og).contains(u)) {
                    ar[0]++;
                }
            }
            var ot = gb.userMembers(og).getIntIterator();
            while (ot.hasNext()) {
                int u = ot.next();
                int v = n.indexOf(b.id(u));
                if (v >= 0 && !n.isDeleted(v) && !gn.userMembers(g).contains(v)) {
                    ar[1]++;
                }
            }
        }
        if (missing > 0) {
            c.notes.add(missing + " licensing group(s) are new since the older snapshot; their members are not counted "
                    + "as membership edits");
        }
        for (int p = 0; p < now.subscriptions().size(); p++) {
            c.products.put(now.subscriptions().product(p).skuPartNumber(), new double[2]);
        }
        for (int v = 0; v < n.size(); v++) {
            int u = n.isDeleted(v) ? -1 : b.indexOf(n.id(v));
            if (u < 0) {
                continue;
            }
            Set<String> had = directSkus(before, u);
            Set<String> has = directSkus(now, v);
            for (String s : has) {
                if (!had.contains(s) && c.products.containsKey(s)) {
                    c.products.get(s)[0]++;
                }
            }
            for (String s : had) {
                if (!has.contains(s) && c.products.containsKey(s)) {
                    c.products.get(s)[1]++;
                }
            }
        }
    }

    private static Set<String> directSkus(Tenant t, int u) {
        Set<String> out = new HashSet<>();
        for (Assignments.License l : t.assignments().directOf(u)) {
            out.add(t.subscriptions().product(l.product()).skuPartNumber());
        }
        return out;
    }

    /** What the audit log says was done. Joins and licences of people hired in the window are their hire's (not edits). */
    private static void audit(List<DirectoryAudits.Entry> entries, Tenant now, Counts c) {
        Users n = now.users();
        Groups gn = now.groups();
        Set<String> hired = new HashSet<>();
        Map<String, Integer> ignored = new LinkedHashMap<>();
        for (DirectoryAudits.Entry e : entries) {
            c.today = e.time().atZone(ZoneOffset.UTC).toLocalDate();
            switch (e.activity()) {
                case "Add user" -> {
                    hired.add(e.userId());
                    int v = e.userId() == null ? -1 : n.indexOf(e.userId());
                    String[] dept = e.modified().get("Department");
                    c.person(v >= 0 ? n.get(v, "department") : dept != null ? dept[1] : null, 0);
                }
                case "Delete user", "Hard delete user" -> {
                    if (e.activity().equals("Delete user")) {
                        c.person(UNKNOWN, 1);
                    }
                }
                case "Update user" -> {
                    String[] dept = e.modified().get("Department");
                    if (dept != null && !java.util.Objects.equals(dept[0], dept[1])) {
                        c.person(dept[0], 2);
                    } else if (e.modified().containsKey("JobTitle") || e.modified().containsKey("UsageLocation")
                            || e.modified().containsKey("AccountEnabled")) {
                        c.attributeEdit();
                    }
                }
                case "Disable account", "Enable account" -> c.attributeEdit();
                case "Add member to group", "Remove member from group" -> {
                    int g = e.groupId() == null ? -1 : gn.indexOf(e.groupId());
                    if (g >= 0 && !gn.isDynamic(g) && now.assignments().ofGroup(g).length > 0 && !hired.contains(e.userId())) {
                        c.groups.computeIfAbsent(e.groupId(), k -> new double[2])[e.activity().startsWith("Add") ? 0 : 1]++;
                        c.seen(4);
                    }
                }
                case "Change user license" -> {
                    if (!hired.contains(e.userId())) {
                        c.directEdit();
                    }
                }
                default -> ignored.merge(e.activity(), 1, Integer::sum);
            }
        }
        c.today = null;
        if (!ignored.isEmpty()) {
            List<String> kinds = new ArrayList<>();
            ignored.forEach((k, v) -> kinds.add(k + " (" + v + ")"));
            c.notes.add("audit activities that do not change licensing were not counted: "
                    + String.join(", ", kinds.subList(0, Math.min(6, kinds.size())))
                    + (kinds.size() > 6 ? ", ..." : ""));
        }
        if (c.segments.containsKey(UNKNOWN)) {
            c.notes.add("the audit log does not say a deleted user's department: leavers are spread over the tenant "
                    + "by department size (an older snapshot with --history would place them)");
        }
    }

    private static ChurnFit build(Counts c, double days, LocalDate from, LocalDate to, String source, Tenant now,
                                  boolean dated) {
        ChurnCalendar calendar = calendar(c, from, to, dated);
        Rate[] tenant = new Rate[3];
        Map<String, Rate[]> own = new LinkedHashMap<>();
        for (int k = 0; k < 3; k++) {
            double rest = 0;
            for (Map.Entry<String, double[]> e : c.segments.entrySet()) {
                double n = e.getValue()[k];
                if (n >= OWN_RATE_MIN && !e.getKey().equals(UNKNOWN)) {
                    own.computeIfAbsent(e.getKey(), x -> new Rate[3])[k] = Rate.observed(n, days);
                } else {
                    rest += n;
                }
            }
            tenant[k] = Rate.observed(rest, days);
        }
        Map<String, Rates> segments = new LinkedHashMap<>();
        own.forEach((k, r) -> segments.put(k, new Rates(r[0], r[1], r[2], null, null, null)));
        Map<String, Pair> groups = new LinkedHashMap<>();
        c.groups.forEach((id, v) -> groups.put(id, new Pair(Rate.observed(v[0], days), Rate.observed(v[1], days))));
        Map<String, Pair> products = new LinkedHashMap<>();
        c.products.forEach((sku, v) -> products.put(sku, new Pair(Rate.observed(v[0], days), Rate.observed(v[1], days))));
        Rates rates = new Rates(tenant[0], tenant[1], tenant[2], Rate.observed(c.attributeEdits, days), null,
                c.directEdits > 0 || products.isEmpty() ? Rate.observed(c.directEdits, days) : null);
        Map<String, Double> counts = new LinkedHashMap<>();
        counts.put("hires", c.total(0));
        counts.put("leavers", c.total(1));
        counts.put("transfers", c.total(2));
        counts.put("attributeEdits", c.attributeEdits);
        counts.put("memberEdits", c.groups.values().stream().mapToDouble(v -> v[0] + v[1]).sum());
        counts.put("directEdits", c.directEdits + c.products.values().stream().mapToDouble(v -> v[0] + v[1]).sum());
        TenantChurn.Fit fit = new TenantChurn.Fit(source, from, to, days, Map.copyOf(counts), List.copyOf(c.notes));
        TenantChurn churn = new TenantChurn(null, ChurnReader.DEFAULT_DAYS, 1, "department", rates,
                Map.copyOf(segments), Map.copyOf(groups), Map.copyOf(products), calendar,
                List.of(), List.of(), List.of(), ChurnReader.DEFAULT_GRACE_DAYS, fit);
        List<String> report = new ArrayList<>();
        int users = now.users().liveCount();
        report.add(String.format(Locale.ROOT, "fitted from %s: %.0f days%s", source, days,
                from == null ? "" : " (" + from + " to " + to + ")"));
        for (String kind : counts.keySet()) {
            double n = counts.get(kind);
            Rate r = Rate.observed(n, days);
            double[] ci = r.interval95(users);
            report.add(String.format(Locale.ROOT, "  %-15s %,8.0f seen, %8.2f a day (95%%: %.2f to %.2f), %.3f%% of the "
                    + "users a day", kind, n, r.mean(users), ci[0], ci[1], 100 * r.mean(users) / Math.max(1, users)));
        }
        report.addAll(factorLines("weekdays", calendar.weekly(), WEEKDAYS));
        report.addAll(factorLines("months", calendar.monthly(), MONTHS));
        if (!segments.isEmpty()) {
            report.add("  departments with rates of their own (" + OWN_RATE_MIN + "+ events of a kind): "
                    + String.join(", ", segments.keySet().stream().limit(10).toList())
                    + (segments.size() > 10 ? ", ... (" + segments.size() + ")" : ""));
        }
        for (String n : c.notes) {
            report.add("  note: " + n);
        }
        return new ChurnFit(churn, List.copyOf(report));
    }

    private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
        "Dec"};

    /**
     * Weekday factors (from {@value #WEEKLY_MIN_DAYS} days of dated history: two of each weekday)
     * and month factors (from a year), for all kinds together and for each kind seen
     * {@value #OWN_FACTORS_MIN} times, kept as what was seen so that the runs sample them.
     */
    private static ChurnCalendar calendar(Counts c, LocalDate from, LocalDate to, boolean dated) {
        if (!dated || from == null || to == null) {
            c.notes.add("two snapshots say how much changed, not when: no weekday or month factors were fitted (an audit "
                    + "export gives them; or write \"weekly\", \"monthly\" and \"waves\" into the churn file)");
            return ChurnCalendar.FLAT;
        }
        int span = (int) java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1;
        double[] weekdayDays = new double[7];
        double[] monthDays = new double[12];
        for (int i = 0; i < span; i++) {
            LocalDate d = from.plusDays(i);
            weekdayDays[d.getDayOfWeek().getValue() - 1]++;
            monthDays[d.getMonthValue() - 1]++;
        }
        Map<String, ChurnCalendar.Factors> weekly = new LinkedHashMap<>();
        Map<String, ChurnCalendar.Factors> monthly = new LinkedHashMap<>();
        if (span >= WEEKLY_MIN_DAYS) {
            factors(c.byWeekday, weekdayDays, weekly);
        } else {
            c.notes.add("weekday factors need " + WEEKLY_MIN_DAYS + " days of history (two of each weekday); this "
                    + "covers " + span);
        }
        if (span >= MONTHLY_MIN_DAYS) {
            factors(c.byMonth, monthDays, monthly);
        } else {
            c.notes.add("month factors (seasons) need a year of history; this covers " + span + " days: write "
                    + "\"monthly\" or \"waves\" into the churn file for a season or a hiring wave you know of");
        }
        return new ChurnCalendar(Map.copyOf(weekly), Map.copyOf(monthly), List.of());
    }

    private static void factors(double[][] seen, double[] slotDays, Map<String, ChurnCalendar.Factors> out) {
        double[] all = new double[slotDays.length];
        for (int k = 0; k < seen.length; k++) {
            double total = 0;
            for (int i = 0; i < all.length; i++) {
                all[i] += seen[k][i];
                total += seen[k][i];
            }
            if (total >= OWN_FACTORS_MIN) {
                out.put(ChurnCalendar.KINDS.get(k), ChurnCalendar.Factors.observed(seen[k], slotDays));
            }
        }
        if (java.util.Arrays.stream(all).sum() > 0) {
            out.put(ChurnCalendar.ALL, ChurnCalendar.Factors.observed(all, slotDays));
        }
    }

    /** "  weekdays, hires: Mon 1.32 (1.10-1.57), ..." per kind fitted, with each factor's 95% interval. */
    private static List<String> factorLines(String what, Map<String, ChurnCalendar.Factors> fs, String[] slots) {
        List<String> out = new ArrayList<>();
        for (String kind : fs.keySet().stream().sorted().toList()) {
            ChurnCalendar.Factors f = fs.get(kind);
            double[][] ci = f.interval95();
            StringBuilder b = new StringBuilder("  " + what + ", " + (kind.equals(ChurnCalendar.ALL) ? "all kinds" : kind)
                    + ":");
            for (int i = 0; i < slots.length; i++) {
                b.append(String.format(Locale.ROOT, " %s %.2f (%.2f-%.2f)", slots[i], f.values()[i], ci[i][0], ci[i][1]));
            }
            out.add(b.toString());
        }
        return out;
    }

    /** The fitted rates as a churn file (docs/PLANNING.md) that {@code --churn} reads back to the same plan. */
    public void write(Path file) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("description", report.get(0));
        root.put("days", churn.days());
        root.put("segmentBy", churn.segmentBy());
        ObjectNode rates = root.putObject("rates");
        rate(rates, "hires", churn.rates().hires());
        rate(rates, "leavers", churn.rates().leavers());
        rate(rates, "transfers", churn.rates().transfers());
        rate(rates, "attributeEdits", churn.rates().attributeEdits());
        rate(rates, "directEdits", churn.rates().directEdits());
        ObjectNode segs = root.putObject("segments");
        new java.util.TreeMap<>(churn.segments()).forEach((k, r) -> {
            ObjectNode o = segs.putObject(k);
            rate(o, "hires", r.hires());
            rate(o, "leavers", r.leavers());
            rate(o, "transfers", r.transfers());
        });
        ObjectNode groups = root.putObject("groups");
        new java.util.TreeMap<>(churn.groups()).forEach((k, p) -> {
            ObjectNode o = groups.putObject(k);
            rate(o, "adds", p.adds());
            rate(o, "removes", p.removes());
        });
        ObjectNode products = root.putObject("products");
        new java.util.TreeMap<>(churn.products()).forEach((k, p) -> {
            ObjectNode o = products.putObject(k);
            rate(o, "adds", p.adds());
            rate(o, "removes", p.removes());
        });
        calendar(root, churn.calendar());
        AtomicFile.write(file, "the fitted churn", out -> m.writerWithDefaultPrettyPrinter().writeValue(out, root));
    }

    /** The calendar in the churn file's form: factors as seen ({"observed", "days"}) or plain lists, and the waves. */
    static void calendar(ObjectNode root, ChurnCalendar c) {
        factorsJson(root, "weekly", c.weekly());
        factorsJson(root, "monthly", c.monthly());
        if (!c.waves().isEmpty()) {
            com.fasterxml.jackson.databind.node.ArrayNode ws = root.putArray("waves");
            for (ChurnCalendar.Wave w : c.waves()) {
                ObjectNode o = ws.addObject();
                o.put("from", w.from().toString());
                o.put("to", w.to().toString());
                if (w.count() != null) {
                    o.put(w.kinds().get(0), w.count());
                } else {
                    o.put("factor", w.factor());
                    w.kinds().forEach(o.putArray("kinds")::add);
                }
                if (w.note() != null) {
                    o.put("note", w.note());
                }
            }
        }
    }

    private static void factorsJson(ObjectNode root, String name, Map<String, ChurnCalendar.Factors> fs) {
        if (fs.isEmpty()) {
            return;
        }
        ObjectNode o = root.putObject(name);
        for (String kind : fs.keySet().stream().sorted().toList()) {
            ChurnCalendar.Factors f = fs.get(kind);
            if (f.isObserved()) {
                ObjectNode x = o.putObject(kind);
                java.util.Arrays.stream(f.observed()).forEach(x.putArray("observed")::add);
                java.util.Arrays.stream(f.days()).forEach(x.putArray("days")::add);
            } else {
                java.util.Arrays.stream(f.values()).forEach(o.putArray(kind)::add);
            }
        }
    }

    private static void rate(ObjectNode o, String name, Rate r) {
        if (r == null) {
            return;
        }
        ObjectNode v = o.putObject(name);
        v.put("observed", r.observed());
        v.put("days", r.overDays());
    }
}
