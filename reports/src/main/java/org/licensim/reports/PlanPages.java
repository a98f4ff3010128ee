package org.licensim.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The page of a capacity plan ({@code plan.json}, schema licensim.plan/1): advice per product, need per run, backtest. */
final class PlanPages {
    static final String SCHEMA = "licensim.plan/1";

    private PlanPages() {
    }

    static boolean isPlan(Path dir) {
        return Files.isRegularFile(dir.resolve("plan.json"));
    }

    static JsonNode read(Path dir) {
        Path f = dir.resolve("plan.json");
        JsonNode root = Json.read(f);
        String schema = root.path("schema").asText("");
        if (!schema.equals(SCHEMA)) {
            throw new ReportException(f + ": schema is \"" + schema + "\", this report reads \"" + SCHEMA + "\"");
        }
        Json.array(root, "products", f, "the file");
        return root;
    }

    static String day(JsonNode n) {
        return n == null || n.isNull() ? "-" : "day " + n.asInt();
    }

    /** A day of the plan as a date with its day number ("2026-02-23 (day 49)"), from the plan's start. */
    static String date(JsonNode plan, JsonNode n) {
        if (n == null || n.isNull()) {
            return "-";
        }
        return java.time.LocalDate.parse(plan.path("start").asText()).plusDays(n.asInt()) + " (day " + n.asInt() + ")";
    }

    static String label(JsonNode product) {
        return SimRun.label(product.path("name").asText(null), product.path("sku").asText());
    }

