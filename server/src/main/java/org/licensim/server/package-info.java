/**
 * Microsoft Graph's licensing API over one simulated tenant ({@code licensim serve}, docs/SERVE.md).
 *
 * <p>{@link org.licensim.server.GraphServer} is the entry point (start, port, close);
 * {@link org.licensim.server.Tenancy} owns the engine, the one writer, the group-processing queue
 * and the event log; {@link org.licensim.server.GraphJson} is the one place Graph's JSON shapes
 * are written; {@link org.licensim.server.Routes} maps Graph's URLs onto both. May use core,
 * simulator (scenarios), Undertow and Jackson.
 */
package org.licensim.server;
