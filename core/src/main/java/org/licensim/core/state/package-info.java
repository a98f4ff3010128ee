/**
 * The store family: resolved per-user licence state as fixed-size int entries (one per source
 * and product) behind {@link org.licensim.core.state.StateStore}, which also says what a store can
 * do (totals, concurrent reads, its source). The on-heap slab
 * ({@link org.licensim.core.state.HeapStateStore}), the persisted store on Chronicle Map
 * ({@link org.licensim.core.state.ChronicleStateStore}, split by job with
 * {@link org.licensim.core.state.StoreOpening}, {@link org.licensim.core.state.StoreValues} and
 * {@link org.licensim.core.state.StoreGrowth}: manifest, CRC per value, commit record, undo log;
 * docs/STORE.md), the decorator {@link org.licensim.core.state.TalliedStore}, and a persisted
 * run's lifecycle ({@link org.licensim.core.state.StoreSession}). Uses directory and catalog (to
 * size and describe a store), files, Chronicle Map, Jackson (the manifest), Eclipse Collections
 * and RoaringBitmap.
 */
package org.licensim.core.state;
