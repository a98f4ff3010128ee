package org.licensim.core.state;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.tools.ToolProvider;

/**
 * Compiles, at build time, the classes Chronicle Map generates for its values, so that a
 * process that opens a store finds them on the class path instead of running javac.
 *
 * <p>Chronicle Values makes the implementations of {@code IntValue} and of its map's global
 * state ({@code $$Native} and {@code $$Heap}) the first time a process asks for them: it writes
 * their source and compiles it with the JDK's compiler, about a thousand javac classes loaded
 * and a second of CPU in every {@code licensim state}, {@code serve --store} or {@code resolve
 * --store}, which took 1.7-2.0 s for a small store. It looks for the class by name first, so the
 * build runs this (core's pom, phase process-classes) with the output directory as argument:
 * the same source Chronicle would write, from Chronicle's own generator, compiled by the same
 * javac, into core's classes. Chronicle's version and ours cannot drift apart: the build makes
 * them from the Chronicle on the build's class path.
 *
 * <p>Exit 0 when compiled; 3, with a line saying why, when this Chronicle has no such generator
 * (a later version may not), and the build goes on: Chronicle then compiles them at run time as
 * before.
 */
public final class ChronicleValueClasses {
    static final int NO_GENERATOR = 3;
    /** The value types whose classes are made, and the two kinds of each. */
    static final List<String> TYPES = List.of("net.openhft.chronicle.core.values.IntValue",
            "net.openhft.chronicle.hash.VanillaGlobalMutableState");
    static final List<String> KINDS = List.of("Native", "Heap");

    private ChronicleValueClasses() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ChronicleValueClasses CLASSES_DIR SOURCES_DIR");
            System.exit(2);
        }
        Path classes = Path.of(args[0]);
        Path sources = Path.of(args[1]);
        List<String> javac = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                "-nowarn", "--release", "17"));
        try {
            Class<?> models = Class.forName("net.openhft.chronicle.values.ValueModel");
            Class<?> generators = Class.forName("net.openhft.chronicle.values.Generators");
            for (String typeName : TYPES) {
                Class<?> type = Class.forName(typeName);
                Object model = models.getMethod("acquire", Class.class).invoke(null, type);
                for (String kind : KINDS) {
                    Method generate = generators.getDeclaredMethod("generate" + kind + "Class", models, String.class);
                    generate.setAccessible(true);
                    String name = type.getSimpleName() + "$$" + kind;
                    Path source = sources.resolve(name + ".java");
                    Files.createDirectories(source.getParent());
                    Files.writeString(source, (String) generate.invoke(null, model, name), StandardCharsets.UTF_8);
                    javac.add(source.toString());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.out.println("licensim: Chronicle's value classes are left to Chronicle (compiled when a store opens): "
                    + (e.getCause() != null ? e.getCause() : e));
            System.exit(NO_GENERATOR);
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, said, said, javac.toArray(String[]::new));
        if (rc != 0) {
            System.out.println(said.toString(StandardCharsets.UTF_8));
        }
        System.exit(rc);
    }
}
