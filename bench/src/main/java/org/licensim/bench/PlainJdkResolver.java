package org.licensim.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The peer a developer would write first: objects per user and per demand, boxed hash maps and
 * sets from the JDK, a sort of every demand by its R11 key, one pass granting seats. It
 * implements the rules the bench tenants exercise (R1, R3, R4, R6, R10, R11) and nothing more.
 */
final class PlainJdkResolver implements Resolver {
    record GroupLicense(int product, long enabledPlans) {
    }

    record Demand(int user, int product, long key, long enabledPlans) {
    }

    static final class UserLicense {
        boolean granted;
        long enabledPlans;
        int sources;
    }

    private final Map<Integer, Set<Integer>> membersByGroup = new TreeMap<>();
    private final Map<Integer, GroupLicense> licenseByGroup = new HashMap<>();
    private final List<Demand> directDemands = new ArrayList<>();
    private final Map<Integer, Integer> capacity = new HashMap<>();
    private Map<Long, UserLicense> result = new HashMap<>();

    PlainJdkResolver(PeerInput in) {
        for (int i = 0; i < in.groupIndex.length; i++) {
            Set<Integer> members = new HashSet<>();
            for (int u : in.groupMembers[i]) {
                members.add(u);
            }
            membersByGroup.put(in.groupIndex[i], members);
            licenseByGroup.put(in.groupIndex[i], new GroupLicense(in.groupProduct[i], in.groupMask[i]));
        }
        for (int i = 0; i < in.directUser.length; i++) {
            directDemands.add(new Demand(in.directUser[i], in.directProduct[i], in.directOrder[i], in.directMask[i]));
        }
        for (int p = 0; p < in.capacity.length; p++) {
            capacity.put(p, in.capacity[p]);
        }
    }

    @Override
    public void resolve() {
        List<Demand> demands = new ArrayList<>(directDemands);
        for (Map.Entry<Integer, Set<Integer>> e : membersByGroup.entrySet()) {
            GroupLicense l = licenseByGroup.get(e.getKey());
            for (Integer u : e.getValue()) {
                demands.add(new Demand(u, l.product(), PeerInput.groupKey(e.getKey(), u), l.enabledPlans()));
            }
        }
        demands.sort(Comparator.comparingLong(Demand::key));
        Map<Integer, Integer> consumed = new HashMap<>();
        Map<Long, UserLicense> out = new HashMap<>();
        for (Demand d : demands) {
            long k = ((long) d.user() << 32) | d.product();
            UserLicense s = out.get(k);
            if (s == null) {
                s = new UserLicense();
                out.put(k, s);
                int used = consumed.getOrDefault(d.product(), 0);
                if (used < capacity.get(d.product())) {
                    s.granted = true;
                    consumed.put(d.product(), used + 1);
                }
            }
            s.sources++;
            if (s.granted) {
                s.enabledPlans |= d.enabledPlans();
            }
        }
        result = out;
    }

    @Override
    public long fingerprint() {
        long sum = 0;
        for (Map.Entry<Long, UserLicense> e : result.entrySet()) {
            UserLicense s = e.getValue();
            sum += PeerInput.fingerprint((int) (e.getKey() >>> 32), (int) (long) e.getKey(), s.granted,
                    s.enabledPlans, s.sources);
        }
        return sum;
    }
}
