package org.licensim.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.Tenant;
import org.licensim.core.io.SnapshotReader;

/**
 * Random rules over random users: the compiled predicate (dictionary codes, folded strings, a
 * reused matcher, parsed dates) must agree with a straightforward tree-walking interpreter over
 * plain strings, for every operator, dates against literals and system.now, and directory
 * extensions. A failure prints its seed.
 */
class RulePropertyTest {
    static final String[] STRING_PROPS = {"department", "city", "jobTitle", "mail", "usageLocation"};
    static final String[] VALUES = {"Sales", "sales", "SALES", "Sal", "les", "Lagos", "lag", "OS", "NL", "nl", "US",
        "x@contoso.com", "contoso", "@CONTOSO.com", "Eng", "eng", ""};
    static final String[] REGEX = {"^s.*", "a.c", "os$", "^$", "o+", "[nu][ls]"};
    static final String[] OPS = {"-eq", "-ne", "-startsWith", "-notStartsWith", "-endsWith", "-notEndsWith", "-contains",
        "-notContains", "-match", "-notMatch", "-in", "-notIn"};
    static final String[] DATES = {"2026-01-15", "2026-02-20T10:00:00Z", "2025-12-31", "2026-02-01T00:00:00+01:00",
        "not a date", "2026-02-10"};
    static final String[] DATE_OPS = {"-le", "-ge", "-lt", "-gt"};
    static final String[] BOUNDS = {"\"2026-02-01\"", "\"2026-02-20T10:00:00Z\"", "system.now", "system.now -minus P10D",
        "system.now -plus PT1H", "system.now -minus P1DT12H"};
    static final String CC = "extension_0123456789abcdef0123456789abcdef_costCenter";
    static final String LEVEL = "extension_0123456789abcdef0123456789abcdef_level";
    /** system.now for both the compiled rules and the interpreter. */
    static final long NOW = java.time.Instant.parse("2026-02-12T00:00:00Z").getEpochSecond();

    @Test
    @DisplayName("R19 compiled rules agree with a tree-walking interpreter on random rules and users")
    void compiledEqualsInterpreter() throws Exception {
        int checks = 0;
        for (long seed = 1; seed <= 150; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            List<Map<String, Object>> people = new ArrayList<>();
            StringBuilder json = new StringBuilder("{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, "
                    + "\"directoryExtensions\": [{\"name\": \"" + CC + "\"}, {\"name\": \"" + LEVEL + "\", \"dataType\": "
                    + "\"Integer\"}], \"users\": [");
            for (int u = 0; u < 25; u++) {
                Map<String, Object> p = new HashMap<>();
                p.put("objectId", "User" + u);
                json.append(u > 0 ? "," : "").append("{\"id\": \"User").append(u).append('"');
                for (String prop : STRING_PROPS) {
                    String v = rnd.nextInt(4) == 0 ? null : prop.equals("usageLocation")
                            ? (rnd.nextBoolean() ? "NL" : "US") : VALUES[rnd.nextInt(VALUES.length)];
                    p.put(prop, v);
                    json.append(", \"").append(prop).append("\": ").append(v == null ? "null" : "\"" + v + "\"");
                }
                String hired = rnd.nextInt(5) == 0 ? null : DATES[rnd.nextInt(DATES.length)];
                p.put("employeeHireDate", hired);
                json.append(", \"employeeHireDate\": ").append(hired == null ? "null" : "\"" + hired + "\"");
                String cc = rnd.nextInt(4) == 0 ? null : VALUES[rnd.nextInt(VALUES.length)];
                p.put(CC, cc);
                json.append(", \"").append(CC).append("\": ").append(cc == null ? "null" : "\"" + cc + "\"");
                Integer level = rnd.nextInt(4) == 0 ? null : rnd.nextInt(4);
                p.put(LEVEL, level == null ? null : level.toString());
                json.append(", \"").append(LEVEL).append("\": ").append(level);
                p.put("$now", NOW);
                boolean enabled = rnd.nextBoolean();
                p.put("accountEnabled", enabled);
                json.append(", \"accountEnabled\": ").append(enabled);
                List<String> proxies = new ArrayList<>();
                for (int k = rnd.nextInt(3); k > 0; k--) {
                    proxies.add((rnd.nextBoolean() ? "SMTP:" : "smtp:") + VALUES[rnd.nextInt(VALUES.length)]);
                }
                p.put("proxyAddresses", proxies);
                json.append(", \"proxyAddresses\": [");
                for (int k = 0; k < proxies.size(); k++) {
                    json.append(k > 0 ? "," : "").append('"').append(proxies.get(k)).append('"');
                }
                json.append("]}");
                people.add(p);
            }
            json.append("]}");
            Tenant t = SnapshotReader.withDefaults().read(new ByteArrayInputStream(json.toString()
                    .getBytes(StandardCharsets.UTF_8)), "people.json");
            for (int r = 0; r < 40; r++) {
                String text = rule(rnd, 0);
                CompiledRule compiled = CompiledRule.compile(text, t.directory(), new long[] {NOW});
                Rule tree = RuleParser.parse(text);
                for (int u = 0; u < people.size(); u++) {
                    boolean expected = eval(tree, people.get(u));
                    assertEquals(expected, compiled.matches(u), "seed " + seed + ", rule " + text + ", user " + people.get(u));
                    checks++;
                }
            }
        }
        assertTrue(checks >= 100_000, "checks: " + checks);
    }

