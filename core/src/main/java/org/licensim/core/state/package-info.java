/**
 * Resolved per-user licence state: fixed-size int entries (one per source and product) behind
 * the {@link org.licensim.core.state.StateStore} interface; an on-heap primitive slab
 * ({@link org.licensim.core.state.HeapStateStore}) and the persisted store on Chronicle Map
 * ({@link org.licensim.core.state.ChronicleStateStore}: manifest, CRC per value, commit record,
 * undo log; docs/STORE.md). Uses directory and catalog (to size and describe a store), files,
 * Chronicle Map, Jackson (the manifest) and Eclipse Collections.
 */
package org.licensim.core.state;
