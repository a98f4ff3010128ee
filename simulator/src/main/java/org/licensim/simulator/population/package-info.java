/**
 * Who is in the tenant and how they change: {@link org.licensim.simulator.population.Rng} (the
 * only randomness), {@link org.licensim.simulator.population.People} (datafaker name pools,
 * departments, countries), the people of a synthetic scenario
 * ({@link org.licensim.simulator.population.SyntheticPopulation}: its starting snapshot, the
 * day's churn by kind) or of a real tenant
 * ({@link org.licensim.simulator.population.TenantPopulation}, its calendar drawn per run by
 * {@code CalendarDraw}, with rates from a churn file or
 * fitted from history or audits by {@link org.licensim.simulator.population.ChurnFit}). Every
 * change goes out as an event through {@link org.licensim.simulator.population.EventActions}.
 * Uses {@code scenario}, core, datafaker and Jackson.
 */
package org.licensim.simulator.population;
