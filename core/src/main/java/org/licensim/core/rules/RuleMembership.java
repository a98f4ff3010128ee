package org.licensim.core.rules;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.licensim.core.LicensimException;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.DynamicMembership;

/**
 * Dynamic group membership from rules (SPEC R19): each dynamic group's rule is compiled once;
 * an index from property name to the groups whose rules read it means an attribute change
 * re-evaluates only those rules. A paused rule keeps its members; a rule change re-evaluates
 * every user for that group. Groups are visited in index order and users in index order, so
 * the engine's R11 order is deterministic.
 */
public final class RuleMembership implements DynamicMembership {
    /** By group index: a primitive map, so the per-event loop over a user's rules boxes nothing. */
    private final IntObjectHashMap<CompiledRule> compiled = new IntObjectHashMap<>();
    private final Map<String, IntArrayList> readers = new HashMap<>();
    private Tenant compiledFor;

    @Override
    public boolean managesMembers(Tenant tenant, int group) {
        return tenant.groups().isDynamic(group);
    }

    @Override
    public void checkRule(String rule) {
        RuleParser.parse(rule);
    }

    /**
     * Makes every dynamic group of a freshly loaded tenant (not paused) have exactly the users its
     * rule selects, before the engine resolves it; a malformed rule is an error naming the group.
     */
    public void applyTo(Tenant tenant) {
        rebuild(tenant);
        Groups groups = tenant.groups();
        boolean[] managed = new boolean[groups.size()];
        int[][] members = new int[groups.size()][];
        IntArrayList buf = new IntArrayList();
        for (int g = 0; g < groups.size(); g++) {
            CompiledRule rule = compiled.get(g);
            if (rule == null || groups.rulePaused(g)) {
                continue;
            }
            managed[g] = true;
            buf.clear();
            for (int u = 0; u < tenant.users().size(); u++) {
                if (!tenant.users().isDeleted(u) && rule.matches(u)) {
                    buf.add(u);
                }
            }
            members[g] = buf.toArray();
        }
        tenant.directory().replaceMembers(managed, members);
    }

    @Override
    public void userChanged(Tenant tenant, int u, Iterable<String> changedProperties, Sink sink) {
        ensure(tenant);
        Groups groups = tenant.groups();
        if (affected.length < groups.size()) {
            affected = new boolean[groups.size() + 64];
        }
        int lo = Integer.MAX_VALUE;
        int hi = -1;
        for (String p : changedProperties) {
            IntArrayList gs = readers.get(p.toLowerCase(java.util.Locale.ROOT));
            if (gs == null) {
                continue;
            }
            for (int i = 0; i < gs.size(); i++) {
                int g = gs.get(i);
                affected[g] = true;
                lo = Math.min(lo, g);
                hi = Math.max(hi, g);
            }
        }
        for (int g = lo; g <= hi; g++) {
            if (!affected[g]) {
                continue;
            }
            affected[g] = false;
            if (groups.isDeleted(g) || groups.rulePaused(g)) {
                continue;
            }
            if (compiled.get(g).matches(u)) {
                sink.join(g, u);
            } else {
                sink.leave(g, u);
            }
        }
    }

    /** Scratch: which groups an attribute change touches (indexed by group, cleared after use). */
    private boolean[] affected = new boolean[64];

    @Override
    public void userCreated(Tenant tenant, int u, Sink sink) {
        ensure(tenant);
        Groups groups = tenant.groups();
        for (int g = 0; g < groups.size(); g++) {
            CompiledRule rule = compiled.get(g);
            if (rule != null && !groups.isDeleted(g) && !groups.rulePaused(g) && rule.matches(u)) {
                sink.join(g, u);
            }
        }
    }

    @Override
    public void ruleChanged(Tenant tenant, int group, Sink sink) {
        rebuild(tenant);
        CompiledRule rule = compiled.get(group);
        if (rule == null || tenant.groups().rulePaused(group)) {
            return;
        }
        for (int u = 0; u < tenant.users().size(); u++) {
            if (tenant.users().isDeleted(u)) {
                continue;
            }
            if (rule.matches(u)) {
                sink.join(group, u);
            } else {
                sink.leave(group, u);
            }
        }
    }

    private void ensure(Tenant tenant) {
        if (compiledFor != tenant) {
            rebuild(tenant);
        }
    }

    /** Compiles every live dynamic group's rule and indexes which properties each reads. */
    private void rebuild(Tenant tenant) {
        compiled.clear();
        readers.clear();
        Groups groups = tenant.groups();
        for (int g = 0; g < groups.size(); g++) {
            if (groups.isDeleted(g) || !groups.isDynamic(g)) {
                continue;
            }
            CompiledRule rule;
            try {
                rule = CompiledRule.compile(groups.membershipRule(g), tenant.users());
            } catch (RuleException e) {
                throw new LicensimException("membershipRule of group \"" + groups.id(g) + "\": " + e.getMessage(), e);
            }
            compiled.put(g, rule);
            int gg = g;
            for (String p : rule.reads()) {
                readers.computeIfAbsent(p.toLowerCase(java.util.Locale.ROOT), k -> new IntArrayList()).add(gg);
            }
        }
        compiledFor = tenant;
    }
}
