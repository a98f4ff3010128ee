package org.licensim.core.rules;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Test helper: a rule's meaning over a user as a map of plain values, as obviously as it can be said. */
public final class RuleInterpreter {
    private RuleInterpreter() {
    }

    /** Whether the rule compares a date with system.now (its truth changes with time alone). */
    public static boolean timeDriven(Rule r) {
        if (r instanceof Rule.And a) {
            return timeDriven(a.left()) || timeDriven(a.right());
        }
        if (r instanceof Rule.Or o) {
            return timeDriven(o.left()) || timeDriven(o.right());
        }
        if (r instanceof Rule.Not n) {
            return timeDriven(n.inner());
        }
        return r instanceof Rule.DateCompare d && d.relative();
    }

    /** Property names the rule reads (lower case). */
    public static Set<String> reads(Rule r) {
        Set<String> out = new TreeSet<>();
        collect(r, out);
        return out;
    }

    private static void collect(Rule r, Set<String> out) {
        if (r instanceof Rule.And a) {
            collect(a.left(), out);
            collect(a.right(), out);
        } else if (r instanceof Rule.Or o) {
            collect(o.left(), out);
            collect(o.right(), out);
        } else if (r instanceof Rule.Not n) {
            collect(n.inner(), out);
        } else if (r instanceof Rule.Quantified q) {
            out.add(q.property().name().toLowerCase(Locale.ROOT));
        } else if (r instanceof Rule.MemberOf || r instanceof Rule.AssignedPlan) {
            return; // reads memberships or licences, no property
        } else if (r instanceof Rule.DateCompare d) {
            out.add(d.property().name().toLowerCase(Locale.ROOT));
        } else {
            out.add(((Rule.Compare) r).property().name().toLowerCase(Locale.ROOT));
        }
    }

    /** The reference: the rule's meaning over plain strings, as obviously as it can be said. */
    @SuppressWarnings("unchecked")
    public static boolean eval(Rule r, Map<String, Object> user) {
        if (r instanceof Rule.MemberOf) {
            throw new IllegalArgumentException("a memberOf rule reads memberships: evaluate it where they are known");
        }
        if (r instanceof Rule.And a) {
            return eval(a.left(), user) && eval(a.right(), user);
        }
        if (r instanceof Rule.Or o) {
            return eval(o.left(), user) || eval(o.right(), user);
        }
        if (r instanceof Rule.Not n) {
            return !eval(n.inner(), user);
        }
        if (r instanceof Rule.Quantified q) {
            List<String> items = (List<String>) user.get(q.property().name());
            for (String item : items) {
                boolean hit = positive(q.op().positive(), q.values(), item) != q.op().negated();
                if (q.all() && !hit) {
                    return false;
                }
                if (!q.all() && hit) {
                    return true;
                }
            }
            return q.all();
        }
        if (r instanceof Rule.DateCompare d) {
            Object raw = user.get(d.property().name());
            if (raw == null) {
                return false;
            }
            long v;
            String text = ((String) raw).trim();
            try {
                v = text.length() == 10 ? java.time.LocalDate.parse(text).toEpochDay() * 86_400L
                        : java.time.OffsetDateTime.parse(text).toEpochSecond();
            } catch (java.time.format.DateTimeParseException e) {
                return false; // not a date: no ordering holds
            }
            long bound = d.relative() ? (Long) user.get("$now") + d.offsetSeconds() : d.at();
            return switch (d.op()) {
                case LE -> v <= bound;
                case GE -> v >= bound;
                case LT -> v < bound;
                case GT -> v > bound;
                default -> throw new IllegalArgumentException(d.op().toString());
            };
        }
        Rule.Compare c = (Rule.Compare) r;
        boolean result;
        if (c.bool() != null) {
            result = user.get("accountEnabled").equals(c.bool());
        } else {
            String value = (String) user.get(c.property().name());
            result = c.isNull() ? value == null : value != null && positive(c.op().positive(), c.values(), value);
        }
        return c.op().negated() != result;
    }

    static boolean positive(Op op, List<String> values, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        String target = values.get(0).toLowerCase(Locale.ROOT);
        return switch (op) {
            case EQ, IN -> values.stream().anyMatch(x -> x.toLowerCase(Locale.ROOT).equals(v));
            case STARTS_WITH -> v.startsWith(target);
            case ENDS_WITH -> v.endsWith(target);
            case CONTAINS -> v.contains(target);
            case MATCH -> Pattern.compile(values.get(0), Pattern.CASE_INSENSITIVE).matcher(value).find();
            default -> throw new IllegalArgumentException(op.toString());
        };
    }
}
