package org.licensim.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import org.licensim.simulator.capacity.CapacityPlan;
import org.licensim.simulator.capacity.CapacityPlanner;
import org.licensim.simulator.capacity.Procurement;

/** The procurement part of {@code plan}'s table: runway, purchase schedule, reclaimable seats, cost, renewals. */
final class PlanAdvice {
    private PlanAdvice() {
    }

    static void print(PrintWriter o, CapacityPlan plan, Procurement proc) {
        print(o, plan, proc, null);
    }

    /** As above; {@code tenant}: the snapshot planned from, named in the pointer to the reclaim list. */
    static void print(PrintWriter o, CapacityPlan plan, Procurement proc, String tenant) {
        int pct = (int) Math.round(plan.percentile() * 100);
        String cur = proc.prices() == null ? null : proc.prices().currency();
        o.printf(Locale.ROOT, "purchase schedule (by %s, p%d, lead time %d days; dated purchases and lifecycle already "
                + "counted):%n", proc.period(), pct, proc.leadTimeDays());
        boolean any = false;
        for (Procurement.ProductAdvice a : proc.products()) {
            String runway = a.runwayDays() < 0 ? "more than " + plan.horizon() + " days"
                    : Printer.days(a.runwayDays()) + " (to " + plan.scenario().start().plusDays(a.runwayDays()) + ")";
            if (a.schedule().isEmpty() && a.runwayDays() < 0) {
                continue;
            }
            any = true;
            o.printf(Locale.ROOT, "  %s: runway %s at p%d%s%n", label(a), runway, pct,
                    a.runwayMedianDays() < 0 ? "" : ", median " + Printer.days(a.runwayMedianDays()));
            for (Procurement.Purchase p : a.schedule()) {
                o.printf(Locale.ROOT, "    %-8s %,7d seat%s, needed by %s, order by %s%s%s%n", p.period(), p.units(),
                        p.units() == 1 ? " " : "s",
                        p.neededBy(), p.orderBy(), p.late() ? " (LATE: the lead time has passed; order now)" : "",
                        p.cost() == null ? "" : ", " + Printer.money(p.cost(), cur) + " " + commitment(proc, a.sku()));
            }
            for (Procurement.BringForward b : a.bringForward()) {
                o.printf(Locale.ROOT, "    bring forward the purchase of %,d %s dated %s to %s (order by %s): the product is "
                        + "short from %s at p%d%n", b.units(), a.sku(), b.date(), b.by(), b.orderBy(), b.by(), pct);
            }
        }
        if (!any) {
            o.println("  nothing to buy within the horizon");
        }
        for (Procurement.Waiting waiting : proc.waitingNow()) {
            var w = waiting.product();
            List<String> names = waiting.groupNames().stream().map(n -> "\"" + n + "\"").toList();
            o.printf(Locale.ROOT, "  reprocess %s now: %,d %s for %s (%s) while %,d %s free (SPEC R18: a failed licence is "
                    + "retried only when its user or group is reprocessed); the schedule counts them as served%n",
                    names.isEmpty() ? "the users with the direct assignments" : (names.size() == 1 ? "group " : "groups ")
                            + String.join(", ", names), w.users(), w.users() == 1 ? "user waits" : "users wait", w.name(),
                    w.sku(), w.free(), w.free() == 1 ? "seat is" : "seats are");
        }
        for (Procurement.ProductAdvice a : proc.products()) {
            int extra = a.reclaimDisabled() + Math.max(0, a.reclaimInactive());
            if (extra == 0) {
                continue;
            }
            // "buys 0 instead of 0" says nothing: where nothing is bought, reclaiming only saves what the seats cost
            o.printf(Locale.ROOT, "  reclaim %s: %,d seat%s held by disabled accounts%s; %s%s%n", label(a),
                    a.reclaimDisabled(), a.reclaimDisabled() == 1 ? "" : "s",
                    a.reclaimInactive() < 0 ? "" : String.format(Locale.ROOT, ", %,d by users not signed in for %d days",
                            a.reclaimInactive(), proc.inactiveDays()), a.buy() == 0 ? "nothing to buy, so reclaiming them "
                            + "frees their cost" : String.format(Locale.ROOT, "reclaimed now, the schedule buys %,d instead of "
                            + "%,d", a.buyIfReclaimed(), a.buy()),
                    a.reclaimSavingsPerYear() == null ? "" :  " (" + Printer.money(a.reclaimSavingsPerYear(), cur) + " a year)");
        }
        boolean reclaimable = proc.products().stream().anyMatch(a -> a.reclaimDisabled() + Math.max(0, a.reclaimInactive()) > 0);
        if (reclaimable && tenant != null) {
            o.printf(Locale.ROOT, "  the accounts behind these seats, and the changes that free them: licensim reclaim %s "
                    + "--inactive-days %d [--apply reclaim.ps1 --apply reclaim.json]%n", tenant, proc.inactiveDays());
        }
        if (plan.scenario().base() != null && !proc.signInKnown()) {
            o.println("  (inactive users: the snapshot has no signInActivity; export users with it to count them)");
        }
        for (Procurement.Renewal r : proc.renewals()) {
            boolean suspended = r.status().equals("Suspended") || r.status().equals("LockedOut");
            String what = suspended ? "moves from " + r.status() + " to " + (r.status().equals("Suspended") ? "LockedOut"
                    : "Deleted") + " (as licensim check reads it): its units are already not counted as seats; reactivate "
                    + "it before then to have them back"
                    : r.lapses() ? (r.status().equals("Warning") ? "is suspended" : r.trial() ? "ends"
                    : "is not renewed") + ": modelled, its seats go" : "renews (assumed)";
            // the subscription's id is in plan.json; here its product, kind and size tell it apart
            o.printf(Locale.ROOT, "  subscription of %s (%s), %s of %,d licences: on %s it %s%s%n",
                    productName(proc, r.sku()), r.sku(), r.trial() ? "trial" : "subscription", r.units(), r.date(), what, r.lapses() || suspended ? "" : r.shortIfLapses() > 0
                            ? String.format(Locale.ROOT, "; it matters: without it %,d users would lack seats from %s",
                                    r.shortIfLapses(), r.shortFrom()) : "; the plan would not be short without it");
        }
        if (cur != null && proc.products().stream().allMatch(a -> a.perMonth() == null)) {
            // "0 EUR" would read as free: the prices file simply prices none of this tenant's products
            o.println("  cost of the schedule: not known (the prices file prices none of these products)");
        } else if (cur != null) {
            java.util.List<String> unpriced = proc.products().stream().filter(a -> a.perMonth() == null && a.buy() > 0)
                    .map(Procurement.ProductAdvice::sku).toList();
            if (!unpriced.isEmpty()) {
                o.printf("  (not priced, so not in the cost: %s)%n", String.join(", ", unpriced));
            }
            double total = proc.products().stream().mapToDouble(a -> a.scheduleCost() == null ? 0 : a.scheduleCost()).sum();
            if (proc.prices().committed()) {
                o.printf("  cost of the schedule, as the purchases commit to: %s%n", Printer.money(total, cur));
                o.printf(Locale.ROOT, "    per month: %s%n", totals(proc.costByMonth(), cur));
                o.printf(Locale.ROOT, "    per year:  %s%n", totals(proc.costByYear(), cur));
            } else {
                o.printf("  cost of the schedule to the end of the horizon: %s%n", Printer.money(total, cur));
            }
        }
    }

    /** What a purchase's cost covers: "a year's commitment", "monthly, to the horizon", or (not said) "to the horizon". */
    private static String commitment(Procurement proc, String sku) {
        String c = proc.prices().commitment(sku);
        return c == null ? "to the horizon" : c.equals("annual") ? "committed for a year" : "committed monthly to the horizon";
    }

    /** "2026-02 1,234 EUR, 2026-03 567 EUR", or "nothing to buy". */
    private static String totals(java.util.Map<String, Double> by, String cur) {
        if (by.isEmpty()) {
            return "nothing to buy";
        }
        StringBuilder sb = new StringBuilder();
        by.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(Printer.money(v, cur)));
        return sb.toString();
    }

    /** The product's name from the plan ("Office 365 E5"), else its part number. */
    private static String productName(Procurement proc, String sku) {
        return proc.products().stream().filter(a -> a.sku().equals(sku)).map(Procurement.ProductAdvice::name).findFirst()
                .orElse(sku);
    }

    private static String label(Procurement.ProductAdvice a) {
        return a.name().equals(a.sku()) ? a.sku() : a.name() + " (" + a.sku() + ")";
    }
}
