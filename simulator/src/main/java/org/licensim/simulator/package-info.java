/**
 * The simulator, in four rooms, each importing only the ones before it:
 * {@link org.licensim.simulator.scenario} (what to simulate: scenario files, the shipped
 * scenarios, a real tenant with its churn), {@link org.licensim.simulator.population} (who is
 * in the tenant and how they change: synthetic people or a real tenant's, with fitted rates),
 * {@link org.licensim.simulator.run} (the day loop on a simulated clock, and what each day
 * recorded) and {@link org.licensim.simulator.capacity} (the Monte Carlo capacity plan, its
 * backtest, procurement advice and prices). May use core, the faker library, HdrHistogram and
 * Jackson; never the CLI, bench or reports.
 */
package org.licensim.simulator;
