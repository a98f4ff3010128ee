/**
 * What to simulate: a {@link org.licensim.simulator.scenario.Scenario} read and checked by
 * {@link org.licensim.simulator.scenario.ScenarioReader} (every problem with its JSON path), the
 * shipped ones ({@link org.licensim.simulator.scenario.Scenarios}, resources under
 * {@code scenario/shipped/}), or a real tenant: {@link org.licensim.simulator.scenario.TenantBase}
 * (a snapshot with its segments, groups and subscriptions' lifecycle) and its
 * {@link org.licensim.simulator.scenario.TenantChurn} from a churn file
 * ({@link org.licensim.simulator.scenario.ChurnReader}). The ground floor of the simulator: uses
 * core and Jackson only.
 */
package org.licensim.simulator.scenario;
