/**
 * Resolved per-user licence state: fixed-size int entries (one per source and product) behind
 * the {@link org.licensim.core.state.StateStore} interface; an on-heap primitive slab here, the
 * persisted Chronicle Map store next to it. Uses nothing but the JDK.
 */
package org.licensim.core.state;
