package org.licensim.simulator.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;
import org.licensim.core.LicensimException;
import org.licensim.core.event.Event;
import org.licensim.core.files.AtomicFile;
import org.licensim.simulator.scenario.Scenario;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes a simulation's results directory (schema in docs/SCENARIOS.md): {@code days.json} and
 * {@code days.csv} (the day series), {@code summary.json} (how each product fared; identical
 * for the same scenario and seed) and {@code timing.json} (wall time and engine latency, which
 * vary between runs). Each file is written whole or not at all.
 */
public final class ResultsWriter {
    public static final String DAYS_SCHEMA = "licensim.simulation.days/1";
    public static final String SUMMARY_SCHEMA = "licensim.simulation.summary/1";
    public static final String TIMING_SCHEMA = "licensim.simulation.timing/1";
    static final String SUMMARY = "summary.json";
    private static final JsonFactory JSON = new JsonFactory();

    private ResultsWriter() {
    }

    /**
     * Makes {@code dir} ready for the results of scenario {@code scenario}: creates it (and says
     * so: true), or accepts an empty one or one holding earlier licensim results, which are
     * replaced; earlier results of another scenario only with {@code force}, so that one run
     * never silently overwrites another's. Refuses any other non-empty directory, so that a
     * mistyped path never mixes our files into someone else's.
     */
    public static boolean prepare(Path dir, String scenario, boolean force) {
        Path summary = dir.resolve(SUMMARY);
        if (!force && scenario != null && Files.isRegularFile(summary)) {
            String was;
            try {
                was = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.toFile()).path("scenario").asText("");
            } catch (IOException e) {
                was = "";
            }
            if (!was.equals(scenario)) {
                throw new LicensimException("results directory " + dir + " holds the results of scenario \"" + was
                        + "\"; give another --out for \"" + scenario + "\", or --force to replace them");
            }
        }
        try {
            if (Files.isDirectory(dir)) {
                boolean empty;
                try (Stream<Path> s = Files.list(dir)) {
                    empty = s.findAny().isEmpty();
                }
                if (!empty && !Files.exists(dir.resolve(SUMMARY))) {
                    throw new LicensimException("results directory " + dir + " is not empty and holds no earlier "
                            + "licensim results (" + SUMMARY + "); name a new or empty directory with --out");
                }
            } else if (Files.exists(dir)) {
                throw new LicensimException("results path " + dir + " exists and is not a directory");
            } else {
                Files.createDirectories(dir);
                return true;
            }
        } catch (IOException e) {
            throw new LicensimException("cannot create results directory " + dir + ": " + e.getMessage(), e);
        }
        return false;
    }

    /**
     * Writes the results into {@code files}, which the caller commits together with its other
     * outputs: all of them or none (earlier results stay whole).
     */
    public static void write(SimulationResult r, Path dir, AtomicFile.Group files) {
        files.write(dir.resolve("days.json"), "the day series", out -> days(r, out));
        files.write(dir.resolve("days.csv"), "the day series (CSV)", out -> csv(r, out));
        files.write(dir.resolve("timing.json"), "the timings", out -> timing(r, out));
        files.write(dir.resolve(SUMMARY), "the summary", out -> summary(r, out));
    }

    private static JsonGenerator json(OutputStream out) throws IOException {
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
        g.useDefaultPrettyPrinter();
        return g;
    }

    static void days(SimulationResult r, OutputStream out) throws IOException {
        try (JsonGenerator g = json(out)) {
            g.writeStartObject();
            g.writeStringField("schema", DAYS_SCHEMA);
            header(g, r);
            strings(g, "products", r.products());
            strings(g, "productNames", r.productNames());
            strings(g, "groups", r.groups());
            strings(g, "eventTypes", Arrays.stream(Event.Kind.values()).map(Enum::name).toList());
            strings(g, "errorKinds", SimulationResult.errorKinds());
            g.writeArrayFieldStart("days");
            for (DayStats d : r.days()) {
                g.writeStartObject();
                g.writeNumberField("day", d.day());
                g.writeStringField("date", d.date().toString());
                g.writeNumberField("users", d.users());
                ints(g, "consumed", d.consumed());
                ints(g, "capacity", d.capacity());
                ints(g, "waiting", d.waiting());
                ints(g, "usersInError", d.usersInError());
                longs(g, "errors", d.errors());
                ints(g, "groupMembers", d.groupMembers());
                longs(g, "events", d.events());
                longs(g, "rejected", d.rejected());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    static void csv(SimulationResult r, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("day,date,sku,product,consumed,capacity,available,waiting,usersInError,users,events,rejected\n");
        for (DayStats d : r.days()) {
            for (int p = 0; p < r.products().size(); p++) {
                w.write(d.day() + "," + d.date() + "," + r.products().get(p) + "," + org.licensim.core.files.Csv.field(r.productNames().get(p)) + ","
                        + d.consumed()[p] + ","
                        + d.capacity()[p] + "," + d.available(p) + "," + d.waiting()[p] + "," + d.usersInError()[p]
                        + "," + d.users() + "," + d.eventCount() + "," + d.rejectedCount() + "\n");
            }
        }
        w.flush();
    }

    static void summary(SimulationResult r, OutputStream out) throws IOException {
        try (JsonGenerator g = json(out)) {
            g.writeStartObject();
            g.writeStringField("schema", SUMMARY_SCHEMA);
            header(g, r);
            DayStats last = r.days().get(r.days().size() - 1);
            g.writeNumberField("usersAtEnd", last.users());
            g.writeNumberField("eventsApplied", r.totalEvents());
            g.writeNumberField("eventsRejected", r.totalRejected());
            g.writeArrayFieldStart("products");
            for (SimulationResult.ProductOutcome o : r.outcomes()) {
                g.writeStartObject();
                g.writeStringField("sku", o.sku());
                g.writeStringField("name", r.productNames().get(r.products().indexOf(o.sku())));
                g.writeNumberField("consumed", o.consumedAtEnd());
                g.writeNumberField("capacity", o.capacityAtEnd());
                g.writeNumberField("waiting", o.waitingAtEnd());
                dayField(g, "firstFullDay", o.firstFullDay());
                dayField(g, "firstShortDay", o.firstShortDay());
                g.writeNumberField("peakWaiting", o.peakWaiting());
                dayField(g, "peakWaitingDay", o.peakWaitingDay());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("errorsAtEnd");
            List<String> kinds = SimulationResult.errorKinds();
            for (int k = 1; k < kinds.size(); k++) {
                g.writeNumberField(kinds.get(k), last.errors()[k]);
            }
            g.writeEndObject();
            g.writeObjectFieldStart("rejectedByType");
            long[] rejected = r.rejectedByType();
            for (int t = 0; t < Event.Kind.values().length; t++) {
                if (rejected[t] > 0) {
                    g.writeNumberField(Event.Kind.values()[t].name(), rejected[t]);
                }
            }
            g.writeEndObject();
            g.writeArrayFieldStart("rejections");
            for (SimulationResult.Rejection x : r.rejections()) {
                g.writeStartObject();
                g.writeStringField("reason", x.reason());
                g.writeNumberField("count", x.count());
                g.writeStringField("example", x.example());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    static void timing(SimulationResult r, OutputStream out) throws IOException {
        try (JsonGenerator g = json(out)) {
            g.writeStartObject();
            g.writeStringField("schema", TIMING_SCHEMA);
            header(g, r);
            g.writeStringField("java", System.getProperty("java.version"));
            g.writeNumberField("processors", Runtime.getRuntime().availableProcessors());
            double secs = r.wallNanos() / 1e9;
            g.writeNumberField("wallSeconds", Math.round(secs * 1000) / 1000.0);
            g.writeNumberField("engineSeconds", Math.round(r.engineNanos() / 1e6) / 1000.0);
            long events = r.totalEvents() + r.totalRejected();
            g.writeNumberField("events", events);
            g.writeNumberField("eventsPerSecond", Math.round(events / Math.max(secs, 1e-9)));
            g.writeStringField("latencyUnit", "microseconds, engine apply() only, HdrHistogram (3 digits)");
            g.writeObjectFieldStart("latencyByType");
            for (int t = 0; t < Event.Kind.values().length; t++) {
                Histogram h = r.latency()[t];
                if (h.getTotalCount() > 0) {
                    g.writeFieldName(Event.Kind.values()[t].name());
                    percentiles(g, h);
                }
            }
            g.writeEndObject();
            g.writeFieldName("latencyAll");
            percentiles(g, r.allLatency());
            g.writeArrayFieldStart("days");
            for (int d = 0; d < r.days().size(); d++) {
                g.writeStartObject();
                g.writeNumberField("day", d);
                g.writeNumberField("p50", micros(r.dayP50Nanos()[d]));
                g.writeNumberField("p99", micros(r.dayP99Nanos()[d]));
                g.writeNumberField("max", micros(r.dayMaxNanos()[d]));
                g.writeObjectFieldStart("byType");
                for (int t = 0; t < Event.Kind.values().length; t++) {
                    long[] x = r.dayTypeLatency()[d][t];
                    if (x != null) {
                        g.writeObjectFieldStart(Event.Kind.values()[t].name());
                        g.writeNumberField("count", x[0]);
                        g.writeNumberField("p50", micros(x[1]));
                        g.writeNumberField("p99", micros(x[2]));
                        g.writeNumberField("max", micros(x[3]));
                        g.writeEndObject();
                    }
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void percentiles(JsonGenerator g, Histogram h) throws IOException {
        g.writeStartObject();
        g.writeNumberField("count", h.getTotalCount());
        g.writeNumberField("p50", micros(h.getValueAtPercentile(50)));
        g.writeNumberField("p90", micros(h.getValueAtPercentile(90)));
        g.writeNumberField("p99", micros(h.getValueAtPercentile(99)));
        g.writeNumberField("p999", micros(h.getValueAtPercentile(99.9)));
        g.writeNumberField("max", micros(h.getMaxValue()));
        g.writeEndObject();
    }

    static double micros(long nanos) {
        return Math.round(nanos / 10.0) / 100.0;
    }

    private static void header(JsonGenerator g, SimulationResult r) throws IOException {
        Scenario s = r.scenario();
        g.writeStringField("scenario", s.name());
        g.writeNumberField("seed", s.seed());
        g.writeNumberField("users", s.users());
        g.writeNumberField("days", s.days());
        g.writeStringField("start", s.start().toString());
    }

    private static void dayField(JsonGenerator g, String name, int day) throws IOException {
        if (day < 0) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, day);
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void ints(JsonGenerator g, String name, int[] values) throws IOException {
        g.writeArrayFieldStart(name);
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void longs(JsonGenerator g, String name, long[] values) throws IOException {
        g.writeArrayFieldStart(name);
        for (long v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }
}
