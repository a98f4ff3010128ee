package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.simulator.population.ChurnFit;
import org.licensim.simulator.scenario.ChurnReader;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.Scenarios;
import org.licensim.simulator.scenario.TenantBase;
import org.licensim.simulator.scenario.TenantChurn;

import picocli.CommandLine.Option;

/**
 * The options that make {@code plan} and {@code simulate} start from a real tenant: the
 * positional argument is then a snapshot, and its churn comes from a file or is fitted from
 * history (docs/PLANNING.md, "Planning from your own tenant").
 */
final class TenantInputs {
    @Option(names = "--churn", paramLabel = "FILE",
            description = "The argument is a tenant snapshot; FILE says how it changes (rates per day; docs/PLANNING.md).")
    Path churn;

    @Option(names = "--history", paramLabel = "OLDER_SNAPSHOT",
            description = "The argument is a tenant snapshot; fit its rates from the changes since this older snapshot of it.")
    Path history;

    @Option(names = "--history-days", paramLabel = "N",
            description = "Days between --history and the snapshot, when the snapshots carry no evaluatedAt.")
    Integer historyDays;

    @Option(names = "--audits", paramLabel = "FILE",
            description = "The argument is a tenant snapshot; fit its rates from a Graph directoryAudits export.")
    Path audits;

    @Option(names = "--write-churn", paramLabel = "FILE",
            description = "Write the fitted rates as a churn file (to review, edit and pass to --churn).")
    Path writeChurn;

    @Option(names = "--start", paramLabel = "DATE", converter = DateConverter.class,
            description = "Day 0 of a plan from a tenant (default: the churn file's start, else the snapshot's "
                    + "evaluatedAt, else today).")
    java.time.LocalDate start;

    @Option(names = "--calendar", paramLabel = "SCENARIO",
            description = "Take a scenario's calendar (its weekly factors and waves, days counted from the plan's day 0) "
                    + "into the tenant's churn: a shipped scenario or a scenario file.")
    String calendar;

    /** {@code --start}'s date, refused in words (picocli's own message named java.time's classes). */
    static final class DateConverter implements picocli.CommandLine.ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String v) {
            try {
                return LocalDate.parse(v.trim());
            } catch (java.time.format.DateTimeParseException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + v + "' is not a date: give yyyy-mm-dd, "
                        + "e.g. 2026-12-01 (day 0 is a whole day: no time, no zone)");
            }
        }
    }

    /** Whether the positional argument is a snapshot. */
    boolean fromTenant() {
        return churn != null || history != null || audits != null;
    }

    /**
     * The scenario: a shipped or scenario file, or the tenant with its churn (whose fit, if any, is
     * told on {@code err}). {@code days} (null: the churn's) is the horizon, set before the tenant is
     * read so that dated purchases and lifecycle dates inside it are kept.
     */
    Scenario scenario(String arg, Catalog catalog, Integer users, Integer days, PrintWriter err, boolean quiet) {
        if (!fromTenant()) {
            if (writeChurn != null || historyDays != null || start != null || calendar != null) {
                throw new LicensimException("--write-churn, --history-days, --start and --calendar are for a plan from a "
                        + "tenant snapshot: give --churn, --history or --audits as well");
            }
            return Scenarios.load(arg, catalog, null);
        }
        if (users != null) {
            throw new LicensimException("--users " + users + ": a plan from a tenant starts with the tenant's own users");
        }
        if (churn != null && (history != null || audits != null)) {
            throw new LicensimException("give either --churn FILE or rates fitted from --history / --audits, not both");
        }
        Path snapshot = Path.of(arg);
        TenantChurn c;
        if (churn != null) {
            c = new ChurnReader().read(churn);
        } else {
            ChurnFit fit = ChurnFit.fit(snapshot, history, historyDays, audits);
            c = fit.churn();
            if (!quiet) {
                for (String line : fit.report()) {
                    err.println(line);
                }
                err.flush();
            }
            if (writeChurn != null) {
                fit.write(writeChurn);
                if (!quiet) {
                    err.println("wrote the fitted rates to " + writeChurn);
                }
            }
        }
        if (start != null) {
            c = c.withStart(start);
        }
        if (days != null) {
            c = c.with(null, days);
        }
        TenantBase base = TenantBase.load(snapshot, c);
        if (calendar != null) {
            // the scenario's waves count days from day 0, which the snapshot may be what dates
            Scenario cal = Scenarios.load(calendar, catalog, null);
            LocalDate day0 = base.scenario().start();
            c = c.withStart(day0).withCalendar(c.calendar().with(cal.churn(), day0));
            base = TenantBase.load(snapshot, c);
            if (!quiet) {
                err.println("calendar from " + cal.name() + ": weekly " + java.util.Arrays.toString(cal.churn().weekly())
                        + ", " + cal.churn().waves().size() + " wave(s)");
            }
        }
        if (!quiet) {
            for (String n : base.notes()) {
                err.println("note: " + n);
            }
            err.flush();
        }
        return base.scenario();
    }
}
