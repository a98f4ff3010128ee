package org.licensim.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.licensim.core.directory.UserSchema;

/**
 * Graph's {@code $search} on users and groups (an advanced query: only with
 * {@code ConsistencyLevel: eventual}): clauses {@code "property:text"}, each in double quotes,
 * joined by {@code AND} and {@code OR} ({@code AND} binds first). On {@code displayName} and a
 * group's {@code description} the text matches by words, as Graph tokenizes them: every word of
 * the text starts some word of the value, words split at spaces, symbols and lower-to-upper case
 * changes. On the other string properties the value starts with the text. Case is ignored.
 */
final class Search {
    private Search() {
    }

    /** {@code $search} of {@code r} for {@code type} ("user" or "group") as a filter test, or null when there is none. */
    static Filter.Test of(Routes.Request r, String type) {
        String text = r.query().get("$search");
        if (text == null) {
            return null;
        }
        if (!QueryOptions.eventual(r)) {
            throw GraphError.badRequest("Request with $search query parameter only works through MSGraph with a "
                    + "special request header: 'ConsistencyLevel: eventual'");
        }
        return parse(text, type);
    }

    static Filter.Test parse(String text, String type) {
        List<List<Filter.Test>> anyOf = new ArrayList<>(); // OR of ANDs
        List<Filter.Test> all = new ArrayList<>();
        int pos = 0;
        while (true) {
            pos = skipSpace(text, pos);
            if (pos >= text.length() || text.charAt(pos) != '"') {
                throw syntax(text, "each clause is \"property:text\" in double quotes");
            }
            int end = text.indexOf('"', pos + 1);
            if (end < 0) {
                throw syntax(text, "a clause's closing double quote is missing");
            }
            all.add(clause(text.substring(pos + 1, end), text, type));
            pos = skipSpace(text, end + 1);
            if (pos >= text.length()) {
                break;
            }
            if (text.startsWith("AND", pos)) {
                pos += 3;
            } else if (text.startsWith("OR", pos)) {
                pos += 2;
                anyOf.add(all);
                all = new ArrayList<>();
            } else {
                throw syntax(text, "clauses are joined by AND or OR");
            }
        }
        anyOf.add(all);
        return (c, i) -> {
            for (List<Filter.Test> and : anyOf) {
                boolean ok = true;
                for (Filter.Test t : and) {
                    if (!t.test(c, i)) {
                        ok = false;
                        break;
                    }
                }
                if (ok) {
                    return true;
                }
            }
            return false;
        };
    }

    private static Filter.Test clause(String clause, String text, String type) {
        int colon = clause.indexOf(':');
        if (colon <= 0) {
            throw syntax(text, "\"" + clause + "\" names no property: write \"displayName:" + clause + "\"");
        }
        String prop = clause.substring(0, colon).trim();
        String term = clause.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        String p = prop.toLowerCase(Locale.ROOT);
        boolean words = p.equals("displayname") || p.equals("description");
        List<String> wanted = words ? words(term) : List.of(term);
        if (type.equals("group")) {
            return switch (p) {
                case "displayname" -> (c, i) -> matches(c.tenant().groups().displayName(i), wanted, true);
                case "description" -> (c, i) -> false; // snapshots hold no group descriptions
                default -> throw unsupported(prop, "Group");
            };
        }
        String canonical = GraphJson.USER_PROPERTIES.get(p);
        if (canonical == null || !UserSchema.STRING_PROPERTIES.contains(canonical)) {
            throw unsupported(prop, "User");
        }
        return (c, i) -> matches(c.tenant().users().get(i, canonical), wanted, words);
    }

    /** Whether {@code value} matches: by words (each wanted word starts one of the value's), else by its start. */
    static boolean matches(String value, List<String> wanted, boolean byWords) {
        if (value == null) {
            return false;
        }
        if (!byWords) {
            return value.toLowerCase(Locale.ROOT).startsWith(wanted.get(0));
        }
        List<String> have = words(value);
        for (String w : wanted) {
            boolean found = false;
            for (String h : have) {
                if (h.startsWith(w)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** {@code s}'s words, lower case: split at anything not a letter or digit, and where lower case turns upper. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char ch = s.charAt(k);
            boolean split = !Character.isLetterOrDigit(ch)
                    || k > 0 && Character.isUpperCase(ch) && Character.isLowerCase(s.charAt(k - 1));
            if (split && w.length() > 0) {
                out.add(w.toString());
                w.setLength(0);
            }
            if (Character.isLetterOrDigit(ch)) {
                w.append(Character.toLowerCase(ch));
            }
        }
        if (w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }

    private static int skipSpace(String s, int pos) {
        while (pos < s.length() && s.charAt(pos) == ' ') {
            pos++;
        }
        return pos;
    }

    private static GraphError syntax(String text, String why) {
        return new GraphError(400, "Request_UnsupportedQuery", "Syntax error in $search '" + text + "': " + why + ".");
    }

    private static GraphError unsupported(String prop, String resource) {
        return new GraphError(400, "Request_UnsupportedQuery", "Unsupported $search on property '" + prop
                + "' of resource '" + resource + "'.");
    }
}
