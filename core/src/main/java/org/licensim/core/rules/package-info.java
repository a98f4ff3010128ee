/**
 * The dynamic membership rule language of Entra ID for users (SPEC section 4): parsing with
 * errors that name the column, the token found and what was expected; compilation to a
 * predicate over the columnar {@link org.licensim.core.directory.Users} store (dictionary codes,
 * no string comparison per user for -eq/-in, precompiled regular expressions); and
 * {@link org.licensim.core.rules.RuleMembership}, the rule-driven
 * {@link org.licensim.core.rules.DynamicMembership} the engine is given. Uses directory only.
 */
package org.licensim.core.rules;