    static String rule(SplittableRandom rnd, int depth) {
        int k = rnd.nextInt(depth >= 3 ? 4 : 8);
        if (k >= 5) {
            String a = rule(rnd, depth + 1);
            String b = rule(rnd, depth + 1);
            return switch (k) {
                case 5 -> "(" + a + ") -and (" + b + ")";
                case 6 -> a + " -or " + b;
                default -> "-not (" + a + ")";
            };
        }
        if (k == 4) {
            int pick = rnd.nextInt(4);
            if (pick == 0) {
                return "user.employeeHireDate " + DATE_OPS[rnd.nextInt(DATE_OPS.length)] + " " + BOUNDS[rnd.nextInt(BOUNDS.length)];
            }
            if (pick == 1) {
                String op = OPS[rnd.nextInt(OPS.length)];
                return "user." + CC + " " + op + " " + value(rnd, op);
            }
            if (pick == 2) {
                return rnd.nextBoolean() ? "user." + LEVEL + " " + (rnd.nextBoolean() ? "-eq " : "-ne ") + rnd.nextInt(4)
                        : "user." + LEVEL + " -in [" + rnd.nextInt(4) + ", " + rnd.nextInt(4) + "]";
            }
            return "user.accountEnabled " + (rnd.nextBoolean() ? "-eq" : "-ne") + " " + rnd.nextBoolean();
        }
        if (k == 3) {
            String op = OPS[rnd.nextInt(OPS.length - 2)];
            return "user.proxyAddresses " + (rnd.nextBoolean() ? "-any" : "-all") + " (_ " + op + " " + value(rnd, op) + ")";
        }
        String prop = k == 2 && rnd.nextBoolean() ? "objectId" : STRING_PROPS[rnd.nextInt(STRING_PROPS.length)];
        String op = OPS[rnd.nextInt(OPS.length)];
        if (rnd.nextInt(8) == 0 && (op.equals("-eq") || op.equals("-ne"))) {
            return "user." + prop + " " + op + " null";
        }
        return "user." + prop + " " + op + " " + value(rnd, op);
    }

    static String value(SplittableRandom rnd, String op) {
        if (op.endsWith("In")  || op.equals("-in")) {
            return "[\"" + VALUES[rnd.nextInt(VALUES.length)] + "\", \"" + VALUES[rnd.nextInt(VALUES.length)] + "\"]";
        }
        if (op.contains("atch")) {
            return "\"" + REGEX[rnd.nextInt(REGEX.length)] + "\"";
        }
        return "\"" + VALUES[rnd.nextInt(VALUES.length)] + "\"";
    }

    static boolean eval(Rule r, Map<String, Object> user) {
        return RuleInterpreter.eval(r, user);
    }
}
