package org.licensim.simulator;

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
    private static final String DIR = "/org/licensim/simulator/scenarios/";

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
