package org.licensim.core.directory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The user properties licensim stores, named as Microsoft Graph names them. The single place
 * that lists them: the snapshot reader, the event reader and (later) the rule language all
 * read this list. {@code extensionAttribute1..15} live under Graph's
 * {@code onPremisesExtensionAttributes} in JSON and are flat columns here.
 */
public final class UserSchema {
    /** Single-valued string properties, one dictionary-coded column each. */
    public static final List<String> STRING_PROPERTIES;
    /** Multi-valued string properties (offsets + values layout). */
    public static final List<String> MULTI_PROPERTIES = List.of("proxyAddresses", "otherMails");
    public static final String EXTENSION_ATTRIBUTES = "onPremisesExtensionAttributes";
    /**
     * The single-valued properties whose values are (nearly) one per user: identities, names and
     * numbers. Their columns keep strings until a rule asks for codes ({@link StringColumn}).
     */
    public static final java.util.Set<String> UNIQUE_VALUED = java.util.Set.of("userPrincipalName", "displayName", "mail",
            "mailNickname", "employeeId", "mobile", "telephoneNumber", "facsimileTelephoneNumber", "sipProxyAddress",
            "onPremisesSecurityIdentifier", "onPremisesDistinguishedName", "onPremisesSamAccountName", "streetAddress");

    static {
        List<String> p = new ArrayList<>(List.of("userPrincipalName", "displayName", "givenName", "surname", "mail",
                "mailNickname", "department", "jobTitle", "country", "city", "state", "streetAddress", "postalCode",
                "companyName", "employeeId", "employeeType", "userType", "physicalDeliveryOfficeName",
                "preferredLanguage", "mobile", "telephoneNumber", "facsimileTelephoneNumber", "sipProxyAddress",
                "onPremisesSecurityIdentifier", "onPremisesDistinguishedName", "onPremisesSamAccountName",
                "employeeHireDate"));
        for (int i = 1; i <= 15; i++) {
            p.add("extensionAttribute" + i);
        }
        STRING_PROPERTIES = Collections.unmodifiableList(p);
    }

    private UserSchema() {
    }

    /**
     * Whether {@code name} has the form of a directory extension property,
     * {@code extension_<app id: 32 hex digits>_<name: letters, digits, _>} (checked by hand: an
     * attribute change asks this for every property it carries, and must not allocate).
     */
    public static boolean isDirectoryExtension(String name) {
        if (!name.startsWith("extension_") || name.length() < 44 || name.charAt(42) != '_') {
            return false;
        }
        for (int i = 10; i < 42; i++) {
            if (Character.digit(name.charAt(i), 16) < 0) {
                return false;
            }
        }
        for (int i = 43; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    public static boolean isExtensionAttribute(String name) {
        return name.startsWith("extensionAttribute") && STRING_PROPERTIES.contains(name);
    }
}
