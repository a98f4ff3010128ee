/**
 * Planning tools that run the engine on copies of a tenant before anything is changed:
 * {@link org.licensim.core.planning.WhatIf} (any change, compared), the rule-edit preview,
 * the migration from direct to group-based licensing and the product switch, each checked by
 * simulating its own steps. Uses engine, rules, state, event, directory, catalog.
 */
package org.licensim.core.planning;
