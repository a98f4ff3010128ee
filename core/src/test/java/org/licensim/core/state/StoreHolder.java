package org.licensim.core.state;

import java.nio.file.Path;

/**
 * A process that opens a store and holds it until its standard input closes: the "other
 * process" of the one-writer-at-a-time tests. Prints "holding pid N" once the store is open.
 */
public final class StoreHolder {
    private StoreHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (ChronicleStateStore s = ChronicleStateStore.open(Path.of(args[0]), false, "a test holding the store")) {
            System.out.println("holding pid " + ProcessHandle.current().pid() + " at seq " + s.lastSeq());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our input
            }
        }
        System.out.println("released");
    }
}
