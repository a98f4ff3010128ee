package org.licensim.cli;

import java.io.PrintWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Entry point of {@code licensim}. Exit codes: 0 ok, 1 bad input, a refused operation or any other
 * failure (one message, no stack trace unless {@code --debug}), 2 bad usage.
 */
@Command(name = "licensim", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Resolves and simulates group-based licensing the way Microsoft Entra ID does.",
        subcommands = {SimulateCommand.class, BenchCommand.class, CatalogCommand.class, ValidateCommand.class, ResolveCommand.class, StateCommand.class, CheckCommand.class, ReportCommand.class, ImportGraphCommand.class, PlanCommand.class, WhatIfCommand.class, MigrateCommand.class, SwitchProductCommand.class, ReclaimCommand.class, PreviewRuleCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int INPUT_ERROR = 1;
    /** A bad option or an unknown command. */
    public static final int BAD_USAGE = 2;
    /** {@code licensim report --baseline A --current B} found a regression. */
    public static final int REGRESSION = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // licensim writes English, and its numbers the English way whatever the machine's locale, so
        // that "1,000 users" and "97.5%" never mix with "1.000" or "97,5" in one output. All
        // categories: PrintWriter.printf formats with Locale.getDefault(), not the FORMAT category's
        java.util.Locale.setDefault(java.util.Locale.ROOT);
        preloadCatalog(args);
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** The commands that read the shipped product catalog first thing. */
    private static final java.util.Set<String> CATALOG_FIRST = java.util.Set.of("resolve", "validate", "check", "whatif",
            "switch-product", "migrate", "reclaim", "preview-rule", "plan", "simulate", "state");

    /**
     * Starts loading the shipped product catalog (a 1 MB table, parsed while the JVM is still
     * cold) on a thread of its own while picocli builds the command line, for the commands that
     * need it first thing; the command then finds it loaded, or waits for the rest. A failure is
     * left to the command's own load, which reports it.
     */
    static void preloadCatalog(String[] args) {
        if (args.length == 0 || !CATALOG_FIRST.contains(args[0])) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                org.licensim.core.catalog.Catalog.loadDefault();
            } catch (RuntimeException ignored) {
                // the command loads it again and says what is wrong
            }
        }, "licensim-catalog");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs the command line with the given streams; returns the exit code (tests call this).
     * Every failure is one message on {@code err} and exit code 1: what went wrong, where, and
     * what to do. A stack trace is printed only with {@code --debug} (anywhere on the line) or
     * {@code LICENSIM_DEBUG=1}.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean debug = "1".equals(System.getenv("LICENSIM_DEBUG"));
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (String a : args) {
            if (a.equals("--debug")) {
                debug = true;
            } else {
                rest.add(a);
            }
        }
        boolean trace = debug;
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> fail(cmd.getErr(), ex, trace));
        String unknown = unknownCommand(cl, rest);
        if (unknown != null) {
            err.println("licensim: " + unknown);
            err.flush();
            return BAD_USAGE;
        }
        int code;
        try {
            code = cl.execute(rest.toArray(String[]::new));
        } catch (Throwable t) {
            // errors picocli does not hand to the handler (OutOfMemoryError, StackOverflowError, ...)
            code = fail(err, t, trace);
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The message for a first word that is not a command, or null. Checked before picocli parses,
     * because picocli lets {@code --help} win over an unmatched word and prints the top-level usage
     * with exit 0: {@code licensim no-such-command --help} must be refused like
     * {@code licensim no-such-command}.
     */
    static String unknownCommand(CommandLine cl, java.util.List<String> args) {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            return null;
        }
        String first = args.get(0);
        java.util.Set<String> names = cl.getSubcommands().keySet();
        if (names.contains(first)) {
            return null;
        }
        java.util.List<String> close = new java.util.ArrayList<>();
        for (String n : names) {
            if (!n.equals("help") && (n.startsWith(first) || first.startsWith(n) || org.licensim.core.catalog.NearMiss.distance(first, n) <= org.licensim.core.catalog.NearMiss.MOST_EDITS)) {
                close.add(n);
            }
        }
        return "unknown command \"" + first + "\"" + (close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)")
                + "; the commands are " + String.join(", ", names) + " (licensim --help describes each)";
    }

    /** Prints {@code t} as one paragraph a user can act on (with the trace when asked) and returns the exit code. */
    static int fail(PrintWriter err, Throwable t, boolean trace) {
        err.println("licensim: " + Failures.describe(t));
        if (trace) {
            t.printStackTrace(err);
        } else if (!Failures.expected(t)) {
            err.println("(run again with --debug for the stack trace)");
        }
        err.flush();
        return INPUT_ERROR;
    }

    /** Refuses a negative count option as bad usage (exit 2), naming the option and the value. */
    /**
     * Whether a part number names a product of Microsoft's catalog: a prices file kept for several
     * tenants prices products a given tenant may not have, which are left out, not refused.
     */
    static java.util.function.Predicate<String> catalogProduct(org.licensim.core.catalog.Catalog catalog) {
        return sku -> {
            try {
                return catalog.findProduct(sku) != null;
            } catch (org.licensim.core.LicensimException ambiguous) {
                return false;
            }
        };
    }

    static void requireNonNegative(CommandLine.Model.CommandSpec spec, String option, int value) {
        if (value < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be 0 or more, got " + value);
        }
    }

    /** Progress lines on stderr, indented and flushed, unless {@code quiet}: how long-running commands report. */
    static java.util.function.Consumer<String> progress(PrintWriter err, boolean quiet) {
        return line -> {
            if (!quiet) {
                err.println("  " + line);
                err.flush();
            }
        };
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"licensim " + (v == null ? "(development build)" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
