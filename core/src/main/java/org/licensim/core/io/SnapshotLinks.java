package org.licensim.core.io;

import java.util.ArrayList;
import java.util.List;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Assignments;
import org.licensim.core.io.SnapshotReader.RawAssignment;

/**
 * The second pass of {@link SnapshotReader}: once every section is read, what refers to what
 * (group members, assignments, users' prior states) is looked up, checked and linked, with each
 * problem at the line and path it was read at; R24 states no accepted history reaches are
 * refused or, in an import, listed.
 */
final class SnapshotLinks {
    private final SnapshotReader.Session snap;

    SnapshotLinks(SnapshotReader.Session snap) {
        this.snap = snap;
    }

    void resolveMembers() {
        for (int i = 0; i < snap.pendingGroup.size(); i++) {
            String m = snap.pendingMember.get(i);
            if (!snap.addMember(snap.pendingGroup.get(i), m)) {
                snap.problems.at(snap.pendingWhere.get(i), "member \"" + m + "\" of group \""
                        + snap.dir.groups().id(snap.pendingGroup.get(i)) + "\" is neither a user nor a group of this snapshot");
            }
        }
    }

    /**
     * SPEC R24: a state no history of accepted events reaches is refused with the message the
     * event would get, or, in a snapshot that says {@code "unreachableStates": "report"} (an
     * import of a real tenant), loaded as it is and listed.
     */
    void unreachable(Problems.Where where, String message) {
        if (snap.reportUnreachable) {
            snap.unreachable.add((where.path() != null ? where.path() : "line " + where.line()) + ": " + message);
        } else {
            snap.problems.at(where, message);
        }
    }

    /** R24/R14: every group's own enabled plans must satisfy the prerequisites of its add-ons. */
    void checkGroupPrerequisites(java.util.Map<Integer, Problems.Where> groupWheres) {
        groupWheres.forEach((g, where) -> {
            java.util.Set<Integer> enabled = new java.util.HashSet<>();
            for (Assignments.License l : snap.assignments.ofGroup(g)) {
                int[] plans = snap.subs.product(l.product()).plans();
                for (int k = 0; k < plans.length; k++) {
                    if (snap.masks.has(l.enabled(), k)) {
                        enabled.add(plans[k]);
                    }
                }
            }
            List<Integer> missing = snap.rules.unmet(enabled);
            if (!missing.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (int plan : missing) {
                    sb.append(sb.length() > 0 ? "; " : "").append(snap.rules.requirement(plan, snap.catalog));
                }
                unreachable(where, "license operation failed for group \"" + snap.dir.groups().nameOf(g) + "\": " + sb
                        + "; the group must have the prerequisite services itself (SPEC R14, R24)");
            }
        });
    }

