/**
 * The simulator (tenant generator, churn models, scenario files, replay on a simulated clock,
 * capacity planner). May use core and the faker library. Empty until its issue lands: the
 * module exists so that the build layout and dependency direction are fixed from day one.
 */
package org.licensim.simulator;
