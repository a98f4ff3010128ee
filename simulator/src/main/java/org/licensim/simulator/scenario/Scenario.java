package org.licensim.simulator.scenario;

import java.time.LocalDate;
import java.util.List;

/**
 * A simulation scenario as read and checked by {@link ScenarioReader} (docs/SCENARIOS.md is
 * its reference). Immutable; {@link #with} makes the variants the command line asks for.
 *
 * @param users    staff on day 0 (the existing directory, created as day-0 hires)
 * @param days     simulated days of churn after day 0
 * @param countries usage locations and their weights, in file order
 * @param noUsageLocation share of users created without a usage location (SPEC R15)
 * @param base     null for a synthetic scenario; for a plan from a real tenant, its snapshot as day
 *                 0 and its churn (the other fields are then derived from the tenant)
 */
public record Scenario(String name, String description, long seed, int users, int days, LocalDate start,
                       TenantSpec tenant, List<Weighted> countries, double noUsageLocation,
                       List<Department> departments, double departmentSkew, double contractorShare,
                       double sharedAddressShare, List<ProductSpec> products, int graceDays, List<GroupSpec> groups,
                       List<DirectSpec> direct, Churn churn, List<Edit> edits, TenantBase base) {

    public record TenantSpec(String id, String displayName, String domain, String country, boolean autoReprocess) {
    }

    public record Weighted(String value, double weight) {
    }

    /** A department with its job titles; titles are drawn with a skew towards the first ones. */
    public record Department(String name, List<String> titles) {
    }

    /** A subscribed product: seats on day 0, and dated purchases and expiries of units. */
    public record ProductSpec(String sku, Quantity seats, List<UnitChange> purchases, List<UnitChange> expiries) {
    }

    public record UnitChange(int day, Quantity units) {
    }

    /**
     * A licensing group: dynamic when {@code rule} is set, otherwise an assigned group that a
     * share of hires ({@code memberShare}) joins and membership edits change.
     */
    public record GroupSpec(String name, String rule, double memberShare, List<LicenseSpec> licenses) {
        public boolean dynamic() {
            return rule != null;
        }
    }

    public record LicenseSpec(String sku, List<String> disabledPlans) {
    }

    /** A product assigned directly to a share of hires, right after they join their groups. */
    public record DirectSpec(String sku, double share, List<String> disabledPlans) {
    }

    /**
     * Churn per simulated day. Each rate is the mean count of a weekday at factor 1; the day's
     * count is Poisson around rate x weekly[day of week] x the product of the waves covering it.
     */
    public record Churn(Quantity hires, Quantity leavers, Quantity transfers, Quantity attributeEdits,
                        Quantity memberEdits, Quantity directEdits, double[] weekly, List<Wave> waves,
                        int reprocessEveryDays) {
        /** The scenario's rate of one kind of churn. */
        public Quantity rate(ChurnKind kind) {
            return switch (kind) {
                case HIRES -> hires;
                case LEAVERS -> leavers;
                case TRANSFERS -> transfers;
                case ATTRIBUTE_EDITS -> attributeEdits;
                case MEMBER_EDITS -> memberEdits;
                case DIRECT_EDITS -> directEdits;
            };
        }
    }

    /** Multiplies the rates of {@code kinds} by {@code factor} on days {@code from..to} inclusive. */
    public record Wave(int from, int to, double factor, List<String> kinds) {
    }

    /**
     * A dated administrative change: see {@link Action}. For {@code switchLicense}, {@code sku} is
     * the product the group stops assigning and {@code toSku} the one it assigns instead (with
     * {@code disabledPlans}), in one request (SPEC R23).
     */
    public record Edit(int day, Action action, String group, String rule, String sku, List<String> disabledPlans,
                       String toSku) {
    }

    public enum Action {
        changeRule, pauseRule, assignLicense, removeLicense, changeDisabledPlans, switchLicense, reprocess
    }

    /** A count written either as a number or as a percentage ("3%") of the scenario's day-0 users. */
    public record Quantity(double value, boolean percent) {
        public double of(int users) {
            return percent ? value * users / 100.0 : value;
        }

        @Override
        public String toString() {
            return percent ? value + "%" : Double.toString(value);
        }
    }

    /** The position of product {@code sku} in {@link #products}, or -1. */
    public int productIndex(String sku) {
        for (int i = 0; i < products.size(); i++) {
            if (products.get(i).sku().equals(sku)) {
                return i;
            }
        }
        return -1;
    }

    /** This scenario with some settings replaced (null or negative keeps the file's value). */
    public Scenario with(Long newSeed, Integer newUsers, Integer newDays) {
        return new Scenario(name, description, newSeed == null ? seed : newSeed, newUsers == null ? users : newUsers,
                newDays == null ? days : newDays, start, tenant, countries, noUsageLocation, departments,
                departmentSkew, contractorShare, sharedAddressShare, products, graceDays, groups, direct, churn,
                newDays == null ? edits : edits.stream().filter(e -> e.day() <= newDays).toList(), base);
    }

    /** This scenario with {@code extra} more (or, negative, fewer) day-0 seats of product {@code sku}. */
    public Scenario withExtraSeats(String sku, int extra) {
        List<ProductSpec> ps = new java.util.ArrayList<>();
        boolean found = false;
        for (ProductSpec p : products) {
            if (p.sku().equals(sku)) {
                found = true;
                double now = p.seats().of(users);
                ps.add(new ProductSpec(p.sku(), new Quantity(Math.max(0, Math.round(now) + extra), false), p.purchases(),
                        p.expiries()));
            } else {
                ps.add(p);
            }
        }
        if (!found) {
            throw new org.licensim.core.LicensimException("scenario " + name + " has no product " + sku);
        }
        return new Scenario(name, description, seed, users, days, start, tenant, countries, noUsageLocation, departments,
                departmentSkew, contractorShare, sharedAddressShare, List.copyOf(ps), graceDays, groups, direct, churn,
                edits, base);
    }
}
