package org.licensim.core.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.state.ChronicleStateStore.Sizing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A store's {@code manifest.json}: format and layout, where the state came from, the tenant's
 * products with their plans, the sizing the map files were made for, and the generation of the
 * map files in use (a store that outgrows its sizing is copied into larger files of the next
 * generation, and this file, written whole or not at all, is the switch). Its own CRC32C over
 * its content ({@code checksum}) catches any change made outside licensim.
 */
final class StoreManifest {
    static final String FILE = "manifest.json";
    private static final String FORMAT = "licensim-state-store";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode json;
    private final List<StoredProduct> products;

    private StoreManifest(ObjectNode json, List<StoredProduct> products) {
        this.json = json;
        this.products = products;
    }

    static StoreManifest create(Tenant tenant, String source, Sizing sizing) {
        List<StoredProduct> products = productsOf(tenant);
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("layout", ChronicleStateStore.LAYOUT);
        m.put("source", source);
        m.put("generation", 0);
        StoreManifest s = new StoreManifest(m, products);
        s.setSizing(sizing);
        ArrayNode ps = m.putArray("products");
        for (StoredProduct p : products) {
            ObjectNode o = ps.addObject();
            o.put("skuId", p.skuId());
            o.put("skuPartNumber", p.skuPartNumber());
            ArrayNode plans = o.putArray("plans");
            for (int i = 0; i < p.planIds().length; i++) {
                plans.addObject().put("servicePlanId", p.planIds()[i]).put("servicePlanName", p.planNames()[i]);
            }
        }
        return s;
    }

    /** Reads and checks {@code dir}'s manifest: format, checksum, layout; anything else is refused naming the file. */
    static StoreManifest read(Path dir) {
        Path mf = dir.resolve(FILE);
        if (!Files.isRegularFile(mf)) {
            throw new LicensimException(dir + ": not a licensim store (no " + FILE + ")");
        }
        ObjectNode m;
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(mf));
            if (!(n instanceof ObjectNode o) || !FORMAT.equals(o.path("format").asText())) {
                throw new LicensimException(mf + ": not a licensim store manifest (format must be \"" + FORMAT + "\")");
            }
            m = o;
        } catch (IOException e) {
            throw new LicensimException(mf + ": unreadable store manifest (" + e.getMessage().lines().findFirst().orElse("")
                    + "): the store is damaged", e);
        }
        int layout = m.path("layout").asInt(-1);
        if (layout != ChronicleStateStore.LAYOUT) {
            throw new LicensimException(mf + ": the store has layout version " + m.path("layout")
                    + " and this licensim reads layout " + ChronicleStateStore.LAYOUT
                    + " only; rebuild the store from its snapshot");
        }
        JsonNode sum = m.remove("checksum");
        if (sum == null || sum.asLong(-1) != checksum(m)) {
            throw new LicensimException(mf + ": its content does not match its checksum: the manifest was edited or "
                    + "damaged, so the store cannot be trusted; rebuild it from its snapshot");
        }
        List<StoredProduct> products = new ArrayList<>();
        for (JsonNode p : m.path("products")) {
            JsonNode plans = p.path("plans");
            String[] ids = new String[plans.size()];
            String[] names = new String[plans.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = plans.get(i).path("servicePlanId").asText();
                names[i] = plans.get(i).path("servicePlanName").asText();
            }
            products.add(new StoredProduct(p.path("skuId").asText(), p.path("skuPartNumber").asText(), ids, names));
        }
        return new StoreManifest(m, products);
    }

    /** Writes the manifest to {@code dir}, whole or not at all, with its checksum. */
    void write(Path dir) {
        ObjectNode out = json.deepCopy();
        out.put("checksum", checksum(json));
        AtomicFile.write(dir.resolve(FILE), "store manifest", o -> JSON.writerWithDefaultPrettyPrinter().writeValue(o, out));
    }

    private static long checksum(ObjectNode content) {
        try {
            CRC32C c = new CRC32C();
            c.update(JSON.writeValueAsString(content).getBytes(StandardCharsets.UTF_8));
            return c.getValue();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest node must serialize", e);
        }
    }

    List<StoredProduct> products() {
        return products;
    }

    String source() {
        return json.path("source").asText();
    }

    /** Which map files are in use: 0 is {@code state.cm}, k > 0 is {@code state.k.cm} (likewise the id maps). */
    int generation() {
        return json.path("generation").asInt(0);
    }

    void setGeneration(int g) {
        json.put("generation", g);
    }

    Sizing sizing() {
        JsonNode s = json.path("sizing");
        return new Sizing(s.path("users").asLong(1000), s.path("groups").asLong(1000), s.path("entriesPerUser").asDouble(1),
                s.path("averageIdLength").asDouble(36));
    }

    void setSizing(Sizing sizing) {
        ObjectNode size = json.putObject("sizing");
        size.put("users", sizing.users());
        size.put("groups", sizing.groups());
        size.put("entriesPerUser", sizing.entriesPerUser());
        size.put("averageValueBytes", averageValueBytes(products, sizing.entriesPerUser()));
        size.put("averageIdLength", sizing.averageIdLength());
    }

    /**
     * How many times the fullest of the map files could still grow by itself when it was new
     * (Chronicle Map's extra segment tiers, a hard limit): the store grows into a new generation
     * once half of that is used.
     */
    int autoResizes() {
        return json.path("autoResizesWhenNew").asInt(8);
    }

    void setAutoResizes(int n) {
        json.put("autoResizesWhenNew", n);
    }

    /** The recorded checksum of map file {@code name}'s self-describing header, or -1. */
    long mapHeader(String name) {
        return json.path("mapHeaders").path(name).asLong(-1);
    }

    void setMapHeader(String name, long crc) {
        ObjectNode h = json.has("mapHeaders") ? (ObjectNode) json.get("mapHeaders") : json.putObject("mapHeaders");
        h.put(name, crc);
    }

    void clearMapHeaders() {
        json.remove("mapHeaders");
    }

    int averageValueBytes() {
        return json.path("sizing").path("averageValueBytes").asInt(64);
    }

    StoreManifest copy() {
        return new StoreManifest(json.deepCopy(), products);
    }

    static List<StoredProduct> productsOf(Tenant t) {
        Subscriptions subs = t.subscriptions();
        List<StoredProduct> out = new ArrayList<>();
        for (int p = 0; p < subs.size(); p++) {
            Product pr = subs.product(p);
            int[] plans = pr.plans();
            String[] ids = new String[plans.length];
            String[] names = new String[plans.length];
            for (int i = 0; i < plans.length; i++) {
                ids[i] = t.catalog().plan(plans[i]).servicePlanId();
                names[i] = t.catalog().plan(plans[i]).servicePlanName();
            }
            out.add(new StoredProduct(pr.skuId(), pr.skuPartNumber(), ids, names));
        }
        return out;
    }

    /**
     * Expected bytes of a value ({@link ValueCodec}): an entry is about nine bytes (a group index
     * of two, one byte each for product, state, derived key, no time and mask id) plus a byte
     * per plan word with nothing disabled; the count and the CRC add five.
     */
    private static int averageValueBytes(List<StoredProduct> products, double entriesPerUser) {
        double w = 0;
        for (StoredProduct p : products) {
            w += p.words();
        }
        double perEntry = 7 + (products.isEmpty() ? 1 : w / products.size());
        return (int) Math.ceil(5 + entriesPerUser * perEntry);
    }
}
