package org.licensim.simulator.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.Product;
import org.licensim.core.rules.RuleParser;
import org.licensim.simulator.scenario.Scenario.Action;
import org.licensim.simulator.scenario.Scenario.Churn;
import org.licensim.simulator.scenario.Scenario.Department;
import org.licensim.simulator.scenario.Scenario.DirectSpec;
import org.licensim.simulator.scenario.Scenario.Edit;
import org.licensim.simulator.scenario.Scenario.GroupSpec;
import org.licensim.simulator.scenario.Scenario.LicenseSpec;
import org.licensim.simulator.scenario.Scenario.ProductSpec;
import org.licensim.simulator.scenario.Scenario.Quantity;
import org.licensim.simulator.scenario.Scenario.TenantSpec;
import org.licensim.simulator.scenario.Scenario.UnitChange;
import org.licensim.simulator.scenario.Scenario.Wave;
import org.licensim.simulator.scenario.Scenario.Weighted;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads and checks a scenario file (docs/SCENARIOS.md). Every problem is collected, named by
 * its JSON path, and reported at once; products, plans and rules are checked against the
 * catalog and the rule language, so a scenario that reads is one the simulator can run.
 */
public final class ScenarioReader extends CheckedJson {
    static final int MAX_USERS = 20_000_000;
    static final int MAX_DAYS = 3_650;

    private final Catalog catalog;

    public ScenarioReader(Catalog catalog) {
        this.catalog = catalog;
    }

