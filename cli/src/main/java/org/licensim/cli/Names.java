package org.licensim.cli;

import org.licensim.core.directory.Tenant;

/** User and group ids as people read them, from the tenant before the change (a user it creates keeps its id). */
final class Names {
    private final Tenant t;

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

    String group(String groupId) {
        String d = groupName(groupId);
        return d == null || d.equals(groupId) ? "\"" + groupId + "\"" : "\"" + d + "\" (" + groupId + ")";
    }

    String product(String sku) {
        var p = t.catalog().findProduct(sku);
        return p == null ? null : p.displayName();
    }

    /**
     * Service plans by Microsoft's friendly name from the shipped catalog with the internal name
     * beside it ("Microsoft 365 Apps for enterprise (OFFICESUBSCRIPTION)"); a name the catalog does
     * not know, or whose friendly name is the same, as it is.
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
            String f = sp == null || sp.friendlyName() == null ? null : sp.friendlyName().strip();
            out.add(f == null || f.isEmpty() || f.equalsIgnoreCase(n) ? n : f + " (" + n + ")");
        }
        return String.join(", ", out);
    }
}
