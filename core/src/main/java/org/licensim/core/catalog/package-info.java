/**
 * The product and service-plan catalog: Microsoft's public CSV (shipped as a resource) and
 * licensim's own plan rules (conflicts, prerequisites, prohibited countries, proxy-address
 * uniqueness), both loaded into dense int indexes. Uses only Jackson and Eclipse Collections.
 */
package org.licensim.core.catalog;
