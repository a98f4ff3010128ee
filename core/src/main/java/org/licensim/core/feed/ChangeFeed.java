package org.licensim.core.feed;

import java.util.Arrays;

/**
 * The append-only change feed (SPEC section 3), column-wise: one primitive array per field,
 * so that appending a change allocates nothing (the columns double now and then). Each change
 * names the user, the tenant product, the source (group index, or {@code -(product+1)} for a
 * direct assignment), the state before and after, the sequence number of the event that
 * caused it and its time (seconds since 2000-01-01T00:00Z). Group processing records use
 * {@code user} = -1, {@code source} = the group, {@code before} = users succeeded and
 * {@code after} = users failed.
 */
public final class ChangeFeed {
    /** Kinds of change, in the order of SPEC section 3. */
    public enum Kind {
        LicenseAssigned, LicenseRemoved, PlansChanged, ErrorRaised, ErrorCleared, GroupProcessingStarted,
        GroupProcessingFinished
    }

    private static final Kind[] KINDS = Kind.values();
    private byte[] kind = new byte[256];
    private int[] user = new int[256];
    private int[] product = new int[256];
    private int[] source = new int[256];
    private int[] before = new int[256];
    private int[] after = new int[256];
    private long[] cause = new long[256];
    private int[] time = new int[256];
    private int size;
    private boolean enabled = true;

    /** Turns recording off (a benchmark of the resolver alone) or on. */
    public void setEnabled(boolean on) {
        enabled = on;
    }

    /** Whether {@link #append} records (a disabled feed drops every change). */
    public boolean isEnabled() {
        return enabled;
    }

    public void append(Kind k, int u, int p, int src, int b, int a, long causeSeq, int t) {
        if (!enabled) {
            return;
        }
        if (size == kind.length) {
            int cap = size * 2;
            kind = Arrays.copyOf(kind, cap);
            user = Arrays.copyOf(user, cap);
            product = Arrays.copyOf(product, cap);
            source = Arrays.copyOf(source, cap);
            before = Arrays.copyOf(before, cap);
            after = Arrays.copyOf(after, cap);
            cause = Arrays.copyOf(cause, cap);
            time = Arrays.copyOf(time, cap);
        }
        kind[size] = (byte) k.ordinal();
        user[size] = u;
        product[size] = p;
        source[size] = src;
        before[size] = b;
        after[size] = a;
        cause[size] = causeSeq;
        time[size] = t;
        size++;
    }

    public int size() {
        return size;
    }

    /** Forgets every change (after a consumer has read them). */
    public void clear() {
        size = 0;
    }

    public Kind kind(int i) {
        return KINDS[kind[i]];
    }

    public int user(int i) {
        return user[i];
    }

    public int product(int i) {
        return product[i];
    }

    public int source(int i) {
        return source[i];
    }

    public int before(int i) {
        return before[i];
    }

    public int after(int i) {
        return after[i];
    }

    public long cause(int i) {
        return cause[i];
    }

    public int time(int i) {
        return time[i];
    }
}