    static void add(Doc doc, JsonNode plan, String prefix) {
        int pct = (int) Math.round(plan.path("percentile").asDouble() * 100);
        Doc.Section s = doc.section(prefix + "plan", "Capacity plan: " + plan.path("scenario").asText());
        s.para(String.format(Locale.ROOT, "%d runs of the scenario's churn (seeds from %d%s), %d days from %s, %,d users, "
                + "day 0 %s. A product is short when more users want it than it has seats (holders plus users waiting). "
                + "Extra need is the users who wanted a product beyond the seats the scenario had that day; buying the "
                + "p%d extra need before the early (p%d) first short day keeps %d%% of runs free of waiting. Releasable "
                + "seats stayed unused on every day in %d%% of runs. Each figure carries its Monte Carlo error: the 95%% "
                + "interval over plans made with other seeds, and for dates a standard error in days.",
                plan.path("runs").asInt(), plan.path("seed").asLong(), plan.has("maxRuns") ? "; runs added until every "
                        + "buy-by date was known to within a day, at most " + plan.path("maxRuns").asInt() : "",
                plan.path("horizonDays").asInt(), plan.path("start").asText(), plan.path("users").asInt(),
                plan.path("day0").asText("drawn per run").equals("fixed") ? "the same in every run" : "drawn per run",
                pct, 100 - pct, pct, pct));
        Doc.TableBuilder t = new Doc.TableBuilder(null, "product", "#seats day 0", "#short in runs", "#extra p50",
                "#extra p" + pct, "#extra max", "buy (95% CI)", "first by (Monte Carlo error)", "first short p"
                + (100 - pct) + "-p" + pct, "#releasable");
        List<String> cats = new ArrayList<>();
        double[][] p50 = new double[2][plan.get("products").size()];
        double[][] pq = new double[2][plan.get("products").size()];
        double[][] max = new double[2][plan.get("products").size()];
        int i = 0;
        Map<String, JsonNode> advice = new LinkedHashMap<>();
        for (JsonNode a : plan.path("procurement").path("products")) {
            advice.put(a.path("sku").asText(), a);
        }
        for (JsonNode p : plan.get("products")) {
            JsonNode a = advice.get(p.path("sku").asText());
            JsonNode mc = p.path("monteCarlo");
            // with a purchase schedule, buy and its first date are the schedule's: one plan, the same numbers everywhere
            int buy = a != null ? a.path("buy").asInt() : p.path("buy").asInt();
            String by = a != null ? (buy > 0 ? a.path("schedule").get(0).path("neededBy").asText() + " (day "
                    + java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.parse(plan.path("start").asText()),
                            java.time.LocalDate.parse(a.path("schedule").get(0).path("neededBy").asText())) + ")" : "-")
                    : buy > 0 && p.path("buyByDate").isTextual() ? p.path("buyByDate").asText() + " ("
                            + day(p.get("buyByDay")) + ")" : "-";
            t.classedRow(buy > 0 ? "short" : null, label(p), SimulationPages.n(p.path("capacityStart").asLong()),
                    p.path("runsShort").asInt() + " of " + plan.path("runs").asInt(),
                    SimulationPages.n(p.path("needP50").asLong()), SimulationPages.n(p.path("needAtPercentile").asLong()),
                    SimulationPages.n(p.path("needMax").asLong()), buy > 0 ? SimulationPages.n(buy) + interval(mc.path("buy"))
                            : "-", buy > 0 ? by + error(mc.path("buyByDay")) : by,
                    p.path("firstShortDayEarly").isNull() || !p.has("firstShortDayEarly") ? "never"
                            : day(p.get("firstShortDayEarly")) + " to " + (p.path("firstShortDayLate").isNull()
                            ? "never" : day(p.get("firstShortDayLate"))),
                    SimulationPages.n(p.path("releasable").asLong()));
            // bars by the product's name (the table beside has the part number); a name-less product by part number
            cats.add(p.path("name").asText("").isBlank() ? p.path("sku").asText() : p.path("name").asText());
            p50[0][i] = p.path("needP50").asDouble();
            pq[0][i] = p.path("needAtPercentile").asDouble();
            max[0][i] = p.path("needMax").asDouble();
            p50[1][i] = Double.NaN;
            pq[1][i] = Double.NaN;
            max[1][i] = Double.NaN;
            i++;
        }
        s.add(t.build());
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("p50", p50);
        series.put("p" + pct, pq);
        series.put("max", max);
        s.chart(Charts.bars(prefix + "plan-need", "Extra seats needed beyond the plan, over the runs", "seats", cats,
                series, false));
        java.time.LocalDate day0 = java.time.LocalDate.parse(plan.path("start").asText());
        for (JsonNode p : plan.get("products")) {
            JsonNode d = p.get("daily");
            if (d == null || !d.path("date").isArray() || d.path("date").size() == 0) {
                continue; // a plan written before the daily band was
            }
            int n = d.path("date").size();
            int[] days = new int[n];
            for (int k = 0; k < n; k++) {
                days[k] = (int) java.time.temporal.ChronoUnit.DAYS.between(day0, java.time.LocalDate.parse(d.path("date").get(k).asText()));
            }
            int buy = p.path("buy").asInt();
            int markDay = buy > 0 ? p.path("buyByDay").asInt() : -1;
            String markText = buy > 0 ? "buy " + SimulationPages.n(buy) + " by " + p.path("buyByDate").asText() : "";
            JsonNode a = advice.get(p.path("sku").asText());
            if (a != null) {
                // the purchase schedule's first purchase, as the plan table and the advice say
                JsonNode first = a.path("schedule").path(0);
                markDay = first.isMissingNode() ? -1 : (int) java.time.temporal.ChronoUnit.DAYS.between(day0,
                        java.time.LocalDate.parse(first.path("neededBy").asText()));
                markText = first.isMissingNode() ? "" : "buy " + SimulationPages.n(first.path("units").asLong()) + " by "
                        + first.path("neededBy").asText() + (a.path("schedule").size() > 1 ? " (" + SimulationPages.n(
                        a.path("buy").asLong()) + " in all)" : "");
            }
            s.chart(Charts.demandBand(prefix + "plan-demand-" + SimulationPages.slug(p.path("sku").asText()), label(p), day0,
                    days, ints(d.path("capacity")), ints(d.path("demandLow")), ints(d.path("demandP50")),
                    ints(d.path("demandHigh")), "p" + (100 - pct) + "-p" + pct + " of demand over the runs",
                    markDay, markText));
        }
        schedule(doc, plan, prefix, pct);
        JsonNode b = plan.get("backtest");
        if (b != null) {
            backtest(doc, plan, b, prefix, pct);
        }
    }

    /** " (95% CI 12-19)" of a figure's Monte Carlo interval, or nothing in a plan written before they were. */
    static String interval(JsonNode x) {
        return x.isObject() ? " (" + bound(x.get("low")) + "-" + bound(x.get("high")) + ")" : "";
    }

    /** " +-0.8 d" of a date's Monte Carlo error ("+-?" when its interval reaches never short). */
    static String error(JsonNode x) {
        if (!x.isObject()) {
            return "";
        }
        return x.path("error").isNull() ? " +-? (may be never)"
                : String.format(Locale.ROOT, " +-%.1f d", x.path("error").asDouble());
    }

    private static String bound(JsonNode n) {
        return n == null || n.isNull() ? "never" : SimulationPages.n(n.asLong());
    }

    /** The backtest from the same start: per product, each rate beside the best a forecast can do. */
    private static void backtest(Doc doc, JsonNode plan, JsonNode b, String prefix, int pct) {
        Doc.Section bs = doc.section(prefix + "backtest", "Backtest on held-out runs");
        if (!b.has("byProduct")) {
            bs.para("This plan was written before the backtest scored what the plan prints; plan again to score it.");
            return;
        }
        bs.para(String.format(Locale.ROOT, "%d held-out runs (seeds the plan never used) %s play the "
                + "future; each row asks whether what the plan printed held in one of them. Beside each rate, in "
                + "brackets, the best a forecast can do: for the coverages the level the plan's %d runs give by "
                + "construction when the future is drawn like them (%.0f%%, %.0f%% and %.0f%%), for the 3-day rate the "
                + "share of the plan's own runs within 3 days of the median of the others.", b.path("truthRuns").asInt(),
                plan.path("day0").asText("fixed").equals("drawn") ? "each from a day 0 drawn like the plan's"
                        : "from the same day 0",
                b.path("runs").asInt(), 100 * b.path("dateCoveredNominal").asDouble(),
                100 * b.path("boughtInTimeNominal").asDouble(), 100 * b.path("enoughNominal").asDouble()));
        Doc.TableBuilder t = new Doc.TableBuilder(null, "product", "#rows", "first short day in p" + (100 - pct) + "-p"
                + pct, "median within 3 days", "buy-by date in time", "seats enough");
        for (JsonNode p : plan.get("products")) {
            JsonNode x = b.path("byProduct").path(p.path("sku").asText());
            t.row(label(p), Integer.toString(x.path("rows").asInt()), pctOf(x.path("dateCovered"),
                    b.path("dateCoveredNominal")), x.path("datedRows").asInt() == 0 ? "- (never short)"
                            : pctOf(x.path("within3Days"), x.path("within3DaysBound")) + " of " + x.path("datedRows").asInt(),
                    pctOf(x.path("boughtInTime"), b.path("boughtInTimeNominal")),
                    pctOf(x.path("enough"), b.path("enoughNominal")));
        }
        JsonNode all = b.path("all");
        t.row("all", Integer.toString(all.path("rows").asInt()), pctOf(all.path("dateCovered"),
                b.path("dateCoveredNominal")), all.path("datedRows").asInt() == 0 ? "- (never short)"
                        : pctOf(all.path("within3Days"), null) + " of " + all.path("datedRows").asInt(), pctOf(all.path("boughtInTime"), b.path("boughtInTimeNominal")),
                pctOf(all.path("enough"), b.path("enoughNominal")));
        bs.add(t.build());
    }

    private static String pctOf(JsonNode v, JsonNode best) {
        if (v == null || !v.isNumber()) {
            return "-";
        }
        String r = String.format(Locale.ROOT, "%.0f%%", 100 * v.asDouble());
        return best == null || !best.isNumber() ? r : r + String.format(Locale.ROOT, " (%.0f%%)", 100 * best.asDouble());
    }

    /** The purchase schedule, runway, reclaim and renewals of plan.json's {@code procurement} (absent in older plans). */
    private static void schedule(Doc doc, JsonNode plan, String prefix, int pct) {
        JsonNode pr = plan.get("procurement");
        if (pr == null) {
            return;
        }
        String cur = pr.path("currency").isNull() ? null : pr.path("currency").asText();
        Doc.Section s = doc.section(prefix + "schedule", "Purchase schedule");
        s.para(String.format(Locale.ROOT, "Seats to have in place per %s so that nobody waits at p%d, ordered %d days "
                + "before they are needed; purchases already dated and subscription lifecycle are counted. Runway: days "
                + "until somebody would wait (p%d, and the median).", pr.path("period").asText(), pct,
                pr.path("leadTimeDays").asInt(), pct));
        Doc.TableBuilder t = new Doc.TableBuilder(null, "product", "runway", "period", "#seats", "needed by", "order by",
                cur == null ? "note" : "#cost (" + cur + ")");
        for (JsonNode a : pr.path("products")) {
            int days = a.path("runwayDays").asInt();
            String runway = a.path("runwayDays").isNull() ? "beyond the horizon" : days + (days == 1 ? " day" : " days")
                    + (a.path("runwayMedianDays").isNull() ? "" : " (median " + a.path("runwayMedianDays").asInt() + ")");
            if (a.path("schedule").size() == 0) {
                t.row(label(a), runway, "-", "-", "-", "-", "-");
            }
            for (JsonNode p : a.path("schedule")) {
                t.classedRow(p.path("late").asBoolean() ? "short" : null, label(a), runway, p.path("period").asText(),
                        SimulationPages.n(p.path("units").asLong()), p.path("neededBy").asText(),
                        p.path("orderBy").asText() + (p.path("late").asBoolean() ? " (late: order now)" : ""),
                        cur == null ? "" : p.path("cost").isNull() ? "-" : String.format(Locale.ROOT, "%,.0f",
                                p.path("cost").asDouble()));
                runway = "";
            }
        }
        s.add(t.build());
        bringForward(s, pr);
        if (cur != null) {
            costs(s, pr, cur);
        }
        Doc.TableBuilder r = new Doc.TableBuilder(null, "product", "#held by disabled accounts",
                "#held by inactive users", "#buy", "#buy if reclaimed");
        boolean anyReclaim = false;
        for (JsonNode a : pr.path("products")) {
            int dis = a.path("reclaimDisabled").asInt();
            int ina = a.path("reclaimInactive").asInt(0);
            if (dis + ina > 0) {
                anyReclaim = true;
                r.row(label(a), SimulationPages.n(dis), a.path("reclaimInactive").isNull() ? "-" : SimulationPages.n(ina),
                        SimulationPages.n(a.path("buy").asLong()), SimulationPages.n(a.path("buyIfReclaimed").asLong()));
            }
        }
        if (anyReclaim) {
            s.para("Seats reclaimable today, and the schedule if they were reclaimed on day 0 (inactive: not signed in for "
                    + pr.path("inactiveDays").asInt() + " days" + (pr.path("signInActivity").asBoolean() ? ")."
                    : "; the export had no signInActivity)."));
            s.add(r.build());
        }
        if (pr.path("renewals").size() > 0) {
            // a subscription by its product, date and size; its id is in plan.json (procurement.renewals[].subscriptionId)
            Doc.TableBuilder n = new Doc.TableBuilder(null, "product", "date", "#units", "modelled",
                    "#seats short without it");
            Map<String, String> names = new LinkedHashMap<>();
            for (JsonNode p : plan.get("products")) {
                names.put(p.path("sku").asText(), label(p));
            }
            for (JsonNode x : pr.path("renewals")) {
                n.row(names.getOrDefault(x.path("sku").asText(), x.path("sku").asText()), x.path("date").asText(),
                        SimulationPages.n(x.path("units").asLong()), suspended(x) ? x.path("status").asText()
                                + ": locks out, units not counted" : x.path("lapses").asBoolean()
                                ? (x.path("isTrial").asBoolean() ? "trial ends" : "lapses") : "renews",
                        x.path("lapses").asBoolean() || suspended(x) ? "-" : SimulationPages.n(x.path("shortIfLapses").asLong()));
            }
            s.para("Subscriptions whose next lifecycle date is in the horizon.");
            s.add(n.build());
        }
    }

    /** The scenario's dated purchases that come too late, as the terminal prints them (nothing when none). */
    private static void bringForward(Doc.Section s, JsonNode pr) {
        Doc.TableBuilder b = new Doc.TableBuilder(null, "product", "#seats", "dated", "bring forward to", "order by");
        boolean any = false;
        for (JsonNode a : pr.path("products")) {
            for (JsonNode x : a.path("bringForward")) {
                any = true;
                b.classedRow("short", label(a), SimulationPages.n(x.path("units").asLong()), x.path("date").asText(),
                        x.path("by").asText(), x.path("orderBy").asText());
            }
        }
        if (any) {
            s.para("Purchases already dated that come after the product is first short: bring each forward to the date "
                    + "shown (the schedule above still counts them on their dated day).");
            s.add(b.build());
        }
    }

    /**
     * The money of the plan, as the terminal prints it: per product the price of a seat, what the
     * schedule costs to the end of the horizon, and what reclaiming (disabled and inactive
     * accounts) and releasing (seats no run needed) would save a year; then the totals.
     */
    private static void costs(Doc.Section s, JsonNode pr, String cur) {
        Doc.TableBuilder c = new Doc.TableBuilder(null, "product", "#per seat a month (" + cur + ")",
                (pr.has("costByMonth") ? "#schedule as committed (" : "#schedule to the horizon (") + cur + ")", "#reclaim saves a year (" + cur + ")",
                "#release saves a year (" + cur + ")");
        double cost = 0;
        double reclaim = 0;
        double release = 0;
        for (JsonNode a : pr.path("products")) {
            cost += a.path("scheduleCost").asDouble(0);
            reclaim += a.path("reclaimSavingsPerYear").asDouble(0);
            release += a.path("releasableSavingsPerYear").asDouble(0);
            c.row(label(a), money(a.path("perMonth")), money(a.path("scheduleCost")), money(a.path("reclaimSavingsPerYear")),
                    money(a.path("releasableSavingsPerYear")));
        }
        c.classedRow("total", "total", "", String.format(Locale.ROOT, "%,.0f", cost), String.format(Locale.ROOT, "%,.0f", reclaim),
                String.format(Locale.ROOT, "%,.0f", release));
        s.para(String.format(Locale.ROOT, "Cost and savings: the schedule costs %,.0f %s " + (pr.has("costByMonth")
                ? "as its purchases commit to" : "to the end of the horizon") + "; "
                + "reclaiming the seats held by disabled and inactive accounts would save %,.0f %s a year, and releasing the "
                + "seats no run needed %,.0f %s a year.", cost, cur, reclaim, cur, release, cur));
        s.add(c.build());
        if (pr.has("costByMonth")) {
            Doc.TableBuilder m = new Doc.TableBuilder(null, "period", "#committed (" + cur + ")");
            double total = 0;
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) () -> pr.get("costByMonth").fields()) {
                m.row(e.getKey(), money(e.getValue()));
            }
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) () -> pr.get("costByYear").fields()) {
                m.classedRow("total", "year " + e.getKey(), money(e.getValue()));
                total += e.getValue().asDouble();
            }
            s.para(String.format(Locale.ROOT, "What the schedule's purchases commit to (annual prices: a year per seat; "
                    + "monthly: the whole months to the horizon), by the month and the year they are needed: %,.0f %s in "
                    + "all.", total, cur));
            s.add(m.build());
        }
    }

    /** A subscription already suspended (or locked out): its next date takes nothing more away, as check reads it. */
    private static boolean suspended(JsonNode renewal) {
        String st = renewal.path("status").asText();
        return st.equals("Suspended") || st.equals("LockedOut");
    }

    private static String money(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || !Double.isFinite(n.asDouble())
                ? "-" : String.format(Locale.ROOT, "%,.0f", n.asDouble());
    }

    /** "87%", or "-" when there was nothing to divide (NaN, absent). */
    private static String percent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || !Double.isFinite(n.asDouble())
                ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * n.asDouble());
    }

    /** {@code format} of the number, or "-" when it is not one. */
    private static String number(JsonNode n, String format) {
        return n == null || n.isNull() || n.isMissingNode() || !Double.isFinite(n.asDouble())
                ? "-" : String.format(Locale.ROOT, format, n.asDouble());
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
