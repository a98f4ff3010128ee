package org.licensim.core.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.licensim.core.LicensimException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Service-plan rules the catalog CSV does not carry (SPEC R13 conflicts, R14 prerequisites,
 * R15 prohibited countries, R16 plans that need unique proxy addresses), resolved to catalog
 * plan indexes. Defaults ship as {@code plan-rules.json}; a tenant may replace any section.
 */
public final class PlanRules {
    public static final String DEFAULT_RESOURCE = "/org/licensim/core/catalog/plan-rules.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Two plans that may not both be enabled for one user. */
    public record Conflict(int planA, int planB) {
    }

    /** {@code plan} needs at least one of {@code anyOf} enabled for the same user. */
    public record Prerequisite(int plan, int[] anyOf) {
    }

    /** {@code plan} may not be assigned to users located in {@code countries} (ISO 3166 alpha-2). */
    public record Prohibition(int plan, Set<String> countries) {
    }

    private final List<Conflict> conflicts;
    private final List<Prerequisite> prerequisites;
    private final List<Prohibition> prohibitions;
    private final int[] uniquenessPlans;

    private PlanRules(List<Conflict> conflicts, List<Prerequisite> prerequisites, List<Prohibition> prohibitions,
                      int[] uniquenessPlans) {
        this.conflicts = List.copyOf(conflicts);
        this.prerequisites = List.copyOf(prerequisites);
        this.prohibitions = List.copyOf(prohibitions);
        this.uniquenessPlans = uniquenessPlans;
    }

    public static PlanRules none() {
        return new PlanRules(List.of(), List.of(), List.of(), new int[0]);
    }

    /**
     * The rules shipped with licensim: Microsoft's tables of plans that cannot be assigned at the
     * same time ({@link ExclusivePlanSets}) and the conflicts, prerequisites, prohibitions and
     * uniqueness plans of {@code plan-rules.json} (which adds the page's statement that Exchange
     * Online Plan 1 and Plan 2 conflict).
     */
    public static PlanRules loadDefault(Catalog catalog) {
        try (InputStream in = PlanRules.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new LicensimException("the plan rules resource " + DEFAULT_RESOURCE + " is missing");
            }
            PlanRules own = parse(JSON.readTree(in), catalog, "classpath:" + DEFAULT_RESOURCE, "$");
            List<Conflict> conflicts = new ArrayList<>(ExclusivePlanSets.loadDefault(catalog).conflicts());
            Set<Long> seen = new java.util.HashSet<>();
            conflicts.forEach(c -> seen.add(pairKey(c)));
            for (Conflict c : own.conflicts) {
                if (seen.add(pairKey(c))) {
                    conflicts.add(c);
                }
            }
            return new PlanRules(conflicts, own.prerequisites, own.prohibitions, own.uniquenessPlans);
        } catch (JsonProcessingException e) {
            throw new LicensimException("classpath:" + DEFAULT_RESOURCE + ": malformed JSON: " + org.licensim.core.files.JsonSyntax.words(e), e);
        } catch (IOException e) {
            throw new LicensimException("cannot read " + DEFAULT_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rules from a JSON object. Each of the four sections present replaces the same section of
     * {@code base}; absent sections are taken from {@code base} (null base: empty).
     *
     * @param where file name for messages
     * @param path  JSON path of {@code node} in that file, for messages
     */
    public static PlanRules parse(JsonNode node, Catalog catalog, String where, String path) {
        return parseOver(null, node, catalog, where, path);
    }

    public static PlanRules parseOver(PlanRules base, JsonNode node, Catalog catalog, String where, String path) {
        if (!node.isObject()) {
            throw new LicensimException(where + ": " + path + ": expected an object of service-plan rules");
        }
        PlanRules b = base == null ? none() : base;
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!f.equals("conflicts") && !f.equals("prerequisites") && !f.equals("prohibitedLocations")
                    && !f.equals("proxyAddressUniqueness") && !f.startsWith("$")) {
                throw new LicensimException(where + ": " + path + "." + f + ": unknown section \"" + f
                        + "\"; allowed: conflicts, prerequisites, prohibitedLocations, proxyAddressUniqueness");
            }
        }
        Resolver r = new Resolver(catalog, where);
        List<Conflict> conflicts = node.has("conflicts") ? r.conflicts(node.get("conflicts"), path + ".conflicts") : b.conflicts;
        List<Prerequisite> prereqs = node.has("prerequisites")
                ? r.prerequisites(node.get("prerequisites"), path + ".prerequisites") : b.prerequisites;
        List<Prohibition> prohibitions = node.has("prohibitedLocations")
                ? r.prohibitions(node.get("prohibitedLocations"), path + ".prohibitedLocations") : b.prohibitions;
        int[] unique = node.has("proxyAddressUniqueness")
                ? r.uniqueness(node.get("proxyAddressUniqueness"), path + ".proxyAddressUniqueness") : b.uniquenessPlans;
        return new PlanRules(conflicts, prereqs, prohibitions, unique);
    }

