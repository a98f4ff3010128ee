package org.licensim.core.directory;

import java.util.Arrays;

/** A single-valued string attribute of every user: one int code per user, values in a {@link Dictionary}. */
public final class StringColumn {
    private final String name;
    private final Dictionary dictionary;
    private int[] codes;

    StringColumn(String name, int capacity) {
        this.name = name;
        this.dictionary = new Dictionary();
        this.codes = new int[Math.max(16, capacity)];
        Arrays.fill(codes, Dictionary.NULL);
    }

    private StringColumn(StringColumn o) {
        this.name = o.name;
        this.dictionary = o.dictionary.copy();
        this.codes = o.codes.clone();
    }

    /** A copy that shares nothing mutable with this column. */
    StringColumn copy() {
        return new StringColumn(this);
    }

    public String name() {
        return name;
    }

    public Dictionary dictionary() {
        return dictionary;
    }

    public int code(int user) {
        return user < codes.length ? codes[user] : Dictionary.NULL;
    }

    public String get(int user) {
        return dictionary.value(code(user));
    }

    void set(int user, String value) {
        ensure(user);
        codes[user] = dictionary.intern(value);
    }

    private void ensure(int user) {
        if (user >= codes.length) {
            int old = codes.length;
            codes = Arrays.copyOf(codes, Math.max(user + 1, old * 3 / 2 + 16));
            Arrays.fill(codes, old, codes.length, Dictionary.NULL);
        }
    }
}
