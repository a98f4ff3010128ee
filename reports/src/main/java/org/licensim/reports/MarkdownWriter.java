package org.licensim.reports;

import java.util.List;

/**
 * Renders a {@link Doc} as GitHub-flavoured Markdown for a wiki or a pull request: tables as
 * pipe tables, each chart as an image link to its SVG file in {@code chartDir} (relative to
 * the Markdown file).
 */
public final class MarkdownWriter {
    private MarkdownWriter() {
    }

    public static String render(Doc doc, String chartDir) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(inline(doc.title())).append("\n\n");
        for (String line : doc.intro()) {
            sb.append(inline(line)).append("  \n");
        }
        sb.append('\n');
        for (Doc.Section s : doc.sections()) {
            sb.append("## ").append(inline(s.title())).append("\n\n");
            for (Doc.Block b : s.blocks()) {
                if (b instanceof Doc.Para p) {
                    sb.append(inline(p.text())).append("\n\n");
                } else if (b instanceof Doc.Table t) {
                    table(sb, t);
                } else if (b instanceof Doc.Figure f) {
                    sb.append("![").append(inline(f.chart().title())).append("](").append(chartDir).append('/')
                            .append(f.chart().name()).append(".svg)\n\n");
                }
            }
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, Doc.Table t) {
        if (t.caption() != null) {
            sb.append("**").append(inline(t.caption())).append("**\n\n");
        }
        if (t.keyValue()) {
            // Markdown tables need a header row; a key-value table is a list instead of one with empty headings
            for (List<String> row : t.rows()) {
                sb.append("- **").append(inline(row.get(0))).append("**: ").append(inline(String.join(" ", row.subList(1, row.size()))).replace("\n", " ")).append('\n');
            }
            sb.append('\n');
            return;
        }
        sb.append('|');
        for (String h : t.header()) {
            sb.append(' ').append(cell(h)).append(" |");
        }
        sb.append("\n|");
        for (int c = 0; c < t.header().size(); c++) {
            sb.append(t.numeric()[c] ? " ---: |" : " --- |");
        }
        sb.append('\n');
        for (int r = 0; r < t.rows().size(); r++) {
            sb.append('|');
            for (String v : t.rows().get(r)) {
                sb.append(' ').append(cell(v)).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    /** Text safe inside a table cell: pipes escaped, line breaks folded. */
    static String cell(String s) {
        return inline(s).replace("|", "\\|").replace("\n", " ");
    }

    /** Text that Markdown will not read as markup: the characters that start emphasis, links or HTML are escaped. */
    static String inline(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            if ("\\`*_[]<>#".indexOf(ch) >= 0) {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
