/**
 * A real tenant from a Microsoft Graph export: paged responses as saved, read into a snapshot
 * ({@link org.licensim.core.graph.GraphImport}), and the fidelity check of licensim's resolved
 * state against the states Graph reported. Uses io, engine, state, directory, catalog, files.
 */
package org.licensim.core.graph;
