/**
 * One user at a time, on scratch arrays, allocating nothing per user: the SPEC R10-R16 and
 * R18 rules per unit ({@link org.licensim.core.engine.resolve.UserResolver}: processUnit,
 * removeSource, finish), the user's entries with typed accessors
 * ({@link org.licensim.core.engine.resolve.Entries}), the plan rules compiled to one
 * {@code long} per source ({@link org.licensim.core.engine.resolve.RulePlans}), seats
 * ({@link org.licensim.core.engine.resolve.Seats}, the tenant's
 * {@link org.licensim.core.engine.resolve.SeatLedger}) and the feed diff of a user's change.
 * Uses directory, catalog, state, feed; nothing above it.
 */
package org.licensim.core.engine.resolve;
