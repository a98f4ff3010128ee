package org.licensim.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;

/** Graph's envelopes around what a route writes: an entity with its {@code @odata.context}, a collection's page. */
final class Envelope {
    private Envelope() {
    }

    @FunctionalInterface
    interface Body {
        void write(GraphJson.Doc d) throws IOException;
    }

    @FunctionalInterface
    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Body b) {
        GraphJson.Doc d = new GraphJson.Doc();
        try {
            b.write(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d.done();
    }

    /** An entity: the object {@code fields} writes, with {@code @odata.context} first. */
    static byte[] entity(String context, Fields fields) {
        byte[] one = write(e -> fields.write(e.g));
        return write(d -> {
            d.g.writeStartObject();
            d.g.writeStringField("@odata.context", context);
            if (one.length > 2) {
                d.g.writeRaw(',');
                d.g.writeRaw(new String(one, 1, one.length - 2, StandardCharsets.UTF_8));
            }
            d.g.writeEndObject();
        });
    }

    static void collectionStart(JsonGenerator g, String context, Long count) throws IOException {
        g.writeStartObject();
        g.writeStringField("@odata.context", context);
        if (count != null) {
            g.writeNumberField("@odata.count", count);
        }
        g.writeArrayFieldStart("value");
    }

    static void collectionEnd(JsonGenerator g, String nextLink) throws IOException {
        g.writeEndArray();
        if (nextLink != null) {
            g.writeStringField("@odata.nextLink", nextLink);
        }
        g.writeEndObject();
    }
}
