package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one way commands print rows: aligned for a terminal, RFC 4180 CSV, JSON objects. */
class TableTest {
    private static String printed(Consumer<PrintWriter> print) {
        StringWriter s = new StringWriter();
        PrintWriter o = new PrintWriter(s);
        print.accept(o);
        o.flush();
        return s.toString().replace(System.lineSeparator(), "\n");
    }

    private static Table seats() {
        return new Table().indent("  ").left("product", 10).right("consumed", 8).left("name", 0).gap(2)
                .row("EMS", 1234, "Enterprise Mobility + Security E3")
                .row("ENTERPRISEPACK", 7, "");
    }

    @Test
    @DisplayName("a terminal table: numbers grouped and right-aligned, a long value widens its column, no line ends in spaces")
    void aligned() {
        assertEquals("""
                  product        consumed  name
                  EMS               1,234  Enterprise Mobility + Security E3
                  ENTERPRISEPACK        7
                """, printed(seats()::print));
    }

    @Test
    @DisplayName("an overflowing column keeps its width: only the line with the long value is pushed along")
    void overflow() {
        Table t = new Table().left("sku", 6).overflow().left("name", 0).header("display name").row("E3", "Office 365 E3")
                .row("MICROSOFT_365_E5", "Microsoft 365 E5");
        assertEquals("""
                sku    display name
                E3     Office 365 E3
                MICROSOFT_365_E5 Microsoft 365 E5
                """, printed(t::print));
    }

    @Test
    @DisplayName("CSV: the column names as header row, numbers plain, a comma or quote quoted, null empty, CRLF line ends")
    void csv() {
        Table t = Table.of("sku", "consumed", "name").row("EMS", 1234, "Mobility, \"E3\"").row("X", null, null);
        assertEquals("sku,consumed,name\r\nEMS,1234,\"Mobility, \"\"E3\"\"\"\r\nX,,\r\n", printed(t::csv));
    }

    @Test
    @DisplayName("JSON: one object per row keyed by the column names (not the terminal headers), numbers and booleans typed")
    void json() {
        Table t = Table.of("sku", "plans", "safe").header("is safe").row("EMS", 7, true).row("X", null, false);
        assertEquals("[{\"sku\":\"EMS\",\"plans\":7,\"safe\":true},{\"sku\":\"X\",\"plans\":null,\"safe\":false}]",
                t.json().toString());
    }

    @Test
    @DisplayName("a row with a cell too few or too many is refused, naming the columns")
    void cellsPerRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Table.of("a", "b").row("x"));
        assertTrue(e.getMessage().contains("1 cells for 2 columns [a, b]"), e.getMessage());
    }

    @Test
    @DisplayName("Printer: csv and json leave stdout to the document and send lines for people to stderr; table keeps both on stdout")
    void printerStreams() throws java.io.IOException {
        for (Format f : Format.values()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Printer p = new Printer(f, new PrintWriter(out, true), new PrintWriter(err, true));
            p.print(o -> seats().print(o), TableTest::seats, () -> seats().json());
            p.say().println("wrote x");
            p.say().flush();
            String doc = out.toString().replace(System.lineSeparator(), "\n");
            switch (f) {
                case table -> assertTrue(doc.startsWith("  product") && doc.endsWith("wrote x\n") && err.toString().isEmpty(), doc);
                case csv -> assertTrue(doc.startsWith("product,consumed,name\r\n") && !doc.contains("wrote")
                        && err.toString().startsWith("wrote x"), doc);
                case json -> assertTrue(doc.startsWith("[ {\n  \"product\" : \"EMS\",\n  \"consumed\" : 1234,") && !doc.contains("wrote")
                        && err.toString().startsWith("wrote x"), doc);
            }
        }
    }
}
