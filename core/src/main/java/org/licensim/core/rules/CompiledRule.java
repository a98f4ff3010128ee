package org.licensim.core.rules;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.licensim.core.directory.Dictionary;
import org.licensim.core.directory.MultiColumn;
import org.licensim.core.directory.StringColumn;
import org.licensim.core.directory.Users;

/**
 * A rule compiled against one tenant's {@link Users} columns. String comparisons are
 * case-insensitive (the Entra docs): {@code -eq}/{@code -in} compare case-folded dictionary codes
 * (the rule's constants are interned into the folded dictionary at compile time, so values
 * that appear later fold to the same codes); text operators work on the folded strings the
 * dictionary keeps; {@code -match} uses one precompiled case-insensitive pattern and reuses its
 * matcher; results of text tests are remembered per dictionary code, so each distinct value is
 * tested once. {@link #matches(int)} allocates nothing (but for a new value's first test, which
 * may grow the memo), and is not thread-safe.
 */
public final class CompiledRule {
    private final String text;
    private final Node root;
    private final Set<String> reads = new TreeSet<>();

    private interface Node {
        boolean test(int u);
    }

    private final Equality equality;

    /**
     * A rule that is only equality tests ({@code -eq}, {@code -in}) of one single-valued string
     * property joined by {@code -or}: the property (lower case) and the case-folded codes it
     * accepts. A user whose value of that property moves between two values can only change
     * membership of the groups whose rules accept the old or the new value.
     */
    public record Equality(String property, StringColumn column, int[] foldedCodes) {
    }

    /** The directory a memberOf rule reads (null when compiled without one: a memberOf rule is then refused). */
    private final org.licensim.core.directory.Directory directory;
    private final int[] memberOfGroups;

    /** system.now for relative date comparisons: epoch seconds in element 0, shared with whoever moves the clock. */
    private final long[] clock;

    /** A relative date comparison of this rule: its truth for a user flips when now + offset passes the date. */
    public record TimeAtom(StringColumn column, long offsetSeconds) {
    }

    private final List<TimeAtom> timeAtoms = new java.util.ArrayList<>();

    /** Where licence-driven atoms read the users' plans, and the catalog their plan ids are resolved in. */
    private final PlanSource plans;
    private final org.licensim.core.catalog.Catalog catalog;
    private final org.eclipse.collections.impl.list.mutable.primitive.IntArrayList negatedLicencePlans =
            new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList();
    /** While compiling: how many {@code -not} enclose the node being compiled. */
    private int negations;
    private final org.eclipse.collections.impl.list.mutable.primitive.IntArrayList licencePlans =
            new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList();

    private CompiledRule(String text, Rule rule, Users users, org.licensim.core.directory.Directory directory,
                         long[] clock, org.licensim.core.catalog.Catalog catalog, PlanSource plans) {
        this.text = text;
        this.clock = clock;
        this.catalog = catalog;
        this.plans = plans;
        this.directory = directory;
        this.memberOfGroups = rule instanceof Rule.MemberOf m ? groupIndexes(m, directory) : null;
        this.root = compile(rule, users);
        this.equality = equalityOf(rule, users);
        this.narrowing = narrowingOf(rule, users);
    }

    private static int[] groupIndexes(Rule.MemberOf m, org.licensim.core.directory.Directory dir) {
        if (dir == null) {
            throw new RuleException(m.column(), "user.memberof needs the tenant's groups to be evaluated");
        }
        IntHashSet out = new IntHashSet();
        for (String id : m.groupIds()) {
            int g = dir.groups().indexOf(id);
            if (g >= 0) {
                out.add(g);
            }
        }
        int[] gs = out.toSortedArray();
        return gs;
    }

    /**
     * For a memberOf rule, the indexes of the groups it names that exist (sorted), else null: a
     * user joining one of them joins this group too (SPEC section 4).
     */
    public int[] memberOfGroups() {
        return memberOfGroups == null ? null : memberOfGroups.clone();
    }

    /** This rule's {@link Equality} form, or null when it has none. */
    public Equality equality() {
        return equality;
    }

    private final Equality narrowing;

