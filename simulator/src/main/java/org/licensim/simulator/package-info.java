/**
 * The simulator: scenario files ({@link org.licensim.simulator.ScenarioReader}, the shipped
 * {@link org.licensim.simulator.Scenarios}), synthetic people ({@code People}, datafaker pools),
 * and {@link org.licensim.simulator.Simulation}, which replays a scenario day by day as events
 * through the core engine and records {@link org.licensim.simulator.DayStats}. May use core, the
 * faker library, HdrHistogram and Jackson; never the CLI, bench or reports.
 */
package org.licensim.simulator;