    public Scenario read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new LicensimException("scenario file not found: " + file
                    + " (or name a shipped scenario: " + String.join(", ", Scenarios.NAMES) + ")");
        } catch (IOException e) {
            throw new LicensimException("cannot read scenario " + file + ": " + e.getMessage(), e);
        }
    }

    public Scenario read(InputStream in, String name) throws IOException {
        JsonNode root = parse(in, "scenario " + name);
        if (root == null || !root.isObject()) {
            throw new LicensimException("scenario " + name + ": expected a JSON object");
        }
        problems.clear();
        Scenario s = scenario(root);
        fail("scenario " + name, problems);
        return s;
    }

    private Scenario scenario(JsonNode n) {
        known(n, "$", "name", "description", "seed", "users", "days", "start", "tenant", "countries",
                "noUsageLocation", "departments", "departmentSkew", "contractorShare", "sharedAddressShare",
                "products", "graceDays", "groups", "direct", "churn", "edits");
        String name = text(n, "$", "name", true);
        String description = text(n, "$", "description", false);
        long seed = n.has("seed") ? integer(n.get("seed"), "$.seed", Long.MIN_VALUE, Long.MAX_VALUE) : 1;
        int users = (int) integer(req(n, "$", "users"), "$.users", 0, MAX_USERS);
        int before = problems.size();
        int days = (int) integer(req(n, "$", "days"), "$.days", 0, MAX_DAYS);
        // a bad day count is reported once, not again by every dated change it would put out of range
        int lastDay = problems.size() > before ? MAX_DAYS : days;
        LocalDate start = date(n, "$.start");
        TenantSpec tenant = tenant(req(n, "$", "tenant"));
        List<Weighted> countries = weights(req(n, "$", "countries"), "$.countries");
        for (Weighted w : countries) {
            if (!w.value().matches("[A-Z]{2}")) {
                problems.add("$.countries." + w.value() + ": not an ISO 3166 alpha-2 country code (two capital letters)");
            }
        }
        double noLocation = share(n, "$", "noUsageLocation", 0);
        List<Department> departments = list(req(n, "$", "departments"), "$.departments", this::department);
        if (departments.isEmpty()) {
            problems.add("$.departments: needs at least one department");
        }
        unique(departments, Department::name, "$.departments", "department");
        double skew = number(n, "$", "departmentSkew", 1.0, 0, 5);
        double contractors = share(n, "$", "contractorShare", 0);
        double shared = share(n, "$", "sharedAddressShare", 0);
        List<ProductSpec> products = list(req(n, "$", "products"), "$.products", this::product);
        unique(products, ProductSpec::sku, "$.products", "product");
        Set<String> skus = new HashSet<>();
        products.forEach(p -> skus.add(p.sku()));
        int grace = (int) (n.has("graceDays") ? integer(n.get("graceDays"), "$.graceDays", 0, 365) : 30);
        List<GroupSpec> groups = list(req(n, "$", "groups"), "$.groups", (g, at) -> group(g, at, skus));
        unique(groups, GroupSpec::name, "$.groups", "group");
        List<DirectSpec> direct = n.has("direct") ? list(n.get("direct"), "$.direct", (d, at) -> direct(d, at, skus))
                : List.of();
        Churn churn = churn(req(n, "$", "churn"), "$.churn");
        Set<String> groupNames = new HashSet<>();
        groups.forEach(g -> groupNames.add(g.name()));
        List<Edit> edits = n.has("edits") ? list(n.get("edits"), "$.edits", (e, at) -> edit(e, at, lastDay, groupNames,
                skus)) : List.of();
        for (int i = 0; i < products.size(); i++) {
            ProductSpec p = products.get(i);
            for (int k = 0; k < p.purchases().size(); k++) {
                dayInRange(p.purchases().get(k).day(), lastDay, "$.products[" + i + "].purchases[" + k + "]");
            }
            for (int k = 0; k < p.expiries().size(); k++) {
                dayInRange(p.expiries().get(k).day(), lastDay, "$.products[" + i + "].expiries[" + k + "]");
            }
        }
        return new Scenario(name, description, seed, users, days, start, tenant, countries, noLocation, departments,
                skew, contractors, shared, products, grace, groups, direct, churn, edits, null);
    }

    private TenantSpec tenant(JsonNode n) {
        String at = "$.tenant";
        known(n, at, "id", "displayName", "domain", "country", "autoReprocess");
        String country = text(n, at, "country", true);
        if (country != null && !country.matches("[A-Z]{2}")) {
            problems.add(at + ".country: \"" + country + "\" is not an ISO 3166 alpha-2 country code");
        }
        String domain = text(n, at, "domain", true);
        if (domain != null && !domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            problems.add(at + ".domain: \"" + domain + "\" is not a lower-case DNS domain such as contoso.example");
        }
        return new TenantSpec(text(n, at, "id", true), text(n, at, "displayName", false), domain, country,
                n.has("autoReprocess") && bool(n.get("autoReprocess"), at + ".autoReprocess"));
    }

    private Department department(JsonNode n, String at) {
        known(n, at, "name", "titles");
        List<String> titles = n.has("titles") ? strings(n.get("titles"), at + ".titles") : List.of();
        if (titles.isEmpty()) {
            problems.add(at + ".titles: needs at least one job title");
        }
        return new Department(text(n, at, "name", true), titles);
    }

    private ProductSpec product(JsonNode n, String at) {
        known(n, at, "sku", "seats", "purchases", "expiries");
        String sku = sku(n, at, "sku");
        Quantity seats = quantity(req(n, at, "seats"), at + ".seats");
        List<UnitChange> purchases = n.has("purchases") ? list(n.get("purchases"), at + ".purchases", this::unitChange)
                : List.of();
        List<UnitChange> expiries = n.has("expiries") ? list(n.get("expiries"), at + ".expiries", this::unitChange)
                : List.of();
        return new ProductSpec(sku, seats, purchases, expiries);
    }

    private UnitChange unitChange(JsonNode n, String at) {
        known(n, at, "day", "units");
        return new UnitChange((int) integer(req(n, at, "day"), at + ".day", 1, MAX_DAYS),
                quantity(req(n, at, "units"), at + ".units"));
    }

    private GroupSpec group(JsonNode n, String at, Set<String> skus) {
        known(n, at, "name", "rule", "memberShare", "licenses");
        String rule = text(n, at, "rule", false);
        if (rule != null) {
            checkRule(rule, at + ".rule");
            if (n.has("memberShare")) {
                problems.add(at + ".memberShare: a dynamic group (with a rule) gets its members from the rule; "
                        + "memberShare is for assigned groups");
            }
        } else if (!n.has("memberShare")) {
            problems.add(at + ": an assigned group (no rule) needs memberShare, the share of users who are members");
        }
        double memberShare = share(n, at, "memberShare", 0);
        List<LicenseSpec> licenses = list(req(n, at, "licenses"), at + ".licenses", (l, lat) -> license(l, lat, skus));
        return new GroupSpec(text(n, at, "name", true), rule, memberShare, licenses);
    }

    private LicenseSpec license(JsonNode n, String at, Set<String> skus) {
        known(n, at, "sku", "disabledPlans");
        String sku = subscribedSku(n, at, skus, "sku");
        List<String> disabled = disabledPlans(n, at, sku);
        return new LicenseSpec(sku, disabled);
    }

    private DirectSpec direct(JsonNode n, String at, Set<String> skus) {
        known(n, at, "sku", "share", "disabledPlans");
        String sku = subscribedSku(n, at, skus, "sku");
        if (!n.has("share")) {
            problems.add(at + ": missing share (the share of hires given this product directly)");
        }
        return new DirectSpec(sku, share(n, at, "share", 0), disabledPlans(n, at, sku));
    }

    private Churn churn(JsonNode n, String at) {
        List<String> fields = new ArrayList<>(ChurnKind.labels());
        fields.addAll(List.of("weekly", "waves", "reprocessEveryDays"));
        known(n, at, fields.toArray(String[]::new));
        Map<ChurnKind, Quantity> rates = new EnumMap<>(ChurnKind.class);
        for (ChurnKind kind : ChurnKind.values()) {
            String k = kind.label();
            rates.put(kind, n.has(k) ? quantity(n.get(k), at + "." + k) : new Quantity(0, false));
        }
        double[] weekly = {1, 1, 1, 1, 1, 1, 1};
        if (n.has("weekly")) {
            JsonNode w = n.get("weekly");
            if (!w.isArray() || w.size() != 7) {
                problems.add(at + ".weekly: expected 7 factors, Monday to Sunday, found " + describe(w));
            } else {
                for (int i = 0; i < 7; i++) {
                    weekly[i] = number(w.get(i), at + ".weekly[" + i + "]", 0, 100);
                }
            }
        }
        List<Wave> waves = n.has("waves") ? list(n.get("waves"), at + ".waves", this::wave) : List.of();
        int reprocess = (int) (n.has("reprocessEveryDays")
                ? integer(n.get("reprocessEveryDays"), at + ".reprocessEveryDays", 0, MAX_DAYS) : 0);
        return new Churn(rates.get(ChurnKind.HIRES), rates.get(ChurnKind.LEAVERS), rates.get(ChurnKind.TRANSFERS),
                rates.get(ChurnKind.ATTRIBUTE_EDITS), rates.get(ChurnKind.MEMBER_EDITS), rates.get(ChurnKind.DIRECT_EDITS),
                weekly, waves, reprocess);
    }

    private Wave wave(JsonNode n, String at) {
        known(n, at, "from", "to", "factor", "kinds");
        int from = (int) integer(req(n, at, "from"), at + ".from", 1, MAX_DAYS);
        int to = (int) integer(req(n, at, "to"), at + ".to", 1, MAX_DAYS);
        if (to < from) {
            problems.add(at + ": to (" + to + ") is before from (" + from + ")");
        }
        List<String> kinds = strings(req(n, at, "kinds"), at + ".kinds");
        for (String k : kinds) {
            if (!ChurnKind.labels().contains(k)) {
                problems.add(at + ".kinds: unknown churn kind \"" + k + "\"; allowed: " + String.join(", ", ChurnKind.labels()));
            }
        }
        return new Wave(from, to, number(req(n, at, "factor"), at + ".factor", 0, 1000), kinds);
    }

    private Edit edit(JsonNode n, String at, int days, Set<String> groups, Set<String> skus) {
        known(n, at, "day", "action", "group", "rule", "sku", "to", "disabledPlans", "$comment");
        int day = (int) integer(req(n, at, "day"), at + ".day", 1, MAX_DAYS);
        dayInRange(day, days, at);
        String a = text(n, at, "action", true);
        Action action = null;
        for (Action x : Action.values()) {
            if (x.name().equals(a)) {
                action = x;
            }
        }
        if (a != null && action == null) {
            problems.add(at + ".action: unknown action \"" + a + "\"; allowed: "
                    + String.join(", ", java.util.Arrays.stream(Action.values()).map(Enum::name).toList()));
        }
        String group = text(n, at, "group", true);
        if (group != null && !groups.contains(group)) {
            problems.add(at + ".group: \"" + group + "\" is not one of the scenario's groups");
        }
        String rule = null;
        String sku = null;
        List<String> disabled = List.of();
        if (action == Action.changeRule) {
            rule = text(n, at, "rule", false);
            if (rule != null) {
                checkRule(rule, at + ".rule");
            } else if (!n.has("rule")) {
                problems.add(at + ": changeRule needs rule (a rule, or null to make the group an assigned one)");
            }
        }
        String toSku = null;
        if (action == Action.assignLicense || action == Action.removeLicense || action == Action.changeDisabledPlans) {
            sku = subscribedSku(n, at, skus, "sku");
            if (action != Action.removeLicense) {
                disabled = disabledPlans(n, at, sku);
            }
        } else if (action == Action.switchLicense) {
            sku = subscribedSku(n, at, skus, "sku");
            toSku = subscribedSku(n, at, skus, "to");
            disabled = disabledPlans(n, at, toSku);
            if (sku != null && sku.equals(toSku)) {
                problems.add(at + ": switchLicense needs two different products in sku and to, found " + sku + " twice");
            }
        }
        return new Edit(day, action, group, rule, sku, disabled, toSku);
    }

    // ---- shared checks ----

    private void dayInRange(int day, int days, String at) {
        if (day > days) {
            problems.add(at + ": day " + day + " is after the scenario's last day " + days);
        }
    }

    private void checkRule(String rule, String at) {
        try {
            RuleParser.parse(rule);
        } catch (LicensimException e) {
            problems.add(at + ": " + e.getMessage());
        }
    }

    private String sku(JsonNode n, String at, String field) {
        String sku = text(n, at, field, true);
        if (sku == null) {
            return null;
        }
        try {
            Product p = catalog.findProduct(sku);
            if (p == null) {
                List<String> close = org.licensim.core.catalog.NearMiss.among(sku,
                        org.licensim.core.catalog.NearMiss.partNumbers(catalog), 3);
                problems.add(at + "." + field + ": unknown product \"" + sku + "\" (" + (close.isEmpty() ? ""
                        : "did you mean " + String.join(" or ", close) + "? ") + "licensim catalog --search lists products)");
                return null;
            }
            return p.skuPartNumber();
        } catch (LicensimException e) {
            problems.add(at + "." + field + ": " + e.getMessage());
            return null;
        }
    }

    private String subscribedSku(JsonNode n, String at, Set<String> skus, String field) {
        String sku = sku(n, at, field);
        if (sku != null && !skus.contains(sku)) {
            problems.add(at + "." + field + ": " + sku + " is not one of the scenario's products; add it to $.products");
        }
        return sku;
    }

    private List<String> disabledPlans(JsonNode n, String at, String sku) {
        if (!n.has("disabledPlans")) {
            return List.of();
        }
        List<String> plans = strings(n.get("disabledPlans"), at + ".disabledPlans");
        if (sku != null) {
            Product p = catalog.findProduct(sku);
            for (String plan : plans) {
                try {
                    if (catalog.findPlanInProduct(p, plan) < 0) {
                        problems.add(at + ".disabledPlans: \"" + plan + "\" is not a plan of " + sku + "; its plans: "
                                + String.join(", ", catalog.planNames(p)));
                    }
                } catch (LicensimException e) {
                    problems.add(at + ".disabledPlans: " + e.getMessage());
                }
            }
        }
        return plans;
    }

    private <T> void unique(List<T> items, Function<T, String> key, String at, String what) {
        Set<String> seen = new HashSet<>();
        for (T t : items) {
            String k = key.apply(t);
            if (k != null && !seen.add(k)) {
                problems.add(at + ": " + what + " \"" + k + "\" is listed twice");
            }
        }
    }

    private JsonNode req(JsonNode n, String at, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            problems.add(at + ": missing " + field);
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        return v;
    }

    private String text(JsonNode n, String at, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(at + ": missing " + field);
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add(at + "." + field + ": expected a non-empty string, found " + describe(v));
            return null;
        }
        return v.asText();
    }

    private double number(JsonNode n, String at, String field, double dflt, double min, double max) {
        return n.has(field) ? number(n.get(field), at + "." + field, min, max) : dflt;
    }

    private double share(JsonNode n, String at, String field, double dflt) {
        return number(n, at, field, dflt, 0, 1);
    }

    private boolean bool(JsonNode v, String at) {
        if (!v.isBoolean()) {
            problems.add(at + ": expected true or false, found " + describe(v));
            return false;
        }
        return v.asBoolean();
    }

    private LocalDate date(JsonNode n, String at) {
        JsonNode v = n.get("start");
        if (v == null) {
            return LocalDate.of(2026, 1, 5);
        }
        try {
            return LocalDate.parse(v.asText());
        } catch (DateTimeParseException e) {
            problems.add(at + ": expected a date such as 2026-01-05, found " + describe(v));
            return LocalDate.of(2026, 1, 5);
        }
    }

    /** A count: a number >= 0, or a string such as "3%" (of the day-0 users). */
    private Quantity quantity(JsonNode v, String at) {
        if (v.isMissingNode()) {
            return new Quantity(0, false);
        }
        if (v.isNumber() && v.asDouble() >= 0) {
            return new Quantity(v.asDouble(), false);
        }
        if (v.isTextual() && v.asText().matches("\\d+(\\.\\d+)?%")) {
            String t = v.asText();
            return new Quantity(Double.parseDouble(t.substring(0, t.length() - 1)), true);
        }
        problems.add(at + ": expected a number >= 0 or a percentage of the users such as \"2.5%\", found " + describe(v));
        return new Quantity(0, false);
    }

    private List<Weighted> weights(JsonNode v, String at) {
        List<Weighted> out = new ArrayList<>();
        if (!v.isObject()) {
            if (!v.isMissingNode()) {
                problems.add(at + ": expected an object of name: weight, found " + describe(v));
            }
            return out;
        }
        double sum = 0;
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            double w = number(v.get(k), at + "." + k, 0, 1e12);
            sum += w;
            out.add(new Weighted(k, w));
        }
        if (sum <= 0) {
            problems.add(at + ": the weights must add up to more than 0");
        }
        return out;
    }

    private List<String> strings(JsonNode v, String at) {
        List<String> out = new ArrayList<>();
        if (!v.isArray()) {
            if (!v.isMissingNode()) {
                problems.add(at + ": expected an array of strings, found " + describe(v));
            }
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                problems.add(at + "[" + i + "]: expected a string, found " + describe(v.get(i)));
            } else {
                out.add(v.get(i).asText());
            }
        }
        return out;
    }

    private interface Item<T> {
        T read(JsonNode n, String at);
    }

    private <T> List<T> list(JsonNode v, String at, Item<T> item) {
        List<T> out = new ArrayList<>();
        if (!v.isArray()) {
            if (!v.isMissingNode()) {
                problems.add(at + ": expected an array, found " + describe(v));
            }
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String eat = at + "[" + i + "]";
            if (!e.isObject()) {
                problems.add(eat + ": expected an object, found " + describe(e));
                continue;
            }
            out.add(item.read(e, eat));
        }
        return out;
    }
}
