package org.licensim.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RuleParserTest {
    private static RuleException error(String rule) {
        return assertThrows(RuleException.class, () -> RuleParser.parse(rule));
    }

    @Test
    @DisplayName("R19 every comparison operator parses, with or without hyphen, in any case")
    void operators() {
        for (Op op : Op.values()) {
            if (op.ordering()) {
                // the date operators, on a date property (TimeDrivenRulesTest covers their values)
                Rule.DateCompare d = assertInstanceOf(Rule.DateCompare.class, RuleParser.parse("user.employeeHireDate "
                        + op.text().substring(1).toUpperCase() + " system.now"));
                assertEquals(op, d.op());
                continue;
            }
            String value = op == Op.IN || op == Op.NOT_IN ? "[\"a\"]" : "\"a\"";
            Rule.Compare c = assertInstanceOf(Rule.Compare.class, RuleParser.parse("user.city " + op.text() + " " + value));
            assertEquals(op, c.op());
            Rule.Compare bare = assertInstanceOf(Rule.Compare.class,
                    RuleParser.parse("user.city " + op.text().substring(1).toUpperCase() + " " + value));
            assertEquals(op, bare.op());
        }
    }

    @Test
    @DisplayName("R19 precedence: comparisons, then -not, then -and, then -or; parentheses override")
    void precedence() {
        Rule r = RuleParser.parse("user.city -eq \"a\" -or user.city -eq \"b\" -and -not user.city -eq \"c\"");
        Rule.Or or = assertInstanceOf(Rule.Or.class, r);
        Rule.And and = assertInstanceOf(Rule.And.class, or.right());
        assertInstanceOf(Rule.Not.class, and.right());
        Rule p = RuleParser.parse("(user.city -eq \"a\" -or user.city -eq \"b\") -and user.city -eq \"c\"");
        assertInstanceOf(Rule.Or.class, assertInstanceOf(Rule.And.class, p).left());
        Rule nested = RuleParser.parse("((((user.city -eq \"a\"))))");
        assertInstanceOf(Rule.Compare.class, nested);
    }

    @Test
    @DisplayName("R19 quoting: `\" inside a string, the docs' `\"value`\" form, single quotes with ''")
    void quoting() {
        Rule.Compare a = (Rule.Compare) RuleParser.parse("user.city -eq \"say `\"hi`\"\"");
        assertEquals(List.of("say \"hi\""), a.values());
        Rule.Compare b = (Rule.Compare) RuleParser.parse("user.department -eq `\"Sales`\"");
        assertEquals(List.of("\"Sales\""), b.values());
        Rule.Compare c = (Rule.Compare) RuleParser.parse("user.city -in ['O''Hare', \"x\"]");
        assertEquals(List.of("O'Hare", "x"), c.values());
    }

    @Test
    @DisplayName("R19 an operator that is not one: column, token found, what was expected")
    void notAnOperator() {
        RuleException e = error("user.department equals \"Sales\"");
        assertEquals(17, e.column());
        assertEquals("column 17: expected an operator such as -eq, found \"equals\"", e.getMessage());
    }

    @Test
    @DisplayName("R19 unknown and unsupported properties are errors, not silently false")
    void properties() {
        RuleException u = error("user.departmnt -eq \"x\"");
        assertEquals(1, u.column());
        assertTrue(u.getMessage().startsWith("column 1: unknown property \"user.departmnt\"; user properties are: "
                + "user.accountEnabled, user.objectId"), u.getMessage());
        RuleException m = error("user.city -eq \"x\" -and user.memberOf -any (group.objectId -in ['g'])");
        assertEquals(24, m.column());
        assertTrue(m.getMessage().contains("user.memberof cannot be combined with other rules"), m.getMessage());
        RuleException p = error("user.passwordPolicies -eq \"x\"");
        assertTrue(p.getMessage().contains("user.passwordPolicies is not supported"), p.getMessage());
        assertTrue(error("department -eq \"x\"").getMessage().contains("expected a property such as user.department, "
                + "found \"department\""));
    }

    @Test
    @DisplayName("R19 malformed values, lists, strings and parentheses name their column")
    void malformed() {
        assertEquals("column 15: unterminated string: the \" here is never closed", error("user.city -eq \"Lagos").getMessage());
        assertEquals("column 19: expected ) to close the ( at column 1, found the end of the rule",
                error("(user.city -eq \"x\"").getMessage());
        assertEquals("column 15: -in needs a list such as [\"NL\",\"BE\"], found \"NL\"",
                error("user.city -in \"NL\"").getMessage());
        assertEquals("column 15: a [list] needs -in or -notIn, not -eq", error("user.city -eq [\"a\"]").getMessage());
        assertEquals("column 11: null can only be compared with -eq or -ne, not -contains",
                error("user.city -contains null").getMessage());
        assertTrue(error("user.accountEnabled -eq \"yes\"").getMessage().startsWith("column 25: user.accountEnabled is "
                + "true or false"));
        assertEquals("column 19: expected -and, -or or the end of the rule, found \"user.country\"",
                error("user.city -eq \"x\" user.country -eq \"y\"").getMessage());
        assertTrue(error("user.city -match \"((\"").getMessage().startsWith("column 18: invalid regular expression \"((\""));
        assertEquals("column 21: expected a value in the list opened at column 15, found \"]\"",
                error("user.city -in [\"a\", ]").getMessage());
        assertTrue(error("user.city -eq Lagos").getMessage().startsWith("column 15: expected a value"));
    }

    @Test
    @DisplayName("R19 -any and -all: only on collections, with _ as the element")
    void quantifiers() {
        Rule.Quantified q = assertInstanceOf(Rule.Quantified.class,
                RuleParser.parse("user.proxyAddresses -all (_ -notContains \"x\")"));
        assertTrue(q.all());
        assertEquals(Op.NOT_CONTAINS, q.op());
        assertTrue(error("user.city -any (_ -eq \"x\")").getMessage().contains("-any and -all apply to string collections"));
        assertEquals("column 27: expected _ (the element of user.proxyAddresses), found \"x\"",
                error("user.proxyAddresses -any (x -eq \"y\")").getMessage());
    }

    @Test
    @DisplayName("R19 a rule is at most 3,072 characters, and not empty")
    void limits() {
        StringBuilder sb = new StringBuilder("user.city -in [");
        while (sb.length() < 3070) {
            sb.append("\"a\",");
        }
        sb.append("\"b\"]");
        RuleException e = error(sb.toString());
        assertEquals(3073, e.column());
        assertTrue(e.getMessage().contains("at most 3072 characters"), e.getMessage());
        assertTrue(error("  ").getMessage().startsWith("column 1: the rule is empty"));
    }
}
