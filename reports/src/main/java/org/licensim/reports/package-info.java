/**
 * HTML and Markdown reports, charts and run-to-run comparison, from result files only (JMH
 * JSON, simulator results JSON): never the engine. Empty until its issue lands.
 */
package org.licensim.reports;
