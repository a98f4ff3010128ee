package org.licensim.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.licensim.core.LicensimException;
import org.licensim.core.engine.Engine;
import org.licensim.core.files.AtomicFile;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;

/**
 * {@code licensim serve}: Microsoft Graph's licensing API over one tenant, on Undertow. Start it
 * with {@link #start(ServeConfig)}; {@link #port()} and {@link #baseUrl()} say where it listens,
 * {@link #close()} stops it. The routes are in {@link Routes}, the tenant and its one writer in
 * {@link Tenancy}. Besides Graph's routes under {@code /v1.0}, {@code GET /licensim/snapshot}
 * answers the tenant as it is now (a snapshot with its resolved state).
 */
public final class GraphServer implements AutoCloseable {
    static {
        // Undertow logs through JBoss Logging: to SLF4J, as Chronicle does, so that licensim's one logging setup
        // (warnings only) applies, instead of java.util.logging's INFO lines on every start
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
    }

    private final Undertow undertow;
    private final Tenancy tenancy;
    private final Routes routes;
    private final ServeConfig config;
    private final int port;

    private GraphServer(ServeConfig config, Tenancy tenancy) {
        this.config = config;
        this.tenancy = tenancy;
        this.routes = new Routes(tenancy, new Throttle(config.throttle));
        int cores = Runtime.getRuntime().availableProcessors();
        Undertow.Builder b = Undertow.builder()
                .addHttpListener(config.port, config.bind)
                .setIoThreads(config.ioThreads > 0 ? config.ioThreads : Math.max(1, cores))
                .setWorkerThreads(config.workerThreads > 0 ? config.workerThreads : 8 * Math.max(1, cores))
                // no MAX_ENTITY_SIZE: Undertow would answer an oversized body itself (an empty 400); the handler reads
                // at most the limit and answers 413 in Graph's envelope
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
                .setHandler(new Handler());
        this.undertow = b.build();
        undertow.start();
        this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Loads the tenant (replaying a store's log), starts the writer and listens. */
    public static GraphServer start(ServeConfig config) {
        Tenancy t = open(config);
        try {
            return new GraphServer(config, t);
        } catch (RuntimeException e) {
            t.close();
            if (e.getCause() instanceof java.net.BindException || e.getCause() instanceof IOException) {
                throw new LicensimException("cannot listen on " + config.bind + ":" + config.port + ": "
                        + e.getCause().getMessage());
            }
            throw e;
        }
    }

    private static Tenancy open(ServeConfig c) {
        try {
            if (c.store != null) {
                if (Files.exists(c.store) && !Files.isDirectory(c.store)) {
                    throw new LicensimException("--store " + c.store + " is a file: a store is a directory (give a new "
                            + "directory's name, or one an earlier `licensim serve --store` made)");
                }
                Files.createDirectories(c.store);
                Path snap = c.store.resolve("snapshot.json");
                Path source = c.store.resolve("source.txt");
                byte[] snapshot = c.snapshot;
                boolean servedBefore = Files.exists(snap);
                if (servedBefore) {
                    String was = Files.exists(source) ? Files.readString(source).trim() : "";
                    if (!was.equals(c.source)) {
                        throw new LicensimException(c.store + " was made from " + (was.isEmpty() ? "something else"
                                : was) + ", not from " + c.source + ": give the same tenant as before, or a new --store");
                    }
                    snapshot = Files.readAllBytes(snap);
                } else {
                    if (snapshot == null) {
                        throw new LicensimException("no tenant to serve");
                    }
                    byte[] s = snapshot;
                    AtomicFile.write(snap, "starting snapshot", out -> out.write(s));
                    AtomicFile.write(source, "store source", out -> out.write((c.source + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
                }
                Path log = c.store.resolve("events.jsonl");
                LineFile.truncateToLastLine(log);
                Tenancy.Loaded loaded = Tenancy.load(snapshot, snap.toString(), log);
                Tenancy t = new Tenancy(loaded.engine(), new Tenancy.EventLog(log, true), new GroupQueue(
                        c.store.resolve("group-queue.jsonl")), c.processingRate);
                t.reopened = servedBefore ? new Reopened(loaded.replayed(), t.resumedGroupJobs) : null;
                return t;
            }
            Engine engine = Tenancy.load(c.snapshot, c.source, null).engine();
            return new Tenancy(engine, c.eventLog == null ? null : new Tenancy.EventLog(c.eventLog, false), null,
                    c.processingRate);
        } catch (IOException e) {
            throw new LicensimException("cannot open " + (c.store != null ? c.store : c.eventLog) + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://HOST:PORT/v1.0}: what a Graph client's base URL is set to. */
    public String baseUrl() {
        String host = config.bind.contains(":") ? "[" + config.bind + "]" : config.bind;
        return "http://" + host + ":" + port + "/v1.0";
    }

    /** Writes the tenant as it is now to {@code file} (replaced atomically). */
    public void writeSnapshot(Path file) {
        AtomicFile.write(file, "snapshot", tenancy::writeSnapshot);
    }

    /** The engine being served (read it only between requests, e.g. in tests). */
    public Engine engine() {
        return tenancy.engine;
    }

    /**
     * What a store that served before held when this server opened it: the changes of its event
     * log replayed onto its starting snapshot, and the group licence jobs accepted then and not
     * finished, queued again.
     */
    public record Reopened(long changes, int groupJobs) {
    }

    /** What the server took up again from its {@code --store} ({@link Reopened}); null for a new store or none. */
    public Reopened reopened() {
        return tenancy.reopened;
    }

    /** Group licence jobs accepted and not yet processed. */
    public int pendingGroupJobs() {
        return tenancy.pendingGroupJobs();
    }

    @Override
    public void close() {
        undertow.stop();
        tenancy.close();
    }

    /** Undertow's side: reads the request on a worker thread, checks the token, routes, writes the answer. */
    private final class Handler implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange ex) {
            String path = ex.getRequestPath();
            // a GET has no body to wait for: answered on the I/O thread, without a hand-over to a worker (reads
            // only wait for the read lock, held by the writer for the time one change takes)
            boolean get = ex.getRequestMethod().equalToString("GET") && !path.equals("/licensim/snapshot");
            if (ex.isInIoThread() && !get) {
                ex.dispatch(this);
                return;
            }
            if (!ex.isInIoThread()) {
                ex.startBlocking();
            }
            Routes.Response resp;
            Map<String, String> headers = new LinkedHashMap<>();
            for (HeaderValues h : ex.getRequestHeaders()) {
                headers.put(h.getHeaderName().toString().toLowerCase(Locale.ROOT), h.getFirst());
            }
            Map<String, String> query = new LinkedHashMap<>();
            for (Map.Entry<String, Deque<String>> q : ex.getQueryParameters().entrySet()) {
                query.put(q.getKey(), q.getValue().peekFirst());
            }
            String base = ex.getRequestScheme() + "://" + ex.getHostAndPort() + "/v1.0";
            Routes.Request bare = new Routes.Request(ex.getRequestMethod().toString(), path, ex.getQueryString(), query,
                    headers, null, base);
            try {
                byte[] body = get ? null : readBody(ex);
                Routes.Request r = new Routes.Request(bare.method(), path, bare.rawQuery(), query, headers, body, base);
                if (path.equals("/licensim/snapshot") && r.method().equals("GET")) {
                    authorize(r);
                    snapshot(ex);
                    return;
                }
                if (!path.startsWith("/v1.0/") && !path.equals("/v1.0")) {
                    throw Routes.unknown(path);
                }
                authorize(r);
                resp = routes.handle(new Routes.Request(r.method(), path.substring("/v1.0".length()), r.rawQuery(),
                        query, headers, body, base));
            } catch (GraphError e) {
                resp = errorResponse(e, bare);
            } catch (RuntimeException e) {
                System.err.println("licensim serve: " + ex.getRequestMethod() + " " + path + ": " + e);
                resp = errorResponse(new GraphError(500, "generalException", "An internal error occurred."), bare);
            }
            send(ex, resp);
        }

        private Routes.Response errorResponse(GraphError e, Routes.Request r) {
            String id = java.util.UUID.randomUUID().toString();
            String client = r.header("client-request-id");
            Routes.Response resp = Routes.Response.json(e.status, GraphJson.error(e.code, e.getMessage(), id,
                    client != null ? client : id));
            resp.headers().put("request-id", id);
            if (e.retryAfter > 0) {
                resp.headers().put("Retry-After", Integer.toString(e.retryAfter));
            }
            return resp;
        }

        private byte[] readBody(HttpServerExchange ex) {
            long declared = ex.getRequestContentLength();
            if (declared > config.maxBodyBytes) {
                throw tooLarge();
            }
            try (InputStream in = ex.getInputStream()) {
                byte[] b = in.readNBytes(config.maxBodyBytes + 1);
                if (b.length > config.maxBodyBytes) {
                    throw tooLarge();
                }
                return b;
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().contains("UT000020")) {
                    throw tooLarge(); // Undertow's own limit on the entity size
                }
                throw GraphError.badRequest("The request body could not be read: " + e.getMessage());
            }
        }

        private GraphError tooLarge() {
            return new GraphError(413, "RequestEntityTooLarge", "The request body is larger than the "
                    + config.maxBodyBytes + " bytes this server accepts.");
        }

        private void authorize(Routes.Request r) {
            if (config.token == null) {
                return;
            }
            String h = r.header("authorization");
            if (h == null || h.isBlank()) {
                throw new GraphError(401, "InvalidAuthenticationToken", "Access token is empty.");
            }
            if (!h.regionMatches(true, 0, "Bearer ", 0, 7) || !h.substring(7).trim().equals(config.token)) {
                throw new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure.");
            }
        }

        private void snapshot(HttpServerExchange ex) {
            ex.setStatusCode(200);
            ex.getResponseHeaders().put(HttpString.tryFromString("Content-Type"), "application/json");
            try (OutputStream out = ex.getOutputStream()) {
                tenancy.writeSnapshot(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void send(HttpServerExchange ex, Routes.Response resp) {
            ex.setStatusCode(resp.status());
            for (Map.Entry<String, String> h : resp.headers().entrySet()) {
                ex.getResponseHeaders().put(HttpString.tryFromString(h.getKey()), h.getValue());
            }
            if (resp.body() != null) {
                if (!resp.headers().containsKey("Content-Type")) { // a route's own type (text: /$count) stays
                    ex.getResponseHeaders().put(HttpString.tryFromString("Content-Type"), "application/json;"
                            + "odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");
                }
                ex.getResponseSender().send(ByteBuffer.wrap(resp.body()));
            } else {
                ex.endExchange();
            }
        }
    }
}
