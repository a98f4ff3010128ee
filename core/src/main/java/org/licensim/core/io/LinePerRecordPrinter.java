package org.licensim.core.io;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

/**
 * JSON laid out one record to a line: the top object's fields each on a line, each element of
 * a top-level array (a user, a product, a group) on a line of its own, everything inside a
 * record compact. Still one JSON document; a 1M-user state is a quarter smaller than indented
 * (every user's nested licences were a dozen indented lines) and {@code grep}, {@code head} and
 * a line-oriented diff see one user per line.
 */
final class LinePerRecordPrinter extends MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    /** 1 for the top object, 2 for an array or object in it, 3 for a record in such an array. */
    private static int depth(JsonGenerator g) {
        int d = 0;
        for (JsonStreamContext c = g.getOutputContext(); c != null && !c.inRoot(); c = c.getParent()) {
            d++;
        }
        return d;
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        if (depth(g) == 1) {
            g.writeRaw('\n');
        }
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(depth(g) == 1 ? ",\n" : ",");
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        g.writeRaw(depth(g) == 1 && entries > 0 ? "\n}" : "}");
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        if (depth(g) == 2) {
            g.writeRaw('\n');
        }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(depth(g) == 2 ? ",\n" : ",");
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        g.writeRaw(depth(g) == 2 && values > 0 ? "\n]" : "]");
    }
}
