/**
 * The capacity plan (how many seats to buy, and by when; docs/PLANNING.md), named apart from
 * the catalog's service plans: {@link org.licensim.simulator.capacity.CapacityPlanner} runs a
 * scenario N times and aggregates the runs into a
 * {@link org.licensim.simulator.capacity.CapacityPlan} with each figure's
 * {@link org.licensim.simulator.capacity.Precision} (its Monte Carlo error);
 * {@link org.licensim.simulator.capacity.Backtest} scores what it prints on held-out runs from
 * the same day 0, {@link org.licensim.simulator.capacity.Procurement} turns it into a purchase
 * schedule (with {@link org.licensim.simulator.capacity.Prices}),
 * {@link org.licensim.simulator.capacity.CapacitySettings} is the one path from runs to
 * plan.json for {@code plan} and the Spark job, {@link org.licensim.simulator.capacity.PlanOptions}
 * declares the options both take (a picocli mixin, the one place picocli is used here), and
 * {@link org.licensim.simulator.capacity.CapacityPlanWriter} writes it. Uses {@code run},
 * {@code scenario} and core.
 */
package org.licensim.simulator.capacity;