    private static long pairKey(Conflict c) {
        return ((long) Math.min(c.planA(), c.planB()) << 32) | Math.max(c.planA(), c.planB());
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }

    public List<Prerequisite> prerequisites() {
        return prerequisites;
    }

    public List<Prohibition> prohibitions() {
        return prohibitions;
    }

    /** Catalog plan indexes of plans that need unique proxy addresses (R16). */
    public int[] uniquenessPlans() {
        return uniquenessPlans.clone();
    }

    /**
     * R14 in words for catalog plan {@code plan}: "the service X requires A or B to be enabled as
     * well" (alternatives joined by "or", several prerequisites by "and"), as refusals say it.
     */
    public String requirement(int plan, Catalog catalog) {
        StringBuilder sb = new StringBuilder("the service ").append(catalog.plan(plan).friendlyName()).append(" requires ");
        int k = 0;
        for (Prerequisite p : prerequisites) {
            if (p.plan() != plan) {
                continue;
            }
            if (k++ > 0) {
                sb.append(" and ");
            }
            for (int i = 0; i < p.anyOf().length; i++) {
                sb.append(i > 0 ? " or " : "").append(catalog.plan(p.anyOf()[i]).friendlyName());
            }
        }
        return sb.append(" to be enabled as well").toString();
    }

    /** The dependent plans among {@code enabled} (catalog plan indexes) whose prerequisites it does not hold (R14). */
    public List<Integer> unmet(java.util.Collection<Integer> enabled) {
        List<Integer> out = new ArrayList<>();
        for (Prerequisite p : prerequisites) {
            if (!enabled.contains(p.plan()) || out.contains(p.plan())) {
                continue;
            }
            boolean any = false;
            for (int a : p.anyOf()) {
                any |= enabled.contains(a);
            }
            if (!any) {
                out.add(p.plan());
            }
        }
        return out;
    }

