package org.licensim.cli;

import java.io.PrintWriter;

import org.licensim.core.LicensimException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code licensim}. Exit codes: 0 ok, 1 bad input or refused operation, 2 bad usage. */
@Command(name = "licensim", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Resolves and simulates group-based licensing the way Microsoft Entra ID does.",
        subcommands = {SimulateCommand.class, BenchCommand.class, CatalogCommand.class, ValidateCommand.class, ResolveCommand.class, StateCommand.class, ReportCommand.class, ImportGraphCommand.class, PlanCommand.class, WhatIfCommand.class, MigrateCommand.class, SwitchProductCommand.class, PreviewRuleCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int INPUT_ERROR = 1;
    /** {@code licensim report --baseline A --current B} found a regression. */
    public static final int REGRESSION = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams; returns the exit code (tests call this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof LicensimException || ex instanceof org.licensim.reports.ReportException) {
                cmd.getErr().println("licensim: " + ex.getMessage());
                cmd.getErr().flush();
                return INPUT_ERROR;
            }
            throw ex;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
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
