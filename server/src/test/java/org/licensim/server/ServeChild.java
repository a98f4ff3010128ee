package org.licensim.server;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server in its own JVM, for the kill -9 test: {@code STORE SNAPSHOT PROCESSING_RATE PORT_FILE}.
 * Writes its port to PORT_FILE, prints READY, and serves until killed.
 */
public final class ServeChild {
    private ServeChild() {
    }

    public static void main(String[] args) throws Exception {
        ServeConfig c = new ServeConfig();
        c.store = Path.of(args[0]);
        c.snapshot = Files.readAllBytes(Path.of(args[1]));
        c.source = "test tenant";
        c.processingRate = Double.parseDouble(args[2]);
        c.port = 0;
        GraphServer s = GraphServer.start(c);
        Files.writeString(Path.of(args[3]), Integer.toString(s.port()));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
