package org.licensim.core.directory;

/**
 * The tenant (directory) itself.
 *
 * @param defaultCountry        ISO 3166 alpha-2; the usage location of users without one for
 *                              group-inherited licences (SPEC R15)
 * @param groupLicensingEnabled group-based licensing needs a paid directory plan (SPEC R22)
 * @param autoReprocess         retry failed demands as soon as seats are freed (SPEC R18)
 */
public record TenantSettings(String id, String displayName, String defaultCountry, boolean groupLicensingEnabled,
                             boolean autoReprocess) {
}
