package org.licensim.simulator.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.LicensimException;

/** Prices as monthly or annual commitments: what a purchase costs, and the totals per month and year (docs/PLANNING.md). */
class PriceCommitmentTest {
    static final List<String> SKUS = List.of("ENTERPRISEPACK", "EMS");
    static final LocalDate START = LocalDate.of(2026, 1, 1);
    // requirement rises to 5 on day 40 (2026-02-10) and to 8 on day 70 (2026-03-12); horizon day 90
    static final int[] REQ = {0, 0, 5, 5, 8};
    static final int[] DAY = {0, 10, 40, 50, 70};

    static Prices read(String json) throws IOException {
        return Prices.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "prices.json", SKUS);
    }

    @Test
    @DisplayName("given an annual commitment, when seats are bought, then each seat costs 12 months whatever the horizon")
    void annual() throws IOException {
        Prices p = read("{\"currency\": \"EUR\", \"products\": {\"ENTERPRISEPACK\": {\"perYear\": 120, \"commitment\": \"annual\"}}}");
        assertEquals("annual", p.commitment("ENTERPRISEPACK"));
        assertTrue(p.committed());
        List<Procurement.Purchase> s = Procurement.schedule(REQ, DAY, START, "month", 0, p.monthly("ENTERPRISEPACK"),
                p.commitment("ENTERPRISEPACK"), 90);
        assertEquals(2, s.size());
        assertEquals(600.0, s.get(0).cost(), 1e-9, "5 seats x 120 a year");
        assertEquals(360.0, s.get(1).cost(), 1e-9, "3 seats x 120 a year");
    }

    @Test
    @DisplayName("given a monthly commitment, when seats are bought, then each costs the whole months from its need to the horizon")
    void monthly() throws IOException {
        Prices p = read("{\"currency\": \"EUR\", \"products\": {\"ENTERPRISEPACK\": {\"perMonth\": 10, \"commitment\": \"monthly\"}}}");
        List<Procurement.Purchase> s = Procurement.schedule(REQ, DAY, START, "month", 0, p.monthly("ENTERPRISEPACK"),
                p.commitment("ENTERPRISEPACK"), 90);
        assertEquals(100.0, s.get(0).cost(), 1e-9, "50 days left: 2 months begun, 5 seats x 10");
        assertEquals(30.0, s.get(1).cost(), 1e-9, "20 days left: 1 month, 3 seats x 10");
        assertEquals(1.0, Procurement.committedMonths("monthly", 0), "a seat bought on the horizon's last day is paid a month");
    }

    @Test
    @DisplayName("given no commitment, the cost is as before: the months to the horizon, pro rata, and no totals per month")
    void unsaidKeepsProRata() throws IOException {
        Prices p = read("{\"currency\": \"EUR\", \"products\": {\"ENTERPRISEPACK\": {\"perMonth\": 10}}}");
        assertNull(p.commitment("ENTERPRISEPACK"));
        assertTrue(!p.committed());
        List<Procurement.Purchase> s = Procurement.schedule(REQ, DAY, START, "month", 0, 10.0, null, 90);
        assertEquals(5 * 10 * 50 / (365.25 / 12), s.get(0).cost(), 1e-9);
    }

    @Test
    @DisplayName("the totals per month and per year add the purchases by the month and year they are needed")
    void totals() throws IOException {
        List<Procurement.Purchase> s = Procurement.schedule(REQ, DAY, START, "month", 0, 10.0, "annual", 90);
        Procurement.ProductAdvice a = new Procurement.ProductAdvice("ENTERPRISEPACK", "Office 365 E3", 40, 40, s, 0, -1, s,
                10.0, 960.0, 0.0, null, List.of());
        Procurement pr = new Procurement(0, "month", read("{\"currency\": \"EUR\", \"products\": {\"ENTERPRISEPACK\": "
                + "{\"perMonth\": 10, \"commitment\": \"annual\"}}}"), 90, false, List.of(a), List.of());
        assertEquals(Map.of("2026-02", 600.0, "2026-03", 360.0), pr.costByMonth());
        assertEquals(Map.of("2026", 960.0), pr.costByYear());
    }

    @Test
    @DisplayName("a commitment other than monthly or annual is refused naming the product and the value")
    void badCommitment() {
        LicensimException e = assertThrows(LicensimException.class, () -> read("{\"currency\": \"EUR\", \"products\": "
                + "{\"EMS\": {\"perMonth\": 10, \"commitment\": \"weekly\"}}}"));
        assertTrue(e.getMessage().contains("$.products[\"EMS\"].commitment: expected \"monthly\" or \"annual\", found \"weekly\""),
                e.getMessage());
    }
}
