package org.licensim.core.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.licensim.core.LicensimException;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/**
 * Microsoft's tables of "service plans that cannot be assigned at the same time" (the Entra
 * page licensing-service-plan-reference), shipped as CSV with one row per plan and the table
 * it is in: any two different plans of one table conflict (SPEC R13). Plans are matched by
 * GUID; a plan the product catalog does not have is skipped (no product could enable it) and
 * counted, so that a newer table over an older catalog is visible rather than an error.
 */
public final class ExclusivePlanSets {
    public static final String RESOURCE = "/org/licensim/core/catalog/microsoft-mutually-exclusive-plans.csv";
    static final String[] HEADER = {"set", "service", "servicePlanName", "servicePlanId"};

    /** One table: its name and the catalog indexes of its plans, in the file's order. */
    public record PlanSet(String name, int[] plans) {
    }

    private final List<PlanSet> sets;
    private final List<String> skipped;

    private ExclusivePlanSets(List<PlanSet> sets, List<String> skipped) {
        this.sets = List.copyOf(sets);
        this.skipped = List.copyOf(skipped);
    }

    /** The tables shipped with licensim, over {@code catalog}. */
    public static ExclusivePlanSets loadDefault(Catalog catalog) {
        try (InputStream in = ExclusivePlanSets.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new LicensimException("the conflict tables resource " + RESOURCE + " is missing: the build is broken");
            }
            return read(in, "classpath:" + RESOURCE, catalog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ExclusivePlanSets read(InputStream in, String source, Catalog catalog) throws IOException {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        Map<String, IntArrayList> bySet = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        try (MappingIterator<String[]> rows = mapper.readerFor(String[].class).readValues(
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))) {
            if (!rows.hasNext() || !java.util.Arrays.equals(rows.next(), HEADER)) {
                throw new LicensimException(source + ": line 1: expected the header " + String.join(",", HEADER));
            }
            int line = 1;
            while (rows.hasNext()) {
                line++;
                String[] r = rows.next();
                if (r.length == 1 && r[0].isBlank()) {
                    continue;
                }
                if (r.length != HEADER.length) {
                    throw new LicensimException(source + ": line " + line + ": expected " + HEADER.length
                            + " columns, found " + r.length);
                }
                String set = r[0].trim();
                String id = r[3].trim();
                ServicePlan plan = catalog.findPlan(id);
                if (plan == null) {
                    skipped.add(r[2].trim() + " (" + id + ")");
                    continue;
                }
                IntArrayList plans = bySet.computeIfAbsent(set, k -> new IntArrayList());
                if (!plans.contains(plan.index())) {
                    plans.add(plan.index());
                }
            }
        }
        List<PlanSet> sets = new ArrayList<>();
        bySet.forEach((name, plans) -> sets.add(new PlanSet(name, plans.toArray())));
        return new ExclusivePlanSets(sets, skipped);
    }

    public List<PlanSet> sets() {
        return sets;
    }

    /** Plans of the tables that are not in the product catalog, as "NAME (GUID)". */
    public List<String> skipped() {
        return skipped;
    }

    /** Every pair of different plans of one table. */
    public List<PlanRules.Conflict> conflicts() {
        List<PlanRules.Conflict> out = new ArrayList<>();
        for (PlanSet s : sets) {
            for (int a = 0; a < s.plans().length; a++) {
                for (int b = a + 1; b < s.plans().length; b++) {
                    out.add(new PlanRules.Conflict(s.plans()[a], s.plans()[b]));
                }
            }
        }
        return out;
    }
}
