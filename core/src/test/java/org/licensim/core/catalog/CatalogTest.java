package org.licensim.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.LicensimException;

class CatalogTest {
    private final Catalog catalog = Catalog.loadDefault();

    @Test
    @DisplayName("the shipped catalog holds Microsoft's 569 products and 723 service plans")
    void loadsTheRealTable() {
        assertEquals(569, catalog.productCount());
        assertEquals(723, catalog.planCount());
        for (int i = 0; i < catalog.productCount(); i++) {
            assertEquals(i, catalog.product(i).index(), "dense product index");
        }
        for (int i = 0; i < catalog.planCount(); i++) {
            assertEquals(i, catalog.plan(i).index(), "dense plan index");
        }
    }

    @Test
    @DisplayName("Office 365 E3 (ENTERPRISEPACK) has its 36 real plans, by part number or skuId")
    void enterprisePack() {
        Product e3 = catalog.findProduct("ENTERPRISEPACK");
        assertNotNull(e3);
        assertEquals("6fd2c87f-b296-42f0-b197-1e91e994b900", e3.skuId());
        assertEquals("Office 365 E3", e3.displayName());
        assertEquals(36, e3.planCount());
        assertSame(e3, catalog.findProduct("6FD2C87F-B296-42F0-B197-1E91E994B900"));
        assertTrue(catalog.planNames(e3).contains("EXCHANGE_S_ENTERPRISE"));
        assertTrue(catalog.planNames(e3).contains("YAMMER_ENTERPRISE"));
        assertTrue(catalog.planNames(e3).contains("SHAREPOINTENTERPRISE"));
        assertEquals(86, catalog.findProduct("SPE_E5").planCount(), "Microsoft 365 E5 is the largest product");
    }

    @Test
    @DisplayName("plans are identified by GUID and found by id, name, or inside a product")
    void planLookup() {
        ServicePlan exo2 = catalog.findPlan("EXCHANGE_S_ENTERPRISE");
        assertEquals("efb87545-963c-4e0d-99df-69c6916d9eb0", exo2.servicePlanId());
        assertEquals("Exchange Online (Plan 2)", exo2.friendlyName());
        assertSame(exo2, catalog.findPlan("efb87545-963c-4e0d-99df-69c6916d9eb0"));
        Product e3 = catalog.findProduct("ENTERPRISEPACK");
        int local = catalog.findPlanInProduct(e3, "exchange_s_enterprise");
        assertEquals(exo2.index(), e3.plans()[local]);
        assertEquals(-1, catalog.findPlanInProduct(e3, "EXCHANGE_S_STANDARD"), "E3 has Plan 2, not Plan 1");
        assertNull(catalog.findPlan("NO_SUCH_PLAN"));
    }

    @Test
    @DisplayName("a part number shared by two products is ambiguous and names both skuIds")
    void ambiguousPartNumber() {
        LicensimException e = assertThrows(LicensimException.class, () -> catalog.findProduct("MCOPSTN5"));
        assertTrue(e.getMessage().contains("54a152dc-90de-4996-93d2-bc47e670fc06"), e.getMessage());
        assertTrue(e.getMessage().contains("d43177b5-475b-4880-92d4-d54c27b5efbd"), e.getMessage());
    }

    @Test
    @DisplayName("a plan name that stands for two plan ids is ambiguous catalog-wide")
    void ambiguousPlanName() {
        LicensimException e = assertThrows(LicensimException.class, () -> catalog.findPlan("PROJECT_ESSENTIALS"));
        assertTrue(e.getMessage().contains("name it by id"), e.getMessage());
    }

    @Test
    @DisplayName("no-break spaces in Microsoft's table are stripped, so every GUID parses")
    void strayNoBreakSpaces() {
        assertNotNull(catalog.findPlan("efb87545-963c-4e0d-99df-69c6916d9eb0"));
        for (Product p : catalog.products()) {
            assertEquals(p.skuId().strip(), p.skuId());
            assertTrue(p.skuId().matches("[0-9a-f-]{36}"), p.skuId());
        }
    }

    @Test
    @DisplayName("a catalog CSV with a wrong header is rejected naming the file and the header it expected")
    void wrongHeader(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("catalog.csv");
        Files.writeString(csv, "Name,Id\r\nOffice,123\r\n", StandardCharsets.UTF_8);
        LicensimException e = assertThrows(LicensimException.class, () -> Catalog.load(csv));
        assertTrue(e.getMessage().startsWith(csv.toString() + ": line 1: expected the header Product_Display_Name"),
                e.getMessage());
    }

    @Test
    @DisplayName("a catalog row whose GUID is not a GUID is rejected with its line and value")
    void badGuid(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("catalog.csv");
        Files.writeString(csv, "\uFEFFProduct_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,"
                + "Service_Plans_Included_Friendly_Names\r\n"
                + "\"Office 365 E3, test\",ENTERPRISEPACK,6fd2c87f-b296-42f0-b197-1e91e994b900,EXO,"
                + "efb87545-963c-4e0d-99df-69c6916d9eb0,Exchange\r\n"
                + "Broken,BROKEN,not-a-guid,EXO,efb87545-963c-4e0d-99df-69c6916d9eb0,Exchange\r\n",
                StandardCharsets.UTF_8);
        LicensimException e = assertThrows(LicensimException.class, () -> Catalog.load(csv));
        assertTrue(e.getMessage().contains("line 3: column GUID is not a GUID: \"not-a-guid\""), e.getMessage());
    }

    @Test
    @DisplayName("quoted commas and a byte-order mark parse (RFC 4180), repeated rows fold into one plan")
    void quotingAndDuplicates(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("catalog.csv");
        String row = "\"Office 365 E3, test\",ENTERPRISEPACK,6fd2c87f-b296-42f0-b197-1e91e994b900,EXO,"
                + "efb87545-963c-4e0d-99df-69c6916d9eb0,\"Exchange, Plan 2\"\r\n";
        Files.writeString(csv, "\uFEFFProduct_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,"
                + "Service_Plans_Included_Friendly_Names\r\n" + row + row, StandardCharsets.UTF_8);
        Catalog c = Catalog.load(csv);
        assertEquals(1, c.productCount());
        assertEquals("Office 365 E3, test", c.product(0).displayName());
        assertEquals(1, c.product(0).planCount());
        assertEquals("Exchange, Plan 2", c.plan(0).friendlyName());
    }
}
