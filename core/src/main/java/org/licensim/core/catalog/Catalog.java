package org.licensim.core.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.eclipse.collections.api.list.primitive.MutableIntList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.UnifiedMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;
import org.licensim.core.LicensimException;

/**
 * Products and service plans with dense int indexes. Immutable once built. Products and plans
 * are looked up by GUID or by part number / plan name, case-insensitively; a name that stands
 * for several GUIDs (Microsoft's table has a few) is reported as ambiguous, never guessed.
 */
public final class Catalog {
    /** Where the shipped copy of Microsoft's table lives on the classpath. */
    public static final String DEFAULT_RESOURCE = "/org/licensim/core/catalog/microsoft-product-catalog.csv";

    private static volatile Catalog defaultCatalog;

    private final String source;
    private final List<Product> products;
    private final List<ServicePlan> plans;
    private final ObjectIntHashMap<String> productBySkuId = new ObjectIntHashMap<>();
    private final UnifiedMap<String, MutableIntList> productsByPartNumber = new UnifiedMap<>();
    private final ObjectIntHashMap<String> planById = new ObjectIntHashMap<>();
    private final UnifiedMap<String, MutableIntList> plansByName = new UnifiedMap<>();

    Catalog(String source, List<Product> products, List<ServicePlan> plans) {
        this.source = source;
        this.products = List.copyOf(products);
        this.plans = List.copyOf(plans);
        for (Product p : this.products) {
            productBySkuId.put(key(p.skuId()), p.index());
            productsByPartNumber.getIfAbsentPut(key(p.skuPartNumber()), IntArrayList::new).add(p.index());
        }
        for (ServicePlan sp : this.plans) {
            planById.put(key(sp.servicePlanId()), sp.index());
            for (String alias : sp.aliases()) {
                MutableIntList ids = plansByName.getIfAbsentPut(key(alias), IntArrayList::new);
                if (!ids.contains(sp.index())) {
                    ids.add(sp.index());
                }
            }
        }
    }

