package org.licensim.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The positional arguments of the bench tools run with {@code java -cp benchmarks.jar} (BenchTenant,
 * ReconcileRun, SnapshotReadRun, StoreScaleRun, DuckDbEndToEnd): a bad one is refused with one line
 * naming the argument and the value, the tool's usage and exit code 2, as licensim's own commands
 * refuse a bad option, instead of a Java exception.
 */
final class BenchArgs {
    private BenchArgs() {
    }

    /** A bad argument: {@link #main} prints its message and the usage. */
    static final class Bad extends RuntimeException {
        Bad(String message) {
            super(message);
        }
    }

    /** What a tool's main does once its arguments are counted. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} unless {@code args} has fewer than {@code least} or more than {@code most}
     * arguments; a {@link Bad} argument found on the way ends the program with exit code 2.
     */
    static void main(String program, String usage, String[] args, int least, int most, Body body) throws Exception {
        try {
            if (args.length < least || args.length > most) {
                throw new Bad("expected " + (least == most ? least : least + " to " + most) + " arguments, got "
                        + args.length + (args.length == 0 ? "" : " (" + String.join(" ", Arrays.asList(args)) + ")"));
            }
            body.run();
        } catch (Bad e) {
            System.err.println(program + ": " + e.getMessage());
            System.err.println("usage: " + usage);
            System.exit(2);
        }
    }

    /** {@code value} as a whole number above 0 ("1000000", "1_000_000" or "1,000,000"), named {@code name}. */
    static int count(String name, String value) {
        return number(name, value, 1);
    }

    /** {@code value} as a whole number, 0 or more, named {@code name}. */
    static int whole(String name, String value) {
        return number(name, value, 0);
    }

    private static int number(String name, String value, int least) {
        String digits = value.replace("_", "").replace(",", "");
        try {
            int n = Integer.parseInt(digits);
            if (n >= least) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new Bad(name + " must be a whole number from " + least + " to " + Integer.MAX_VALUE + ", not \"" + value
                + "\"");
    }

    /** {@code value} as one of {@code type}'s constants (case as written in the usage), named {@code name}. */
    static <E extends Enum<E>> E choice(String name, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value)) {
                return e;
            }
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                throw new Bad(name + " \"" + value + "\": did you mean " + e.name() + "? (case matters)");
            }
        }
        throw new Bad(name + " must be one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(Enum::name).toList()) + ", not \"" + value + "\"");
    }

    /** {@code value} as a file that exists and can be read, named {@code name}. */
    static Path input(String name, String value) {
        Path p = Path.of(value);
        if (Files.isDirectory(p)) {
            throw new Bad(name + " " + value + " is a folder, not a file");
        }
        if (!Files.isReadable(p)) {
            throw new Bad(name + " " + value + ": no such file (or it cannot be read)");
        }
        return p;
    }

    /** {@code value} as a file to write, in a folder that exists, named {@code name}. */
    static Path output(String name, String value) {
        Path p = Path.of(value).toAbsolutePath();
        if (Files.isDirectory(p)) {
            throw new Bad(name + " " + value + " is a folder; give a file name");
        }
        if (p.getParent() != null && !Files.isDirectory(p.getParent())) {
            throw new Bad(name + " " + value + ": the folder " + p.getParent() + " does not exist");
        }
        return Path.of(value);
    }
}
