package org.licensim.simulator.scenario;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.CommercialSubscription;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.directory.Users;
import org.licensim.core.io.SnapshotReader;
import org.licensim.simulator.scenario.Scenario.Department;
import org.licensim.simulator.scenario.Scenario.DirectSpec;
import org.licensim.simulator.scenario.Scenario.GroupSpec;
import org.licensim.simulator.scenario.Scenario.LicenseSpec;
import org.licensim.simulator.scenario.Scenario.ProductSpec;
import org.licensim.simulator.scenario.Scenario.Quantity;
import org.licensim.simulator.scenario.Scenario.UnitChange;
import org.licensim.simulator.scenario.Scenario.Weighted;

/**
 * A real tenant as the day 0 of a simulation: its snapshot (as {@code import-graph} writes it,
 * or hand-made) and how it changes ({@link TenantChurn}). Built once per plan; every run reads
 * the snapshot bytes into its own engine. What new hires look like comes from the tenant itself:
 * a hire copies the attributes of a user of the same segment (so dynamic rules see the tenant's
 * own joint distribution of department, title, country, extension values), joins each assigned
 * group with the share of that segment who are members, and gets each direct licence with the
 * share of the segment who hold it.
 */
public final class TenantBase {
    /** Properties a hire never copies from the user it is modelled on: who the person is. */
    public static final java.util.Set<String> IDENTITY = java.util.Set.of("userPrincipalName", "displayName", "givenName",
            "surname", "mail", "mailNickname", "employeeId", "mobile", "telephoneNumber", "facsimileTelephoneNumber",
            "sipProxyAddress", "onPremisesSecurityIdentifier", "onPremisesDistinguishedName", "onPremisesSamAccountName",
            "employeeHireDate");

    /** A subscription's next lifecycle date inside the horizon, and what the plan assumes happens there. */
    public record Lifecycle(String subscriptionId, String sku, LocalDate date, int units, boolean trial, String status,
                            boolean lapses) {
    }

    public final byte[] snapshot;
    /** The snapshot as read, never simulated: each run simulates a copy of it. */
    private final Tenant day0;
    public final String source;
    public final TenantChurn churn;
    public final String segmentBy;
    public final List<String> segments;
    public final Map<String, Integer> segmentIndex;
    /** Per tenant user index (all live at day 0): its segment. */
    public final int[] userSegment;
    public final int[] segmentSize;
    /** Tenant group indexes of the groups the simulation follows (licensing groups and those the churn file names). */
    public final int[] groupIndexes;
    /** Positions in {@link #groupIndexes} of the assigned (non-dynamic) ones, and per segment the share of members. */
    public final int[] assignedGroups;
    public final double[][] joinShare;
    /** Per product position (scenario order), per segment, the share holding it directly. */
    public final double[][] directShare;
    public final int users;
    public final LocalDate start;
    public final List<Lifecycle> lifecycle;
    public final List<String> notes = new ArrayList<>();
    private final Scenario scenario;

