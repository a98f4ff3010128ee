package org.licensim.simulator.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.licensim.core.catalog.Catalog;

/** The scenarios shipped inside licensim, by name; anything else is read as a file. */
public final class Scenarios {
    public static final String DEFAULT = "default";
    public static final List<String> NAMES = List.of(DEFAULT, "small", "enterprise", "seat-crunch", "onboarding");
    private static final String DIR = "/org/licensim/simulator/scenario/shipped/";

    private Scenarios() {
    }

    /** A shipped scenario by name, or a scenario file by path (a name wins over a file only if no such file exists). */
    public static Scenario load(String nameOrPath, Catalog catalog) {
        Path file = Path.of(nameOrPath);
        if (NAMES.contains(nameOrPath) && !Files.exists(file)) {
            return shipped(nameOrPath, catalog);
        }
        return new ScenarioReader(catalog).read(file);
    }

    /**
     * A scenario, or with {@code churn} a tenant snapshot planned with it. A snapshot given without
     * churn is refused with what to add (a snapshot is not a scenario).
     */
    public static Scenario load(String nameOrPath, Catalog catalog, TenantChurn churn) {
        if (churn != null) {
            return TenantBase.load(Path.of(nameOrPath), churn).scenario();
        }
        Path file = Path.of(nameOrPath);
        if (Files.isRegularFile(file) && looksLikeSnapshot(file)) {
            throw new org.licensim.core.LicensimException(nameOrPath + " is a tenant snapshot, not a scenario: say how "
                    + "the tenant changes with --churn FILE (rates per day), or let licensim fit the rates from history "
                    + "with --history OLDER_SNAPSHOT or --audits directoryAudits.json (docs/PLANNING.md)");
        }
        return load(nameOrPath, catalog);
    }

    /** Whether a JSON file's top-level object has a snapshot's {@code subscribedSkus} (a scenario has {@code products}). */
    public static boolean looksLikeSnapshot(Path file) {
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(
                file.toFile())) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                if (p.currentName().equals("subscribedSkus")) {
                    return true;
                }
                p.nextToken();
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false; // the scenario reader says what is wrong with it
        }
    }

    public static Scenario shipped(String name, Catalog catalog) {
        try (InputStream in = Scenarios.class.getResourceAsStream(DIR + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no shipped scenario " + name + "; there are " + NAMES);
            }
            return new ScenarioReader(catalog).read(in, name + " (shipped)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a shipped scenario, to copy and edit. */
    public static String text(String name) {
        try (InputStream in = Scenarios.class.getResourceAsStream(DIR + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no shipped scenario " + name + "; there are " + NAMES);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
