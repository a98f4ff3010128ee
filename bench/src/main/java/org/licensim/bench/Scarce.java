package org.licensim.bench;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

import org.licensim.core.catalog.Catalog;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The {@code scarce} bench tenant: the tenant a capacity planner exists for, where seats run
 * short. Deterministic, like the other shapes:
 *
 * <ul>
 *   <li>Ten products, every one short: seats are 85% of the users who want it (a member of a
 *       group that assigns it, or a direct holder), so R11 order decides who waits on each; E1
 *       has 40%, since half its demand conflicts with an E3 or E5 granted first (a tenant part
 *       way through moving from E1 to E3 has cut its E1 seats).</li>
 *   <li>Office 365 E1 beside Office 365 E3, Microsoft 365 E3 and E5: their Exchange (and
 *       SharePoint) plans conflict (SPEC R13), so a user in an E1 group and an E3 group, or
 *       holding E3 directly, gets a MutuallyExclusiveViolation on the later source.</li>
 *   <li>A fifth of users without usage location (R15: the tenant's country for inherited
 *       licences); 1% located in India, where the calling plan's plan is prohibited (R15).</li>
 *   <li>Every user has a primary SMTP proxy address; 0.3% share one more address with two other
 *       users, differing in case (R16: no Exchange plan for them).</li>
 *   <li>3.5% of users hold a product directly (only users with a usage location: a direct
 *       licence needs one).</li>
 *   <li>40 assigned groups of skewed sizes: group g holds each user with probability 0.6 / (g + 1)
 *       (an all-staff group of 60%, a long tail of 1.5% groups), about 2.6 memberships per user;
 *       each group assigns one product (the peers take one product per group), with up to two
 *       plans disabled (never a prerequisite).</li>
 * </ul>
 *
 * The peers implement R1-R6, R10 and R11 only, so on this shape they resolve a simpler problem
 * than the engine (no conflicts, locations or uniqueness): their times are beside the engine's,
 * their results are not compared with it.
 */
final class Scarce {
    /** Products in subscribedSkus order; group g assigns {@code PRODUCTS.get(g % 10)} (the biggest groups the first). */
    static final List<String> PRODUCTS = List.of("AAD_PREMIUM", "ENTERPRISEPACK", "EMS", "STANDARDPACK", "POWER_BI_PRO",
            "SPE_E3", "VISIOCLIENT", "PROJECTPROFESSIONAL", "ENTERPRISEPREMIUM", "MCOPSTN1");
    static final int GROUPS = 40;
    /** Office 365 E1: about half its demand comes from users whose E3 or E5 was granted first (R13), so it has 40% of demand in seats. */
    private static final int E1 = 3;
    /** Products given directly, by turn: Power BI Pro, Visio, Office 365 E3, Project. */
    private static final int[] DIRECT = {4, 6, 1, 7};

    private Scarce() {
    }

    static boolean direct(int u) {
        // 7 of every 200 (3.5%), none of them among the users without location (u % 5 == 2)
        int r = u % 200;
        return r < 9 && r != 2 && r != 7;
    }

    static String usageLocation(int u) {
        return u % 5 == 2 ? null : u % 100 == 11 ? "IN" : "US";
    }

    static void write(JsonGenerator g, int users, int extraRules, BenchTenant.RuleForms forms, Catalog catalog)
            throws IOException {
        if (extraRules > 0) {
            throw new IllegalArgumentException("the scarce shape has no rule groups");
        }
        SplittableRandom rnd = new SplittableRandom(users * 31L + BenchTenant.Shape.scarce.ordinal());
        double[] p = new double[GROUPS];
        for (int gid = 0; gid < GROUPS; gid++) {
            p[gid] = 0.6 / (gid + 1);
        }
        // memberships, per group in user order, drawn first so seats can be sized from real demand
        org.eclipse.collections.impl.list.mutable.primitive.IntArrayList[] lists =
                new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList[GROUPS];
        for (int gid = 0; gid < GROUPS; gid++) {
            lists[gid] = new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList();
        }
        int products = PRODUCTS.size();
        int[] demand = new int[products];
        boolean[] wants = new boolean[products];
        for (int u = 0; u < users; u++) {
            java.util.Arrays.fill(wants, false);
            for (int gid = 0; gid < GROUPS; gid++) {
                if (rnd.nextDouble() < p[gid]) {
                    lists[gid].add(u);
                    wants[gid % products] = true;
                }
            }
            if (direct(u)) {
                wants[DIRECT[u % DIRECT.length]] = true;
            }
            for (int t = 0; t < products; t++) {
                demand[t] += wants[t] ? 1 : 0;
            }
        }
        g.writeStartObject();
        g.writeObjectFieldStart("tenant");
        g.writeStringField("id", "bench-scarce-" + users);
        g.writeStringField("countryLetterCode", "US");
        g.writeEndObject();
        g.writeArrayFieldStart("subscribedSkus");
        for (int t = 0; t < products; t++) {
            g.writeStartObject();
            g.writeStringField("skuPartNumber", PRODUCTS.get(t));
            g.writeObjectFieldStart("prepaidUnits");
            g.writeNumberField("enabled", (int) (demand[t] * (t == E1 ? 0.40 : 0.85)));
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("users");
        for (int u = 0; u < users; u++) {
            g.writeStartObject();
            g.writeStringField("id", BenchTenant.userId(u));
            String location = usageLocation(u);
            if (location != null) {
                g.writeStringField("usageLocation", location);
            }
            g.writeStringField("department", "D" + (u * 7 % BenchTenant.DEPARTMENTS));
            g.writeStringField("employeeHireDate",
                    BenchTenant.HIRED_FROM.plusDays((u * 7919L) % BenchTenant.HIRE_DAYS).toString());
            g.writeArrayFieldStart("proxyAddresses");
            g.writeString("SMTP:u" + u + "@contoso.com");
            if (u % 1000 < 3) {
                // three users of every thousand share an address, in different case (R16 folds case)
                g.writeString((u % 1000 == 1 ? "smtp:Shared" : "smtp:shared") + (u / 1000) + "@contoso.com");
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("groups");
        for (int gid = 0; gid < GROUPS; gid++) {
            g.writeStartObject();
            g.writeStringField("id", "g" + gid);
            g.writeArrayFieldStart("members");
            for (int i = 0; i < lists[gid].size(); i++) {
                g.writeString(BenchTenant.userId(lists[gid].get(i)));
            }
            g.writeEndArray();
            g.writeEndObject();
            lists[gid] = null;
        }
        g.writeEndArray();
        g.writeArrayFieldStart("assignments");
        for (int u = 0; u < users; u++) {
            if (direct(u)) {
                g.writeStartObject();
                g.writeStringField("userId", BenchTenant.userId(u));
                g.writeStringField("skuId", PRODUCTS.get(DIRECT[u % DIRECT.length]));
                g.writeEndObject();
            }
        }
        for (int gid = 0; gid < GROUPS; gid++) {
            BenchTenant.assignment(g, "g" + gid, catalog, PRODUCTS, gid % products, rnd);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