    /**
     * An {@link Equality} every member must pass: the rule's own, or that of one of its
     * {@code -and} conjuncts ({@code department -in [...] -and employeeHireDate -ge ...}); null
     * when it has none. A full evaluation tests the rest only on the users it accepts.
     */
    public Equality narrowing() {
        return narrowing;
    }

    private static Equality narrowingOf(Rule rule, Users users) {
        Equality e = equalityOf(rule, users);
        if (e != null || !(rule instanceof Rule.And a)) {
            return e;
        }
        Equality left = narrowingOf(a.left(), users);
        return left != null ? left : narrowingOf(a.right(), users);
    }

    private static Equality equalityOf(Rule rule, Users users) {
        String[] property = {null};
        StringColumn[] column = {null};
        IntHashSet codes = new IntHashSet();
        return collectEquality(rule, users, property, column, codes)
                ? new Equality(property[0], column[0], codes.toArray()) : null;
    }

    private static boolean collectEquality(Rule r, Users users, String[] property, StringColumn[] column,
                                           IntHashSet codes) {
        if (r instanceof Rule.Or o) {
            return collectEquality(o.left(), users, property, column, codes)
                    && collectEquality(o.right(), users, property, column, codes);
        }
        if (!(r instanceof Rule.Compare c) || c.isNull() || c.bool() != null || (c.op() != Op.EQ && c.op() != Op.IN)) {
            return false;
        }
        Property.Kind kind = c.property().kind();
        if (kind != Property.Kind.STRING && kind != Property.Kind.USAGE_LOCATION) {
            return false;
        }
        String name = c.property().name().toLowerCase(java.util.Locale.ROOT);
        if (property[0] != null && !property[0].equals(name)) {
            return false;
        }
        property[0] = name;
        column[0] = kind == Property.Kind.USAGE_LOCATION ? users.usageLocation() : users.column(c.property().name());
        Dictionary folded = column[0].dictionary().foldedValues();
        for (String v : c.values()) {
            codes.add(folded.intern(Dictionary.fold(v)));
        }
        return true;
    }

    /** Parses and compiles {@code rule}; throws {@link RuleException} when it is malformed. */
    public static CompiledRule compile(String rule, Users users) {
        return new CompiledRule(rule, RuleParser.parse(rule), users, null, wallClock(), null, PlanSource.NONE);
    }

    /** As {@link #compile(String, Users)}, for a tenant's directory (what memberOf rules read). */
    public static CompiledRule compile(String rule, org.licensim.core.directory.Directory directory) {
        return compile(rule, directory, wallClock());
    }

    /** As {@link #compile(String, org.licensim.core.directory.Directory)}, with system.now read from {@code clock[0]}. */
    public static CompiledRule compile(String rule, org.licensim.core.directory.Directory directory, long[] clock) {
        return new CompiledRule(rule, RuleParser.parse(rule), directory.users(), directory, clock, null, PlanSource.NONE);
    }

    /** The fullest form: also licence-driven atoms, their plan ids resolved in {@code catalog}, read from {@code plans}. */
    public static CompiledRule compile(String rule, org.licensim.core.directory.Directory directory, long[] clock,
                                       org.licensim.core.catalog.Catalog catalog, PlanSource plans) {
        return new CompiledRule(rule, RuleParser.parse(rule), directory.users(), directory, clock, catalog, plans);
    }

    /** Catalog indexes of the service plans the rule's assignedPlans atoms read (empty: not licence-driven). */
    public int[] licencePlans() {
        return licencePlans.toArray();
    }

    /** The plans of {@link #licencePlans} read under an odd number of {@code -not} (gaining one can take a user out). */
    public int[] negatedLicencePlans() {
        return negatedLicencePlans.toArray();
    }

    private static long[] wallClock() {
        return new long[] {java.time.Instant.now().getEpochSecond()};
    }

    /** The rule's relative date comparisons (empty when time alone never changes its result). */
    public List<TimeAtom> timeAtoms() {
        return timeAtoms;
    }

    public boolean matches(int u) {
        return root.test(u);
    }

    /** Names of the user properties the rule reads (what an attribute change must re-evaluate). */
    public Set<String> reads() {
        return reads;
    }

