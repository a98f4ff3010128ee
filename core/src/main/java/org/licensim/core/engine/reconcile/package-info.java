/**
 * The full reconcile (snapshot in, state out) with the SPEC R11 pass's result: phase 1 in
 * parallel on one worker per core (a fast path for users whose sources cannot fail), and the
 * seat strategies behind one interface ({@link org.licensim.core.engine.reconcile.SeatStrategy}),
 * chained per {@link org.licensim.core.engine.reconcile.ShortSeats}; the path taken is a
 * {@link org.licensim.core.engine.reconcile.ReconcilePath}. Uses engine.resolve, directory,
 * state; not the engine facade above it.
 */
package org.licensim.core.engine.reconcile;
