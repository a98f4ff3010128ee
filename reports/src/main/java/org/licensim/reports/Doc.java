package org.licensim.reports;

import java.util.ArrayList;
import java.util.List;

/**
 * A report's content, independent of its output format: sections of paragraphs, tables and
 * charts. {@link HtmlWriter} and {@link MarkdownWriter} render the same document, so the HTML
 * page and its Markdown twin always say the same thing.
 */
public final class Doc {
    public sealed interface Block permits Para, Table, Figure {
    }

    /** A paragraph of plain text (escaped by the writer). */
    public record Para(String text) implements Block {
    }

    /**
     * A table: {@code numeric} marks right-aligned columns; {@code rowClass} (may hold nulls)
     * tags rows for styling, e.g. "regression".
     */
    public record Table(String caption, List<String> header, List<List<String>> rows, boolean[] numeric,
                        List<String> rowClass) implements Block {
        /** A table of names and values: no column has a heading. */
        public boolean keyValue() {
            return header.stream().allMatch(String::isBlank);
        }
    }

    public record Figure(Charts.Svg chart) implements Block {
    }

    public record Section(String id, String title, List<Block> blocks) {
        public Section add(Block b) {
            blocks.add(b);
            return this;
        }

        public Section para(String text) {
            return add(new Para(text));
        }

        public Section chart(Charts.Svg svg) {
            return add(new Figure(svg));
        }
    }

    private final String title;
    private final List<String> intro = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();

    public Doc(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public List<String> intro() {
        return intro;
    }

    public List<Section> sections() {
        return sections;
    }

    public Doc introLine(String line) {
        intro.add(line);
        return this;
    }

    public Section section(String id, String title) {
        Section s = new Section(id, title, new ArrayList<>());
        sections.add(s);
        return s;
    }

    /** All charts, in order (the Markdown twin writes each as a file). */
    public List<Charts.Svg> charts() {
        List<Charts.Svg> out = new ArrayList<>();
        for (Section s : sections) {
            for (Block b : s.blocks()) {
                if (b instanceof Figure f) {
                    out.add(f.chart());
                }
            }
        }
        return out;
    }

    /** A table builder: columns named, numeric ones marked with a leading '#' in the name. */
    public static final class TableBuilder {
        private final String caption;
        private final List<String> header = new ArrayList<>();
        private final boolean[] numeric;
        private final List<List<String>> rows = new ArrayList<>();
        private final List<String> classes = new ArrayList<>();

        public TableBuilder(String caption, String... columns) {
            this.caption = caption;
            this.numeric = new boolean[columns.length];
            for (int i = 0; i < columns.length; i++) {
                numeric[i] = columns[i].startsWith("#");
                header.add(numeric[i] ? columns[i].substring(1) : columns[i]);
            }
        }

        public TableBuilder classedRow(String rowClass, String... cells) {
            if (cells.length != header.size()) {
                throw new IllegalArgumentException("row of " + cells.length + " cells for " + header.size() + " columns");
            }
            rows.add(List.of(cells));
            classes.add(rowClass);
            return this;
        }

        public TableBuilder row(String... cells) {
            return classedRow(null, cells);
        }

        public boolean isEmpty() {
            return rows.isEmpty();
        }

        public Table build() {
            return new Table(caption, List.copyOf(header), List.copyOf(rows), numeric.clone(),
                    java.util.Collections.unmodifiableList(new ArrayList<>(classes)));
        }
    }
}
