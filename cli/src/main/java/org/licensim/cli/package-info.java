/**
 * The one {@code licensim} command (picocli): a subcommand per job. Commands parse arguments,
 * call into core/simulator/bench/reports and print through {@link org.licensim.cli.Printer}
 * ({@code --format table|csv|json}, the same in every command) with their rows in a
 * {@link org.licensim.cli.Table}; an input error is printed as its message (what, where, what is
 * allowed) with a non-zero exit, never a stack trace.
 */
package org.licensim.cli;