    /** Microsoft's table as shipped inside licensim (loaded once, then shared: it is immutable). */
    public static Catalog loadDefault() {
        Catalog c = defaultCatalog;
        if (c == null) {
            synchronized (Catalog.class) {
                c = defaultCatalog;
                if (c == null) {
                    try (InputStream in = Catalog.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                        if (in == null) {
                            throw new LicensimException("the product catalog resource " + DEFAULT_RESOURCE
                                    + " is missing from the classpath: the build is broken");
                        }
                        c = CatalogCsvReader.read(in, "classpath:" + DEFAULT_RESOURCE);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    defaultCatalog = c;
                }
            }
        }
        return c;
    }

    /** One plan of a tenant's own plan list for a product (Graph's {@code servicePlanInfo}). */
    public record TenantPlan(String servicePlanId, String servicePlanName) {
    }

    /**
     * SPEC R25: this catalog as one tenant sees it, where {@code lists} (catalog product index to
     * the tenant's {@code subscribedSkus[].servicePlans}) replaces those products' plan lists. A
     * plan the shipped table does not have yet (Microsoft added it later) becomes a new plan,
     * numbered after every existing one, so every index of this catalog keeps its meaning.
     */
    public Catalog withTenantPlans(java.util.Map<Integer, List<TenantPlan>> lists) {
        if (lists.isEmpty()) {
            return this;
        }
        List<ServicePlan> ps = new ArrayList<>(plans);
        List<Product> prods = new ArrayList<>(products);
        lists.forEach((index, list) -> {
            int[] ids = new int[list.size()];
            for (int i = 0; i < ids.length; i++) {
                TenantPlan tp = list.get(i);
                int known = planById.getIfAbsent(key(tp.servicePlanId()), -1);
                if (known < 0) {
                    for (int j = plans.size(); j < ps.size() && known < 0; j++) {
                        known = key(ps.get(j).servicePlanId()).equals(key(tp.servicePlanId())) ? j : -1;
                    }
                }
                if (known < 0) {
                    known = ps.size();
                    String name = tp.servicePlanName() == null ? tp.servicePlanId() : tp.servicePlanName();
                    ps.add(new ServicePlan(known, tp.servicePlanId(), name, name, List.of(name)));
                }
                ids[i] = known;
            }
            Product was = products.get(index);
            prods.set(index, new Product(was.index(), was.skuId(), was.skuPartNumber(), was.displayName(), ids));
        });
        return new Catalog(source + " with the tenant's plan lists", prods, ps);
    }

    /** A catalog from a CSV file in Microsoft's published layout. */
    public static Catalog load(Path csv) {
        try (InputStream in = Files.newInputStream(csv)) {
            return CatalogCsvReader.read(in, csv.toString());
        } catch (IOException e) {
            throw new LicensimException("cannot read product catalog " + csv + ": " + e.getMessage(), e);
        }
    }

    public String source() {
        return source;
    }

    public int productCount() {
        return products.size();
    }

    public int planCount() {
        return plans.size();
    }

    public Product product(int index) {
        return products.get(index);
    }

    public ServicePlan plan(int index) {
        return plans.get(index);
    }

    public List<Product> products() {
        return products;
    }

    public List<ServicePlan> plans() {
        return plans;
    }

    /**
     * A product by skuId or skuPartNumber; null when unknown.
     *
     * @throws LicensimException when a part number names several products
     */
    public Product findProduct(String ref) {
        String k = key(ref);
        if (productBySkuId.containsKey(k)) {
            return products.get(productBySkuId.get(k));
        }
        MutableIntList hits = productsByPartNumber.get(k);
        if (hits == null) {
            return null;
        }
        if (hits.size() > 1) {
            List<String> ids = new ArrayList<>();
            hits.forEach(i -> ids.add(products.get(i).skuId()));
            throw new LicensimException("product \"" + ref + "\" is ambiguous: the catalog has "
                    + hits.size() + " products with that part number (skuId " + String.join(", ", ids)
                    + "); name it by skuId");
        }
        return products.get(hits.get(0));
    }

    /**
     * A plan by servicePlanId or servicePlanName; null when unknown.
     *
     * @throws LicensimException when a name stands for several plan ids
     */
    public ServicePlan findPlan(String ref) {
        String k = key(ref);
        if (planById.containsKey(k)) {
            return plans.get(planById.get(k));
        }
        MutableIntList hits = plansByName.get(k);
        if (hits == null) {
            return null;
        }
        if (hits.size() > 1) {
            List<String> ids = new ArrayList<>();
            hits.forEach(i -> ids.add(plans.get(i).servicePlanId()));
            throw new LicensimException("service plan \"" + ref + "\" is ambiguous: it names "
                    + hits.size() + " plans (servicePlanId " + String.join(", ", ids) + "); name it by id");
        }
        return plans.get(hits.get(0));
    }

    /**
     * The product-local number of a plan named by id or name within {@code product}, or -1 when
     * the product has no such plan. Names are resolved inside the product, so a name that is
     * ambiguous catalog-wide is fine when only one of its plans is in the product.
     */
    public int findPlanInProduct(Product product, String ref) {
        String k = key(ref);
        int[] ps = product.plans();
        for (int i = 0; i < ps.length; i++) {
            ServicePlan sp = plans.get(ps[i]);
            if (key(sp.servicePlanId()).equals(k)) {
                return i;
            }
        }
        int found = -1;
        for (int i = 0; i < ps.length; i++) {
            for (String alias : plans.get(ps[i]).aliases()) {
                if (key(alias).equals(k)) {
                    if (found >= 0 && found != i) {
                        throw new LicensimException("service plan \"" + ref + "\" is ambiguous in product "
                                + product.skuPartNumber() + "; name it by servicePlanId");
                    }
                    found = i;
                }
            }
        }
        return found;
    }

    /** The plan names of a product, for messages that list what is allowed. */
    public List<String> planNames(Product product) {
        List<String> names = new ArrayList<>(product.planCount());
        for (int p : product.plans()) {
            names.add(plans.get(p).servicePlanName());
        }
        return Collections.unmodifiableList(names);
    }

    static String key(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }
}