    void resolveAssignments() {
        java.util.Map<Integer, Problems.Where> groupWheres = new java.util.TreeMap<>();
        for (RawAssignment a : snap.rawAssignments) {
            if ((a.userId == null) == (a.groupId == null)) {
                snap.problems.at(a.where(), "an assignment needs exactly one of \"userId\" and \"groupId\"");
                continue;
            }
            if (a.sku == null) {
                snap.problems.at(a.where(), "an assignment needs a \"skuId\" (GUID or part number)");
                continue;
            }
            int target = a.userId != null ? snap.dir.users().indexOf(a.userId) : snap.dir.groups().indexOf(a.groupId);
            if (target < 0) {
                snap.problems.at(a.targetWhere(), (a.userId != null ? "unknown user \"" + a.userId
                        : "unknown group \"" + a.groupId) + "\": not in this snapshot's "
                        + (a.userId != null ? "users" : "groups"));
                continue;
            }
            Product product = snap.product(a.sku, a.skuWhere());
            if (product == null) {
                continue;
            }
            int t = snap.subs.indexOf(product);
            if (t < 0) {
                snap.problems.at(a.skuWhere(), "product " + product.skuPartNumber() + " (" + product.skuId()
                        + ") is not among the tenant's subscribedSkus");
                continue;
            }
            long[] disabled = new long[snap.subs.words(t)];
            boolean ok = true;
            for (int i = 0; i < a.disabled.size(); i++) {
                String ref = a.disabled.get(i);
                if (ref == null) {
                    ok = false;
                    continue;
                }
                int local;
                try {
                    local = snap.catalog.findPlanInProduct(product, ref);
                } catch (LicensimException e) {
                    snap.problems.at(a.disabledWheres.get(i), e.getMessage());
                    ok = false;
                    continue;
                }
                if (local < 0) {
                    snap.problems.at(a.disabledWheres.get(i), "disabled plan \"" + ref
                            + "\" is not a plan of product " + product.skuPartNumber() + "; its plans are: "
                            + String.join(", ", snap.catalog.planNames(product)));
                    ok = false;
                    continue;
                }
                disabled[local >>> 6] |= 1L << local;
            }
            if (!ok) {
                continue;
            }
            Assignments.License license = new Assignments.License(t, disabled, snap.masks.internEnabled(snap.subs, t, disabled),
                    a.order);
            if (a.userId != null) {
                if (snap.assignments.findDirect(target, t) != null) {
                    snap.problems.at(a.where(), "user \"" + a.userId + "\" is assigned " + product.skuPartNumber() + " twice");
                    continue;
                }
                if (snap.dir.users().usageLocationCode(target) == org.licensim.core.directory.Dictionary.NULL) {
                    unreachable(a.where(), "user \"" + snap.dir.users().nameOf(target) + "\" has no usageLocation: a licence cannot be "
                            + "assigned directly until one is set (SPEC R15, R24)");
                    if (!snap.reportUnreachable) {
                        continue;
                    }
                }
                snap.assignments.putDirect(target, license);
            } else {
                if (snap.assignments.findGroupLicense(target, t) != null) {
                    snap.problems.at(a.where(), "group \"" + a.groupId + "\" is assigned " + product.skuPartNumber() + " twice");
                    continue;
                }
                if (snap.settings != null && !snap.settings.groupLicensingEnabled()) {
                    snap.problems.at(a.where(), "group \"" + a.groupId + "\" is assigned " + product.skuPartNumber()
                            + " but the tenant has groupLicensingEnabled false (group-based licensing needs a paid "
                            + "directory plan; SPEC R22)");
                    continue;
                }
                if (!snap.dir.groups().securityEnabled(target)) {
                    unreachable(a.where(), "group \"" + snap.dir.groups().nameOf(target) + "\" is not a security group (securityEnabled "
                            + "false): only security groups can be assigned products (SPEC R8, R24)");
                    if (!snap.reportUnreachable) {
                        continue;
                    }
                }
                snap.assignments.putGroupLicense(target, license);
                groupWheres.putIfAbsent(target, a.where());
            }
        }
        checkGroupPrerequisites(groupWheres);
    }

