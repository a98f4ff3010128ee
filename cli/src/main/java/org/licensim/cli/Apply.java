package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.files.AtomicFile;
import org.licensim.core.graph.GraphRequests;
import org.licensim.core.io.EventWriter;

/**
 * The files {@code --apply} writes, chosen by each name's ending (the option may be given more
 * than once): {@code .jsonl} licensim's event feed (to replay with {@code licensim resolve}),
 * {@code .json} Microsoft Graph JSON batches ({@code $batch} bodies, docs/FORMATS.md) and
 * {@code .ps1} a Microsoft.Graph PowerShell script that {@code -WhatIf} runs dry. Every name is
 * checked before the work starts, and nothing is written by a command that fails.
 */
final class Apply {
    private Apply() {
    }

    /** Refuses a name with another ending, or a path that cannot be replaced, before any work. */
    static void check(List<Path> files) {
        for (Path f : files) {
            kind(f);
            AtomicFile.refuseUnwritable(f.toAbsolutePath(), "--apply");
        }
    }

    /**
     * Writes each file; {@code before} is the tenant before the events (GUIDs and names); one line per file on
     * {@code say}. The files are moved into place together once all are written, so a failure on one leaves none.
     */
    static void write(List<Path> files, Tenant before, List<? extends Event> events, String title, PrintWriter say) {
        GraphRequests graph = null;
        List<String> lines = new java.util.ArrayList<>();
        try (AtomicFile.Group group = new AtomicFile.Group()) {
            for (Path f : files) {
                switch (kind(f)) {
                    case "jsonl" -> {
                        group.write(f, "event feed", out -> {
                            EventWriter w = new EventWriter(out);
                            for (Event e : events) {
                                w.write(e);
                            }
                            w.flush();
                        });
                        lines.add(String.format("wrote %s (%,d events, licensim's feed)", f, events.size()));
                    }
                    case "json" -> {
                        graph = graph != null ? graph : GraphRequests.of(before, events);
                        graph.writeBatch(f, group);
                        int n = graph.requests().size();
                        lines.add(String.format("wrote %s (%,d Graph %s in %,d %s: POST each to https://graph.microsoft.com/v1.0/$batch in turn)",
                                f, n, n == 1 ? "request" : "requests", (n + GraphRequests.BATCH_LIMIT - 1) / GraphRequests.BATCH_LIMIT,
                                n <= GraphRequests.BATCH_LIMIT ? "batch" : "batches"));
                    }
                    default -> {
                        graph = graph != null ? graph : GraphRequests.of(before, events);
                        graph.writePowerShell(f, title, group);
                        lines.add(String.format("wrote %s (%,d Microsoft.Graph cmdlets; try it with -WhatIf first)", f,
                                graph.requests().size()));
                    }
                }
            }
            group.commit();
        }
        lines.forEach(say::println);
    }

    private static String kind(Path f) {
        String n = f.getFileName() == null ? "" : f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".jsonl")) {
            return "jsonl";
        }
        if (n.endsWith(".json")) {
            return "json";
        }
        if (n.endsWith(".ps1")) {
            return "ps1";
        }
        throw new LicensimException("--apply " + f + ": the name must end in .jsonl (licensim events), .json (Microsoft Graph "
                + "JSON batches) or .ps1 (a Microsoft.Graph PowerShell script)");
    }
}
