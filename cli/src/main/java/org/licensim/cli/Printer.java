package org.licensim.cli;

import java.io.IOException;
import java.io.PrintWriter;

import org.licensim.core.LicensimException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Model.CommandSpec;

/**
 * A command's result in the {@link Format} {@code --format} asks for: the one door every
 * command's output goes through. {@code table}: the command's lines for people (its rows as
 * aligned {@link Table}s); {@code csv}: one {@link Table} under its header row; {@code json}: one
 * JSON document written by Jackson, indented. Lines for people that go with a CSV or JSON result
 * (files written, notes) go to stderr ({@link #say}), so that stdout holds the document alone.
 */
final class Printer {
    /** The one JSON writer of the commands' output (names, order and nulls as each value gives them). */
    static final ObjectMapper JSON = new ObjectMapper();

    /** The lines for people. */
    interface Lines {
        void print(PrintWriter out) throws IOException;
    }

    /** Something computed for one format (a table, a JSON value). */
    interface Part<T> {
        T get() throws IOException;
    }

    private final Format format;
    private final PrintWriter out;
    private final PrintWriter err;

    Printer(Format format, CommandSpec spec) {
        this(format, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    Printer(Format format, PrintWriter out, PrintWriter err) {
        this.format = format;
        this.out = out;
        this.err = err;
    }

    Format format() {
        return format;
    }

    /** stdout. */
    PrintWriter out() {
        return out;
    }

    /** Where lines for people go beside the result: stdout under {@code table}, stderr under csv and json. */
    PrintWriter say() {
        return format == Format.table ? out : err;
    }

    /** The result in the asked format: {@code table}'s lines, {@code csv}'s rows, or {@code json}'s value as JSON. */
    void print(Lines table, Part<Table> csv, Part<Object> json) throws IOException {
        switch (format) {
            case table -> table.print(out);
            case csv -> csv.get().csv(out);
            case json -> json(out, json.get());
        }
        out.flush();
    }

    /** "1 day", "12 days", "1,200 days". */
    static String days(long n) {
        return String.format(java.util.Locale.ROOT, "%,d %s", n, n == 1 ? "day" : "days");
    }

    /** An amount of money as people read it, in whole units of its currency: "1,242 EUR". */
    static String money(double amount, String currency) {
        return String.format(java.util.Locale.ROOT, "%,.0f %s", amount, currency);
    }

    /** {@code value} (a Jackson tree, a record, a list) as one indented JSON document and a line end. */
    static void json(PrintWriter o, Object value) {
        try {
            o.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new LicensimException("cannot write the result as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
