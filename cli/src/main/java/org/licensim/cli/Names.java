package org.licensim.cli;

import org.licensim.core.directory.Tenant;

/**
 * User and group ids as people read them, from the tenant before the change (a user it creates
 * keeps its id): users by userPrincipalName, groups by display name, products and service plans
 * by Microsoft's names with the part number or internal name beside. Ids go to CSV and JSON; a
 * table shows a group's id only where its name would not tell it apart (no name, or a name
 * another live group has too).
 */
final class Names {
    private final Tenant t;
    /** Live groups per display name (lower case), built on first use. */
    private java.util.Map<String, Integer> groupsNamed;

    Names(Tenant t) {
        this.t = t;
    }

    String upn(String userId) {
        int u = t.users().indexOf(userId);
        return u < 0 ? null : t.users().get(u, "userPrincipalName");
    }

    String user(String userId) {
        String upn = upn(userId);
        return upn == null ? userId : upn;
    }

    String groupName(String groupId) {
        int g = t.groups().indexOf(groupId);
        String d = g < 0 ? null : t.groups().displayName(g);
        return d == null || d.isBlank() ? null : d;
    }

    /** {@code "Sales - Office 365 E3"}, quoted; {@code "Sales" (id)} when another live group is also named "Sales". */
    String group(String groupId) {
        String d = groupName(groupId);
        if (d == null || d.equals(groupId)) {
            return "\"" + groupId + "\"";
        }
        return sharedName(d) ? "\"" + d + "\" (" + groupId + ")" : "\"" + d + "\"";
    }

    private boolean sharedName(String displayName) {
        if (groupsNamed == null) {
            groupsNamed = new java.util.HashMap<>();
            var gs = t.groups();
            for (int g = 0; g < gs.size(); g++) {
                String d = gs.displayName(g);
                if (!gs.isDeleted(g) && d != null) {
                    groupsNamed.merge(d.toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                }
            }
        }
        return groupsNamed.getOrDefault(displayName.toLowerCase(java.util.Locale.ROOT), 0) > 1;
    }

    String product(String sku) {
        var p = t.catalog().findProduct(sku);
        return p == null ? null : p.displayName();
    }

    /** "Office 365 E3 (ENTERPRISEPACK)": a product by Microsoft's name with its part number, or the reference as given. */
    String productLabel(String sku) {
        org.licensim.core.catalog.Product p;
        try {
            p = sku == null ? null : t.catalog().findProduct(sku);
        } catch (org.licensim.core.LicensimException ambiguous) {
            p = null;
        }
        return p == null ? sku : p.label();
    }

    /** Each plan as {servicePlanId, servicePlanName, friendlyName} into {@code arr}. */
    static void planArray(com.fasterxml.jackson.databind.node.ArrayNode arr,
                          java.util.List<org.licensim.core.catalog.ServicePlan> plans) {
        for (var sp : plans) {
            arr.addObject().put("servicePlanId", sp.servicePlanId()).put("servicePlanName", sp.servicePlanName())
                    .put("friendlyName", sp.friendlyName() == null ? null : sp.friendlyName().strip());
        }
    }

    /** The plans' internal names, separated by ";" (a CSV cell). */
    static String planNames(java.util.List<org.licensim.core.catalog.ServicePlan> plans) {
        return String.join(";", plans.stream().map(org.licensim.core.catalog.ServicePlan::servicePlanName).toList());
    }

    /**
     * Service plans as {@link org.licensim.core.catalog.ServicePlan#label()} names them, from the
     * shipped catalog ("Microsoft 365 Apps for enterprise (OFFICESUBSCRIPTION)"); a name the
     * catalog does not know as it is.
     */
    String plans(java.util.List<String> names) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String n : names) {
            org.licensim.core.catalog.ServicePlan sp;
            try {
                sp = t.catalog().findPlan(n);
            } catch (org.licensim.core.LicensimException ambiguous) {
                sp = null;
            }
            out.add(sp == null ? n : sp.label());
        }
        return String.join(", ", out);
    }
}
