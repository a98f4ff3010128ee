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

    @Test
    @DisplayName("loadMembers on two threads (groups split, then users split at the middle) equals one thread and "
            + "addMember one by one, users already in other groups included, with users in blocks of any size")
    void twoThreads() {
        for (int users : new int[] {1, 2, 3_001, 10_000}) {
            SplittableRandom rnd = new SplittableRandom(users);
            int groups = 30;
            Directory one = new Directory(16);
            Directory two = new Directory(16);
            Directory single = new Directory(16);
            Directory small = new Directory(16); // users in blocks of 7, on two threads
            Directory oneSmall = new Directory(16); // in blocks of 1,000, one thread
            small.userBlock = 7;
            oneSmall.userBlock = 1_000;
            Directory[] all = {one, two, single, small, oneSmall};
            for (Directory d : all) {
                for (int u = 0; u < users; u++) {
                    d.users().add("u" + u, true);
                }
                for (int g = 0; g < groups + 2; g++) {
                    d.groups().add("g" + g, "g" + g, true, null, false);
                }
            }
            IntArrayList[] lists = new IntArrayList[groups];
            for (int g = 0; g < groups; g++) {
                lists[g] = new IntArrayList();
                for (int k = rnd.nextInt(users * 2); k > 0; k--) {
                    lists[g].add(rnd.nextInt(users));
                }
            }
            lists[users % groups] = null;
            // some users are in the two groups past the loaded ones before the load (among them the middle one)
            for (int u = 0; u < users; u += 3) {
                for (Directory d : all) {
                    d.addMember(groups + u % 2, u);
                    d.addMember(groups, users / 2);
                }
            }
            for (int g = 0; g < groups; g++) {
                if (lists[g] != null) {
                    for (int i = 0; i < lists[g].size(); i++) {
                        single.addMember(g, lists[g].get(i));
                    }
                }
            }
            one.loadMembers(lists, 1);
            two.loadMembers(lists, 2);
            small.loadMembers(lists, 2);
            oneSmall.loadMembers(lists, 1);
            assertEquals(single.membershipCount(), two.membershipCount(), users + " users");
            assertEquals(one.membershipCount(), two.membershipCount());
            for (int g = 0; g < groups + 2; g++) {
                assertEquals(single.groups().userMembers(g), two.groups().userMembers(g), "group " + g);
                assertEquals(one.groups().userMembers(g), two.groups().userMembers(g), "group " + g);
            }
            for (int u = 0; u < users; u++) {
                assertArrayEquals(single.groupsOf(u), two.groupsOf(u), "user " + u);
                assertArrayEquals(one.groupsOf(u), two.groupsOf(u), "user " + u);
                assertArrayEquals(single.groupsOf(u), small.groupsOf(u), "user " + u + " in blocks of 7");
                assertArrayEquals(single.groupsOf(u), oneSmall.groupsOf(u), "user " + u + " in blocks of 1,000");
            }
            assertEquals(single.membershipCount(), small.membershipCount());
        }
    }
}
