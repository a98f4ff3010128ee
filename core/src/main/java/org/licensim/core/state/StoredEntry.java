package org.licensim.core.state;

/**
 * One decoded entry of a persisted store, for readers without a tenant ({@code licensim state}):
 * source, product, packed state and error, R11 key, time, and the enabled plans as words of 64.
 */
public record StoredEntry(int src, int product, int state, long key, int time, long[] enabled) {
    /** Whether two entries say the same thing (the plan words compared by value). */
    public boolean sameAs(StoredEntry o) {
        return src == o.src && product == o.product && state == o.state && key == o.key && time == o.time
                && java.util.Arrays.equals(enabled, o.enabled);
    }
}
