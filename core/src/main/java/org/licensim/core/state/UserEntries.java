package org.licensim.core.state;

import java.io.IOException;

import org.licensim.core.directory.Users;

/**
 * A pass over every live user that has resolved state, with the user's entries copied into one
 * reused array: how writers and summaries read a whole store without a per-user allocation.
 */
@FunctionalInterface
public interface UserEntries {
    /** One user: {@code count} entries in {@code es} from index 0 (the array is reused by the next call). */
    void accept(int u, int[] es, int count) throws IOException;

    /** Calls {@code visit} for each user of {@code users} that is not deleted and has entries in {@code store}, in user order. */
    static void forEach(StateStore store, Users users, UserEntries visit) throws IOException {
        forEach(store, users, 0, users.size(), visit);
    }

    /** {@link #forEach(StateStore, Users, UserEntries)} for users [from, to) only. */
    static void forEach(StateStore store, Users users, int from, int to, UserEntries visit) throws IOException {
        int[] es = new int[64 * StateStore.ENTRY_INTS];
        for (int u = from; u < to; u++) {
            int n = store.count(u);
            if (n == 0 || users.isDeleted(u)) {
                continue;
            }
            if (n * StateStore.ENTRY_INTS > es.length) {
                es = new int[n * StateStore.ENTRY_INTS * 2];
            }
            store.read(u, es);
            visit.accept(u, es, n);
        }
    }
}
