package org.licensim.core.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.LicensimException;

import com.fasterxml.jackson.databind.ObjectMapper;

class PlanRulesTest {
    private final Catalog catalog = Catalog.loadDefault();
    private final ObjectMapper json = new ObjectMapper();

    private int plan(String name) {
        return catalog.findPlan(name).index();
    }

    @Test
    @DisplayName("R14 the shipped rules say Workplace Analytics needs Exchange Online Plan 1 or Plan 2")
    void workplaceAnalyticsPrerequisite() {
        PlanRules rules = PlanRules.loadDefault(catalog);
        PlanRules.Prerequisite wpa = rules.prerequisites().stream()
                .filter(p -> p.plan() == plan("WORKPLACE_ANALYTICS")).findFirst().orElseThrow();
        assertArrayEquals(new int[] {plan("EXCHANGE_S_STANDARD"), plan("EXCHANGE_S_ENTERPRISE")}, wpa.anyOf());
    }

    private static boolean conflict(PlanRules rules, int a, int b) {
        return rules.conflicts().stream().anyMatch(c -> (c.planA() == a && c.planB() == b)
                || (c.planA() == b && c.planB() == a));
    }

    @Test
    @DisplayName("R13 the shipped conflicts are Microsoft's tables plus the page's Exchange Online Plan 1 / Plan 2 statement")
    void microsoftConflictTables() {
        PlanRules rules = PlanRules.loadDefault(catalog);
        ExclusivePlanSets tables = ExclusivePlanSets.loadDefault(catalog);
        assertEquals(8, tables.sets().size());
        // the page's tables: SharePoint Plan 1 / Plan 2 (E1 and E3), Intune A / A_VL, the calling plans
        assertTrue(conflict(rules, plan("SHAREPOINTSTANDARD"), plan("SHAREPOINTENTERPRISE")));
        assertTrue(conflict(rules, plan("INTUNE_A"), plan("INTUNE_A_VL")));
        assertTrue(conflict(rules, plan("MCOPSTN1"), plan("MCOPSTN2")));
        // the page's prose, not its tables: Exchange Online Plan 2 conflicts with Plan 1
        assertTrue(conflict(rules, plan("EXCHANGE_S_STANDARD"), plan("EXCHANGE_S_ENTERPRISE")));
        // plans of different tables, and a plan with itself, do not
        assertTrue(!conflict(rules, plan("SHAREPOINTENTERPRISE"), plan("EXCHANGE_S_ENTERPRISE")));
        assertTrue(!conflict(rules, plan("SHAREPOINTENTERPRISE"), plan("SHAREPOINTENTERPRISE")));
        // every pair of a table once (75 over the plans the catalog has), plus the Exchange statement
        int pairs = tables.sets().stream().mapToInt(s -> s.plans().length * (s.plans().length - 1) / 2).sum();
        assertEquals(75, pairs);
        assertEquals(pairs + 1, rules.conflicts().size());
        // four plans of the tables are in no product of the 2025-12-30 catalog: skipped and named
        assertEquals(4, tables.skipped().size(), tables.skipped().toString());
        assertTrue(tables.skipped().contains("INTUNE_B (2dc63b8a-df3d-448f-b683-8655877c9360)"), tables.skipped().toString());
    }

    @Test
    @DisplayName("R13 no product of Microsoft's catalog has two plans that its tables say conflict")
    void noProductConflictsWithItself() {
        Set<Long> pairs = new java.util.HashSet<>();
        PlanRules.loadDefault(catalog).conflicts().forEach(c -> {
            pairs.add(((long) c.planA() << 32) | c.planB());
            pairs.add(((long) c.planB() << 32) | c.planA());
        });
        for (Product p : catalog.products()) {
            for (int a : p.plans()) {
                for (int b : p.plans()) {
                    assertTrue(!pairs.contains(((long) a << 32) | b), p + ": " + catalog.plan(a).servicePlanName() + " and "
                            + catalog.plan(b).servicePlanName());
                }
            }
        }
    }

    @Test
    @DisplayName("R15 R16 the shipped rules hold a prohibition and the mailbox plans")
    void otherSections() {
        PlanRules rules = PlanRules.loadDefault(catalog);
        assertEquals(Set.of("IN", "CN"), rules.prohibitions().get(0).countries());
        assertTrue(java.util.Arrays.stream(rules.uniquenessPlans()).anyMatch(p -> p == plan("EXCHANGE_S_ENTERPRISE")));
    }

    @Test
    @DisplayName("a tenant's rules replace only the sections they name")
    void overrideReplacesSections() throws Exception {
        PlanRules base = PlanRules.loadDefault(catalog);
        PlanRules over = PlanRules.parseOver(base, json.readTree(
                "{\"conflicts\": [{\"plans\": [\"EXCHANGE_S_STANDARD\", \"EXCHANGE_S_ENTERPRISE\"]}]}"),
                catalog, "t.json", "$.servicePlanRules");
        assertEquals(1, over.conflicts().size());
        assertEquals(new PlanRules.Conflict(plan("EXCHANGE_S_STANDARD"), plan("EXCHANGE_S_ENTERPRISE")),
                over.conflicts().get(0));
        assertEquals(base.prerequisites(), over.prerequisites());
        assertEquals(base.prohibitions(), over.prohibitions());
    }

    @Test
    @DisplayName("a conflict of three plans means every pair of them conflicts")
    void conflictGroup() throws Exception {
        PlanRules r = PlanRules.parse(json.readTree(
                "{\"conflicts\": [{\"plans\": [\"SHAREPOINTSTANDARD\", \"SHAREPOINTENTERPRISE\", \"SHAREPOINTWAC\"]}]}"),
                catalog, "t.json", "$");
        assertEquals(3, r.conflicts().size());
    }

    @Test
    @DisplayName("R22 an unknown plan in the rules is an error naming the file, JSON path and value")
    void unknownPlan() throws Exception {
        LicensimException e = assertThrows(LicensimException.class, () -> PlanRules.parse(json.readTree(
                "{\"prerequisites\": [{\"plan\": \"WORKPLACE_ANALYTICS\", \"anyOf\": [\"EXCHANGE_S_STANDARD\", \"EXO_PLAN_9\"]}]}"),
                catalog, "tenant.json", "$.servicePlanRules"));
        assertEquals("tenant.json: $.servicePlanRules.prerequisites[0].anyOf[1]: unknown service plan \"EXO_PLAN_9\" "
                + "(not in the product catalog classpath:/org/licensim/core/catalog/microsoft-product-catalog.csv)",
                e.getMessage());
    }

    @Test
    @DisplayName("R22 a bad country code and an unknown section are named")
    void badCountryAndSection() throws Exception {
        LicensimException c = assertThrows(LicensimException.class, () -> PlanRules.parse(json.readTree(
                "{\"prohibitedLocations\": [{\"plan\": \"MCOPSTN1\", \"countries\": [\"India\"]}]}"),
                catalog, "r.json", "$"));
        assertTrue(c.getMessage().contains("$.prohibitedLocations[0].countries[0]: expected a two-letter country code"),
                c.getMessage());
        assertTrue(c.getMessage().contains("\"India\""), c.getMessage());
        LicensimException s = assertThrows(LicensimException.class, () -> PlanRules.parse(json.readTree(
                "{\"conflict\": []}"), catalog, "r.json", "$"));
        assertTrue(s.getMessage().contains("unknown section \"conflict\""), s.getMessage());
    }
}
