package org.licensim.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class ScenarioReaderTest {
    static Catalog catalog;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void load() {
        catalog = Catalog.loadDefault();
    }

    static final String VALID = """
            {"name": "t", "seed": 1, "users": 100, "days": 10, "start": "2026-01-05",
             "tenant": {"id": "t1", "domain": "t.example", "country": "US"},
             "countries": {"US": 3, "DE": 1}, "noUsageLocation": 0.1,
             "departments": [{"name": "Sales", "titles": ["Seller"]}, {"name": "IT", "titles": ["Admin"]}],
             "products": [{"sku": "ENTERPRISEPACK", "seats": "90%", "purchases": [{"day": 5, "units": 10}]},
                          {"sku": "WORKPLACE_ANALYTICS", "seats": 5}],
             "groups": [{"name": "E3", "rule": "user.department -eq \\"Sales\\"",
                         "licenses": [{"sku": "ENTERPRISEPACK", "disabledPlans": ["YAMMER_ENTERPRISE"]}]},
                        {"name": "Pilot", "memberShare": 0.1, "licenses": [{"sku": "ENTERPRISEPACK"}, {"sku": "WORKPLACE_ANALYTICS"}]}],
             "direct": [{"sku": "WORKPLACE_ANALYTICS", "share": 0.01}],
             "churn": {"hires": "1%", "leavers": 2, "weekly": [1, 1, 1, 1, 1, 0, 0],
                       "waves": [{"from": 2, "to": 4, "factor": 2, "kinds": ["hires"]}], "reprocessEveryDays": 7},
             "edits": [{"day": 3, "action": "changeRule", "group": "E3", "rule": "user.department -eq \\"IT\\""}]}
            """;

    static Scenario read(String json) throws IOException {
        return new ScenarioReader(catalog).read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "s.json");
    }

    @Test
    @DisplayName("a valid scenario reads with every setting, quantities as numbers or percentages")
    void valid() throws IOException {
        Scenario s = read(VALID);
        assertEquals(100, s.users());
        assertEquals(90.0, s.products().get(0).seats().of(s.users()));
        assertEquals(5.0, s.products().get(1).seats().of(s.users()));
        assertEquals("ENTERPRISEPACK", s.groups().get(0).licenses().get(0).sku());
        assertTrue(s.groups().get(0).dynamic());
        assertFalse(s.groups().get(1).dynamic());
        assertEquals(Scenario.Action.changeRule, s.edits().get(0).action());
        assertEquals(1.0, s.churn().hires().of(s.users()));
        assertEquals(0.0, s.churn().weekly()[6]);
    }

    @Test
    @DisplayName("every shipped scenario reads and names itself")
    void shipped() {
        for (String name : Scenarios.NAMES) {
            Scenario s = Scenarios.shipped(name, catalog);
            assertEquals(name, s.name());
            assertTrue(s.users() > 0 && s.days() > 0 && !s.groups().isEmpty(), name);
        }
        assertEquals(100_000, Scenarios.shipped("default", catalog).users());
        assertEquals(180, Scenarios.shipped("default", catalog).days());
        assertEquals(1_000_000, Scenarios.shipped("enterprise", catalog).users());
        assertEquals(1_000, Scenarios.shipped("small", catalog).users());
    }

    /** Sets {@code path} (dots; numbers index arrays) of the valid scenario to {@code json}, or removes it. */
    static String mutate(String path, String json) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(VALID);
        String[] parts = path.split("\\.");
        com.fasterxml.jackson.databind.JsonNode n = root;
        for (int i = 0; i < parts.length - 1; i++) {
            n = parts[i].matches("\\d+") ? n.get(Integer.parseInt(parts[i])) : n.get(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (json == null) {
            ((ObjectNode) n).remove(last);
        } else if (last.matches("\\d+")) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) n).set(Integer.parseInt(last), JSON.readTree(json));
        } else {
            ((ObjectNode) n).set(last, JSON.readTree(json));
        }
        return JSON.writeValueAsString(root);
    }

    @ParameterizedTest(name = "{0} = {1} -> {2}")
    @DisplayName("each kind of bad setting is refused, naming where it is and what is allowed")
    @CsvSource(delimiter = '|', nullValues = "REMOVE", value = {
        "users | REMOVE | $: missing users",
        "users | -5 | $.users: expected a whole number from 0 to 20000000, found -5",
        "days | 99999 | $.days: expected a whole number from 0 to 3650",
        "start | \"5 Jan\" | $.start: expected a date such as 2026-01-05",
        "seats | 1 | $.seats: unknown field",
        "tenant.country | \"USA\" | $.tenant.country: \"USA\" is not an ISO 3166 alpha-2 country code",
        "tenant.domain | \"Contoso Ltd\" | $.tenant.domain: \"Contoso Ltd\" is not a lower-case DNS domain",
        "countries | {\"usa\": 1} | $.countries.usa: not an ISO 3166 alpha-2 country code",
        "countries | {\"US\": 0} | $.countries: the weights must add up to more than 0",
        "noUsageLocation | 1.5 | $.noUsageLocation: expected a number from 0.0 to 1.0, found 1.5",
        "departments | [] | $.departments: needs at least one department",
        "departments.0.titles | [] | $.departments[0].titles: needs at least one job title",
        "departments.1.name | \"Sales\" | $.departments: department \"Sales\" is listed twice",
        "products.0.sku | \"E3-TYPO\" | $.products[0].sku: unknown product \"E3-TYPO\"",
        "products.0.seats | \"lots\" | $.products[0].seats: expected a number >= 0 or a percentage",
        "products.0.purchases.0.day | 11 | $.products[0].purchases[0]: day 11 is after the scenario's last day 10",
        "groups.0.rule | \"user.department -eq\" | $.groups[0].rule: ",
        "groups.0.licenses.0.disabledPlans | [\"NOT_A_PLAN\"] | $.groups[0].licenses[0].disabledPlans: \"NOT_A_PLAN\" is not a plan of ENTERPRISEPACK",
        "groups.0.licenses.0.sku | \"EMS\" | $.groups[0].licenses[0].sku: EMS is not one of the scenario's products",
        "groups.1.memberShare | REMOVE | $.groups[1]: an assigned group (no rule) needs memberShare",
        "groups.1.name | \"E3\" | $.groups: group \"E3\" is listed twice",
        "direct.0.share | REMOVE | $.direct[0]: missing share",
        "churn.hires | \"ten\" | $.churn.hires: expected a number >= 0 or a percentage",
        "churn.weekly | [1, 1] | $.churn.weekly: expected 7 factors, Monday to Sunday",
        "churn.waves.0.to | 1 | $.churn.waves[0]: to (1) is before from (2)",
        "churn.waves.0.kinds | [\"promotions\"] | $.churn.waves[0].kinds: unknown churn kind \"promotions\"",
        "edits.0.group | \"Nope\" | $.edits[0].group: \"Nope\" is not one of the scenario's groups",
        "edits.0.action | \"deleteGroup\" | $.edits[0].action: unknown action \"deleteGroup\"; allowed: changeRule",
        "edits.0.day | 12 | $.edits[0]: day 12 is after the scenario's last day 10",
    })
    void invalid(String path, String value, String expected) throws IOException {
        String json = mutate(path, value);
        LicensimException e = assertThrows(LicensimException.class, () -> read(json));
        assertTrue(e.getMessage().startsWith("scenario s.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected.strip()), "expected \"" + expected + "\" in:\n" + e.getMessage());
    }

    @Test
    @DisplayName("all problems of a file are reported at once")
    void allProblems() throws IOException {
        String json = mutate("users", "-1").replace("\"days\":10", "\"days\":\"ten\"");
        LicensimException e = assertThrows(LicensimException.class, () -> read(json));
        assertTrue(e.getMessage().contains("2 problems"), e.getMessage());
        assertTrue(e.getMessage().contains("$.users") && e.getMessage().contains("$.days"), e.getMessage());
    }

    @Test
    @DisplayName("malformed JSON names the line and column; a missing file names the file and the shipped scenarios")
    void malformedAndMissing(@TempDir Path dir) throws IOException {
        LicensimException e = assertThrows(LicensimException.class, () -> read("{\"name\": \"x\",\n \"users\": }"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("malformed JSON"), e.getMessage());
        Path missing = dir.resolve("nope.json");
        LicensimException m = assertThrows(LicensimException.class, () -> Scenarios.load(missing.toString(), catalog));
        assertTrue(m.getMessage().contains(missing.toString()) && m.getMessage().contains("seat-crunch"), m.getMessage());
        Path file = dir.resolve("mine.json");
        Files.writeString(file, VALID);
        assertEquals("t", Scenarios.load(file.toString(), catalog).name());
    }
}
