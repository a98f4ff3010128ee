package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Member ids looked up as characters find live users only, whether or not any user was deleted. */
class UsersLookupTest {
    @Test
    @DisplayName("R20 ids looked up as characters: every user while none is deleted; a deleted user is not found, "
            + "with the scratch of either thread")
    void deletedUsersNotFound() {
        Users users = new Users(4);
        for (String id : new String[] {"u0", "u1", "u2"}) {
            users.addNew(id, true);
        }
        char[] chars = "u2u0u1nobody".toCharArray();
        int[] starts = {0, 2, 4, 6};
        int[] lengths = {2, 2, 2, 6};
        int[] out = new int[4];
        users.indexesOf(chars, starts, lengths, 4, out);
        assertArrayEquals(new int[] {2, 0, 1, -1}, out);
        users.delete(0);
        users.indexesOf(chars, starts, lengths, 4, out);
        assertArrayEquals(new int[] {2, -1, 1, -1}, out);
        int[] other = new int[4];
        users.indexesOf(chars, starts, lengths, 4, other, new Users.Lookups());
        assertArrayEquals(new int[] {2, -1, 1, -1}, other);
    }
}
