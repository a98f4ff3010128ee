/**
 * The append-only change feed (SPEC section 3): LicenseAssigned, LicenseRemoved, PlansChanged,
 * ErrorRaised, ErrorCleared and group processing start/finish, stored column-wise so that
 * appending allocates nothing per change.
 */
package org.licensim.core.feed;