    /** Turns the users' licenseAssignmentStates into state-store entries (null when none were given). */
    org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]> resolveStates() {
        if (snap.rawStates.isEmpty()) {
            return null;
        }
        var out = new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]>();
        int[] users = snap.rawStates.keySet().toSortedArray();
        for (int u : users) {
            List<int[]> entries = new ArrayList<>();
            for (JsonFields.RawState r : snap.rawStates.get(u)) {
                int[] e = stateEntry(u, r);
                if (e == null) {
                    continue;
                }
                int pos = entries.size();
                while (pos > 0 && org.licensim.core.state.StateStore.before(e[0], e[1], entries.get(pos - 1)[0],
                        entries.get(pos - 1)[1])) {
                    pos--;
                }
                if (pos > 0 && entries.get(pos - 1)[0] == e[0] && entries.get(pos - 1)[1] == e[1]) {
                    snap.problems.at(r.where, "user \"" + snap.dir.users().id(u) + "\" has two states for the same source "
                            + "and product");
                    continue;
                }
                entries.add(pos, e);
            }
            int[] flat = new int[entries.size() * org.licensim.core.state.StateStore.ENTRY_INTS];
            for (int i = 0; i < entries.size(); i++) {
                System.arraycopy(entries.get(i), 0, flat, i * entries.get(i).length, entries.get(i).length);
            }
            out.put(u, flat);
        }
        return out;
    }

    private int[] stateEntry(int u, JsonFields.RawState r) {
        if (r.sku == null) {
            snap.problems.at(r.where, "a licenseAssignmentState needs a skuId");
            return null;
        }
        Product product = snap.product(r.sku, r.skuWhere);
        if (product == null) {
            return null;
        }
        int t = snap.subs.indexOf(product);
        if (t < 0) {
            snap.problems.at(r.skuWhere, "product " + product.skuPartNumber() + " is not among the tenant's subscribedSkus");
            return null;
        }
        int src;
        if (r.group == null) {
            src = org.licensim.core.state.StateStore.direct(t);
        } else {
            src = snap.dir.groups().indexOf(r.group);
            if (src < 0) {
                snap.problems.at(r.where, "assignedByGroup \"" + r.group + "\" is not a group of this snapshot");
                return null;
            }
        }
        int state = switch (r.state == null ? "" : r.state) {
            case "Active" -> org.licensim.core.state.States.ACTIVE;
            case "ActiveWithError" -> org.licensim.core.state.States.ACTIVE_WITH_ERROR;
            case "Error" -> org.licensim.core.state.States.ERROR;
            default -> -1;
        };
        int error = -1;
        for (int k = 0; k < org.licensim.core.state.States.errorCount(); k++) {
            if (org.licensim.core.state.States.errorNameOf(k).equals(r.error)) {
                error = k;
            }
        }
        if (state < 0 || error < 0) {
            snap.problems.at(r.where, "state must be Active, ActiveWithError or Error and error one of None, "
                    + "CountViolation, MutuallyExclusiveViolation, DependencyViolation, "
                    + "ProhibitedInUsageLocationViolation, UniquenessViolation, Other; found \"" + r.state + "\" / \""
                    + r.error + "\"");
            return null;
        }
        long[] disabled = new long[snap.subs.words(t)];
        for (int i = 0; i < r.disabled.size(); i++) {
            String ref = r.disabled.get(i);
            int local = ref == null ? -1 : snap.catalog.findPlanInProduct(product, ref);
            if (local < 0) {
                snap.problems.at(r.disabledWheres.get(i), "disabled plan \"" + ref + "\" is not a plan of product "
                        + product.skuPartNumber());
                return null;
            }
            disabled[local >>> 6] |= 1L << local;
        }
        int seconds = org.licensim.core.state.StateStore.NO_TIME;
        if (r.time != null) {
            try {
                java.time.Instant at = java.time.Instant.parse(r.time);
                String range = Times.outsideRecorded("lastUpdatedDateTime", at);
                if (range != null) {
                    snap.problems.at(r.where, range);
                    return null;
                }
                seconds = org.licensim.core.state.StateStore.seconds(at);
            } catch (java.time.format.DateTimeParseException ex) {
                snap.problems.at(r.where, "lastUpdatedDateTime must be an ISO-8601 instant, found \"" + r.time + "\"");
                return null;
            }
        }
        long key;
        if (r.order != null) {
            key = r.order;
        } else if (src >= 0) {
            key = (1L << 60) | ((long) src << 24) | u;
        } else {
            Assignments.License l = snap.assignments.findDirect(u, t);
            key = l == null ? 0 : l.order();
        }
        return new int[] {src, t, snap.masks.internEnabled(snap.subs, t, disabled),
            org.licensim.core.state.States.pack(state, error), (int) (key >>> 32), (int) key, seconds};
    }

}
