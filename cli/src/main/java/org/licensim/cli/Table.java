package org.licensim.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rows under named columns: how every command prints rows. The same rows print aligned for a
 * terminal ({@link #print}) or as RFC 4180 CSV under a header row of the column names
 * ({@link #csv}), and as JSON objects keyed by those names ({@link #json}). A cell is a value, not its text: the terminal groups whole numbers ("12,345"),
 * CSV writes them plain, and null is an empty cell in both.
 *
 * <p>On the terminal a column is as wide as its widest cell or its given width, whichever is more
 * (a long value widens its column rather than pushing the rest of its line out of line, unless
 * the column is told to {@link #overflow}); the last column is not padded and no line ends in spaces.
 */
final class Table {
    /**
     * A column: its name (CSV's header, JSON's key), its header on a terminal, how it aligns there,
     * its least width and the spaces before it.
     */
    private record Column(String name, String header, boolean right, int width, int gap, boolean overflow) {
    }

    private final List<Column> columns = new ArrayList<>();
    private final List<Object[]> rows = new ArrayList<>();
    private String indent = "";
    private boolean header = true;

    /** A table of left-aligned columns with these names (the CSV header). */
    static Table of(String... names) {
        Table t = new Table();
        for (String n : names) {
            t.left(n, 0);
        }
        return t;
    }

    /** Adds a left-aligned column at least {@code width} wide on a terminal. */
    Table left(String name, int width) {
        columns.add(new Column(name, name, false, width, 1, false));
        return this;
    }

    /** Adds a right-aligned column (numbers) at least {@code width} wide on a terminal. */
    Table right(String name, int width) {
        columns.add(new Column(name, name, true, width, 1, false));
        return this;
    }

    /** Puts {@code spaces} spaces, not one, before the column added last. */
    Table gap(int spaces) {
        Column c = columns.remove(columns.size() - 1);
        columns.add(new Column(c.name(), c.header(), c.right(), c.width(), spaces, c.overflow()));
        return this;
    }

    /**
     * Keeps the column added last at its given width: a longer value pushes the rest of its own
     * line along instead of widening the column for every line (a list where a few values are
     * far longer than the rest, as the catalog's part numbers).
     */
    Table overflow() {
        Column c = columns.remove(columns.size() - 1);
        columns.add(new Column(c.name(), c.header(), c.right(), c.width(), c.gap(), true));
        return this;
    }

    /** Heads the column added last with {@code text} on a terminal (CSV and JSON keep its name). */
    Table header(String text) {
        Column c = columns.remove(columns.size() - 1);
        columns.add(new Column(c.name(), text, c.right(), c.width(), c.gap(), c.overflow()));
        return this;
    }

    /** What each terminal line starts with (the header row included). */
    Table indent(String prefix) {
        this.indent = prefix;
        return this;
    }

    /** On a terminal, the rows alone (CSV always has its header row). */
    Table noHeader() {
        this.header = false;
        return this;
    }

    /** Adds a row: one cell per column, in the columns' order. */
    Table row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns " + names());
        }
        rows.add(cells.clone());
        return this;
    }

    int size() {
        return rows.size();
    }

    List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** The header row, then a row per row, each ended by CRLF as RFC 4180 asks. */
    void csv(PrintWriter o) {
        o.print(org.licensim.core.files.Csv.line(names().toArray()) + "\r\n");
        for (Object[] r : rows) {
            o.print(org.licensim.core.files.Csv.line(r) + "\r\n");
        }
    }

    /** The rows (under the header row, unless {@link #noHeader}) aligned for a terminal. */
    void print(PrintWriter o) {
        List<String[]> lines = new ArrayList<>();
        if (header) {
            lines.add(columns.stream().map(Column::header).toArray(String[]::new));
        }
        for (Object[] r : rows) {
            String[] line = new String[r.length];
            for (int c = 0; c < r.length; c++) {
                line[c] = text(r[c]);
            }
            lines.add(line);
        }
        int[] w = new int[columns.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = columns.get(c).width();
        }
        for (String[] line : lines) {
            for (int c = 0; c < w.length; c++) {
                w[c] = columns.get(c).overflow() ? w[c] : Math.max(w[c], line[c].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder sb = new StringBuilder(indent);
            for (int c = 0; c < w.length; c++) {
                Column col = columns.get(c);
                if (c > 0) {
                    sb.append(" ".repeat(col.gap()));
                }
                String pad = " ".repeat(Math.max(0, w[c] - line[c].length()));
                sb.append(col.right() ? pad + line[c] : c == w.length - 1 ? line[c] : line[c] + pad);
            }
            o.println(sb.toString().stripTrailing());
        }
    }

    /** The rows as JSON objects keyed by the column names: numbers and booleans as such, null as null. */
    com.fasterxml.jackson.databind.node.ArrayNode json() {
        var a = Printer.JSON.createArrayNode();
        for (Object[] r : rows) {
            var o = a.addObject();
            for (int c = 0; c < r.length; c++) {
                o.set(columns.get(c).name(), Printer.JSON.valueToTree(r[c] instanceof Integer || r[c] instanceof Long
                        || r[c] instanceof Boolean || r[c] == null ? r[c] : r[c].toString()));
            }
        }
        return a;
    }

    /** A cell as a terminal shows it: whole numbers grouped by thousands, null empty. */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Integer || v instanceof Long) {
            return String.format(Locale.ROOT, "%,d", v);
        }
        return v.toString();
    }
}
