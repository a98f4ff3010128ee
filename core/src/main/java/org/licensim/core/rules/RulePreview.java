package org.licensim.core.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.state.HeapStateStore;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * What a rule edit would do, without doing it (SPEC R19: the docs warn that a rule edit can
 * silently remove licences from many users). Two copies of the tenant are resolved; the rule is
 * changed in one; the result lists who would join and leave the group, which products each
 * user would gain or lose, the seats per product before and after, and sources newly in error.
 */
public record RulePreview(String group, String oldRule, String newRule, List<String> joining, List<String> leaving,
                          List<Change> gained, List<Change> lost, List<Seats> seats, List<Change> newErrors) {

    /** A user and a product (and, for errors, the error). */
    public record Change(String user, String product, String detail) {
    }

    public record Seats(String product, int before, int after, int capacity) {
    }

    /**
     * @param load loads a fresh copy of the tenant each time it is called (the file is read twice
     *             rather than a tenant copied, so nothing is shared between the two)
     */
    public static RulePreview of(Supplier<Tenant> load, String groupId, String rule) {
        Tenant before = load.get();
        Tenant after = load.get();
        Engine a = engine(before);
        Engine b = engine(after);
        int g = after.groups().indexOf(groupId);
        if (g < 0) {
            throw new LicensimException("unknown group \"" + groupId + "\"");
        }
        String old = after.groups().membershipRule(g);
        try {
            RuleParser.parse(rule);
        } catch (RuleException e) {
            throw new LicensimException("rule for group \"" + groupId + "\": " + e.getMessage(), e);
        }
        b.apply(new Event.GroupRuleChanged(Math.max(0, b.lastAppliedSeq() + 1), Instant.EPOCH, groupId, rule,
                after.groups().rulePaused(g)));
        List<String> joining = new ArrayList<>();
        List<String> leaving = new ArrayList<>();
        List<Change> gained = new ArrayList<>();
        List<Change> lost = new ArrayList<>();
        List<Change> errors = new ArrayList<>();
        int products = after.subscriptions().size();
        for (int u = 0; u < after.users().size(); u++) {
            if (after.users().isDeleted(u)) {
                continue;
            }
            String id = after.users().id(u);
            boolean wasMember = before.directory().isMember(g, u);
            boolean isMember = after.directory().isMember(g, u);
            if (isMember && !wasMember) {
                joining.add(id);
            } else if (wasMember && !isMember) {
                leaving.add(id);
            }
            int[] ea = entries(a, u);
            int[] eb = entries(b, u);
            for (int t = 0; t < products; t++) {
                boolean had = holds(ea, t);
                boolean has = holds(eb, t);
                String name = after.subscriptions().product(t).skuPartNumber();
                if (has && !had) {
                    gained.add(new Change(id, name, null));
                } else if (had && !has) {
                    lost.add(new Change(id, name, null));
                }
            }
            for (int i = 0; i < eb.length / StateStore.ENTRY_INTS; i++) {
                int at = i * StateStore.ENTRY_INTS;
                int state = eb[at + StateStore.STATE];
                if (state != States.pack(States.ACTIVE, States.NONE) && !hasEntry(ea, eb, at, state)) {
                    errors.add(new Change(id, after.subscriptions().product(eb[at + StateStore.PRODUCT]).skuPartNumber(),
                            States.stateName(state) + "/" + States.errorName(state)));
                }
            }
        }
        List<Seats> seats = new ArrayList<>();
        for (int t = 0; t < products; t++) {
            seats.add(new Seats(after.subscriptions().product(t).skuPartNumber(), a.consumed(t), b.consumed(t),
                    after.subscriptions().units(t).capacity()));
        }
        return new RulePreview(groupId, old, rule, joining, leaving, gained, lost, seats, errors);
    }

    private static Engine engine(Tenant t) {
        RuleMembership rules = new RuleMembership();
        rules.applyTo(t);
        ChangeFeed feed = new ChangeFeed();
        feed.setEnabled(false);
        Engine e = new Engine(t, new HeapStateStore(), feed, rules);
        e.reconcile();
        return e;
    }

    private static int[] entries(Engine e, int u) {
        int[] es = new int[e.store().count(u) * StateStore.ENTRY_INTS];
        e.store().read(u, es);
        return es;
    }

    private static boolean holds(int[] es, int t) {
        for (int i = 0; i < es.length / StateStore.ENTRY_INTS; i++) {
            int at = i * StateStore.ENTRY_INTS;
            if (es[at + StateStore.PRODUCT] == t && States.holds(es[at + StateStore.STATE])) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasEntry(int[] ea, int[] eb, int at, int state) {
        for (int i = 0; i < ea.length / StateStore.ENTRY_INTS; i++) {
            int b = i * StateStore.ENTRY_INTS;
            if (ea[b + StateStore.SRC] == eb[at + StateStore.SRC] && ea[b + StateStore.PRODUCT] == eb[at + StateStore.PRODUCT]) {
                return ea[b + StateStore.STATE] == state;
            }
        }
        return false;
    }
}
