package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.ExclusivePlanSets;
import org.licensim.core.catalog.PlanRules;
import org.licensim.core.catalog.Product;
import org.licensim.core.catalog.ServicePlan;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code licensim catalog}: Microsoft's products and service plans, and licensim's plan rules. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"Lists the products and service plans of the catalog (Microsoft's public table shipped "
                + "with licensim), or one product's plans, or the products that include a plan.",
                "Examples:", "  licensim catalog --product ENTERPRISEPACK", "  licensim catalog --search \"E5\"",
                "  licensim catalog --plan EXCHANGE_S_ENTERPRISE", "  licensim catalog --rules"})
final class CatalogCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--product", paramLabel = "SKU", description = "Show one product's plans (skuId or skuPartNumber).")
    String product;

    @Option(names = "--plan", paramLabel = "PLAN", description = "Show a plan and the products that include it (id or name).")
    String plan;

    @Option(names = "--search", paramLabel = "TEXT",
            description = "List only products whose part number or display name contains TEXT (case-insensitive).")
    String search;

    @Option(names = "--rules", description = "Show the service-plan rules: conflicts, prerequisites, prohibited "
            + "countries, proxy-address uniqueness.")
    boolean rules;

    @Option(names = "--catalog-file", paramLabel = "CSV",
            description = "Use this catalog CSV (Microsoft's published layout) instead of the shipped one.")
    Path catalogFile;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (default), csv (one row per product, or per plan of --product, or per product "
                    + "including --plan) or json (one object); --rules is for people only.")
    Format format;

    @Override
    public Integer call() throws java.io.IOException {
        Catalog catalog = catalogFile == null ? Catalog.loadDefault() : Catalog.load(catalogFile);
        Printer out = new Printer(format, spec);
        if (product != null) {
            showProduct(out, catalog);
        } else if (plan != null) {
            showPlan(out, catalog);
        } else if (rules) {
            if (format != Format.table) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rules with --format " + format
                        + ": the rules print for people only; --format csv and json are for the products and plans");
            }
            showRules(out.out(), catalog);
        } else {
            listProducts(out, catalog);
        }
        return 0;
    }

    private void showProduct(Printer out, Catalog catalog) throws java.io.IOException {
        Product p = catalog.findProduct(product);
        if (p == null) {
            throw new LicensimException("unknown product \"" + product + "\": not in the catalog "
                    + catalog.source() + suggest(catalog, product));
        }
        Table plans = new Table().indent("  ").left("servicePlanName", 40).overflow().left("servicePlanId", 36)
                .left("friendlyName", 0).header("friendly name");
        for (int pi : p.plans()) {
            ServicePlan sp = catalog.plan(pi);
            plans.row(sp.servicePlanName(), sp.servicePlanId(), sp.friendlyName());
        }
        out.print(o -> {
            o.printf("%s  %s%n  skuId %s, %d service plans%n%n", p.skuPartNumber(), p.displayName(), p.skuId(),
                    p.planCount());
            plans.print(o);
        }, () -> plans, () -> Printer.JSON.createObjectNode().put("skuPartNumber", p.skuPartNumber())
                .put("skuId", p.skuId()).put("displayName", p.displayName()).set("servicePlans", plans.json()));
    }

    private void showPlan(Printer printer, Catalog catalog) throws java.io.IOException {
        ServicePlan sp = catalog.findPlan(plan);
        if (sp == null) {
            throw new LicensimException("unknown service plan \"" + plan + "\": not in the catalog " + catalog.source());
        }
        List<Product> in = new ArrayList<>();
        for (Product p : catalog.products()) {
            if (p.localPlan(sp.index()) >= 0) {
                in.add(p);
            }
        }
        Table products = new Table().indent("  ").noHeader().left("skuPartNumber", 40).overflow().left("skuId", 0)
                .left("displayName", 0);
        in.forEach(p -> products.row(p.skuPartNumber(), p.skuId(), p.displayName()));
        printer.print(out -> {
            out.printf("%s  %s%n  servicePlanId %s%s%n  included in %d products:%n", sp.servicePlanName(),
                    sp.friendlyName(), sp.servicePlanId(),
                    sp.aliases().size() > 1 ? "\n  also spelled: " + String.join(" | ", sp.aliases()) : "", in.size());
            in.forEach(p -> out.printf("  %-40s %s%n", p.skuPartNumber(), p.displayName()));
        }, () -> products, () -> {
            var n = Printer.JSON.createObjectNode().put("servicePlanName", sp.servicePlanName())
                    .put("servicePlanId", sp.servicePlanId()).put("friendlyName", sp.friendlyName());
            n.set("aliases", Printer.JSON.valueToTree(sp.aliases()));
            return n.set("products", products.json());
        });
    }

    private void showRules(PrintWriter out, Catalog catalog) {
        PlanRules r = PlanRules.loadDefault(catalog);
        out.println("Service-plan rules (" + PlanRules.DEFAULT_RESOURCE + "; a snapshot's servicePlanRules replaces "
                + "any section):");
        ExclusivePlanSets tables = ExclusivePlanSets.loadDefault(catalog);
        out.println("conflicts (never enabled together for one user, SPEC R13):");
        out.println("  Microsoft's tables of plans that cannot be assigned at the same time (any two of one table):");
        java.util.Set<Long> inTables = new java.util.HashSet<>();
        for (ExclusivePlanSets.PlanSet set : tables.sets()) {
            List<String> names = new ArrayList<>();
            for (int p : set.plans()) {
                names.add(name(catalog, p));
                for (int q : set.plans()) {
                    inTables.add(((long) p << 32) | q);
                }
            }
            out.printf("    %-20s %s%n", set.name(), String.join(", ", names));
        }
        if (!tables.skipped().isEmpty()) {
            out.println("    (not in the catalog, so no product can enable them: " + String.join(", ", tables.skipped()) + ")");
        }
        out.println("  and licensim's own (" + PlanRules.DEFAULT_RESOURCE + "):");
        r.conflicts().stream().filter(c -> !inTables.contains(((long) c.planA() << 32) | c.planB()))
                .forEach(c -> out.printf("    %s  <>  %s%n", name(catalog, c.planA()), name(catalog, c.planB())));
        out.println("prerequisites (SPEC R14):");
        r.prerequisites().forEach(p -> {
            List<String> any = new ArrayList<>();
            for (int a : p.anyOf()) {
                any.add(name(catalog, a));
            }
            out.printf("  %s needs one of: %s%n", name(catalog, p.plan()), String.join(", ", any));
        });
        out.println("prohibited usage locations (SPEC R15):");
        r.prohibitions().forEach(p -> out.printf("  %s: %s%n", name(catalog, p.plan()), String.join(", ", p.countries())));
        out.println("need unique proxy addresses (SPEC R16):");
        for (int u : r.uniquenessPlans()) {
            out.printf("  %s%n", name(catalog, u));
        }
    }

    private void listProducts(Printer printer, Catalog catalog) throws java.io.IOException {
        String needle = search == null ? null : search.toLowerCase(Locale.ROOT);
        Table t = new Table().left("skuPartNumber", 40).overflow().left("plans", 6).left("skuId", 36).left("displayName", 0)
                .header("display name");
        for (Product p : catalog.products()) {
            if (needle == null || p.skuPartNumber().toLowerCase(Locale.ROOT).contains(needle)
                    || p.displayName().toLowerCase(Locale.ROOT).contains(needle)) {
                t.row(p.skuPartNumber(), p.planCount(), p.skuId(), p.displayName());
            }
        }
        printer.print(out -> {
            t.print(out);
            out.printf("%d of %d products, %d service plans (%s)%n", t.size(), catalog.productCount(), catalog.planCount(),
                    catalog.source());
        }, () -> t, () -> Printer.JSON.createObjectNode().put("catalog", catalog.source().toString())
                .set("products", t.json()));
    }

    private static String name(Catalog c, int plan) {
        return c.plan(plan).servicePlanName();
    }

    private static String suggest(Catalog catalog, String ref) {
        String needle = ref.toLowerCase(Locale.ROOT);
        // the near misses first (ENTERPRISEPAK: ENTERPRISEPACK), then the names that contain what was typed
        List<String> close = new ArrayList<>(org.licensim.core.catalog.NearMiss.among(ref,
                org.licensim.core.catalog.NearMiss.partNumbers(catalog), 3));
        for (Product p : catalog.products()) {
            if (close.contains(p.skuPartNumber())) {
                continue;
            }
            if (close.size() < 5 && (p.skuPartNumber().toLowerCase(Locale.ROOT).contains(needle)
                    || p.displayName().toLowerCase(Locale.ROOT).contains(needle))) {
                close.add(p.skuPartNumber());
            }
        }
        return close.isEmpty() ? "; try licensim catalog --search TEXT" : "; did you mean " + String.join(", ", close) + "?";
    }
}
