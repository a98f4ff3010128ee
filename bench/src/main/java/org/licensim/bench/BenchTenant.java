package org.licensim.bench;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Tenant;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.rules.RuleMembership;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The benchmark tenants: generated deterministically, written as a snapshot and read through
 * the ordinary {@link SnapshotReader} (streamed through a pipe, so a 10M-user tenant never
 * exists as one byte array or as a file), then dynamic rules are evaluated.
 *
 * <p>Every group assigns one product, all users have a usage location, no plans conflict, none
 * needs a prerequisite and no proxy addresses collide: the rules that apply are R1-R6, R10,
 * R11 and R12 (trivially), so that the peers, which implement exactly those, must agree with
 * the engine. Some products are short of seats ({@link #SHORT}: capacity 90% of the users who
 * want them), so R11 order decides who gets one.
 */
public final class BenchTenant {
    /** The shapes of licensing policy the benchmarks compare. */
    public enum Shape {
        /** 2,000 groups, 5 memberships per user, plus dynamic groups (the engine issue's tenant). */
        manySmall,
        /** 20 big groups, 2 memberships per user, no dynamic groups. */
        fewBig,
        /**
         * Where seats run short ({@link Scarce}): every product short, E1 beside E3 (R13),
         * a fifth of users without usage location (R15), proxy collisions (R16), 3.5% direct
         * licences, 40 groups of skewed sizes, no dynamic groups.
         */
        scarce
    }

    /**
     * Ten real products whose plans neither conflict nor need prerequisites (catalog part numbers).
     * Exchange Online Plan 1 and Office 365 F3 were here until Microsoft's conflict tables became
     * the default (SPEC R13): their Exchange and SharePoint plans conflict with E3's, so Entra ID P1
     * and P2 took their places.
     */
    public static final List<String> PRODUCTS = List.of("ENTERPRISEPACK", "SPE_E3", "ENTERPRISEPREMIUM", "EMS",
            "POWER_BI_PRO", "VISIOCLIENT", "PROJECTPROFESSIONAL", "FLOW_FREE", "AAD_PREMIUM", "AAD_PREMIUM_P2");
    /** Catalog plans some add-on needs (SPEC R14), which the generator never disables. */
    private static final java.util.Set<Integer> PREREQUISITES = prerequisites();

    private static java.util.Set<Integer> prerequisites() {
        Catalog c = Catalog.loadDefault();
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (org.licensim.core.catalog.PlanRules.Prerequisite p : org.licensim.core.catalog.PlanRules.loadDefault(c)
                .prerequisites()) {
            for (int a : p.anyOf()) {
                out.add(a);
            }
        }
        return out;
    }

    /** The first hire date of the bench users, and how many days their hire dates span. */
    public static final java.time.LocalDate HIRED_FROM = java.time.LocalDate.of(2016, 1, 1);
    public static final int HIRE_DAYS = 3650;

    /** Products with fewer seats than demand. */
    public static final int[] SHORT = {0, 3, 4};
    static final int DEPARTMENTS = 100;
    static final int DYNAMIC_GROUPS = 50;

    public final int users;
    public final Shape shape;
    public final Tenant tenant;
    public final Catalog catalog;

    private BenchTenant(int users, Shape shape, Tenant tenant, Catalog catalog) {
        this.users = users;
        this.shape = shape;
        this.tenant = tenant;
        this.catalog = catalog;
    }

    /** Number of assigned groups of a shape. */
    static int groups(Shape shape) {
        return shape == Shape.manySmall ? 2_000 : 20;
    }

    static int membershipsPerUser(Shape shape) {
        return shape == Shape.manySmall ? 5 : 2;
    }

    public static BenchTenant generate(int users, Shape shape) {
        return generate(users, shape, 0);
    }

    /**
     * A tenant of {@code users} users; {@code extraRules} more dynamic groups (each assigning a
     * product with ample seats) for the rule benchmarks, with the rule forms of {@link #extraRule}.
     */
    public static BenchTenant generate(int users, Shape shape, int extraRules) {
        return generate(users, shape, extraRules, RuleForms.mixed);
    }

    /** Which rules the extra rule groups have: {@link #extraRule}'s mix, or all on department (the earlier runs'). */
    public enum RuleForms { mixed, department }

    /**
     * Writes the snapshot of {@link #generate(int, Shape)}, without its dynamic groups (the SQL
     * peer evaluates no rules), to {@code file}, for end-to-end comparisons: {@code java -cp
     * bench/target/benchmarks.jar org.licensim.bench.BenchTenant USERS manySmall|fewBig|scarce FILE}.
     */
    public static void writeSnapshot(int users, Shape shape, java.nio.file.Path file) throws IOException {
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file), 1 << 16);
             JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            write(g, users, shape, 0, null, Catalog.loadDefault());
        }
    }

    public static void main(String[] args) throws Exception {
        BenchArgs.main("BenchTenant", "BenchTenant USERS manySmall|fewBig|scarce FILE", args, 3, 3, () -> {
            int users = BenchArgs.count("USERS", args[0]);
            Shape shape = BenchArgs.choice("SHAPE", args[1], Shape.class);
            java.nio.file.Path file = BenchArgs.output("FILE", args[2]);
            writeSnapshot(users, shape, file);
            System.out.printf("wrote %s (%,d bytes)%n", file, java.nio.file.Files.size(file));
        });
    }

    /** Like {@link #generate(int, Shape, int)}, with the rule groups' {@code forms}. */
    public static BenchTenant generate(int users, Shape shape, int extraRules, RuleForms forms) {
        Catalog catalog = Catalog.loadDefault();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        PipedInputStream in = new PipedInputStream(1 << 20);
        Thread writer;
        try {
            PipedOutputStream out = new PipedOutputStream(in);
            writer = new Thread(() -> {
                try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                    write(g, users, shape, extraRules, forms, catalog);
                } catch (IOException | RuntimeException e) {
                    failure.set(e);
                }
            }, "bench-tenant-writer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writer.start();
        Tenant tenant;
        try {
            tenant = SnapshotReader.withDefaults().read(in, "bench tenant " + shape + " " + users);
            writer.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("generating the bench tenant failed", failure.get());
        }
        new RuleMembership().applyTo(tenant);
        return new BenchTenant(users, shape, tenant, catalog);
    }

    private static void write(JsonGenerator g, int users, Shape shape, int extraRules, RuleForms forms, Catalog catalog)
            throws IOException {
        if (shape == Shape.scarce) {
            Scarce.write(g, users, extraRules, forms, catalog);
            return;
        }
        SplittableRandom rnd = new SplittableRandom(users * 31L + shape.ordinal());
        int groups = groups(shape);
        int per = membershipsPerUser(shape);
        // each user's memberships, drawn first so seats can be sized from real demand
        int[] member = new int[users * per];
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < per; i++) {
                int gid;
                boolean dup;
                do {
                    gid = rnd.nextInt(groups);
                    dup = false;
                    for (int j = 0; j < i; j++) {
                        dup |= member[u * per + j] == gid;
                    }
                } while (dup);
                member[u * per + i] = gid;
            }
        }
        boolean[] wants = new boolean[PRODUCTS.size()];
        int[] demand = new int[PRODUCTS.size()];
        for (int u = 0; u < users; u++) {
            java.util.Arrays.fill(wants, false);
            for (int i = 0; i < per; i++) {
                wants[member[u * per + i] % PRODUCTS.size()] = true;
            }
            if (direct(u)) {
                wants[u % PRODUCTS.size()] = true;
            }
            for (int p = 0; p < wants.length; p++) {
                demand[p] += wants[p] ? 1 : 0;
            }
        }
        g.writeStartObject();
        g.writeObjectFieldStart("tenant");
        g.writeStringField("id", "bench-" + shape + "-" + users);
        g.writeStringField("countryLetterCode", "US");
        g.writeEndObject();
        if (extraRules > 0 && forms == RuleForms.mixed) {
            g.writeArrayFieldStart("directoryExtensions");
            g.writeStartObject();
            g.writeStringField("name", COST_CENTRE);
            g.writeStringField("dataType", "String");
            g.writeBooleanField("isMultiValued", false);
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeArrayFieldStart("subscribedSkus");
        for (int p = 0; p < PRODUCTS.size(); p++) {
            g.writeStartObject();
            g.writeStringField("skuPartNumber", PRODUCTS.get(p));
            g.writeObjectFieldStart("prepaidUnits");
            boolean isShort = false;
            for (int s : SHORT) {
                isShort |= s == p;
            }
            // dynamic and rule groups may add demand the count above leaves out: those products get all users
            int seats = isShort ? (int) (demand[p] * 0.9) : users + 1;
            g.writeNumberField("enabled", seats);
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("users");
        for (int u = 0; u < users; u++) {
            g.writeStartObject();
            g.writeStringField("id", userId(u));
            g.writeStringField("usageLocation", "US");
            g.writeStringField("department", "D" + (u * 7 % DEPARTMENTS));
            // hired over ten years (2016-2025), spread so that every day of them has its starters
            g.writeStringField("employeeHireDate", HIRED_FROM.plusDays((u * 7919L) % HIRE_DAYS).toString());
            if (extraRules > 0 && forms == RuleForms.mixed) {
                g.writeStringField(COST_CENTRE, "CC" + (u % COST_CENTRES));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        // member lists per group, in user order
        int[] count = new int[groups];
        for (int m : member) {
            count[m]++;
        }
        int[][] lists = new int[groups][];
        for (int gid = 0; gid < groups; gid++) {
            lists[gid] = new int[count[gid]];
            count[gid] = 0;
        }
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < per; i++) {
                int gid = member[u * per + i];
                lists[gid][count[gid]++] = u;
            }
        }
        member = null;
        g.writeArrayFieldStart("groups");
        for (int gid = 0; gid < groups; gid++) {
            g.writeStartObject();
            g.writeStringField("id", "g" + gid);
            g.writeArrayFieldStart("members");
            for (int u : lists[gid]) {
                g.writeString(userId(u));
            }
            g.writeEndArray();
            g.writeEndObject();
            lists[gid] = null;
        }
        // forms == null: a snapshot for the SQL peers, which evaluate no rules: no dynamic groups
        int dynamic = shape == Shape.manySmall && forms != null ? DYNAMIC_GROUPS : 0;
        for (int d = 0; d < dynamic; d++) {
            g.writeStartObject();
            g.writeStringField("id", "dyn" + d);
            // one department each: a product that is not short, so dynamic groups add no seat contention
            g.writeStringField("membershipRule", "user.department -eq \"D" + (d * 2) + "\"");
            g.writeEndObject();
        }
        for (int r = 0; r < extraRules; r++) {
            g.writeStartObject();
            g.writeStringField("id", "rule" + r);
            g.writeStringField("membershipRule", forms == RuleForms.mixed ? extraRule(r, rnd) : departmentRule(rnd));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("assignments");
        for (int u = 0; u < users; u++) {
            if (direct(u)) {
                g.writeStartObject();
                g.writeStringField("userId", userId(u));
                g.writeStringField("skuId", PRODUCTS.get(u % PRODUCTS.size()));
                g.writeEndObject();
            }
        }
        for (int gid = 0; gid < groups; gid++) {
            int p = gid % PRODUCTS.size();
            assignment(g, "g" + gid, catalog, p, rnd);
        }
        for (int d = 0; d < dynamic; d++) {
            assignment(g, "dyn" + d, catalog, notShort(d), rnd);
        }
        for (int r = 0; r < extraRules; r++) {
            // a licence-driven group gives Power Automate Free, which holds no plan such a rule reads: no cycle
            assignment(g, "rule" + r, catalog, forms == RuleForms.mixed && r % 10 == 5 ? FLOW_FREE : notShort(r), rnd);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The directory extension the rule groups' users carry (an HR system's cost centre). */
    static final String COST_CENTRE = "extension_b7f5c1a9e3d24f6a8c0e1d2f3a4b5c6d_costCentre";
    static final int COST_CENTRES = 50;
    /** Power BI Pro's plan, which licence-driven rule groups follow. */
    static final String POWER_BI_PLAN = "70d33638-9c74-4d01-bfd3-562de28bd4ba";
    /** PRODUCTS index of Power Automate Free. */
    static final int FLOW_FREE = 7;

    /**
     * The rule of rule group {@code r}: the forms Entra tenants use around licences, mixed in a
     * fixed proportion. Of every 50: 2 memberOf, 5 time-driven (half against system.now), 5
     * licence-driven, 5 on a directory extension; the rest read department. All but memberOf
     * (which cannot be combined) read department, so an attribute change reaches them.
     */
    static String extraRule(int r, SplittableRandom rnd) {
        String department = departmentRule(rnd);
        if (r % 25 == 7) {
            return "user.memberof -any (group.objectId -in [\"g" + (r % 40) + "\", \"g" + ((r + 13) % 40) + "\"])";
        }
        switch (r % 10) {
            case 3:
                return department + " -and user.employeeHireDate -ge "
                        + (r % 20 == 3 ? "system.now -minus P3650D" : "\"2020-01-01T00:00:00Z\"");
            case 5:
                return department + " -and user.assignedPlans -any (assignedPlan.servicePlanId -eq \"" + POWER_BI_PLAN
                        + "\" -and assignedPlan.capabilityStatus -eq \"Enabled\")";
            case 9:
                return department + " -and user." + COST_CENTRE + " -eq \"CC" + rnd.nextInt(COST_CENTRES) + "\"";
            default:
                return department;
        }
    }

    static String departmentRule(SplittableRandom rnd) {
        return "user.department -in [\"D" + rnd.nextInt(DEPARTMENTS) + "\",\"D" + rnd.nextInt(DEPARTMENTS) + "\"]";
    }

    /** A product index that is never short of seats. */
    static int notShort(int i) {
        int[] ample = {1, 2, 5, 6, 7, 8, 9};
        return ample[i % ample.length];
    }

    private static void assignment(JsonGenerator g, String group, Catalog catalog, int p, SplittableRandom rnd)
            throws IOException {
        assignment(g, group, catalog, PRODUCTS, p, rnd);
    }

    static void assignment(JsonGenerator g, String group, Catalog catalog, List<String> products, int p,
                           SplittableRandom rnd) throws IOException {
        g.writeStartObject();
        g.writeStringField("groupId", group);
        g.writeStringField("skuId", products.get(p));
        g.writeArrayFieldStart("disabledPlans");
        Product product = catalog.findProduct(products.get(p));
        List<String> plans = catalog.planNames(product);
        // disable up to two plans, different per group, so that unions of plans (R4) matter; never a
        // prerequisite (E5's Skype for Business Plan 2 for its Audio Conferencing): a group without its
        // add-on's prerequisite is refused (R14, R24), and R14 is not what the peers implement
        int n = plans.size() > 2 ? rnd.nextInt(3) : 0;
        int first = rnd.nextInt(plans.size());
        for (int i = 0; i < n; i++) {
            int at = i == 0 ? first : (first + 1 + rnd.nextInt(plans.size() - 1)) % plans.size();
            if (!PREREQUISITES.contains(product.plans()[at])) {
                g.writeString(catalog.plan(product.plans()[at]).servicePlanId());
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** 1% of users also hold one product directly (R6: direct and inherited side by side). */
    static boolean direct(int u) {
        return u % 100 == 37;
    }

    /** The products of a shape, in subscribedSkus order. */
    public static List<String> products(Shape shape) {
        return shape == Shape.scarce ? Scarce.PRODUCTS : PRODUCTS;
    }

    public static String userId(int u) {
        return "u" + u;
    }
}
