package org.licensim.server;

/**
 * Graph's identity throttling, simplified (docs/SERVE.md, "Throttling"): each request costs
 * resource units (a single read 1, a collection 2, a write 3, as Graph's identity and access
 * limits count them), and at most {@code limit} units are spent per 10-second window for the whole
 * tenant; past that a request is answered 429 with {@code Retry-After}: the seconds until the
 * window ends. A limit of 0 switches it off.
 */
final class Throttle {
    static final long WINDOW_NANOS = 10_000_000_000L;
    private final int limit;
    private long windowStart = System.nanoTime();
    private long spent;

    Throttle(int limit) {
        this.limit = limit;
    }

    void charge(int units) {
        if (limit <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStart >= WINDOW_NANOS) {
                windowStart = now;
                spent = 0;
            }
            if (spent + units <= limit) {
                spent += units;
                return;
            }
            wait = WINDOW_NANOS - (now - windowStart);
        }
        int seconds = (int) Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
        throw new GraphError(429, "TooManyRequests", "Too many requests: the tenant's " + limit
                + " resource units per 10 seconds are spent. Retry after " + seconds + " seconds.", seconds);
    }
}
