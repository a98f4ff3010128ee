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

    /** Whether the generator's current context is the top object (depth 1). */
    private static boolean top(JsonGenerator g) {
        JsonStreamContext parent = g.getOutputContext().getParent();
        return parent != null && parent.inRoot();
    }

    /** Whether the current context is an array or object directly in the top object (depth 2). */
    private static boolean inTop(JsonGenerator g) {
        JsonStreamContext parent = g.getOutputContext().getParent();
        if (parent == null || parent.inRoot()) {
            return false;
        }
        JsonStreamContext grand = parent.getParent();
        return grand != null && grand.inRoot();
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        if (top(g)) {
            g.writeRaw('\n');
        }
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(top(g) ? ",\n" : ",");
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        g.writeRaw(top(g) && entries > 0 ? "\n}" : "}");
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        if (inTop(g)) {
            g.writeRaw('\n');
        }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(inTop(g) ? ",\n" : ",");
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        g.writeRaw(inTop(g) && values > 0 ? "\n]" : "]");
    }
}