    /** Every catalog plan any rule mentions: only these matter to R13-R16 checks. */
    public int[] mentionedPlans() {
        TreeSet<Integer> s = new TreeSet<>();
        conflicts.forEach(c -> {
            s.add(c.planA());
            s.add(c.planB());
        });
        prerequisites.forEach(p -> {
            s.add(p.plan());
            for (int a : p.anyOf()) {
                s.add(a);
            }
        });
        prohibitions.forEach(p -> s.add(p.plan()));
        for (int u : uniquenessPlans) {
            s.add(u);
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    private static final class Resolver {
        private final Catalog catalog;
        private final String where;

        Resolver(Catalog catalog, String where) {
            this.catalog = catalog;
            this.where = where;
        }

        int plan(JsonNode n, String path) {
            if (n == null || !n.isTextual()) {
                throw new LicensimException(where + ": " + path + ": expected a service plan name or id");
            }
            ServicePlan sp;
            try {
                sp = catalog.findPlan(n.asText());
            } catch (LicensimException e) {
                throw new LicensimException(where + ": " + path + ": " + e.getMessage(), e);
            }
            if (sp == null) {
                throw new LicensimException(where + ": " + path + ": unknown service plan \"" + n.asText()
                        + "\" (not in the product catalog " + catalog.source() + ")");
            }
            return sp.index();
        }

        JsonNode array(JsonNode n, String path) {
            if (n == null || !n.isArray()) {
                throw new LicensimException(where + ": " + path + ": expected an array");
            }
            return n;
        }

        List<Conflict> conflicts(JsonNode arr, String path) {
            List<Conflict> out = new ArrayList<>();
            for (int i = 0; i < array(arr, path).size(); i++) {
                String p = path + "[" + i + "].plans";
                JsonNode plans = array(arr.get(i).get("plans"), p);
                if (plans.size() < 2) {
                    throw new LicensimException(where + ": " + p + ": a conflict needs at least two plans");
                }
                int[] ids = new int[plans.size()];
                for (int j = 0; j < ids.length; j++) {
                    ids[j] = plan(plans.get(j), p + "[" + j + "]");
                }
                for (int a = 0; a < ids.length; a++) {
                    for (int c = a + 1; c < ids.length; c++) {
                        if (ids[a] == ids[c]) {
                            throw new LicensimException(where + ": " + p + ": plan listed twice: \""
                                    + plans.get(c).asText() + "\"");
                        }
                        out.add(new Conflict(ids[a], ids[c]));
                    }
                }
            }
            return out;
        }

        List<Prerequisite> prerequisites(JsonNode arr, String path) {
            List<Prerequisite> out = new ArrayList<>();
            for (int i = 0; i < array(arr, path).size(); i++) {
                String p = path + "[" + i + "]";
                int plan = plan(arr.get(i).get("plan"), p + ".plan");
                JsonNode any = array(arr.get(i).get("anyOf"), p + ".anyOf");
                if (any.isEmpty()) {
                    throw new LicensimException(where + ": " + p + ".anyOf: needs at least one prerequisite plan");
                }
                int[] ids = new int[any.size()];
                for (int j = 0; j < ids.length; j++) {
                    ids[j] = plan(any.get(j), p + ".anyOf[" + j + "]");
                }
                out.add(new Prerequisite(plan, ids));
            }
            return out;
        }

        List<Prohibition> prohibitions(JsonNode arr, String path) {
            List<Prohibition> out = new ArrayList<>();
            for (int i = 0; i < array(arr, path).size(); i++) {
                String p = path + "[" + i + "]";
                int plan = plan(arr.get(i).get("plan"), p + ".plan");
                JsonNode cs = array(arr.get(i).get("countries"), p + ".countries");
                Set<String> countries = new TreeSet<>();
                for (int j = 0; j < cs.size(); j++) {
                    countries.add(country(cs.get(j), where, p + ".countries[" + j + "]"));
                }
                out.add(new Prohibition(plan, java.util.Collections.unmodifiableSortedSet(new TreeSet<>(countries))));
            }
            return out;
        }

        int[] uniqueness(JsonNode obj, String path) {
            JsonNode plans = array(obj.get("plans"), path + ".plans");
            int[] ids = new int[plans.size()];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = plan(plans.get(j), path + ".plans[" + j + "]");
            }
            return ids;
        }
    }

    /** An ISO 3166 alpha-2 code, upper-cased; anything else is an error naming the value. */
    public static String country(JsonNode n, String where, String path) {
        String v = n == null || !n.isTextual() ? null : n.asText().trim().toUpperCase(Locale.ROOT);
        if (v == null || !v.matches("[A-Z]{2}")) {
            throw new LicensimException(where + ": " + path + ": expected a two-letter country code (ISO 3166 alpha-2), found "
                    + (n == null ? "nothing" : n.toString()));
        }
        return v;
    }
}
