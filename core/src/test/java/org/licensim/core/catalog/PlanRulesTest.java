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

    @Test
    @DisplayName("R13 R15 R16 the shipped rules hold a conflict, a prohibition and the mailbox plans")
    void otherSections() {
        PlanRules rules = PlanRules.loadDefault(catalog);
        assertEquals(new PlanRules.Conflict(plan("SHAREPOINTSTANDARD"), plan("SHAREPOINTENTERPRISE")),
                rules.conflicts().get(0));
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
