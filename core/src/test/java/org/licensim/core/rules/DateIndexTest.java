package org.licensim.core.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.Users;

/** The users-by-date index a clock step of time-driven rules reads, against a scan of every user. */
class DateIndexTest {
    static final LocalDate FROM = LocalDate.of(2024, 1, 1);

    static long day(int d) {
        return FROM.plusDays(d).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    @Test
    @DisplayName("a window finds exactly the users whose date lies in it, with dates added, changed and removed after the build")
    void windowsMatchAScan() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 20_000;
        Users users = new Users(n + 6_000);
        for (int u = 0; u < n; u++) {
            users.add("u" + u, true);
            if (u % 10 != 0) { // some users have no date
                users.set(u, "employeeHireDate", FROM.plusDays(rnd.nextInt(400)).toString());
            }
        }
        DateIndex index = new DateIndex(users.column("employeeHireDate"), users.size());
        // changes after the build: enough to merge the added entries into the array (over an eighth)
        int[] current = new int[n + 6_000];
        for (int u = 0; u < n; u++) {
            String v = users.get(u, "employeeHireDate");
            current[u] = v == null ? -1 : (int) (LocalDate.parse(v).toEpochDay() - FROM.toEpochDay());
        }
        java.util.List<int[]> visited = new java.util.ArrayList<>(); // (user, day) pairs ever indexed
        for (int u = 0; u < n; u++) {
            if (current[u] >= 0) {
                visited.add(new int[] {u, current[u]});
            }
        }
        for (int k = 0; k < 6_000; k++) {
            int u = k % 2 == 0 ? users.add("new" + k, true) : rnd.nextInt(n);
            int d = rnd.nextInt(400);
            users.set(u, "employeeHireDate", FROM.plusDays(d).toString());
            current[u] = d;
            index.add(u);
            visited.add(new int[] {u, d});
            if (k % 1500 == 1499) {
                check(index, visited, rnd);
            }
        }
        check(index, visited, rnd);
    }

    /** The index returns every user indexed under a day in the window (old dates stay: a visit decides nothing new). */
    private static void check(DateIndex index, java.util.List<int[]> visited, SplittableRandom rnd) {
        for (int w = 0; w < 50; w++) {
            int a = rnd.nextInt(400);
            int b = a + rnd.nextInt(3) * rnd.nextInt(40);
            IntHashSet expected = new IntHashSet();
            for (int[] e : visited) {
                if (e[1] >= a && e[1] <= b) {
                    expected.add(e[0]);
                }
            }
            IntHashSet got = new IntHashSet();
            index.usersBetween(day(a), day(b), got);
            assertArrayEquals(expected.toSortedArray(), got.toSortedArray(), "days " + a + ".." + b);
        }
    }
}
