/**
 * The resolver's facade: {@link org.licensim.core.engine.Engine} ({@code reconcile()},
 * {@code apply(Event)}, queries), built in one place by
 * {@link org.licensim.core.engine.EngineBuilder} (on the heap, or persisted through a
 * {@link org.licensim.core.state.StoreSession}), run through one door for both
 * ({@link org.licensim.core.engine.EngineRun}). Owns the event handlers (one per SPEC event
 * type), the request checks and the words of every refusal
 * ({@link org.licensim.core.engine.Rejection} with its reason kind), and the tenant
 * {@link org.licensim.core.engine.Summary}. The rules per user live in {@code engine.resolve},
 * the full reconcile in {@code engine.reconcile}. Uses those two, rules (dynamic membership),
 * state, feed, event, directory, catalog.
 */
package org.licensim.core.engine;
