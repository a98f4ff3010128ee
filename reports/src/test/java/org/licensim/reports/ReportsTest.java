package org.licensim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reports from checked-in result files: real runs of this project (a 1,000-user simulation, JMH
 * runs before and after the reconcile's cutoff phase, a rerun of the event benchmarks, the store
 * benchmark), parsed back as HTML and checked for their sections, tables and charts.
 */
class ReportsTest {
    static Path fixture(String name) {
        try {
            return Path.of(ReportsTest.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the document, checks what every report must be, and returns the parsed HTML. */
    static Document written(Doc doc, Path dir) throws IOException {
        List<Path> files = Reports.write(doc, dir.resolve("report.html"));
        String html = Files.readString(files.get(0));
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        Document d = Jsoup.parse(html);
        // self-contained: no script, no external resource, no link out of the page
        assertTrue(d.select("script, link, img, iframe, object").isEmpty(), "external or active content in the report");
        for (Element a : d.select("[href], [src]")) {
            String ref = a.hasAttr("href") ? a.attr("href") : a.attr("src");
            assertTrue(ref.startsWith("#"), "reference out of the page: " + ref);
        }
        // one SVG per chart, each with a title and labelled axes
        assertEquals(doc.charts().size(), d.select("figure.chart").size());
        assertEquals(doc.charts().size(), d.select("figure.chart > div > svg").size());
        for (Charts.Svg c : doc.charts()) {
            Element fig = d.getElementById("chart-" + c.name());
            assertNotNull(fig, c.name());
            assertFalse(fig.select("svg").isEmpty());
            assertEquals(c.title(), fig.select("svg > title").text());
            String desc = fig.select("svg > desc").text();
            assertTrue(desc.contains("y axis: ") && desc.contains("series: "), c.name() + ": " + desc);
            assertTrue(fig.select("svg path").size() > 8, c.name() + ": too little drawn");
        }
        // the Markdown twin names every chart, and every chart file is well-formed SVG
        String md = Files.readString(files.get(1));
        assertTrue(md.startsWith("# "), md.substring(0, 20));
        for (Charts.Svg c : doc.charts()) {
            assertTrue(md.contains("](report-charts/" + c.name() + ".svg)"), c.name());
            String svg = Files.readString(files.get(2).resolve(c.name() + ".svg"));
            Document x = Jsoup.parse(svg, "", Parser.xmlParser());
            assertEquals("svg", x.child(0).tagName());
        }
        assertTrue(Files.notExists(dir.resolve("report-charts.tmp")), "temporary chart directory left behind");
        return d;
    }

    static List<List<String>> rows(Element table) {
        return table.select("tbody tr").stream().map(tr -> tr.select("td").eachText()).toList();
    }

    @Test
    @DisplayName("a report given as a bare file name (no folder) is written in the working directory, with its twin and charts")
    void bareFileName() throws IOException {
        // the working directory of this module's tests is the module's own folder; the name is unique and removed after
        String stem = "bare-name-report-" + ProcessHandle.current().pid();
        Path html = Path.of(stem + ".html");
        try {
            List<Path> files = Reports.write(new Doc("bare name"), html);
            assertTrue(Files.readString(html.toAbsolutePath()).contains("bare name"));
            assertTrue(Files.isRegularFile(Path.of(stem + ".md")), files.toString());
            assertTrue(Files.isDirectory(Path.of(stem + "-charts")), files.toString());
        } finally {
            Files.deleteIfExists(html);
            Files.deleteIfExists(Path.of(stem + ".md"));
            Files.deleteIfExists(Path.of(stem + "-charts"));
        }
    }

    @Test
    @DisplayName("a simulation report shows seats per product (first short day as the simulator found it), errors, churn; engine latency only for developers")
    void simulationReport(@TempDir Path dir) throws IOException {
        Path sim = fixture("sim-small");
        Document admin = written(Reports.report(List.of(sim), null), dir.resolve("admin"));
        assertNull(admin.getElementById("latency"), "no engine internals in an administrator's report");
        assertFalse(admin.text().contains("inside the engine"), "nor the engine's wall-clock figures");
        Doc doc = Reports.report(List.of(sim), null, true);
        Document d = written(doc, dir);
        for (String id : List.of("overview", "seats", "errors", "churn", "latency", "refused")) {
            assertNotNull(d.getElementById(id), "section " + id);
        }
        JsonNode summary = new ObjectMapper().readTree(sim.resolve("summary.json").toFile());
        List<List<String>> seats = rows(d.getElementById("seats").selectFirst("table"));
        assertEquals(summary.get("products").size(), seats.size());
        Map<String, String> shortDay = new TreeMap<>();
        for (List<String> r : seats) {
            shortDay.put(r.get(0), r.get(4));
        }
        // products by display name beside the part number
        assertTrue(shortDay.containsKey("Office 365 E3 (ENTERPRISEPACK)"), shortDay.keySet().toString());
        for (JsonNode p : summary.get("products")) {
            JsonNode sd = p.get("firstShortDay");
            String cell = shortDay.entrySet().stream().filter(x -> x.getKey().equals(p.get("sku").asText())
                    || x.getKey().endsWith("(" + p.get("sku").asText() + ")")).findFirst().orElseThrow().getValue();
            if (sd.isNull()) {
                assertEquals("never", cell, p.toString());
            } else {
                assertTrue(cell.endsWith("(day " + sd.asInt() + ")"), p + " vs " + cell);
            }
        }
        // one seat chart per product, with the day the product ran short marked on it
        Element e3 = d.getElementById("chart-seats-enterprisepack");
        assertNotNull(e3);
        // XChart draws text as outlines; the chart's words are in its SVG title and desc
        String e3Text = e3.select("svg > title").text() + " " + e3.select("svg > desc").text();
        String shortDate = java.time.LocalDate.parse(summary.get("start").asText()).plusDays(44).toString();
        assertTrue(e3Text.contains("short from " + shortDate), e3Text);
        assertTrue(e3Text.contains("x axis: date") && e3Text.contains("y axis: seats"), "axis titles: " + e3Text);
        assertTrue(e3Text.contains("seats consumed") && e3Text.contains("seats available"), "legend: " + e3Text);
        // users waiting get their own chart from 0, only for products where anyone waited
        long waited = 0;
        for (JsonNode p : summary.get("products")) {
            waited += p.get("peakWaiting").asInt() > 0 ? 1 : 0;
        }
        assertTrue(waited > 0);
        assertNotNull(d.getElementById("chart-waiting-enterprisepack"));
        assertEquals(9 + waited + 3, doc.charts().size(), "9 products, their waiting users, errors, churn, latency");
        // the overview is names and values: no empty header row, each row headed by its name
        Element overview = d.getElementById("overview").selectFirst("table");
        assertTrue(overview.select("thead").isEmpty(), overview.outerHtml());
        assertEquals("scenario", overview.selectFirst("tbody tr th[scope=row]").text());
        assertTrue(rows(d.getElementById("latency").selectFirst("table")).stream()
                .anyMatch(r -> r.get(0).equals("UserCreated")));
    }

    @Test
    @DisplayName("a benchmark report shows the engine beside its peers with ratios, every score with its error, percentiles, allocation")
    void benchmarkReport(@TempDir Path dir) throws IOException {
        Doc doc = Reports.report(List.of(fixture("bench-after-cutoff")), null);
        Document d = written(doc, dir);
        Element side = d.getElementById("side-resolver");
        assertNotNull(side);
        List<List<String>> peers = rows(side.selectFirst("table"));
        // plainJdk 4838.7 ms over the engine's 211.1 ms
        assertTrue(peers.stream().anyMatch(r -> r.get(2).equals("plainJdk") && r.get(4).equals("22.92x")), peers.toString());
        assertTrue(peers.stream().anyMatch(r -> r.get(2).equals("engine") && r.get(3).equals("211.1 ± 151.0 ms/op")),
                peers.toString());
        assertEquals(12, rows(d.getElementById("all").selectFirst("table")).size());
        List<List<String>> lat = rows(d.getElementById("latency").selectFirst("table"));
        assertTrue(lat.stream().anyMatch(r -> r.get(0).equals("EventBenchmark.memberAdded")), lat.toString());
        assertFalse(d.getElementById("allocation").select("svg").isEmpty());
        assertTrue(d.getElementById("machine").text().contains("OpenJDK 64-Bit Server VM"));
    }

    @Test
    @DisplayName("the store benchmark is shown heap beside Chronicle Map")
    void storeSideBySide(@TempDir Path dir) throws IOException {
        Document d = written(Reports.report(List.of(fixture("bench-store")), null), dir);
        List<List<String>> t = rows(d.getElementById("side-store").selectFirst("table"));
        assertTrue(t.stream().anyMatch(r -> r.get(2).equals("chronicle") && r.get(4).endsWith("x")), t.toString());
    }

    @Test
    @DisplayName("a capacity plan is shown as advice per product, the need over the runs, and the backtest")
    void planReport(@TempDir Path dir) throws IOException {
        Path plan = fixture("plan-default");
        Document d = written(Reports.report(List.of(plan), null), dir);
        List<List<String>> rows = rows(d.getElementById("plan").selectFirst("table"));
        JsonNode json = new ObjectMapper().readTree(plan.resolve("plan.json").toFile());
        assertEquals(json.get("products").size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode p = json.get("products").get(i);
            assertEquals(p.get("name").asText() + " (" + p.get("sku").asText() + ")", rows.get(i).get(0));
            int buy = p.get("buy").asInt();
            String cell = rows.get(i).get(6);
            assertTrue(buy > 0 ? cell.startsWith(String.format(java.util.Locale.ROOT, "%,d", buy)) : cell.equals("-"), cell);
            // with its Monte Carlo interval, and the buy-by date with its error
            assertTrue(buy == 0 || cell.matches("[\\d,]+ \\([\\d,]+-[\\d,]+\\)"), cell);
            assertTrue(buy == 0 || rows.get(i).get(7).matches(".* \\+-(\\d+\\.\\d d|\\? \\(may be never\\))"),
                    rows.get(i).get(7));
            // demand over time with its band against capacity, the advised purchase marked on its date
            Element chart = d.getElementById("chart-plan-demand-" + SimulationPages.slug(p.get("sku").asText()));
            assertNotNull(chart, p.get("sku").asText());
            String desc = chart.select("svg > desc").text();
            assertTrue(desc.contains("series: p5-p95 of demand over the runs, median demand, capacity"), desc);
            // the mark is the purchase schedule's first purchase, due on the buy-by date; when the schedule
            // buys more than once it also gives the total, which is the table's buy
            String total = String.format(java.util.Locale.ROOT, "%,d", buy);
            assertTrue(buy > 0 ? desc.matches("(?s).*marked: buy [\\d,]+ by " + p.get("buyByDate").asText() + ".*")
                    && (desc.contains("marked: buy " + total + " by ") || desc.contains("(" + total + " in all)"))
                    : desc.contains("no purchase needed"), desc);
        }
        assertNotNull(d.getElementById("backtest"));
        String bt = d.getElementById("backtest").text();
        assertTrue(bt.contains("held-out runs"));
        // held-out runs by number and products by name, never a 15-digit seed or NaN
        assertFalse(bt.matches("(?s).*\\d{9,}.*"), bt);
        assertFalse(d.text().contains("NaN"), d.text());
        // a row per product by name, then all, each with the held-out runs it counts
        List<List<String>> rates = rows(d.getElementById("backtest").select("table").last());
        assertEquals(json.get("products").size() + 1, rates.size(), rates.toString());
        assertTrue(rates.get(0).get(0).endsWith(")") && rates.get(0).get(0).contains(" ("), rates.get(0).toString());
        assertEquals(json.get("backtest").get("truthRuns").asText(), rates.get(0).get(1));
        assertEquals("all", rates.get(rates.size() - 1).get(0));
    }

    @Test
    @DisplayName("a backtest whose products never ran short says so instead of NaN%")
    void backtestWithoutContest(@TempDir Path dir) throws IOException {
        Path src = fixture("plan-default");
        Path copy = Files.createDirectories(dir.resolve("plan"));
        String json = Files.readString(src.resolve("plan.json"));
        ObjectMapper m = new ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(json);
        var b = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("backtest");
        for (JsonNode p : b.get("byProduct")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) p).put("datedRows", 0).putNull("within3Days")
                    .putNull("within3DaysBound");
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("all")).put("datedRows", 0).putNull("within3Days");
        Files.writeString(copy.resolve("plan.json"), m.writeValueAsString(root));
        Document d = written(Reports.report(List.of(copy), null), dir.resolve("out"));
        String text = d.getElementById("backtest").text();
        assertTrue(text.contains("- (never short)"), text);
        assertFalse(d.text().contains("NaN"), text);
    }

    @Test
    @DisplayName("a runway of one day reads \"1 day\", not \"1 days\"")
    void runwayOfOneDay(@TempDir Path dir) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("plan"));
        ObjectMapper m = new ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(fixture("plan-tenant").resolve("plan.json")
                .toFile());
        var first = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("procurement").get("products").get(0);
        first.put("runwayDays", 1).put("runwayMedianDays", 1);
        Files.writeString(copy.resolve("plan.json"), m.writeValueAsString(root));
        Document d = written(Reports.report(List.of(copy), null), dir.resolve("out"));
        String text = d.getElementById("schedule").text();
        assertTrue(text.contains("1 day (median 1)"), text);
        assertFalse(text.contains(" 1 days"), text);
    }

    @Test
    @DisplayName("a plan from a tenant shows its purchase schedule with order dates, reclaimable seats and renewals; a backtest its accuracy per product")
    void scheduleAndAccuracy(@TempDir Path dir) throws IOException {
        Path plan = fixture("plan-tenant");
        Document d = written(Reports.report(List.of(plan), null), dir);
        JsonNode json = new ObjectMapper().readTree(plan.resolve("plan.json").toFile());
        Element schedule = d.getElementById("schedule");
        assertNotNull(schedule);
        List<List<String>> rows = rows(schedule.selectFirst("table"));
        JsonNode crm = json.get("procurement").get("products").get(1);
        List<List<String>> crmRows = rows.stream().filter(r -> r.get(0).contains("CRMSTANDARD")).toList();
        assertEquals(crm.get("schedule").size(), crmRows.size());
        JsonNode first = crm.get("schedule").get(0);
        assertEquals(first.get("neededBy").asText(), crmRows.get(0).get(4));
        assertTrue(crmRows.get(0).get(5).startsWith(first.get("orderBy").asText()), crmRows.get(0).toString());
        assertTrue(crmRows.get(0).get(5).contains("late: order now"), "CRM is short on day 0: " + crmRows.get(0));
        assertTrue(schedule.text().contains("cost (EUR)"), schedule.text());
        assertTrue(schedule.text().contains("trial ends") && schedule.text().contains("held by disabled accounts"),
                schedule.text());
        // the money, as the terminal prints it: the schedule's cost to the horizon and the savings a year, with totals
        double cost = 0;
        double reclaim = 0;
        for (JsonNode a : json.get("procurement").get("products")) {
            cost += a.path("scheduleCost").asDouble(0);
            reclaim += a.path("reclaimSavingsPerYear").asDouble(0);
        }
        assertTrue(schedule.text().contains(String.format(java.util.Locale.ROOT, "the schedule costs %,.0f EUR to the end "
                + "of the horizon; reclaiming the seats held by disabled and inactive accounts would save %,.0f EUR a year",
                cost, reclaim)), schedule.text());
        List<List<String>> total = schedule.select("tr.total").stream().map(tr -> tr.select("td").eachText()).toList();
        assertEquals(1, total.size());
        assertEquals(String.format(java.util.Locale.ROOT, "%,.0f", cost), total.get(0).get(1), "the cells after the row header: " + total);
        // the demand chart marks the schedule's first purchase, not the whole need at the first short day
        JsonNode crmFirst = crm.get("schedule").get(0);
        String crmDesc = d.getElementById("chart-plan-demand-crmstandard").select("svg > desc").text();
        assertTrue(crmDesc.contains("marked: buy " + crmFirst.get("units").asInt() + " by " + crmFirst.get("neededBy").asText()
                + (crm.get("schedule").size() > 1 ? " (" + crm.get("buy").asInt() + " in all)" : "")), crmDesc);
        // subscriptions by product name, date and size; their ids stay in plan.json, not in what people read
        List<List<String>> renewals = rows(schedule.select("table").last());
        assertEquals("Office 365 E5 (ENTERPRISEPREMIUM)", renewals.get(0).get(0), renewals.toString());
        assertFalse(d.text().contains(json.get("procurement").get("renewals").get(0).get("subscriptionId").asText()),
                renewals.toString());
        // the bars are named by product, as people know them, not by part number
        String need = d.getElementById("chart-plan-need").select("svg > desc").text();
        assertTrue(need.contains("categories: Office 365 E5, Microsoft Dynamics CRM Online;"), need);
        Document g = written(Reports.report(List.of(fixture("plan-growth")), null), dir.resolve("growth"));
        String bt = g.getElementById("backtest").text();
        assertTrue(bt.contains("from the same day 0") && bt.contains("the best a forecast can do"), bt);
        List<List<String>> acc = rows(g.getElementById("backtest").select("table").first());
        JsonNode gj = new ObjectMapper().readTree(fixture("plan-growth").resolve("plan.json").toFile()).get("backtest");
        assertEquals(4, acc.size(), "three products and all: " + acc);
        // each rate beside its bound, as plan.json has them
        JsonNode e3 = gj.get("byProduct").get("ENTERPRISEPACK");
        assertEquals(String.format(java.util.Locale.ROOT, "%.0f%% (%.0f%%)", 100 * e3.get("boughtInTime").asDouble(),
                100 * gj.get("boughtInTimeNominal").asDouble()), acc.get(0).get(4));
    }

    static Comparison.Row row(Comparison c, String keyStart) {
        return c.rows().stream().filter(r -> r.key().startsWith(keyStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + keyStart + " in " + c.rows()));
    }

    @Test
    @DisplayName("comparison of runs given as bare file names (no folder) is titled by the working directory, not an internal error")
    void comparisonOfBareFileNames() {
        BenchRun after = BenchRun.read(fixture("bench-after-cutoff"));
        BenchRun before = BenchRun.read(fixture("bench-before-cutoff"));
        Doc doc = Reports.comparison(Comparison.of(new BenchRun(Path.of("after.json"), after.machine(), after.results()),
                new BenchRun(Path.of("before.json"), before.machine(), before.results()), 5));
        String cwd = Path.of("").toAbsolutePath().getFileName().toString();
        assertEquals("licensim benchmarks: " + cwd + " against " + cwd, doc.title());
    }

    @Test
    @DisplayName("comparison: a real slowdown is a regression, its reverse an improvement, overlapping intervals noise")
    void comparison(@TempDir Path dir) throws IOException {
        BenchRun after = BenchRun.read(fixture("bench-after-cutoff"));
        BenchRun before = BenchRun.read(fixture("bench-before-cutoff"));
        BenchRun rerun = BenchRun.read(fixture("bench-events-rerun"));

        Comparison slower = Comparison.of(after, before, 5);
        assertTrue(slower.hasRegression());
        assertEquals(Comparison.Verdict.REGRESSION,
                row(slower, "ReconcileBenchmark.reconcile avgt {resolver=engine").verdict());
        assertEquals(Comparison.Verdict.REGRESSION, row(slower, "EventBenchmark.groupProductEdit60k").verdict());
        // plainJdk's interval in the older run spans [-4967, 14884] ms: no claim either way
        assertEquals(Comparison.Verdict.NOISE, row(slower, "ReconcileBenchmark.reconcile avgt {resolver=plainJdk").verdict());

        Comparison faster = Comparison.of(before, after, 5);
        assertEquals(Comparison.Verdict.IMPROVEMENT,
                row(faster, "ReconcileBenchmark.reconcile avgt {resolver=engine").verdict());
        assertEquals(Comparison.Verdict.IMPROVEMENT, row(faster, "EventBenchmark.groupProductEdit60k").verdict());
        // the same pair of runs also holds real slowdowns (the seat-purchase drain before its fix)
        assertEquals(Comparison.Verdict.REGRESSION, row(faster, "EventBenchmark.seatPurchaseAutoReprocess").verdict());

        // the event benchmarks run again ten minutes later (some code changed in between)
        Comparison noise = Comparison.of(after, rerun, 5);
        assertEquals(Comparison.Verdict.NOISE, row(noise, "EventBenchmark.attributeChange sample {rules=50").verdict());
        assertEquals(Comparison.Verdict.NOISE, row(noise, "EventBenchmark.memberAdded").verdict());
        // 26.7 -> 25.4 ms with separate intervals: -4.9%, inside a 5% threshold, outside a 2% one
        assertEquals(Comparison.Verdict.NOISE, row(noise, "EventBenchmark.groupProductEdit60k").verdict());
        assertEquals(Comparison.Verdict.IMPROVEMENT,
                row(Comparison.of(after, rerun, 2), "EventBenchmark.groupProductEdit60k").verdict());
        assertEquals(Comparison.Verdict.ONLY_IN_BASELINE, row(noise, "ReconcileBenchmark.reconcile").verdict());

        Document d = written(Reports.comparison(slower), dir);
        assertFalse(d.select("tr.regression").isEmpty());
        assertTrue(d.select("tr.regression").text().contains("ReconcileBenchmark.reconcile"));
    }

    @Test
    @DisplayName("missing and malformed result files give errors naming the file and what is wrong")
    void badInput(@TempDir Path dir) throws IOException {
        ReportException missing = assertThrows(ReportException.class,
                () -> Reports.report(List.of(dir.resolve("nope")), null));
        assertTrue(missing.getMessage().contains(dir.resolve("nope") + ": no such file or directory"), missing.getMessage());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        ReportException neither = assertThrows(ReportException.class, () -> Reports.report(List.of(empty), null));
        assertTrue(neither.getMessage().contains("neither simulation results") && neither.getMessage().contains("plan.json"),
                neither.getMessage());

        Path broken = Files.createDirectory(dir.resolve("broken"));
        Files.writeString(broken.resolve("jmh.json"), "[{\"benchmark\": \"x.Y.z\",\n \"mode\": ");
        ReportException json = assertThrows(ReportException.class, () -> Reports.report(List.of(broken), null));
        Matcher m = Pattern.compile(Pattern.quote(broken.resolve("jmh.json").toString()) + ": not valid JSON at line 2")
                .matcher(json.getMessage());
        assertTrue(m.find(), json.getMessage());

        Path noMetric = Files.createDirectory(dir.resolve("nometric"));
        Files.writeString(noMetric.resolve("jmh.json"), "[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\"}]");
        ReportException field = assertThrows(ReportException.class, () -> Reports.report(List.of(noMetric), null));
        assertTrue(field.getMessage().contains("result 0 (a.B.c) has no \"primaryMetric\""), field.getMessage());

        Path sim = Files.createDirectory(dir.resolve("sim"));
        Files.writeString(sim.resolve("days.json"), "{\"schema\": \"licensim.simulation.days/9\"}");
        ReportException schema = assertThrows(ReportException.class, () -> Reports.report(List.of(sim), null));
        assertTrue(schema.getMessage().contains("schema is \"licensim.simulation.days/9\""), schema.getMessage());

        String days = Files.readString(fixture("sim-small").resolve("days.json"));
        Path cut = Files.createDirectory(dir.resolve("cut"));
        Files.writeString(cut.resolve("days.json"), days.replaceFirst("\"consumed\" ?: \\[[0-9, ]*\\]", "\"consumed\": [1]"));
        ReportException width = assertThrows(ReportException.class, () -> Reports.report(List.of(cut), null));
        assertTrue(width.getMessage().contains("days[0].consumed has 1 values"), width.getMessage());
    }
}