    public String text() {
        return text;
    }

    private Node compile(Rule r, Users users) {
        if (r instanceof Rule.And a) {
            Node l = compile(a.left(), users);
            Node rt = compile(a.right(), users);
            return u -> l.test(u) && rt.test(u);
        }
        if (r instanceof Rule.Or o) {
            Node l = compile(o.left(), users);
            Node rt = compile(o.right(), users);
            return u -> l.test(u) || rt.test(u);
        }
        if (r instanceof Rule.Not n) {
            negations++;
            Node inner = compile(n.inner(), users);
            negations--;
            return u -> !inner.test(u);
        }
        if (r instanceof Rule.MemberOf) {
            int[] gs = memberOfGroups;
            org.licensim.core.directory.Directory dir = directory;
            return u -> {
                for (int g : gs) {
                    if (!dir.groups().isDeleted(g) && dir.isMember(g, u)) {
                        return true;
                    }
                }
                return false;
            };
        }
        if (r instanceof Rule.AssignedPlan ap) {
            if (catalog == null) {
                throw new RuleException(ap.column(), "user.assignedPlans needs the tenant's licences to be evaluated");
            }
            org.licensim.core.catalog.ServicePlan sp = catalog.findPlan(ap.servicePlanId());
            if (sp == null) {
                throw new RuleException(ap.column(), "unknown service plan " + ap.servicePlanId()
                        + " in user.assignedPlans (not in the product catalog; licensim catalog --plan finds plans)");
            }
            int plan = sp.index();
            licencePlans.add(plan);
            if (negations % 2 == 1) {
                negatedLicencePlans.add(plan);
            }
            PlanSource source = plans;
            return u -> source.enabled(u, plan);
        }
        if (r instanceof Rule.DateCompare dc) {
            reads.add(dc.property().name());
            StringColumn col = users.column(dc.property().name());
            DateMemo memo = new DateMemo(col.dictionary());
            long[] now = clock;
            boolean relative = dc.relative();
            long at = dc.at();
            long offset = dc.offsetSeconds();
            Op op = dc.op();
            if (relative) {
                timeAtoms.add(new TimeAtom(col, offset));
            }
            return u -> {
                int code = col.code(u);
                if (code == Dictionary.NULL) {
                    return false;
                }
                long v = memo.seconds(code);
                if (v == DateMemo.NOT_A_DATE) {
                    return false;
                }
                long bound = relative ? now[0] + offset : at;
                return switch (op) {
                    case LE -> v <= bound;
                    case GE -> v >= bound;
                    case LT -> v < bound;
                    default -> v > bound;
                };
            };
        }
        if (r instanceof Rule.Quantified q0) {
            Rule.Quantified q = q0;
            if (q.property().kind() == Property.Kind.EXTENSION) {
                org.licensim.core.directory.DirectoryExtension d = extension(users, q.property(), q.column());
                if (!d.multiValued()) {
                    throw new RuleException(q.column(), "-any and -all apply to multi-valued properties; " + d.name()
                            + " is single-valued");
                }
                Op positive = q.op().positive();
                q = new Rule.Quantified(new Property(d.name(), Property.Kind.COLLECTION), q.all(), q.op(),
                        positive == Op.EQ || positive == Op.IN ? canonical(d, q.values(), q.column()) : q.values(),
                        q.column());
            }
            reads.add(q.property().name());
            MultiColumn col = users.multiColumn(q.property().name());
            Element e = element(q.op().positive(), q.values(), col.dictionary());
            boolean negated = q.op().negated();
            boolean all = q.all();
            return u -> {
                int n = col.count(u);
                for (int i = 0; i < n; i++) {
                    boolean hit = e.test(col.code(u, i)) != negated;
                    if (all && !hit) {
                        return false;
                    }
                    if (!all && hit) {
                        return true;
                    }
                }
                return all;
            };
        }
        Rule.Compare c = (Rule.Compare) r;
        if (c.property().kind() == Property.Kind.EXTENSION) {
            org.licensim.core.directory.DirectoryExtension d = extension(users, c.property(), c.column());
            Op positive = c.op().positive();
            boolean equality = positive == Op.EQ || positive == Op.IN;
            c = new Rule.Compare(new Property(d.name(), d.multiValued() ? Property.Kind.COLLECTION : Property.Kind.STRING),
                    c.op(), c.isNull() || !equality ? c.values() : canonical(d, c.values(), c.column()), c.isNull(), null,
                    c.column());
        }
        reads.add(c.property().name());
        Node positive = comparison(c, users);
        return c.op().negated() ? u -> !positive.test(u) : positive;
    }

