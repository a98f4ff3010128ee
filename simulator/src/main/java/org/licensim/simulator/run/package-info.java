/**
 * One run of a scenario: {@link org.licensim.simulator.run.Simulation} (the day loop: day 0,
 * a synthetic one made by {@code DayZero}, then each day's dated changes from the {@code Schedule} and churn from the population, as
 * events through the engine, on the simulated {@code Clock}), the {@code Recorder} that keeps
 * each day as {@link org.licensim.simulator.run.DayStats} and the whole as
 * {@link org.licensim.simulator.run.SimulationResult}, and
 * {@link org.licensim.simulator.run.ResultsWriter} (days.csv, summary.json), and {@code DeepCopy}
 * (a day-0 simulation copied for each run of a plan with a fixed day 0). Uses
 * {@code population}, {@code scenario}, core and HdrHistogram.
 */
package org.licensim.simulator.run;
