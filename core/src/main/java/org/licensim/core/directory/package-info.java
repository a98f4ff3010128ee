/**
 * What a tenant is, in dense columnar form: settings, subscribed products with their seats,
 * users (one column per attribute, dictionary-coded), groups and memberships in both
 * directions, and licence assignments with disabled-plan bit masks. No per-user objects.
 * Uses the catalog package and Eclipse Collections.
 */
package org.licensim.core.directory;
