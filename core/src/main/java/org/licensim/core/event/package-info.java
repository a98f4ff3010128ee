/**
 * Changes to a tenant (SPEC section 5 "Events"): one record type per event type, naming users,
 * groups, products and plans by their external ids as the JSON Lines feed does. Whether the
 * ids exist is decided when the event is applied (SPEC R22), not when it is read. Each record
 * names its {@link org.licensim.core.event.Event.Kind} (the types in the feed's order) and hands
 * itself to an {@link org.licensim.core.event.Event.Handler} (one method per type), so a new
 * type does not compile until the feed's reader and writer and the engine's handlers know it.
 */
package org.licensim.core.event;
