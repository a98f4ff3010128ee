/**
 * licensim core: everything needed to resolve a tenant's licences. Knows nothing of the
 * simulator, benchmarks, reports or CLI. May use Eclipse Collections, Chronicle Map and Jackson.
 */
package org.licensim.core;
