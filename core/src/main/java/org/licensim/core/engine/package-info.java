/**
 * The resolver: applies SPEC R1-R22 to a {@link org.licensim.core.directory.Tenant}, either all at
 * once ({@link org.licensim.core.engine.Engine#reconcile()}) or one event at a time
 * ({@link org.licensim.core.engine.Engine#apply}), writing per-user state to a
 * {@link org.licensim.core.state.StateStore} and every change to a
 * {@link org.licensim.core.feed.ChangeFeed}. Hot paths work on primitive scratch arrays and
 * allocate nothing per user. Uses directory, catalog, state, feed, event.
 */
package org.licensim.core.engine;
