package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Loading a snapshot's member lists at once gives the directory adding them one by one gives. */
class DirectoryLoadMembersTest {
    @Test
    @DisplayName("loadMembers equals addMember one by one: repeats dropped, each user's groups sorted, counts and bitmaps alike")
    void sameAsOneByOne() {
        SplittableRandom rnd = new SplittableRandom(5);
        int users = 3_000;
        int groups = 40;
        Directory bulk = new Directory(16);
        Directory single = new Directory(16);
        for (int u = 0; u < users; u++) {
            bulk.users().add("u" + u, true);
            single.users().add("u" + u, true);
        }
        IntArrayList[] lists = new IntArrayList[groups + 5];
        for (int g = 0; g < groups; g++) {
            bulk.groups().add("g" + g, "g" + g, true, null, false);
            single.groups().add("g" + g, "g" + g, true, null, false);
            if (g % 7 == 3) {
                continue; // a group without members
            }
            lists[g] = new IntArrayList();
            for (int k = rnd.nextInt(400); k > 0; k--) {
                int u = rnd.nextInt(users);
                lists[g].add(u);
                if (k % 5 == 0) {
                    lists[g].add(u); // listed twice
                }
            }
        }
        // the single directory adds in a scrambled order of groups, as members arrive
        for (int g = groups - 1; g >= 0; g--) {
            if (lists[g] != null) {
                for (int i = 0; i < lists[g].size(); i++) {
                    single.addMember(g, lists[g].get(i));
                }
            }
        }
        bulk.loadMembers(lists);
        assertEquals(single.membershipCount(), bulk.membershipCount());
        for (int g = 0; g < groups; g++) {
            assertEquals(single.groups().userMembers(g), bulk.groups().userMembers(g), "group " + g);
        }
        for (int u = 0; u < users; u++) {
            assertArrayEquals(single.groupsOf(u), bulk.groupsOf(u), "user " + u);
        }
        // the directory keeps working one by one after a load
        bulk.addMember(3, 7);
        single.addMember(3, 7);
        assertArrayEquals(single.groupsOf(7), bulk.groupsOf(7));
    }
}
