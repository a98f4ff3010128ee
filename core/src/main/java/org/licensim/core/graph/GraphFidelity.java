package org.licensim.core.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * The import's fidelity check: the imported tenant resolved from scratch by licensim, compared
 * source by source with what Graph reported for each user. A disagreement names the user, the
 * product and the source, both sides, and the SPEC rules that decide that part of the state.
 */
public final class GraphFidelity {
    private GraphFidelity() {
    }

    /** One source on which licensim and Graph disagree. */
    public record Disagreement(String userId, String upn, String product, String source, String graph, String licensim,
                               String rules) {
        @Override
        public String toString() {
            return "user " + (upn != null ? upn + " (" + userId + ")" : userId) + ", " + product + " " + source
                    + ": Graph says " + graph + ", licensim says " + licensim + " [" + rules + "]";
        }
    }

    /** Every disagreement, users in export order; empty when licensim resolves the tenant as Graph reported it. */
    public static List<Disagreement> compare(Engine engine, GraphImport.Result imported) {
        Tenant t = engine.tenant();
        List<Disagreement> out = new ArrayList<>();
        int[] es = new int[64 * StateStore.ENTRY_INTS];
        for (Map.Entry<String, List<GraphImport.Reported>> e : imported.reported().entrySet()) {
            String id = e.getKey();
            int u = t.users().indexOf(id);
            Map<String, GraphImport.Reported> graph = new LinkedHashMap<>();
            for (GraphImport.Reported r : e.getValue()) {
                graph.put(key(r.skuId(), r.group()), r);
            }
            Map<String, GraphImport.Reported> mine = new LinkedHashMap<>();
            int n = u < 0 ? 0 : engine.store().count(u);
            if (n * StateStore.ENTRY_INTS > es.length) {
                es = new int[n * StateStore.ENTRY_INTS];
            }
            if (n > 0) {
                engine.store().read(u, es);
            }
            for (int i = 0; i < n; i++) {
                int at = i * StateStore.ENTRY_INTS;
                int src = es[at + StateStore.SRC];
                Product p = t.subscriptions().product(es[at + StateStore.PRODUCT]);
                String group = StateStore.isDirect(src) ? null : t.groups().id(src);
                Set<String> disabled = new TreeSet<>();
                int[] plans = p.plans();
                for (int k = 0; k < plans.length; k++) {
                    if (!t.masks().has(es[at + StateStore.MASK], k)) {
                        disabled.add(t.catalog().plan(plans[k]).servicePlanId().toLowerCase(Locale.ROOT));
                    }
                }
                int st = es[at + StateStore.STATE];
                String sku = p.skuId().toLowerCase(Locale.ROOT);
                mine.put(key(sku, group), new GraphImport.Reported(sku, group, States.stateName(st), States.errorName(st),
                        disabled));
            }
            String upn = imported.upn().get(id);
            for (Map.Entry<String, GraphImport.Reported> g : graph.entrySet()) {
                GraphImport.Reported theirs = g.getValue();
                GraphImport.Reported ours = mine.remove(g.getKey());
                String product = part(t, theirs.skuId());
                String source = theirs.group() == null ? "(direct)" : "from group " + theirs.group();
                if (ours == null) {
                    out.add(new Disagreement(id, upn, product, source, theirs.state() + "/" + theirs.error(),
                            "no such source", theirs.group() == null ? "R1 direct assignment" : "R1, R2, R19 membership"));
                    continue;
                }
                boolean stateDiffers = !(ours.state().equals(theirs.state()) && ours.error().equals(theirs.error()));
                if (stateDiffers && !theirs.state().equals("Disabled")) {
                    out.add(new Disagreement(id, upn, product, source, theirs.state() + "/" + theirs.error(),
                            ours.state() + "/" + ours.error(), rulesFor(theirs.error(), ours.error(), theirs.group() != null)));
                }
                if (!ours.disabledPlans().equals(theirs.disabledPlans())) {
                    out.add(new Disagreement(id, upn, product, source, "disabled plans " + theirs.disabledPlans(),
                            "disabled plans " + ours.disabledPlans(), "R4 union, R7 assignment edits, R9 catalog growth"));
                }
            }
            for (GraphImport.Reported ours : mine.values()) {
                out.add(new Disagreement(id, upn, part(t, ours.skuId()), ours.group() == null ? "(direct)"
                        : "from group " + ours.group(), "no such source", ours.state() + "/" + ours.error(),
                        "R1, R2, R19 membership"));
            }
        }
        return out;
    }

    private static String key(String sku, String group) {
        return sku + "|" + (group == null ? "" : group);
    }

    private static String part(Tenant t, String sku) {
        Product p = t.catalog().findProduct(sku);
        return p == null ? sku : p.skuPartNumber();
    }

    /** The rules that decide a source's error, for either side's error kind. */
    static String rulesFor(String graphError, String ourError, boolean group) {
        Set<String> rules = new TreeSet<>(java.util.Comparator.comparingInt(r -> Integer.parseInt(
                r.substring(1).replaceAll("[^0-9].*", ""))));
        for (String e : List.of(graphError, ourError)) {
            switch (e) {
                case "CountViolation" -> {
                    rules.add("R10 capacity");
                    rules.add("R11 order under scarcity (Graph's history is not in the export)");
                }
                case "MutuallyExclusiveViolation" -> rules.add("R13 conflicts");
                case "DependencyViolation" -> rules.add("R14 dependencies");
                case "ProhibitedInUsageLocationViolation" -> rules.add("R15 usage location");
                case "UniquenessViolation" -> rules.add("R16 uniqueness");
                case "Other" -> rules.add("R22 bad requests");
                default -> {
                }
            }
        }
        if (group) {
            rules.add("R12 all or nothing per group");
        }
        return String.join(", ", rules);
    }
}
