package org.licensim.core.planning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.rules.RuleException;
import org.licensim.core.rules.RuleParser;

/**
 * What a rule edit would do, without doing it (SPEC R19: the docs warn that a rule edit can
 * silently remove licences from many users). Two copies of the tenant are resolved; the rule is
 * changed in one; the result lists who would join and leave the group, which products each
 * user would gain or lose, the seats per product before and after, and sources newly in error;
 * {@code warnings} names the licence-driven cycles that only add which the rule would be on
 * (section 4: accepted, but their members keep themselves in).
 */
public record RulePreview(String group, String oldRule, String newRule, List<String> joining, List<String> leaving,
                          List<Change> gained, List<Change> lost, List<Seats> seats, List<Change> newErrors,
                          List<String> warnings) {

    /**
     * A user (id) and a product (part number) and, for errors, the error in words with the group
     * named by display name; {@code group} is that group's id (null for a direct licence).
     */
    public record Change(String user, String product, String detail, String group) {
    }

    public record Seats(String product, int before, int after, int capacity) {
    }

    /**
     * @param load loads a fresh copy of the tenant each time it is called (the file is read twice
     *             rather than a tenant copied, so nothing is shared between the two)
     */
    public static RulePreview of(Supplier<Tenant> load, String group, String rule) {
        Tenant probe = load.get();
        int g = probe.groups().resolve(group);
        String groupId = probe.groups().id(g);
        String old = probe.groups().membershipRule(g);
        try {
            RuleParser.parse(rule);
        } catch (RuleException e) {
            throw new LicensimException("rule for group \"" + probe.groups().nameOf(g) + "\": " + e.getMessage(), e);
        }
        WhatIf w = WhatIf.of(load, List.of(new Event.GroupRuleChanged(Math.max(0, probe.lastAppliedSeq() + 1),
                WhatIf.clock(probe), groupId, rule, probe.groups().rulePaused(g))));
        // after the what-if, which refuses a rule the tenant cannot take (unknown plan, a cycle through -not)
        List<String> warnings = new org.licensim.core.rules.RuleMembership().additiveCycles(probe, groupId, rule);
        List<String> joining = new ArrayList<>();
        List<String> leaving = new ArrayList<>();
        for (WhatIf.Membership m : w.memberships()) {
            if (m.group().equals(groupId)) {
                (m.joins() ? joining : leaving).add(m.user());
            }
        }
        return new RulePreview(groupId, old, rule, joining, leaving, convert(w.gained()), convert(w.lost()),
                w.seats().stream().map(x -> new Seats(x.product(), x.before(), x.after(), x.capacity())).toList(),
                convert(w.newErrors()), warnings);
    }

    private static List<Change> convert(List<WhatIf.Change> cs) {
        return cs.stream().map(c -> new Change(c.user(), c.product(), c.detail(), c.group())).toList();
    }
}
