package org.licensim.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test's child JVM: the same java, the JVM flags from their one place (the
 * {@code licensim-jvm.flags} resource) and the test's class path; and reading what it prints
 * until a line, a deadline, or its end. Used by every test that kills, holds or measures in a
 * separate process.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The command that runs {@code main} with {@code jvmOptions} (e.g. "-Xmx1g") and {@code args}. */
    public static List<String> command(String main, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try (InputStream in = ChildJvm.class.getResourceAsStream("/licensim-jvm.flags")) {
            cmd.addAll(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** What a child printed: its last line (logging noise left out), when reading stopped, and all of it. */
    public record Seen(String last, long nanos, String all) {
    }

    /**
     * Reads {@code p}'s output until the line {@code until} (null: none), the {@code deadline}
     * (System.nanoTime), or its end; a child that dies with an uncaught exception fails the test.
     */
    public static Seen read(Process p, String until, long deadline) throws IOException, InterruptedException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String last = "(nothing)";
        StringBuilder all = new StringBuilder();
        while (System.nanoTime() < deadline) {
            if (!r.ready()) {
                if (!p.isAlive() && !r.ready()) {
                    break;
                }
                Thread.sleep(1);
                continue;
            }
            String line = r.readLine();
            if (line == null) {
                break;
            }
            all.append(line).append('\n');
            if (!line.startsWith("SLF4J")) {
                last = line;
            }
            if (line.startsWith("Exception in thread")) {
                StringBuilder rest = new StringBuilder();
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    rest.append(l).append('\n');
                }
                throw new AssertionError("child failed:\n" + all + rest);
            }
            if (line.equals(until)) {
                break;
            }
        }
        return new Seen(last, System.nanoTime(), all.toString());
    }
}
