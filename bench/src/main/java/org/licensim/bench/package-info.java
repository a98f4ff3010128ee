/**
 * JMH benchmarks and the peer implementations (plain JDK collections, an embedded SQL engine)
 * measured side by side with the engine. May use core, simulator and JMH. Empty until its
 * issue lands; the JMH annotation processor is already wired in this module's pom.
 */
package org.licensim.bench;
