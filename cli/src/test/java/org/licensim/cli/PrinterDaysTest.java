package org.licensim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Day counts in plan's purchase schedule ("runway 1 day", not "1 days"). */
class PrinterDaysTest {
    @Test
    @DisplayName("one day is \"1 day\"; other counts are days, grouped by thousands")
    void days() {
        assertEquals("1 day", Printer.days(1));
        assertEquals("0 days", Printer.days(0));
        assertEquals("12 days", Printer.days(12));
        assertEquals("1,200 days", Printer.days(1200));
    }
}
