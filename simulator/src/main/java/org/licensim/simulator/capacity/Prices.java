package org.licensim.simulator.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.licensim.core.LicensimException;
import org.licensim.simulator.scenario.CheckedJson;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a seat costs, as the user's agreement says (licensim ships no prices: they differ by
 * agreement, country and date). {@code {"currency": "EUR", "products": {"ENTERPRISEPACK":
 * {"perMonth": 33.75}, "EMS": {"perYear": 130.80}}}}; the currency is shown as given. A product may
 * add {@code "commitment": "monthly"} or {@code "annual"}: what buying a seat commits to (docs/PLANNING.md).
 */
public record Prices(String currency, Map<String, Double> perMonth, Map<String, String> commitments) {
    public static final String MONTHLY = "monthly";
    public static final String ANNUAL = "annual";

    /** The monthly price of a seat of {@code sku}, or null when the file does not price it. */
    public Double monthly(String sku) {
        return perMonth.get(sku);
    }

    /** {@link #MONTHLY}, {@link #ANNUAL}, or null when the file does not say (cost to the horizon, pro rata). */
    public String commitment(String sku) {
        return commitments.get(sku);
    }

    /** Whether any product's price says its commitment: then the plan totals its cost per month and per year. */
    public boolean committed() {
        return !commitments.isEmpty();
    }

    public static Prices read(Path file, List<String> knownSkus) {
        return read(file, knownSkus, sku -> false);
    }

    /**
     * A prices file for one tenant: a product {@code otherProduct} accepts (one of Microsoft's
     * catalog that this tenant does not subscribe to: a price list kept for several tenants) is
     * left out; any other part number the plan does not have is refused, naming the plan's
     * products (a misspelt part number is not silently unpriced).
     */
    public static Prices read(Path file, List<String> knownSkus, java.util.function.Predicate<String> otherProduct) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), knownSkus, otherProduct);
        } catch (NoSuchFileException e) {
            throw new LicensimException("prices file not found: " + file);
        } catch (IOException e) {
            throw new LicensimException("cannot read prices file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A prices file's content, named {@code file} in what it refuses. */
    public static Prices read(java.io.InputStream in, String file, List<String> knownSkus) throws IOException {
        return read(in, file, knownSkus, false);
    }

    static Prices read(java.io.InputStream in, String file, List<String> knownSkus,
                       java.util.function.Predicate<String> otherProduct) throws IOException {
        return read(in, file, knownSkus, false, otherProduct);
    }

    /**
     * As above; with {@code skipOthers}, a product not in {@code knownSkus} is left out instead of
     * refused: one price list for many tenants, each of which has some of its products.
     */
    public static Prices read(java.io.InputStream in, String file, List<String> knownSkus, boolean skipOthers)
            throws IOException {
        return read(in, file, knownSkus, skipOthers, sku -> false);
    }

    private static Prices read(java.io.InputStream in, String file, List<String> knownSkus, boolean skipOthers,
                               java.util.function.Predicate<String> otherProduct) throws IOException {
        JsonNode root = CheckedJson.parse(in, "prices file " + file);
        List<String> problems = new ArrayList<>();
        String example = "{\"currency\": \"EUR\", \"products\": {\"ENTERPRISEPACK\": {\"perMonth\": 33.75}}}";
        if (root == null || !root.isObject()) {
            throw new LicensimException("prices file " + file + ": expected an object such as " + example);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("currency") && !f.equals("products")) {
                problems.add("$." + f + ": unknown field; allowed: currency, products");
            }
        }
        JsonNode cur = root.get("currency");
        if (cur == null || !cur.isTextual() || cur.asText().isBlank()) {
            problems.add("$.currency: expected the currency the prices are in, such as \"EUR\" or \"USD\", found " + cur);
        }
        Map<String, Double> monthly = new LinkedHashMap<>();
        Map<String, String> commitments = new LinkedHashMap<>();
        JsonNode ps = root.get("products");
        if (ps == null || !ps.isObject()) {
            problems.add("$.products: expected prices by product part number, such as " + example + ", found " + ps);
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = ps.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = "$.products[\"" + e.getKey() + "\"]";
                if (!knownSkus.contains(e.getKey())) {
                    if (skipOthers || otherProduct.test(e.getKey())) {
                        continue;
                    }
                    problems.add(at + (knownSkus.size() <= 20 ? ": not a product of the plan; its products: "
                            + String.join(", ", knownSkus) : ": not a product part number of the catalog (licensim "
                            + "catalog --product NAME finds one)"));
                    continue;
                }
                JsonNode v = e.getValue();
                JsonNode m = v.get("perMonth");
                JsonNode y = v.get("perYear");
                JsonNode c = v.get("commitment");
                if (!v.isObject() || (m == null) == (y == null) || v.size() != (c == null ? 1 : 2)) {
                    problems.add(at + ": expected {\"perMonth\": PRICE} or {\"perYear\": PRICE}, with an optional "
                            + "\"commitment\": \"monthly\" or \"annual\", found " + v);
                    continue;
                }
                if (c != null && !(c.isTextual() && (c.asText().equals(MONTHLY) || c.asText().equals(ANNUAL)))) {
                    problems.add(at + ".commitment: expected \"monthly\" or \"annual\", found " + c);
                    continue;
                }
                if (c != null) {
                    commitments.put(e.getKey(), c.asText());
                }
                JsonNode n = m != null ? m : y;
                if (!n.isNumber() || !(n.asDouble() >= 0)) {
                    problems.add(at + (m != null ? ".perMonth" : ".perYear") + ": expected a price of at least 0, found " + n);
                    continue;
                }
                monthly.put(e.getKey(), m != null ? n.asDouble() : n.asDouble() / 12);
            }
        }
        CheckedJson.fail("prices file " + file, problems);
        return new Prices(cur.asText(), Map.copyOf(monthly), Map.copyOf(commitments));
    }
}