    /** The positive form of a comparison ({@code -ne} is compiled as {@code -eq} and negated). */
    private Node comparison(Rule.Compare c, Users users) {
        Op op = c.op().positive();
        switch (c.property().kind()) {
            case BOOLEAN -> {
                boolean want = c.bool();
                return u -> users.accountEnabled(u) == want;
            }
            case OBJECT_ID -> {
                if (c.isNull()) {
                    return u -> false;
                }
                Element e = textElement(op, c.values());
                return u -> e.testText(users.id(u));
            }
            case COLLECTION -> {
                MultiColumn col = users.multiColumn(c.property().name());
                if (c.isNull()) {
                    return u -> col.count(u) == 0;
                }
                Element e = element(op, c.values(), col.dictionary());
                return u -> {
                    for (int i = 0; i < col.count(u); i++) {
                        if (e.test(col.code(u, i))) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            default -> {
                StringColumn col = c.property().kind() == Property.Kind.USAGE_LOCATION ? users.usageLocation()
                        : users.column(c.property().name());
                if (c.isNull()) {
                    return u -> col.code(u) == Dictionary.NULL;
                }
                Element e = element(op, c.values(), col.dictionary());
                return u -> {
                    int code = col.code(u);
                    return code != Dictionary.NULL && e.test(code);
                };
            }
        }
    }

    /** The tenant's declaration of a directory extension a rule names; an undeclared one is an error at its column. */
    private static org.licensim.core.directory.DirectoryExtension extension(Users users, Property p, int column) {
        org.licensim.core.directory.DirectoryExtension d = users.extension(p.name());
        if (d == null) {
            List<String> names = new java.util.ArrayList<>();
            users.extensions().forEach(x -> names.add(x.name()));
            throw new RuleException(column, "unknown directory extension user." + p.name() + ": declare it in the "
                    + "snapshot's directoryExtensions" + (names.isEmpty() ? " (this tenant declares none)"
                    : " (declared: " + String.join(", ", names) + ")"));
        }
        return d;
    }

    /** The rule's values in the extension's canonical form (an Integer's digits, a Boolean's true/false). */
    private static List<String> canonical(org.licensim.core.directory.DirectoryExtension d, List<String> values, int column) {
        List<String> out = new java.util.ArrayList<>();
        for (String v : values) {
            String c = d.canonical(v);
            if (c == null) {
                throw new RuleException(column, d.name() + " is " + (d.type()
                        == org.licensim.core.directory.DirectoryExtension.Type.Integer ? "an Integer" : "a " + d.type())
                        + " extension: \"" + v + "\" is not one of its values");
            }
            out.add(c);
        }
        return out;
    }

    /** Epoch seconds of each dictionary value read as an ISO-8601 date, parsed once per value. */
    static final class DateMemo {
        static final long NOT_A_DATE = Long.MIN_VALUE;
        private static final long UNREAD = Long.MIN_VALUE + 1;
        private final Dictionary dictionary;
        private final org.eclipse.collections.impl.list.mutable.primitive.LongArrayList seconds =
                new org.eclipse.collections.impl.list.mutable.primitive.LongArrayList();

        DateMemo(Dictionary dictionary) {
            this.dictionary = dictionary;
        }

        long seconds(int code) {
            while (seconds.size() <= code) {
                seconds.add(UNREAD);
            }
            long s = seconds.get(code);
            if (s == UNREAD) {
                Long parsed = RuleParser.instantOrNull(dictionary.value(code));
                s = parsed == null ? NOT_A_DATE : parsed;
                seconds.set(code, s);
            }
            return s;
        }
    }

    /** A test of one dictionary-coded value (a column's value, or an element of a collection). */
    private abstract static class Element {
        abstract boolean test(int code);

        /** The same test on a plain string (object ids, which are not dictionary-coded). */
        abstract boolean testText(String value);
    }

    private static Element element(Op op, List<String> values, Dictionary d) {
        Dictionary folded = d.foldedValues();
        if (op == Op.EQ || op == Op.IN) {
            IntHashSet targets = new IntHashSet();
            for (String v : values) {
                targets.add(folded.intern(Dictionary.fold(v)));
            }
            int single = targets.size() == 1 ? targets.intIterator().next() : Dictionary.NULL;
            Element text = textElement(op, values);
            return new Element() {
                @Override
                boolean test(int code) {
                    int f = d.foldedCode(code);
                    return single != Dictionary.NULL ? f == single : targets.contains(f);
                }

                @Override
                boolean testText(String value) {
                    return text.testText(value);
                }
            };
        }
        Element text = textElement(op, values);
        if (op == Op.MATCH) {
            return new Memo(d) {
                @Override
                boolean compute(int code) {
                    return text.testText(d.value(code));
                }

                @Override
                boolean testText(String value) {
                    return text.testText(value);
                }
            };
        }
        return new Memo(d) {
            @Override
            boolean compute(int code) {
                return text.testText(folded.value(d.foldedCode(code)));
            }

            @Override
            boolean testText(String value) {
                return text.testText(value);
            }
        };
    }

    /**
     * A test whose result depends only on a dictionary code (a code's value never changes), so each
     * distinct value is tested once: department has a handful of values for a million users.
     */
    private abstract static class Memo extends Element {
        private final Dictionary d;
        private byte[] known = new byte[64];

        Memo(Dictionary d) {
            this.d = d;
        }

        abstract boolean compute(int code);

        @Override
        final boolean test(int code) {
            if (code >= known.length) {
                known = java.util.Arrays.copyOf(known, Math.max(code + 1, Math.min(d.size() + 64, known.length * 2)));
            }
            byte k = known[code];
            if (k == 0) {
                k = compute(code) ? (byte) 2 : (byte) 1;
                known[code] = k;
            }
            return k == 2;
        }
    }

    /** Tests on a string; for all but -match it is given (or folds) case-folded text. */
    private static Element textElement(Op op, List<String> values) {
        String target = Dictionary.fold(values.get(0));
        return switch (op) {
            case EQ, IN -> new Element() {
                @Override
                boolean test(int code) {
                    throw new IllegalStateException();
                }

                @Override
                boolean testText(String value) {
                    for (String v : values) {
                        if (value.equalsIgnoreCase(v)) {
                            return true;
                        }
                    }
                    return false;
                }
            };
            case STARTS_WITH -> new Element() {
                @Override
                boolean test(int code) {
                    throw new IllegalStateException();
                }

                @Override
                boolean testText(String value) {
                    return value.regionMatches(true, 0, target, 0, target.length());
                }
            };
            case ENDS_WITH -> new Element() {
                @Override
                boolean test(int code) {
                    throw new IllegalStateException();
                }

                @Override
                boolean testText(String value) {
                    int from = value.length() - target.length();
                    return from >= 0 && value.regionMatches(true, from, target, 0, target.length());
                }
            };
            case CONTAINS -> new Element() {
                @Override
                boolean test(int code) {
                    throw new IllegalStateException();
                }

                @Override
                boolean testText(String value) {
                    for (int i = 0; i + target.length() <= value.length(); i++) {
                        if (value.regionMatches(true, i, target, 0, target.length())) {
                            return true;
                        }
                    }
                    return false;
                }
            };
            case MATCH -> new Element() {
                private final Matcher m = Pattern.compile(values.get(0), Pattern.CASE_INSENSITIVE
                        | Pattern.UNICODE_CASE).matcher("");

                @Override
                boolean test(int code) {
                    throw new IllegalStateException();
                }

                @Override
                boolean testText(String value) {
                    return value != null && m.reset(value).find();
                }
            };
            default -> throw new IllegalArgumentException("not a positive operator: " + op);
        };
    }
}
