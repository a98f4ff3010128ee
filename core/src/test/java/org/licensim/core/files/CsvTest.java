package org.licensim.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    @DisplayName("RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled")
    void quoting() {
        assertEquals("plain", Csv.field("plain"));
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", Csv.field("two\nlines"));
        assertEquals("", Csv.field(null));
    }

    @Test
    @DisplayName("A directory name a spreadsheet would run as a formula is written as text (leading apostrophe)")
    void formulasStayText() {
        assertEquals("'=1+1", Csv.field("=1+1"));
        assertEquals("\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"open\"\")\"",
                Csv.field("=HYPERLINK(\"http://example.invalid\",\"open\")"));
        assertEquals("'@SUM(A1)", Csv.field("@SUM(A1)"));
        assertEquals("'+cmd|' /C calc'!A0", Csv.field("+cmd|' /C calc'!A0"));
        assertEquals("'-Sales team", Csv.field("-Sales team"));
        assertEquals("'\tTabbed", Csv.field("\tTabbed"));
        assertEquals("\"'\rx\"", Csv.field("\rx"));
    }

    @Test
    @DisplayName("Numbers, signed or not, and texts that merely contain a formula sign are written as they are")
    void numbersAndOrdinaryTexts() {
        assertEquals("-3", Csv.field("-3"));
        assertEquals("+1.5", Csv.field("+1.5"));
        assertEquals("\"-1,234\"", Csv.field("-1,234"));
        assertEquals("-12.5%", Csv.field("-12.5%"));
        assertEquals("-", Csv.field("-"));
        assertEquals("Sales - EMEA", Csv.field("Sales - EMEA"));
        assertEquals("a=b", Csv.field("a=b"));
        assertEquals("2026-04-02", Csv.field("2026-04-02"));
        assertEquals("-3,'=x,,7", Csv.line(-3, "=x", null, 7L));
    }
}