    public static TenantBase load(Path snapshot, TenantChurn churn) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(snapshot);
        } catch (NoSuchFileException e) {
            throw new LicensimException("tenant snapshot not found: " + snapshot);
        } catch (IOException e) {
            throw new LicensimException("cannot read tenant snapshot " + snapshot + ": " + e.getMessage(), e);
        }
        return new TenantBase(bytes, snapshot.toString(), churn);
    }

    public TenantBase(byte[] snapshot, String source, TenantChurn churn) {
        this.snapshot = snapshot;
        this.source = source;
        Tenant t = read(snapshot, source);
        this.day0 = t;
        Users us = t.users();
        Groups gs = t.groups();
        if (us.liveCount() == 0) {
            throw new LicensimException(source + ": the snapshot has no users; a plan starts from the tenant's people "
                    + "(import-graph writes them from users.json)");
        }
        if (t.subscriptions().size() == 0) {
            throw new LicensimException(source + ": the snapshot has no subscribedSkus, so there is nothing to plan");
        }
        List<String> problems = new ArrayList<>();
        this.segmentBy = churn.segmentBy();
        if (!segmentBy.equals("usageLocation") && !UserSchema.STRING_PROPERTIES.contains(segmentBy)
                && us.extension(segmentBy) == null) {
            problems.add("$.segmentBy: \"" + segmentBy + "\" is not a user property licensim keeps; use department, "
                    + "country, usageLocation, companyName, ... (docs/FORMATS.md)");
        }
        LocalDate day0 = churn.start() != null ? churn.start()
                : t.evaluatedAt() != null ? Instant.ofEpochSecond(t.evaluatedAt()).atZone(ZoneOffset.UTC).toLocalDate()
                : LocalDate.now(ZoneOffset.UTC);
        this.start = day0;
        // segments, in order of first appearance
        segments = new ArrayList<>();
        segmentIndex = new HashMap<>();
        userSegment = new int[us.size()];
        int live = 0;
        for (int u = 0; u < us.size(); u++) {
            if (us.isDeleted(u)) {
                userSegment[u] = -1;
                continue;
            }
            live++;
            userSegment[u] = problems.isEmpty() ? segmentOf(value(us, u, segmentBy)) : segmentOf(null);
        }
        users = live;
        segmentSize = new int[segments.size()];
        for (int s : userSegment) {
            if (s >= 0) {
                segmentSize[s]++;
            }
        }
        for (String s : churn.segments().keySet()) {
            if (!segmentIndex.containsKey(s)) {
                problems.add("$.segments[\"" + s + "\"]: no user has " + segmentBy + " \"" + s + "\"; values seen: "
                        + sample(segments));
            }
        }
        // groups the simulation follows
        Map<String, Integer> byName = new HashMap<>();
        Map<String, Integer> nameCount = new HashMap<>();
        for (int g = 0; g < gs.size(); g++) {
            if (!gs.isDeleted(g)) {
                String n = gs.displayName(g) == null ? gs.id(g) : gs.displayName(g);
                byName.put(n, g);
                nameCount.merge(n, 1, Integer::sum);
            }
        }
        java.util.LinkedHashSet<Integer> follow = new java.util.LinkedHashSet<>();
        for (int g = 0; g < gs.size(); g++) {
            if (!gs.isDeleted(g) && t.assignments().ofGroup(g).length > 0) {
                follow.add(g);
            }
        }
        for (String key : churn.groups().keySet()) {
            int g = gs.indexOf(key);
            if (g < 0 && nameCount.getOrDefault(key, 0) > 1) {
                problems.add("$.groups[\"" + key + "\"]: " + nameCount.get(key) + " groups are named \"" + key
                        + "\"; name it by its id");
                continue;
            }
            if (g < 0) {
                g = byName.getOrDefault(key, -1);
            }
            if (g < 0) {
                problems.add("$.groups[\"" + key + "\"]: no group has this id or display name");
            } else if (gs.isDynamic(g)) {
                problems.add("$.groups[\"" + key + "\"]: \"" + key + "\" is a dynamic group; its rule decides its members "
                        + "(give hires, leavers and transfers instead)");
            } else {
                follow.add(g);
            }
        }
        groupIndexes = follow.stream().mapToInt(Integer::intValue).toArray();
        // products
        List<String> skus = new ArrayList<>();
        for (int p = 0; p < t.subscriptions().size(); p++) {
            skus.add(t.subscriptions().product(p).skuPartNumber());
        }
        for (String sku : churn.products().keySet()) {
            if (!skus.contains(sku)) {
                problems.add("$.products[\"" + sku + "\"]: the tenant does not subscribe to " + sku + "; its products: "
                        + String.join(", ", skus));
            }
        }
        List<UnitChange>[] purchases = lists(skus.size());
        List<UnitChange>[] expiries = lists(skus.size());
        dated(churn.purchases(), "$.purchases", skus, purchases, problems, churn.days());
        dated(churn.expiries(), "$.expiries", skus, expiries, problems, churn.days());
        lifecycle = lifecycle(t, churn, skus, expiries, problems);
        CheckedJson.fail("churn file against " + source, problems);
        this.churn = churn;

        // what hires do: group joins and direct licences per segment
        int ns = segments.size();
        List<Integer> assigned = new ArrayList<>();
        for (int i = 0; i < groupIndexes.length; i++) {
            if (!gs.isDynamic(groupIndexes[i])) {
                assigned.add(i);
            }
        }
        assignedGroups = assigned.stream().mapToInt(Integer::intValue).toArray();
        joinShare = new double[ns][assignedGroups.length];
        for (int a = 0; a < assignedGroups.length; a++) {
            var it = gs.userMembers(groupIndexes[assignedGroups[a]]).getIntIterator();
            while (it.hasNext()) {
                int u = it.next();
                if (u < userSegment.length && userSegment[u] >= 0) {
                    joinShare[userSegment[u]][a]++;
                }
            }
        }
        directShare = new double[skus.size()][ns];
        Map<String, Integer> commonMask = new HashMap<>();
        long[][] maskOf = new long[skus.size()][];
        int[] maskVotes = new int[skus.size()];
        for (int u : t.assignments().usersWithDirect()) {
            if (u >= userSegment.length || userSegment[u] < 0) {
                continue;
            }
            for (Assignments.License l : t.assignments().directOf(u)) {
                directShare[l.product()][userSegment[u]]++;
                String key = l.product() + ":" + java.util.Arrays.toString(l.disabled());
                int votes = commonMask.merge(key, 1, Integer::sum);
                if (votes > maskVotes[l.product()]) {
                    maskVotes[l.product()] = votes;
                    maskOf[l.product()] = l.disabled();
                }
            }
        }
        for (int s = 0; s < ns; s++) {
            for (int a = 0; a < assignedGroups.length; a++) {
                joinShare[s][a] /= segmentSize[s];
            }
            for (int p = 0; p < skus.size(); p++) {
                directShare[p][s] /= segmentSize[s];
            }
        }
        scenario = scenario(t, skus, purchases, expiries, maskOf);
    }

    private static Tenant read(byte[] bytes, String source) {
        try {
            return SnapshotReader.withDefaults().read(new ByteArrayInputStream(bytes), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The snapshot as a new tenant, for one run: a copy of the tenant read once (a 100k-user
     * snapshot took 2.6 s to read again for every run; a copy takes a fraction of that).
     */
    public Tenant freshTenant() {
        return day0.copy();
    }

    /** A user's value of a string property, the usage location included (which is a column of its own). */
    public static String value(Users us, int u, String property) {
        return property.equals("usageLocation") ? us.usageLocation().get(u) : us.get(u, property);
    }

    /** The segment a property value belongs to: users without one form the segment "(none)". */
    public static String segmentKey(String v) {
        return v == null || v.isBlank() ? "(none)" : v;
    }

    /** The index of a value's segment, added on first sight (while the base is built). */
    private int segmentOf(String v) {
        String key = segmentKey(v);
        Integer s = segmentIndex.get(key);
        if (s == null) {
            s = segments.size();
            segments.add(key);
            segmentIndex.put(key, s);
        }
        return s;
    }

    private static String sample(List<String> values) {
        List<String> head = values.subList(0, Math.min(8, values.size()));
        return String.join(", ", head) + (values.size() > head.size() ? ", ... (" + values.size() + " in all)" : "");
    }

    @SuppressWarnings("unchecked")
    private static List<UnitChange>[] lists(int n) {
        List<UnitChange>[] out = new List[n];
        for (int i = 0; i < n; i++) {
            out[i] = new ArrayList<>();
        }
        return out;
    }

    private void dated(List<TenantChurn.DatedUnits> in, String at, List<String> skus, List<UnitChange>[] out,
                       List<String> problems, int days) {
        for (int i = 0; i < in.size(); i++) {
            TenantChurn.DatedUnits d = in.get(i);
            int p = skus.indexOf(d.sku());
            long day = ChronoUnit.DAYS.between(start, d.date());
            if (p < 0) {
                problems.add(at + "[" + i + "].sku: the tenant does not subscribe to " + d.sku() + "; its products: "
                        + String.join(", ", skus));
            } else if (day < 1) {
                problems.add(at + "[" + i + "].date: " + d.date() + " is not after the plan's day 0 (" + start
                        + "); units already there are in the snapshot's prepaidUnits");
            } else if (day <= days) {
                out[p].add(new UnitChange((int) day, new Quantity(d.units(), false)));
            } else {
                notes.add(at.substring(2) + "[" + i + "]: " + d.units() + " " + d.sku() + " on " + d.date()
                        + " is after the horizon (" + start.plusDays(days) + ")");
            }
        }
    }

    /**
     * Commercial subscriptions whose next lifecycle date falls in the horizon: a trial, or a paid
     * subscription listed in notRenewing, lapses there (its units expire, usable for the grace
     * days, then suspended); a subscription already in Warning is suspended on that date; other
     * paid subscriptions are assumed to renew.
     */
    private List<Lifecycle> lifecycle(Tenant t, TenantChurn churn, List<String> skus, List<UnitChange>[] expiries,
                                      List<String> problems) {
        List<Lifecycle> out = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (CommercialSubscription c : t.commercialSubscriptions()) {
            ids.add(c.id());
        }
        for (int i = 0; i < churn.notRenewing().size(); i++) {
            if (!ids.contains(churn.notRenewing().get(i))) {
                problems.add("$.notRenewing[" + i + "]: \"" + churn.notRenewing().get(i) + "\" is not one of the "
                        + "snapshot's subscriptions" + (ids.isEmpty() ? " (it has none: import-graph reads them from "
                        + "subscriptions.json)" : ""));
            }
        }
        for (CommercialSubscription c : t.commercialSubscriptions()) {
            if (c.nextLifecycle() == null || c.totalLicenses() <= 0) {
                continue;
            }
            LocalDate date = Instant.ofEpochSecond(c.nextLifecycle()).atZone(ZoneOffset.UTC).toLocalDate();
            long day = ChronoUnit.DAYS.between(start, date);
            if (day < 0 || day > churn.days()) {
                continue;
            }
            String sku = c.skuPartNumber();
            if (sku == null || !skus.contains(sku)) {
                Product p = t.catalog().findProduct(c.skuId());
                sku = p == null ? null : p.skuPartNumber();
            }
            if (sku == null || !skus.contains(sku)) {
                continue;
            }
            boolean lapses = c.status().equals("Enabled") && (c.isTrial() || churn.notRenewing().contains(c.id()));
            if (lapses) {
                expiries[skus.indexOf(sku)].add(new UnitChange((int) Math.max(1, day),
                        new Quantity(c.totalLicenses(), false)));
            }
            boolean suspends = c.status().equals("Warning");
            out.add(new Lifecycle(c.id(), sku, date, c.totalLicenses(), c.isTrial(), c.status(), lapses || suspends));
        }
        return List.copyOf(out);
    }

    private Scenario scenario(Tenant t, List<String> skus, List<UnitChange>[] purchases,
                              List<UnitChange>[] expiries, long[][] maskOf) {
        Users us = t.users();
        Map<String, Integer> countries = new LinkedHashMap<>();
        Map<String, Integer> domains = new HashMap<>();
        Map<String, java.util.LinkedHashSet<String>> titles = new LinkedHashMap<>();
        for (int u = 0; u < us.size(); u++) {
            if (us.isDeleted(u)) {
                continue;
            }
            String c = value(us, u, "usageLocation");
            if (c != null) {
                countries.merge(c, 1, Integer::sum);
            }
            String upn = us.get(u, "userPrincipalName");
            if (upn != null && upn.indexOf('@') > 0) {
                domains.merge(upn.substring(upn.indexOf('@') + 1).toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            }
            String seg = segments.get(userSegment[u]);
            String title = us.get(u, "jobTitle");
            var set = titles.computeIfAbsent(seg, k -> new java.util.LinkedHashSet<>());
            if (title != null && set.size() < 50) {
                set.add(title);
            }
        }
        List<Weighted> cw = new ArrayList<>();
        countries.forEach((k, v) -> cw.add(new Weighted(k, v)));
        if (cw.isEmpty()) {
            cw.add(new Weighted(t.settings().defaultCountry(), 1));
        }
        String domain = domains.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse("example.com");
        List<Department> departments = new ArrayList<>();
        for (String s : segments) {
            var set = titles.getOrDefault(s, new java.util.LinkedHashSet<>());
            departments.add(new Department(s, set.isEmpty() ? List.of("Employee") : List.copyOf(set)));
        }
        List<ProductSpec> products = new ArrayList<>();
        for (int p = 0; p < skus.size(); p++) {
            products.add(new ProductSpec(skus.get(p), new Quantity(t.subscriptions().units(p).capacity(), false),
                    List.copyOf(purchases[p]), List.copyOf(expiries[p])));
        }
        Groups gs = t.groups();
        List<GroupSpec> groups = new ArrayList<>();
        for (int g : groupIndexes) {
            List<LicenseSpec> lic = new ArrayList<>();
            for (Assignments.License l : t.assignments().ofGroup(g)) {
                lic.add(new LicenseSpec(t.subscriptions().product(l.product()).skuPartNumber(),
                        disabledPlans(t, l.product(), l.disabled())));
            }
            double share = gs.isDynamic(g) ? 0 : gs.userMembers(g).getCardinality() / (double) users;
            groups.add(new GroupSpec(gs.displayName(g) == null ? gs.id(g) : gs.displayName(g), gs.membershipRule(g),
                    share, List.copyOf(lic)));
        }
        List<DirectSpec> direct = new ArrayList<>();
        for (int p = 0; p < skus.size(); p++) {
            double holders = 0;
            for (int s = 0; s < segments.size(); s++) {
                holders += directShare[p][s] * segmentSize[s];
            }
            direct.add(new DirectSpec(skus.get(p), holders / users,
                    maskOf[p] == null ? List.of() : disabledPlans(t, p, maskOf[p])));
        }
        Scenario.Churn none = new Scenario.Churn(new Quantity(0, false), new Quantity(0, false), new Quantity(0, false),
                new Quantity(0, false), new Quantity(0, false), new Quantity(0, false), new double[] {1, 1, 1, 1, 1, 1, 1}, List.of(), 0);
        String name = Path.of(source).getFileName().toString().replaceFirst("\\.json$", "");
        var settings = t.settings();
        return new Scenario(name, "the tenant in " + source, churn.seed(), users, churn.days(), start,
                new Scenario.TenantSpec(settings.id(), settings.displayName(), domain, settings.defaultCountry(),
                        settings.autoReprocess()), List.copyOf(cw), 0, List.copyOf(departments), 1, 0, 0,
                List.copyOf(products), churn.graceDays(), List.copyOf(groups), List.copyOf(direct), none, List.of(),
                this);
    }

    private static List<String> disabledPlans(Tenant t, int product, long[] disabled) {
        List<String> out = new ArrayList<>();
        int[] plans = t.subscriptions().product(product).plans();
        for (int i = 0; i < plans.length; i++) {
            if ((disabled[i >>> 6] & (1L << i)) != 0) {
                out.add(t.catalog().plan(plans[i]).servicePlanId());
            }
        }
        return List.copyOf(out);
    }

    /** The scenario that runs this tenant (its day 0 is the snapshot). */
    public Scenario scenario() {
        return scenario;
    }

    public TenantChurn churn() {
        return churn;
    }

    public List<Lifecycle> lifecycle() {
        return lifecycle;
    }

    /** Things worth telling the user about how the tenant was read (dates past the horizon, ...). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    public List<String> segments() {
        return List.copyOf(segments);
    }

    public int segmentSize(int s) {
        return segmentSize[s];
    }
}
