package org.licensim.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Tenant;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * The OData {@code $filter} forms licensing scripts use, over users or groups (docs/SERVE.md
 * lists them): comparisons ({@code eq}, {@code ne}), {@code startswith}, {@code endswith},
 * {@code in}, {@code assignedLicenses/any(x:x/skuId eq GUID)}, {@code assignedLicenses/any()},
 * {@code assignedLicenses/$count eq N}, {@code not}, {@code and}, {@code or}, parentheses.
 * {@link #advanced} says whether Graph would need {@code ConsistencyLevel: eventual} and
 * {@code $count=true} for it ({@code not}, {@code ne}, {@code endswith}, {@code $count}).
 */
final class Filter {
    /** A parsed condition on one user or group index. */
    interface Test {
        boolean test(Ctx c, int i);
    }

    /** What a test reads: the tenant, its state, a scratch array for state entries, whether the items are groups. */
    record Ctx(Tenant tenant, StateStore store, int[][] scratch, boolean groups, GraphJson json) {
    }

    final Test test;
    final boolean advanced;

    private Filter(Test test, boolean advanced) {
        this.test = test;
        this.advanced = advanced;
    }

    /** Parses {@code text} for {@code type} ("user" or "group"); a form it does not know is Graph's 400. */
    static Filter parse(String text, String type) {
        Parser p = new Parser(text, type);
        Test t = p.or();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.invalid();
        }
        return new Filter(t, p.advanced);
    }

    private static final class Parser {
        final String s;
        final String type;
        int pos;
        boolean advanced;

        Parser(String s, String type) {
            this.s = s;
            this.type = type;
        }

        GraphError invalid() {
            return GraphError.badRequest("Invalid filter clause: syntax error at position " + pos + " in '" + s + "'.");
        }

        void skipSpace() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        boolean word(String w) {
            skipSpace();
            int end = pos + w.length();
            if (end <= s.length() && s.regionMatches(true, pos, w, 0, w.length())
                    && (end == s.length() || !Character.isLetterOrDigit(s.charAt(end)) || !Character.isLetter(w.charAt(w.length() - 1)))) {
                pos = end;
                return true;
            }
            return false;
        }

        void expect(String w) {
            if (!word(w)) {
                throw invalid();
            }
        }

        Test or() {
            Test left = and();
            while (word("or")) {
                Test a = left;
                Test b = and();
                left = (c, i) -> a.test(c, i) || b.test(c, i);
            }
            return left;
        }

        Test and() {
            Test left = unary();
            while (word("and")) {
                Test a = left;
                Test b = unary();
                left = (c, i) -> a.test(c, i) && b.test(c, i);
            }
            return left;
        }

        Test unary() {
            if (word("not")) {
                advanced = true;
                Test t = unary();
                return (c, i) -> !t.test(c, i);
            }
            if (word("(")) {
                Test t = or();
                expect(")");
                return t;
            }
            return primary();
        }

        String identifier() {
            skipSpace();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_'
                    || s.charAt(pos) == '/' || s.charAt(pos) == '$')) {
                pos++;
            }
            if (start == pos) {
                throw invalid();
            }
            return s.substring(start, pos);
        }

        /** A literal: 'text' (with '' for a quote), true, false, null, a number or a GUID. */
        Object literal() {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '\'') {
                StringBuilder b = new StringBuilder();
                pos++;
                while (true) {
                    if (pos >= s.length()) {
                        throw invalid();
                    }
                    char ch = s.charAt(pos++);
                    if (ch == '\'') {
                        if (pos < s.length() && s.charAt(pos) == '\'') {
                            b.append('\'');
                            pos++;
                            continue;
                        }
                        return b.toString();
                    }
                    b.append(ch);
                }
            }
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '-')) {
                pos++;
            }
            String w = s.substring(start, pos);
            if (w.isEmpty()) {
                throw invalid();
            }
            if (w.equalsIgnoreCase("true") || w.equalsIgnoreCase("false")) {
                return Boolean.valueOf(w.toLowerCase(Locale.ROOT));
            }
            if (w.equalsIgnoreCase("null")) {
                return null;
            }
            if (w.matches("-?\\d+")) {
                return Long.valueOf(w);
            }
            return w; // a GUID without quotes, as Graph takes skuIds
        }

        Test primary() {
            skipSpace();
            for (String fn : List.of("startswith", "endswith")) {
                if (word(fn + "(")) {
                    if (fn.equals("endswith")) {
                        advanced = true;
                    }
                    String prop = identifier();
                    expect(",");
                    Object v = literal();
                    expect(")");
                    if (!(v instanceof String text)) {
                        throw invalid();
                    }
                    String folded = text.toLowerCase(Locale.ROOT);
                    boolean starts = fn.equals("startswith");
                    Value val = value(prop);
                    return (c, i) -> {
                        Object x = val.of(c, i);
                        if (!(x instanceof String str)) {
                            return false;
                        }
                        String f = str.toLowerCase(Locale.ROOT);
                        return starts ? f.startsWith(folded) : f.endsWith(folded);
                    };
                }
            }
            String prop = identifier();
            String lower = prop.toLowerCase(Locale.ROOT);
            if (lower.equals("assignedlicenses/any")) {
                expect("(");
                if (word(")")) {
                    return (c, i) -> hasAssigned(c, i, null);
                }
                String var = identifier();
                expect(":");
                String path = identifier();
                if (!path.equalsIgnoreCase(var + "/skuId")) {
                    throw invalid();
                }
                expect("eq");
                Object v = literal();
                expect(")");
                if (!(v instanceof String sku)) {
                    throw invalid();
                }
                return (c, i) -> hasAssigned(c, i, sku);
            }
            if (lower.equals("assignedlicenses/$count")) {
                advanced = true;
                String op = operator();
                Object v = literal();
                if (!(v instanceof Long n)) {
                    throw invalid();
                }
                return (c, i) -> compare(op, (long) countAssigned(c, i), n);
            }
            Value val = value(prop);
            if (word("in")) {
                expect("(");
                List<Object> values = new ArrayList<>();
                do {
                    values.add(literal());
                } while (word(","));
                expect(")");
                return (c, i) -> {
                    Object x = val.of(c, i);
                    for (Object v : values) {
                        if (equal(x, v)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            String op = operator();
            Object v = literal();
            return (c, i) -> op.equals("eq") == equal(val.of(c, i), v);
        }

        String operator() {
            if (word("eq")) {
                return "eq";
            }
            if (word("ne")) {
                advanced = true;
                return "ne";
            }
            for (String o : List.of("ge", "gt", "le", "lt")) {
                if (word(o)) {
                    advanced = true;
                    return o;
                }
            }
            throw invalid();
        }

        /** A property of the filtered type, as a value getter. */
        Value value(String prop) {
            String p = prop.toLowerCase(Locale.ROOT);
            if (type.equals("group")) {
                return switch (p) {
                    case "id" -> (c, i) -> c.tenant().groups().id(i);
                    case "displayname" -> (c, i) -> c.tenant().groups().displayName(i);
                    case "securityenabled" -> (c, i) -> c.tenant().groups().securityEnabled(i);
                    case "membershiprule" -> (c, i) -> c.tenant().groups().membershipRule(i);
                    case "hasmemberswithlicenseerrors" -> (c, i) -> groupHasErrors(c, i);
                    default -> throw unsupported(prop);
                };
            }
            return switch (p) {
                case "id" -> (c, i) -> c.tenant().users().id(i);
                case "accountenabled" -> (c, i) -> c.tenant().users().accountEnabled(i);
                case "usagelocation" -> (c, i) -> c.tenant().users().usageLocation().get(i);
                default -> {
                    String canonical = GraphJson.USER_PROPERTIES.get(p);
                    if (canonical == null || !org.licensim.core.directory.UserSchema.STRING_PROPERTIES.contains(canonical)) {
                        throw unsupported(prop);
                    }
                    yield (c, i) -> c.tenant().users().get(i, canonical);
                }
            };
        }

        GraphError unsupported(String prop) {
            return new GraphError(400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause "
                    + "specified for property '" + prop + "' of resource '" + (type.equals("group") ? "Group" : "User")
                    + "'.");
        }
    }

    @FunctionalInterface
    private interface Value {
        Object of(Ctx c, int i);
    }

    private static boolean equal(Object x, Object v) {
        if (x == null || v == null) {
            return x == v;
        }
        if (x instanceof String a && v instanceof String b) {
            return a.equalsIgnoreCase(b);
        }
        return x.equals(v);
    }

    private static boolean compare(String op, long a, long b) {
        return switch (op) {
            case "eq" -> a == b;
            case "ne" -> a != b;
            case "ge" -> a >= b;
            case "gt" -> a > b;
            case "le" -> a <= b;
            default -> a < b;
        };
    }

    /** For users: holds {@code sku} (any product when null) in an Active or ActiveWithError state. For groups: assigns it. */
    private static boolean hasAssigned(Ctx c, int i, String sku) {
        return countOrFind(c, i, sku) > 0;
    }

    private static int countAssigned(Ctx c, int i) {
        return countOrFind(c, i, null);
    }

    private static int countOrFind(Ctx c, int i, String sku) {
        return c.groups() ? groupAssigned(c, i, sku) : userAssigned(c, i, sku);
    }

    private static int userAssigned(Ctx c, int u, String sku) {
        StateStore store = c.store();
        int n = store.count(u);
        if (n == 0) {
            return 0;
        }
        if (c.scratch()[0] == null || c.scratch()[0].length < n * StateStore.ENTRY_INTS) {
            c.scratch()[0] = new int[Math.max(16, n) * StateStore.ENTRY_INTS];
        }
        int[] es = c.scratch()[0];
        store.read(u, es);
        long seen = 0;
        int count = 0;
        for (int k = 0; k < n; k++) {
            int at = k * StateStore.ENTRY_INTS;
            int t = es[at + StateStore.PRODUCT];
            if (States.holds(es[at + StateStore.STATE])
                    && (sku == null || c.tenant().subscriptions().product(t).skuId().equalsIgnoreCase(sku))) {
                if (t < 64 && (seen & (1L << t)) != 0) {
                    continue;
                }
                seen |= t < 64 ? 1L << t : 0;
                count++;
            }
        }
        return count;
    }

    private static int groupAssigned(Ctx c, int g, String sku) {
        int count = 0;
        for (Assignments.License l : c.tenant().assignments().ofGroup(g)) {
            if (sku == null || c.tenant().subscriptions().product(l.product()).skuId().equalsIgnoreCase(sku)) {
                count++;
            }
        }
        return count;
    }

    private static boolean groupHasErrors(Ctx c, int g) {
        return c.json().hasMembersWithErrors(g, c.scratch());
    }
}
