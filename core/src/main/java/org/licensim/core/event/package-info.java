/**
 * Changes to a tenant (SPEC section 5 "Events"): one record type per event type, naming users,
 * groups, products and plans by their external ids as the JSON Lines feed does. Whether the
 * ids exist is decided when the event is applied (SPEC R22), not when it is read.
 */
package org.licensim.core.event;
