package org.licensim.reports;

import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Renders a {@link Doc} as one self-contained HTML file: inline CSS, inline SVG charts, no
 * script, no external reference, so it opens offline in any browser and can be mailed as is.
 * The page is built as a jsoup DOM, so every text is escaped by the library, not by hand.
 */
public final class HtmlWriter {
    static final String CSS = """
            body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222;
                   max-width: 1100px; margin: 24px auto; padding: 0 16px; }
            h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 36px;
                   border-bottom: 1px solid #ddd; padding-bottom: 4px; }
            .intro { color: #555; margin: 2px 0; }
            nav ul { columns: 2; padding-left: 18px; }
            table { border-collapse: collapse; margin: 12px 0; font-size: 13px; }
            caption { text-align: left; font-weight: 600; padding: 4px 0; }
            th, td { border: 1px solid #ddd; padding: 4px 8px; vertical-align: top; }
            th { background: #f4f6f8; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tr.regression td { background: #fde8e8; } tr.improvement td { background: #e6f4ea; }
            tr.total td { font-weight: 600; border-top: 2px solid #999; }
            tr.short td { background: #fff4e0; }
            figure.chart { margin: 16px 0; } figure.chart svg { max-width: 100%; height: auto; }
            figcaption { color: #666; font-size: 12px; }
            """;

    private HtmlWriter() {
    }

    public static String render(Doc doc) {
        Document d = Document.createShell("");
        d.outputSettings().prettyPrint(false);
        d.head().appendElement("meta").attr("charset", "utf-8");
        d.head().appendElement("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
        d.title(doc.title());
        d.head().appendElement("style").appendChild(new DataNode(CSS));
        Element body = d.body();
        body.appendElement("h1").text(doc.title());
        for (String line : doc.intro()) {
            body.appendElement("p").addClass("intro").text(line);
        }
        if (doc.sections().size() > 2) {
            Element ul = body.appendElement("nav").appendElement("ul");
            for (Doc.Section s : doc.sections()) {
                ul.appendElement("li").appendElement("a").attr("href", "#" + s.id()).text(s.title());
            }
        }
        for (Doc.Section s : doc.sections()) {
            Element sec = body.appendElement("section").attr("id", s.id());
            sec.appendElement("h2").text(s.title());
            for (Doc.Block b : s.blocks()) {
                if (b instanceof Doc.Para p) {
                    sec.appendElement("p").text(p.text());
                } else if (b instanceof Doc.Table t) {
                    table(sec, t);
                } else if (b instanceof Doc.Figure f) {
                    Element fig = sec.appendElement("figure").addClass("chart").attr("id", "chart-" + f.chart().name());
                    fig.appendElement("div").appendChild(new DataNode(f.chart().svg()));
                    fig.appendElement("figcaption").text(f.chart().title());
                }
            }
        }
        return "<!DOCTYPE html>\n" + d.outerHtml().replaceFirst("^<!doctype html>", "");
    }

    private static void table(Element parent, Doc.Table t) {
        Element table = parent.appendElement("table");
        if (t.caption() != null) {
            table.appendElement("caption").text(t.caption());
        }
        // a key-value table (no column headings) has no header row: each row's first cell heads it
        boolean keyValue = t.keyValue();
        if (!keyValue) {
            Element head = table.appendElement("thead").appendElement("tr");
            for (String h : t.header()) {
                head.appendElement("th").text(h);
            }
        } else {
            table.addClass("kv");
        }
        Element body = table.appendElement("tbody");
        for (int r = 0; r < t.rows().size(); r++) {
            Element tr = body.appendElement("tr");
            if (t.rowClass().get(r) != null) {
                tr.addClass(t.rowClass().get(r));
            }
            for (int c = 0; c < t.header().size(); c++) {
                Element td = tr.appendElement(keyValue && c == 0 ? "th" : "td").text(t.rows().get(r).get(c));
                if (keyValue && c == 0) {
                    td.attr("scope", "row");
                }
                if (t.numeric()[c]) {
                    td.addClass("num");
                }
            }
        }
    }
}
