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
}
