package org.licensim.core.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.licensim.core.LicensimException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/**
 * Reads Microsoft's "Product names and service plan identifiers for licensing" CSV: UTF-8 with
 * a byte-order mark, CRLF, RFC 4180 quoting (Jackson's CSV module does the quoting). One row
 * per (product, plan); repeated rows are folded, plan spellings are collected as aliases.
 */
final class CatalogCsvReader {
    static final String[] HEADER = {"Product_Display_Name", "String_Id", "GUID", "Service_Plan_Name",
            "Service_Plan_Id", "Service_Plans_Included_Friendly_Names"};

    private CatalogCsvReader() {
    }

    static Catalog read(InputStream in, String source) throws IOException {
        Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        Map<String, ProductRows> products = new LinkedHashMap<>();
        Map<String, PlanRows> plans = new LinkedHashMap<>();
        try (MappingIterator<String[]> rows = mapper.readerFor(String[].class).readValues(reader)) {
            if (!rows.hasNext()) {
                throw new LicensimException(source + ": the catalog is empty (expected the header "
                        + String.join(",", HEADER) + ")");
            }
            checkHeader(rows.next(), source);
            int line = 1;
            while (rows.hasNext()) {
                line++;
                String[] r = clean(rows.next());
                if (r.length == 1 && r[0].isBlank()) {
                    continue;
                }
                if (r.length != HEADER.length) {
                    throw new LicensimException(source + ": line " + line + ": expected " + HEADER.length
                            + " columns, found " + r.length);
                }
                String skuId = requireGuid(r[2], source, line, "GUID");
                String planId = requireGuid(r[4], source, line, "Service_Plan_Id");
                ProductRows p = products.computeIfAbsent(skuId.toLowerCase(java.util.Locale.ROOT),
                        k -> new ProductRows(skuId, r[1].trim(), r[0].trim()));
                p.planIds.add(planId.toLowerCase(java.util.Locale.ROOT));
                PlanRows pl = plans.computeIfAbsent(planId.toLowerCase(java.util.Locale.ROOT),
                        k -> new PlanRows(planId));
                pl.names.merge(r[3].trim(), 1, Integer::sum);
                pl.friendly.merge(r[5].trim(), 1, Integer::sum);
            }
        } catch (JsonProcessingException e) {
            throw new LicensimException(source + ": malformed CSV" + (e.getLocation() == null ? "" : " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()) + ": "
                    + e.getOriginalMessage(), e);
        }
        List<ServicePlan> planList = new ArrayList<>(plans.size());
        Map<String, Integer> planIndex = new LinkedHashMap<>();
        for (PlanRows pr : plans.values()) {
            int idx = planList.size();
            planIndex.put(pr.id.toLowerCase(java.util.Locale.ROOT), idx);
            planList.add(new ServicePlan(idx, pr.id, mostFrequent(pr.names), mostFrequent(pr.friendly),
                    List.copyOf(pr.names.keySet())));
        }
        List<Product> productList = new ArrayList<>(products.size());
        for (ProductRows pr : products.values()) {
            IntArrayList ps = new IntArrayList();
            IntHashSet seen = new IntHashSet();
            for (String id : pr.planIds) {
                int pi = planIndex.get(id);
                if (seen.add(pi)) {
                    ps.add(pi);
                }
            }
            productList.add(new Product(productList.size(), pr.skuId, pr.partNumber, pr.displayName, ps.toArray()));
        }
        return new Catalog(source, productList, planList);
    }

    /**
     * Microsoft's table has stray no-break spaces (U+00A0) around some values, e.g. after a
     * product GUID; {@code trim()} keeps them, so they are folded to spaces and stripped here.
     */
    private static String[] clean(String[] row) {
        for (int i = 0; i < row.length; i++) {
            row[i] = row[i].replace('\u00A0', ' ').strip();
        }
        return row;
    }

    private static void checkHeader(String[] header, String source) {
        boolean ok = header.length == HEADER.length;
        for (int i = 0; ok && i < HEADER.length; i++) {
            ok = HEADER[i].equals(header[i].trim());
        }
        if (!ok) {
            throw new LicensimException(source + ": line 1: expected the header " + String.join(",", HEADER)
                    + ", found " + String.join(",", header));
        }
    }

    /** Compiled once: the catalog has thousands of GUIDs, and {@code String.matches} compiles its pattern each time. */
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static String requireGuid(String value, String source, int line, String column) {
        String v = value.trim();
        if (!GUID.matcher(v).matches()) {
            throw new LicensimException(source + ": line " + line + ": column " + column
                    + " is not a GUID: \"" + value + "\"");
        }
        return v;
    }

    private static String mostFrequent(Map<String, Integer> counts) {
        String best = null;
        int n = -1;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > n) {
                best = e.getKey();
                n = e.getValue();
            }
        }
        return best;
    }

    private static final class ProductRows {
        final String skuId;
        final String partNumber;
        final String displayName;
        final List<String> planIds = new ArrayList<>();

        ProductRows(String skuId, String partNumber, String displayName) {
            this.skuId = skuId;
            this.partNumber = partNumber;
            this.displayName = displayName;
        }
    }

    private static final class PlanRows {
        final String id;
        final Map<String, Integer> names = new LinkedHashMap<>();
        final Map<String, Integer> friendly = new LinkedHashMap<>();

        PlanRows(String id) {
            this.id = id;
        }
    }
}
