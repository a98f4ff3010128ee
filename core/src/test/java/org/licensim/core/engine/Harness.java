package org.licensim.core.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.io.EventReader;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.io.StateWriter;
import org.licensim.core.rules.DynamicMembership;
import org.licensim.core.state.HeapStateStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Test helper: load a snapshot from JSON text, reconcile, apply events, read the state back as JSON. */
final class Harness {
    static final ObjectMapper JSON = new ObjectMapper();
    final Tenant tenant;
    final Engine engine;
    final List<String> rejections = new ArrayList<>();
    /** The kind of each refusal, in order (null for an error that is not an event refusal). */
    final List<Rejection.Reason> reasons = new ArrayList<>();

    Harness(String snapshotJson) {
        this(snapshotJson, DynamicMembership.MEMBER_LISTS);
    }

    /** With {@code membership} deciding dynamic groups (the rule language, or the listed members). */
    Harness(String snapshotJson, DynamicMembership membership) {
        this(snapshotJson, membership, new HeapStateStore());
    }

    /** With the engine's state in {@code store} (a simulation's {@link org.licensim.core.state.TalliedStore}). */
    Harness(String snapshotJson, DynamicMembership membership, org.licensim.core.state.StateStore store) {
        try {
            tenant = SnapshotReader.withDefaults().read(new java.io.ByteArrayInputStream(
                    snapshotJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "snapshot.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (membership instanceof org.licensim.core.rules.RuleMembership rules) {
            rules.applyTo(tenant);
        }
        engine = new Engine(tenant, store, new ChangeFeed(), membership);
        engine.reconcile();
    }

    static Harness of(Path snapshot) throws IOException {
        return new Harness(Files.readString(snapshot));
    }

    /** A scenario's snapshot, its dynamic groups decided by their rules when {@code rules} is set. */
    static Harness of(Path snapshot, boolean rules) throws IOException {
        return new Harness(Files.readString(snapshot), rules ? new org.licensim.core.rules.RuleMembership()
                : DynamicMembership.MEMBER_LISTS);
    }

    /** Applies JSON Lines events; a rejected event is recorded as "seq: message" and the run goes on. */
    Harness events(String jsonl) {
        EventReader r = new EventReader(new StringReader(jsonl), "events.jsonl");
        for (Event e = r.next(); e != null; e = r.next()) {
            try {
                engine.apply(e);
            } catch (LicensimException ex) {
                rejections.add(e.seq() + ": " + ex.getMessage());
                reasons.add(ex instanceof Rejection rej ? rej.reason() : null);
            }
        }
        return this;
    }

    JsonNode state() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StateWriter.write(engine, out);
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The licenseAssignmentStates of one user, as "sku|group-or-direct|state|error" strings. */
    List<String> sources(String userId) {
        List<String> out = new ArrayList<>();
        for (JsonNode u : state().get("users")) {
            if (u.get("id").asText().equals(userId)) {
                for (JsonNode s : u.get("licenseAssignmentStates")) {
                    String sku = tenant.catalog().findProduct(s.get("skuId").asText()).skuPartNumber();
                    out.add(sku + "|" + (s.get("assignedByGroup").isNull() ? "direct" : s.get("assignedByGroup").asText())
                            + "|" + s.get("state").asText() + "|" + s.get("error").asText());
                }
            }
        }
        return out;
    }

    int consumed(String sku) {
        for (JsonNode s : state().get("subscribedSkus")) {
            if (s.get("skuPartNumber").asText().equals(sku)) {
                return s.get("consumedUnits").asInt();
            }
        }
        throw new AssertionError("no product " + sku);
    }

    /** Plan names enabled for the user's product, from assignedLicenses. */
    List<String> enabledPlans(String userId, String sku) {
        var product = tenant.catalog().findProduct(sku);
        for (JsonNode u : state().get("users")) {
            if (!u.get("id").asText().equals(userId)) {
                continue;
            }
            for (JsonNode l : u.get("assignedLicenses")) {
                if (l.get("skuId").asText().equalsIgnoreCase(product.skuId())) {
                    List<String> disabled = new ArrayList<>();
                    l.get("disabledPlans").forEach(d -> disabled.add(d.asText()));
                    List<String> out = new ArrayList<>();
                    for (int p : product.plans()) {
                        var sp = tenant.catalog().plan(p);
                        if (!disabled.contains(sp.servicePlanId())) {
                            out.add(sp.servicePlanName());
                        }
                    }
                    return out;
                }
            }
        }
        return List.of();
    }
}
