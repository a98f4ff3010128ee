package org.licensim.core.engine;

import java.util.List;

import org.licensim.core.directory.DirectoryExtension;
import org.licensim.core.directory.UserData;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.engine.Rejection.Reason;
import org.licensim.core.event.Event;

/** The handlers of the user events (created, deleted, attributes changed), for {@link EventApplier}. */
final class UserEvents {
    private static final int MAX_USER = (1 << 24) - 1;

    private final EventApplier a;

    UserEvents(EventApplier a) {
        this.a = a;
    }

    /** Directory extensions an event sets must be declared and of their declared type (SPEC section 4, R22). */
    private void checkExtensions(Event e, UserData d) {
        // walked with forEach and consumers made once: an attribute change allocates nothing (AllocationTest)
        checking = e;
        d.strings.forEach(checkString);
        d.multi.forEach(checkList);
        checking = null;
    }

    private Event checking;
    private final java.util.function.BiConsumer<String, String> checkString = (k, v) -> checkExtension(checking, k, v, false);
    private final java.util.function.BiConsumer<String, List<String>> checkList = this::checkListExtension;

    private void checkListExtension(String k, List<String> vs) {
        if (!UserSchema.isDirectoryExtension(k)) {
            return;
        }
        for (int i = 0; i < vs.size(); i++) {
            checkExtension(checking, k, vs.get(i), true);
        }
        if (a.users.extension(k) != null && !a.users.extension(k).multiValued()) {
            throw Requests.reject(checking, Reason.UNKNOWN_PROPERTY, k + " is single-valued: give one value, not a list");
        }
    }

    private void checkExtension(Event e, String name, String value, boolean inList) {
        if (!UserSchema.isDirectoryExtension(name)) {
            return;
        }
        DirectoryExtension x = a.users.extension(name);
        if (x == null) {
            throw Requests.reject(e, Reason.UNKNOWN_PROPERTY, name + " is not a directory extension of this tenant "
                    + "(declare it in the snapshot's directoryExtensions)");
        }
        if (x.multiValued() && !inList && value != null) {
            throw Requests.reject(e, Reason.UNKNOWN_PROPERTY, name + " is multi-valued: give a list");
        }
        if (value != null && x.canonical(value) == null) {
            throw Requests.reject(e, Reason.UNKNOWN_PROPERTY, name + ": \"" + value + "\" is not "
                    + (x.type() == DirectoryExtension.Type.Integer ? "an Integer" : "a " + x.type()) + " value");
        }
    }

    void userCreated(Event.UserCreated e) {
        String id = e.user().id;
        // the checks in their order (the id, the extensions, the tenant's size), the users' id table
        // probed once: addNew checks and adds; the other checks change nothing, and when one of them
        // refuses, an id in use is what is reported, as it is checked first
        a.req.checkNewIdButUsers(e, id);
        try {
            checkExtensions(e, e.user());
            if (a.users.size() > MAX_USER) {
                throw Requests.reject(e, Reason.TENANT_TOO_LARGE, "licensim supports at most " + (MAX_USER + 1)
                        + " users per tenant");
            }
        } catch (Rejection refused) {
            if (a.users.everExisted(id)) {
                throw a.req.idInUse(e, id);
            }
            throw refused;
        }
        int u = a.users.addNew(id, e.user().accountEnabled == null || e.user().accountEnabled);
        if (u < 0) {
            throw a.req.idInUse(e, id);
        }
        a.changes.apply(e.user(), a.users, u); // UserData.applyTo with the engine's reader: nothing made per user
        a.dynamic.userCreated(a.tenant, u, a.membershipSink);
    }

    /** SPEC R20: every seat the user held is freed. */
    void userDeleted(Event.UserDeleted e) {
        int u = a.req.user(e, e.userId());
        a.r.begin(u);
        a.r.releaseAll();
        a.asg.removeAllDirect(u);
        for (int g : a.dir.groupsOf(u)) {
            a.dir.removeMember(g, u);
        }
        a.users.delete(u);
        a.r.write(u);
    }

    /**
     * An attribute change re-evaluates the user's dynamic groups and resolves every join and leave
     * it causes within one read and one write of the user's state (a department change can move
     * a user in and out of dozens of licensed groups), in the order the rules report them.
     */
    void attributesChanged(Event.UserAttributesChanged e) {
        int u = a.req.user(e, e.userId());
        checkExtensions(e, e.attributes());
        if (e.attributes().hasUsageLocation && e.attributes().usageLocation == null && a.asg.directOf(u).length > 0) {
            // SPEC R15, R24: a direct assignment needs a usage location, so it cannot be taken from under one
            throw Requests.reject(e, Reason.NO_USAGE_LOCATION, a.req.userRef(u) + " has " + a.req.productNames(
                    a.asg.directOf(u)) + " assigned directly: its usageLocation cannot be cleared while it does (SPEC R15); "
                    + "remove the direct assignment first, or set another country");
        }
        List<String> changed = a.changes.names(e.attributes());
        a.dynamic.userChanging(a.tenant, u, changed);
        a.changes.apply(e.attributes(), a.users, u);
        a.r.begin(u);
        a.membershipMoved = false;
        a.dynamic.userChanged(a.tenant, u, changed, a.oneUserSink);
        if (a.membershipMoved || touchesChecks(changed)) {
            a.end(u);
        } else {
            a.r.endUntouched(u);
        }
    }

    /** Whether a change of these properties touches the user's licensing (SPEC R18: R15 and R16 read them). */
    private static boolean touchesChecks(List<String> changed) {
        for (int i = 0; i < changed.size(); i++) {
            String p = changed.get(i);
            if (p.equalsIgnoreCase("usageLocation") || p.equalsIgnoreCase("proxyAddresses")) {
                return true;
            }
        }
        return false;
    }
}
