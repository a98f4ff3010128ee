package org.licensim.core.directory;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/**
 * Interns the distinct values of one attribute as dense int codes, so that a column stores
 * ints and {@code -eq} compiles to an int comparison. Code -1 stands for null.
 */
public final class Dictionary {
    public static final int NULL = -1;
    private final ObjectIntHashMap<String> codes = new ObjectIntHashMap<>();
    private final List<String> values = new ArrayList<>();

    /** The code of {@code value}, adding it when new; null maps to {@link #NULL}. */
    public int intern(String value) {
        if (value == null) {
            return NULL;
        }
        int code = codes.getIfAbsent(value, NULL);
        if (code == NULL) {
            code = values.size();
            codes.put(value, code);
            values.add(value);
        }
        return code;
    }

    /** The code of {@code value}, or {@link #NULL} when it was never interned. */
    public int find(String value) {
        return value == null ? NULL : codes.getIfAbsent(value, NULL);
    }

    public String value(int code) {
        return code == NULL ? null : values.get(code);
    }

    public int size() {
        return values.size();
    }
}
