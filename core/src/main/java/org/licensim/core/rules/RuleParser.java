package org.licensim.core.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses Entra ID dynamic membership rules for users. Precedence, highest first (the Entra
 * docs): comparison operators; {@code -not}; {@code -and}; {@code -or}. Operators and the
 * logical words work with or without the hyphen and in any case; the typographic dash (U+2013)
 * the docs sometimes print counts as a hyphen. Strings are double-quoted with {@code `"} for a
 * quote inside (or single-quoted with {@code ''}). A rule is at most 3,072 characters.
 */
public final class RuleParser {
    public static final int MAX_LENGTH = 3072;

    private enum T { LPAREN, RPAREN, LBRACK, RBRACK, COMMA, STRING, WORD, END }

    private record Token(T type, String text, int column) {
        String shown() {
            return switch (type) {
                case END -> "the end of the rule";
                case STRING -> "\"" + text + "\"";
                default -> "\"" + text + "\"";
            };
        }
    }

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private RuleParser(String src) {
        this.src = src;
    }

    /** Parses {@code rule}, or throws {@link RuleException} naming the column, what was found and what was expected. */
    public static Rule parse(String rule) {
        if (rule == null || rule.isBlank()) {
            throw new RuleException(1, "the rule is empty; expected a rule such as user.department -eq \"Sales\"");
        }
        if (rule.length() > MAX_LENGTH) {
            throw new RuleException(MAX_LENGTH + 1, "a rule may be at most " + MAX_LENGTH + " characters; this one has "
                    + rule.length());
        }
        RuleParser p = new RuleParser(rule);
        p.lex();
        Rule r = p.or();
        Token t = p.peek();
        if (t.type != T.END) {
            throw new RuleException(t.column, "expected -and, -or or the end of the rule, found " + t.shown());
        }
        if (!(r instanceof Rule.MemberOf)) {
            Rule.MemberOf inside = memberOfIn(r);
            if (inside != null) {
                throw new RuleException(inside.column(), "user.memberof cannot be combined with other rules or operators "
                        + "(Entra's limit for memberOf rules): the whole rule must be user.memberof -any "
                        + "(group.objectId -in [...])");
            }
        }
        return r;
    }

    /** The most groups a memberOf rule may name (Entra's documented limit). */
    public static final int MAX_MEMBER_OF_GROUPS = 50;

    private static Rule.MemberOf memberOfIn(Rule r) {
        if (r instanceof Rule.MemberOf m) {
            return m;
        }
        if (r instanceof Rule.And a) {
            Rule.MemberOf m = memberOfIn(a.left());
            return m != null ? m : memberOfIn(a.right());
        }
        if (r instanceof Rule.Or o) {
            Rule.MemberOf m = memberOfIn(o.left());
            return m != null ? m : memberOfIn(o.right());
        }
        return r instanceof Rule.Not n ? memberOfIn(n.inner()) : null;
    }

    // ---------------------------------------------------------------- lexer

    private void lex() {
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
                T type = c == '(' ? T.LPAREN : c == ')' ? T.RPAREN : c == '[' ? T.LBRACK : c == ']' ? T.RBRACK : T.COMMA;
                tokens.add(new Token(type, String.valueOf(c), i + 1));
                i++;
            } else if (c == '"' || c == '\'' || (c == '`' && i + 1 < n && src.charAt(i + 1) == '"')) {
                i = string(i);
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(src.charAt(i)) && "()[],\"'".indexOf(src.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(new Token(T.WORD, src.substring(start, i), start + 1));
            }
        }
        tokens.add(new Token(T.END, "", n + 1));
    }

    /**
     * A quoted string from {@code i}; returns the index after it. In "..." a {@code `"} is a
     * quote; in '...' a doubled {@code ''} is a quote; and the docs' form {@code `"Sales`"} is the
     * value {@code "Sales"} with its quotes.
     */
    private int string(int i) {
        int start = i;
        if (src.charAt(i) == '`') {
            int end = src.indexOf("`\"", i + 2);
            if (end < 0) {
                throw new RuleException(start + 1, "unterminated string: the `\" here is never closed by `\"");
            }
            tokens.add(new Token(T.STRING, "\"" + src.substring(i + 2, end) + "\"", start + 1));
            return end + 2;
        }
        char quote = src.charAt(i++);
        StringBuilder sb = new StringBuilder();
        while (i < src.length()) {
            char c = src.charAt(i);
            if (quote == '"' && c == '`' && i + 1 < src.length() && src.charAt(i + 1) == '"') {
                sb.append('"');
                i += 2;
            } else if (quote == '\'' && c == '\'' && i + 1 < src.length() && src.charAt(i + 1) == '\'') {
                sb.append('\'');
                i += 2;
            } else if (c == quote) {
                tokens.add(new Token(T.STRING, sb.toString(), start + 1));
                return i + 1;
            } else {
                sb.append(c);
                i++;
            }
        }
        throw new RuleException(start + 1, "unterminated string: the " + quote + " here is never closed");
    }

    // ---------------------------------------------------------------- parser

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private boolean isWord(Token t, String word) {
        if (t.type != T.WORD) {
            return false;
        }
        String w = t.text.startsWith("-") || t.text.startsWith("\u2013") ? t.text.substring(1) : t.text;
        return w.equalsIgnoreCase(word);
    }

    private Rule or() {
        Rule left = and();
        while (isWord(peek(), "or")) {
            next();
            left = new Rule.Or(left, and());
        }
        return left;
    }

    private Rule and() {
        Rule left = not();
        while (isWord(peek(), "and")) {
            next();
            left = new Rule.And(left, not());
        }
        return left;
    }

    private Rule not() {
        if (isWord(peek(), "not")) {
            next();
            return new Rule.Not(not());
        }
        return primary();
    }

    private Rule primary() {
        Token t = peek();
        if (t.type == T.LPAREN) {
            next();
            Rule inner = or();
            Token close = next();
            if (close.type != T.RPAREN) {
                throw new RuleException(close.column, "expected ) to close the ( at column " + t.column + ", found "
                        + close.shown());
            }
            return inner;
        }
        return predicate();
    }

    private Rule predicate() {
        Token t = next();
        if (t.type != T.WORD || !t.text.regionMatches(true, 0, "user.", 0, 5) || t.text.length() == 5) {
            throw new RuleException(t.column, "expected a property such as user.department, found " + t.shown());
        }
        String name = t.text.substring(5);
        if (name.equalsIgnoreCase("memberOf")) {
            return memberOf(t);
        }
        if (name.equalsIgnoreCase("assignedPlans")) {
            return assignedPlan(t);
        }
        Property property = Property.find(name);
        if (property == null) {
            for (String u : Property.UNSUPPORTED) {
                if (u.equalsIgnoreCase(name)) {
                    throw new RuleException(t.column, "property user." + u + " is not supported: licensim does not "
                            + "store it");
                }
            }
            throw new RuleException(t.column, "unknown property \"" + t.text + "\"; user properties are: user."
                    + String.join(", user.", Property.names()));
        }
        Token opToken = next();
        if (isWord(opToken, "any") || isWord(opToken, "all")) {
            return quantified(property, opToken);
        }
        Op op = opToken.type == T.WORD ? Op.of(opToken.text) : null;
        if (op == null) {
            throw new RuleException(opToken.column, "expected an operator such as -eq, found " + opToken.shown());
        }
        if (op.ordering()) {
            return dateCompare(property, op, opToken, t.column);
        }
        return compare(property, op, opToken.column, t.column);
    }

    /** {@code user.employeeHireDate -ge "2026-01-01"} or {@code -ge system.now -minus P30D}. */
    private Rule dateCompare(Property property, Op op, Token opToken, int column) {
        if (property.kind() != Property.Kind.DATE) {
            throw new RuleException(opToken.column, op.text() + " orders dates: it applies to user."
                    + String.join(", user.", Property.DATE_PROPERTIES) + ", not user." + property.name());
        }
        Token v = next();
        if (v.type == T.STRING) {
            return new Rule.DateCompare(property, op, instant(v), false, 0, column);
        }
        if (!(v.type == T.WORD && v.text.equalsIgnoreCase("system.now"))) {
            throw new RuleException(v.column, "expected a date such as \"2026-01-31\" or system.now, found " + v.shown());
        }
        long offset = 0;
        Token sign = peek();
        if (isWord(sign, "plus") || isWord(sign, "minus")) {
            next();
            Token d = next();
            offset = duration(d) * (isWord(sign, "minus") ? -1 : 1);
        }
        return new Rule.DateCompare(property, op, 0, true, offset, column);
    }

    /** A date literal: ISO-8601 date (midnight UTC) or date and time with an offset. */
    private static long instant(Token v) {
        return parseInstant(v.text, v.column);
    }

    /** Epoch seconds of an ISO-8601 date or date-time; {@code column} for the error. */
    public static long parseInstant(String text, int column) {
        Long s = instantOrNull(text);
        if (s == null) {
            throw new RuleException(column, "\"" + text + "\" is not a date: expected ISO 8601 such as 2026-01-31 or "
                    + "2026-01-31T09:00:00Z");
        }
        return s;
    }

    /** Epoch seconds of an ISO-8601 date (midnight UTC) or date-time with an offset, or null. */
    public static Long instantOrNull(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return java.time.LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
            }
            return java.time.OffsetDateTime.parse(t).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(t).toEpochSecond(java.time.ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** An ISO-8601 duration of days, hours, minutes, seconds (P30D, PT12H, P1DT6H), any case; in seconds. */
    private static long duration(Token d) {
        String text = d.type == T.WORD || d.type == T.STRING ? d.text : "";
        try {
            java.time.Duration dur = java.time.Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
            if (dur.isNegative()) {
                throw new java.time.format.DateTimeParseException("negative", text, 0);
            }
            return dur.getSeconds();
        } catch (java.time.format.DateTimeParseException e) {
            throw new RuleException(d.column, "expected a duration such as P30D, PT12H or P1DT6H (ISO 8601 days, hours, "
                    + "minutes, seconds) after -plus or -minus, found " + d.shown());
        }
    }

    /**
     * {@code user.assignedPlans -any (assignedPlan.servicePlanId -eq "<guid>" -and
     * assignedPlan.capabilityStatus -eq "Enabled")}, the conditions in either order, or the plan alone.
     */
    private Rule assignedPlan(Token property) {
        Token any = next();
        if (!isWord(any, "any")) {
            throw new RuleException(any.column, "expected -any after user.assignedPlans (the form is user.assignedPlans "
                    + "-any (assignedPlan.servicePlanId -eq \"<plan id>\" -and assignedPlan.capabilityStatus -eq "
                    + "\"Enabled\")), found " + any.shown());
        }
        Token open = next();
        if (open.type != T.LPAREN) {
            throw new RuleException(open.column, "expected ( after -any, found " + open.shown());
        }
        String plan = null;
        boolean status = false;
        while (true) {
            Token field = next();
            boolean isPlan = field.type == T.WORD && field.text.equalsIgnoreCase("assignedPlan.servicePlanId");
            boolean isStatus = field.type == T.WORD && field.text.equalsIgnoreCase("assignedPlan.capabilityStatus");
            if (!isPlan && !isStatus || (isPlan && plan != null) || (isStatus && status)) {
                throw new RuleException(field.column, "expected assignedPlan.servicePlanId or assignedPlan.capabilityStatus"
                        + " (each once), found " + field.shown());
            }
            Token eq = next();
            if (!(eq.type == T.WORD && Op.of(eq.text) == Op.EQ)) {
                throw new RuleException(eq.column, "expected -eq, found " + eq.shown());
            }
            Token v = next();
            if (v.type != T.STRING) {
                throw new RuleException(v.column, "expected a \"string\", found " + v.shown());
            }
            if (isPlan) {
                if (!v.text.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
                    throw new RuleException(v.column, "assignedPlan.servicePlanId is a service plan's GUID, found \""
                            + v.text + "\"");
                }
                plan = v.text.toLowerCase(java.util.Locale.ROOT);
            } else {
                if (!v.text.equalsIgnoreCase("Enabled")) {
                    throw new RuleException(v.column, "licensim knows the capabilityStatus \"Enabled\" (a plan enabled on a "
                            + "held licence); found \"" + v.text + "\"");
                }
                status = true;
            }
            Token sep = next();
            if (sep.type == T.RPAREN) {
                break;
            }
            if (!isWord(sep, "and")) {
                throw new RuleException(sep.column, "expected -and or ), found " + sep.shown());
            }
        }
        if (plan == null) {
            throw new RuleException(open.column, "an assignedPlans rule needs assignedPlan.servicePlanId -eq \"<plan id>\"");
        }
        return new Rule.AssignedPlan(plan, property.column);
    }

    /** {@code user.memberof -any (group.objectId -in ['id', ...])}, the one form Entra accepts. */
    private Rule memberOf(Token property) {
        Token any = next();
        if (!isWord(any, "any")) {
            throw new RuleException(any.column, "expected -any after user.memberof (the form is user.memberof -any "
                    + "(group.objectId -in ['<group id>', ...])), found " + any.shown());
        }
        Token open = next();
        if (open.type != T.LPAREN) {
            throw new RuleException(open.column, "expected ( after -any, found " + open.shown());
        }
        Token id = next();
        if (!(id.type == T.WORD && id.text.equalsIgnoreCase("group.objectId"))) {
            throw new RuleException(id.column, "expected group.objectId, found " + id.shown());
        }
        Token in = next();
        if (!(in.type == T.WORD && Op.of(in.text) == Op.IN)) {
            throw new RuleException(in.column, "expected -in (the groups whose members belong), found " + in.shown());
        }
        if (peek().type != T.LBRACK) {
            throw new RuleException(peek().column, "expected a list of group ids such as ['<group id>'], found "
                    + peek().shown());
        }
        int listColumn = peek().column;
        List<String> ids = list();
        if (ids.size() > MAX_MEMBER_OF_GROUPS) {
            throw new RuleException(listColumn, "a memberOf rule may name at most " + MAX_MEMBER_OF_GROUPS
                    + " groups (Entra's limit); this one names " + ids.size());
        }
        Token close = next();
        if (close.type != T.RPAREN) {
            throw new RuleException(close.column, "expected ) to close the ( at column " + open.column + ", found "
                    + close.shown());
        }
        return new Rule.MemberOf(List.copyOf(ids), property.column);
    }

    private Rule quantified(Property property, Token quantifier) {
        boolean all = isWord(quantifier, "all");
        if (property.kind() != Property.Kind.COLLECTION && property.kind() != Property.Kind.EXTENSION) {
            throw new RuleException(quantifier.column, "-any and -all apply to string collections (user.proxyAddresses, "
                    + "user.otherMails), not user." + property.name());
        }
        Token open = next();
        if (open.type != T.LPAREN) {
            throw new RuleException(open.column, "expected ( after " + quantifier.text + ", found " + open.shown());
        }
        Token underscore = next();
        if (!(underscore.type == T.WORD && underscore.text.equals("_"))) {
            throw new RuleException(underscore.column, "expected _ (the element of user." + property.name() + "), found "
                    + underscore.shown());
        }
        Token opToken = next();
        Op op = opToken.type == T.WORD ? Op.of(opToken.text) : null;
        if (op == null || op.ordering()) {
            throw new RuleException(opToken.column, "expected an operator such as -eq, found " + opToken.shown());
        }
        Rule.Compare inner = compare(new Property(property.name(), Property.Kind.STRING), op, opToken.column,
                underscore.column);
        if (inner.isNull()) {
            throw new RuleException(opToken.column, "an element of a collection is never null");
        }
        Token close = next();
        if (close.type != T.RPAREN) {
            throw new RuleException(close.column, "expected ) to close the ( at column " + open.column + ", found "
                    + close.shown());
        }
        return new Rule.Quantified(property, all, op, inner.values(), underscore.column);
    }

    private Rule.Compare compare(Property property, Op op, int opColumn, int column) {
        Token v = peek();
        if (op == Op.IN || op == Op.NOT_IN) {
            if (v.type != T.LBRACK) {
                throw new RuleException(v.column, op.text() + " needs a list such as [\"NL\",\"BE\"], found " + v.shown());
            }
            return new Rule.Compare(property, op, list(), false, null, column);
        }
        if (v.type == T.LBRACK) {
            throw new RuleException(v.column, "a [list] needs -in or -notIn, not " + op.text());
        }
        next();
        if (property.kind() == Property.Kind.BOOLEAN) {
            if (!(isWord(v, "true") || isWord(v, "false")) || !(op == Op.EQ || op == Op.NE)) {
                throw new RuleException(op == Op.EQ || op == Op.NE ? v.column : opColumn, "user." + property.name()
                        + " is true or false: compare it with -eq or -ne and true or false, found " + op.text() + " "
                        + v.shown());
            }
            return new Rule.Compare(property, op, List.of(), false, isWord(v, "true"), column);
        }
        if (property.kind() == Property.Kind.EXTENSION && (isWord(v, "true") || isWord(v, "false"))) {
            // a Boolean extension compares as its canonical text; the declaration is checked at compile time
            return new Rule.Compare(property, op, List.of(v.text.toLowerCase(java.util.Locale.ROOT)), false, null, column);
        }
        if (v.type == T.WORD && v.text.equalsIgnoreCase("null")) {
            if (op != Op.EQ && op != Op.NE) {
                throw new RuleException(opColumn, "null can only be compared with -eq or -ne, not " + op.text());
            }
            return new Rule.Compare(property, op, List.of(), true, null, column);
        }
        String value;
        if (v.type == T.STRING) {
            value = v.text;
        } else if (v.type == T.WORD && v.text.matches("-?[0-9]+(\\.[0-9]+)?")) {
            value = v.text;
        } else {
            throw new RuleException(v.column, "expected a value (a \"string\", a number, null, or a [list] for -in), "
                    + "found " + v.shown());
        }
        if (op == Op.MATCH || op == Op.NOT_MATCH) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new RuleException(v.column, "invalid regular expression \"" + value + "\": "
                        + e.getDescription());
            }
        }
        return new Rule.Compare(property, op, List.of(value), false, null, column);
    }

    private List<String> list() {
        Token open = next();
        List<String> values = new ArrayList<>();
        while (true) {
            Token v = next();
            if (v.type == T.STRING || (v.type == T.WORD && v.text.matches("-?[0-9]+(\\.[0-9]+)?"))) {
                values.add(v.text);
            } else {
                throw new RuleException(v.column, "expected a value in the list opened at column " + open.column
                        + ", found " + v.shown());
            }
            Token sep = next();
            if (sep.type == T.RBRACK) {
                return values;
            }
            if (sep.type != T.COMMA) {
                throw new RuleException(sep.column, "expected , or ] in the list opened at column " + open.column
                        + ", found " + sep.shown());
            }
        }
    }
}
