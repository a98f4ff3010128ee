package org.licensim.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.licensim.core.state.StoreSource;
import org.licensim.core.LicensimException;
import org.licensim.server.GraphServer;
import org.licensim.server.ServeConfig;
import org.licensim.simulator.scenario.Scenarios;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code licensim serve}: Microsoft Graph's licensing API over a simulated tenant (docs/SERVE.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves Microsoft Graph's licensing API (v1.0: subscribedSkus, users, groups, assignLicense, "
                + "licenseDetails, membersWithLicenseErrors, $batch, ...) over a simulated tenant, so that scripts "
                + "and SDKs run against it as against a real tenant (docs/SERVE.md). Listens on 127.0.0.1 unless "
                + "--bind says otherwise. Runs until stopped (Ctrl-C).",
                "Example:", "  licensim serve --scenario default --users 10000 --port 8080",
                "  curl 'http://127.0.0.1:8080/v1.0/users?$select=id,assignedLicenses&$top=5'"})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SNAPSHOT",
            description = "Tenant snapshot JSON to serve (default: the default scenario's 100,000-user tenant).")
    Path snapshot;

    @Option(names = "--scenario", paramLabel = "NAME", description = "Serve day 0 of a shipped scenario ("
            + "default, small, enterprise, seat-crunch, onboarding) or of a scenario file instead of a snapshot.")
    String scenario;

    @Option(names = "--users", paramLabel = "N", description = "Users of the scenario's tenant (default: the scenario's own).")
    Integer users;

    @Option(names = "--store", paramLabel = "DIR", description = "Keep the tenant durable in DIR: a 2xx answer means "
            + "the change is on disk; restarting with the same arguments continues where the server stopped, even "
            + "after kill -9 (docs/SERVE.md, \"Durability\").")
    Path store;

    @Option(names = "--event-log", paramLabel = "FILE", description = "Without --store: append every accepted change "
            + "to FILE in licensim's event format (resolve SNAPSHOT --events FILE replays it). With a scenario the "
            + "starting snapshot is written beside it as FILE.snapshot.json.")
    Path eventLog;

    @Option(names = "--out-snapshot", paramLabel = "FILE", description = "On stopping, write the tenant as it then is "
            + "(with its resolved state) as a snapshot. GET /licensim/snapshot answers the same at any time.")
    Path outSnapshot;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port (default 8080; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default 127.0.0.1: this machine only).")
    String bind;

    @Option(names = "--token", paramLabel = "T", description = "Require 'Authorization: Bearer T' on every request.")
    String token;

    @Option(names = "--throttle", paramLabel = "UNITS", defaultValue = "0", description = "Graph's identity "
            + "throttling: at most UNITS resource units per 10 s (a read 1, a list 2, a write 3), then 429 with "
            + "Retry-After. Default 0: off.")
    int throttle;

    @Option(names = "--processing-rate", paramLabel = "USERS_PER_SECOND", defaultValue = "0",
            description = "How fast group licence jobs process members (default 0: as fast as the engine can; "
                    + "still queued, so licenseProcessingState moves through its states).")
    double processingRate;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (snapshot != null && scenario != null) {
            throw new LicensimException("give a SNAPSHOT or --scenario, not both");
        }
        if (users != null && (users < 1 || users > 20_000_000)) {
            throw new LicensimException("--users " + users + ": expected 1 to 20,000,000");
        }
        if (port < 0 || port > 65535) {
            throw new LicensimException("--port " + port + ": expected 0 to 65535");
        }
        if (throttle < 0) {
            throw new LicensimException("--throttle " + throttle + ": expected 0 (off) or a positive number of units");
        }
        if (processingRate < 0 || Double.isNaN(processingRate)) {
            throw new LicensimException("--processing-rate " + processingRate + ": expected 0 or more users per second");
        }
        if (store != null && eventLog != null) {
            throw new LicensimException("--event-log is for a server without --store: a store keeps its log in "
                    + store.resolve("events.jsonl"));
        }
        ServeConfig c = new ServeConfig();
        if (snapshot != null) {
            if (!Files.isRegularFile(snapshot)) {
                throw new LicensimException("snapshot file not found: " + snapshot);
            }
            c.source = "snapshot " + StoreSource.ofFile(snapshot);
            if (store == null || !Files.exists(store.resolve("snapshot.json"))) {
                c.snapshot = Files.readAllBytes(snapshot);
            }
        } else {
            String name = scenario != null ? scenario : Scenarios.DEFAULT;
            int n = users != null ? users : 100_000;
            c.source = "scenario " + name + " users " + (users != null || scenario == null ? n : "default");
            if (store == null || !Files.exists(store.resolve("snapshot.json"))) {
                err.printf("generating the tenant of scenario \"%s\"...%n", name);
                err.flush();
                c.snapshot = ServeConfig.scenarioSnapshot(name, users != null || scenario == null ? n : null);
                if (eventLog != null) {
                    Path beside = eventLog.resolveSibling(eventLog.getFileName() + ".snapshot.json");
                    byte[] snap = c.snapshot;
                    org.licensim.core.files.AtomicFile.write(beside, "the starting snapshot", out -> out.write(snap));
                    err.printf("starting snapshot: %s%n", beside);
                }
            }
        }
        c.store = store;
        c.eventLog = eventLog;
        c.bind = bind;
        c.port = port;
        c.token = token;
        c.throttle = throttle;
        c.processingRate = processingRate;
        GraphServer server = GraphServer.start(c);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (outSnapshot != null) {
                    server.writeSnapshot(outSnapshot);
                    System.err.println("licensim serve: wrote " + outSnapshot);
                }
            } finally {
                server.close();
                stopped.countDown();
            }
        }, "licensim-serve-stop"));
        if (!bind.equals("127.0.0.1") && !bind.equals("::1") && !bind.equals("localhost")) {
            err.printf("NOTE: listening on %s, not only on this machine: anyone who can reach it can read and change "
                    + "the simulated tenant%s.%n", bind, token == null ? " (no --token given)" : "");
        }
        GraphServer.Reopened again = server.reopened();
        if (again != null) {
            err.printf("licensim serve: reopened %s: %,d change%s replayed from its event log, %,d group licence job%s "
                    + "queued again%n", store, again.changes(), again.changes() == 1 ? "" : "s", again.groupJobs(),
                    again.groupJobs() == 1 ? "" : "s");
        }
        err.printf("licensim serve: %s (%,d users, %,d groups, %d products)%s%n", server.baseUrl(),
                server.engine().tenant().users().liveCount(), server.engine().tenant().groups().size(),
                server.engine().tenant().subscriptions().size(), store != null ? ", durable in " + store : "");
        err.flush();
        stopped.await();
        return 0;
    }
}
