/**
 * Microsoft Graph's licensing API over one simulated tenant ({@code licensim serve}, docs/SERVE.md).
 *
 * <p>{@link org.licensim.server.GraphServer} is the entry point (start, port, close);
 * {@link org.licensim.server.Tenancy} owns the engine, the one writer, the group-processing queue
 * and the event log (both kept in a {@link org.licensim.server.LineFile});
 * {@link org.licensim.server.GraphJson} is the one place Graph's JSON shapes are written, inside
 * {@link org.licensim.server.Envelope}'s; {@link org.licensim.server.Routes} sends Graph's URLs to
 * a class per resource ({@code SkuRoutes}, {@code UserRoutes}, {@code GroupRoutes},
 * {@code BatchRoute}) that share the tenancy and the JSON writer. May use core, simulator
 * (scenarios), Undertow and Jackson.
 */
package org.licensim.server;
