package org.licensim.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensim.core.ChildJvm;
import org.licensim.core.engine.StoreSessionTest;

/**
 * Opening a store writes nothing outside the store and licensim's build: Chronicle's native
 * helpers (JNA, jffi) unpack into the build's {@code native/}, not into the home directory or
 * the temporary directory. The child JVM is given a home and a temporary directory of the
 * test's own, so that what its helpers would write there by default is seen, whatever else
 * runs on the machine.
 */
class NativeHelpersTest {
    @TempDir
    static Path shared;
    private static Path store;

    @org.junit.jupiter.api.BeforeAll
    static void aStore() {
        store = StoreSessionTest.madeStore(shared, "store");
    }

    /** The names created in {@code tmp} while a child held the store, and whether {@code home} got a .cache. */
    private record Seen(List<String> createdInTmp, boolean homeCache) {
    }

    private static Seen openInChild(Path store, Path home, Path tmp, List<String> extra) throws Exception {
        try (WatchService ws = FileSystems.getDefault().newWatchService()) {
            tmp.register(ws, StandardWatchEventKinds.ENTRY_CREATE);
            List<String> options = new ArrayList<>(List.of("-Duser.home=" + home, "-Djava.io.tmpdir=" + tmp));
            options.addAll(extra);
            Process child = ChildJvm.start(ChildJvm.command(StoreHolder.class.getName(), options, store.toString()));
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line;
                do {
                    line = out.readLine();
                } while (line != null && !line.startsWith("holding pid"));
                assertTrue(line != null, "the child opened the store");
            } finally {
                child.getOutputStream().close();
                assertTrue(child.waitFor(120, TimeUnit.SECONDS));
            }
            // a marker after the child: events of one watch come in order, so all the child's are before it
            Files.createFile(tmp.resolve("zz-marker"));
            List<String> created = new ArrayList<>();
            boolean marker = false;
            while (!marker) {
                WatchKey k = ws.poll(60, TimeUnit.SECONDS);
                assertTrue(k != null, "the marker's event arrives");
                for (WatchEvent<?> e : k.pollEvents()) {
                    String name = String.valueOf(e.context());
                    marker |= name.equals("zz-marker");
                    if (!name.equals("zz-marker")) {
                        created.add(name);
                    }
                }
                k.reset();
            }
            Files.delete(tmp.resolve("zz-marker"));
            return new Seen(created, Files.exists(home.resolve(".cache")));
        }
    }

    @Test
    @DisplayName("Opening a store unpacks Chronicle's native helpers into the build, never into HOME or /tmp")
    void nativeHelpersStayInTheBuild(@TempDir Path dir) throws Exception {
        // given: a store, and a home and a temporary directory that are the test's own
        Path home = Files.createDirectories(dir.resolve("home"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        // when: another JVM opens it as licensim does
        Seen seen = openInChild(store, home, tmp, List.of());

        // then: nothing in either
        assertEquals(List.of(), seen.createdInTmp());
        assertFalse(seen.homeCache(), "no ~/.cache/JNA");
        assertTrue(Files.isDirectory(NativeHelpers.buildDir()), "the build's native directory");
    }

    @Test
    @DisplayName("The watch sees the helpers when they are sent to HOME and /tmp (a -D given by the user is kept)")
    void watchSeesHelpersSentThere(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        Seen seen = openInChild(store, home, tmp, List.of("-D" + NativeHelpers.JFFI + "=" + tmp,
                "-D" + NativeHelpers.JNA + "=" + home.resolve(".cache/JNA/temp")));

        assertTrue(seen.createdInTmp().stream().anyMatch(n -> n.startsWith("jffi")), "jffi unpacked into tmp: " + seen);
        assertTrue(seen.homeCache(), "JNA unpacked under home");
    }
}
