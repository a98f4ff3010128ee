package org.licensim.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import org.licensim.core.LicensimException;
import org.licensim.reports.ReportException;

/**
 * What a failure means to the person who ran the command: one paragraph with what went wrong,
 * where (the file, when the error names one) and what to do. Errors licensim raises itself
 * ({@link LicensimException}) already say all that; the others are the JVM's and the
 * libraries', translated here by kind.
 */
final class Failures {
    private Failures() {
    }

    /** Whether {@code t} is an error licensim raised on purpose (bad input, a refused operation). */
    static boolean expected(Throwable t) {
        return t instanceof LicensimException || t instanceof ReportException;
    }

    static String describe(Throwable t) {
        if (expected(t)) {
            return t.getMessage();
        }
        Throwable io = ioCause(t);
        if (io instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (io instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (io instanceof CharacterCodingException) {
            return "a file is not valid UTF-8 text (" + io.getClass().getSimpleName() + "); licensim reads JSON and "
                    + "JSON Lines as UTF-8: re-save the file as UTF-8";
        }
        if (io instanceof java.nio.file.FileAlreadyExistsException f) {
            // what Files.createDirectories says when a part of the path is a file: a results folder named after a file
            boolean file = f.getFile() != null && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(f.getFile()));
            return f.getFile() + ": " + (file ? "is a file, where a directory was expected (an --out that names a "
                    + "folder of results): give a directory, new or existing" : "already exists");
        }
        if (io instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "file system error" : f.getReason());
        }
        if (io != null) {
            String m = String.valueOf(io.getMessage());
            return "input/output error: " + m + (m.contains("No space left") ? "; free disk space and run again" : "");
        }
        if (t instanceof OutOfMemoryError) {
            return "the JVM ran out of memory (max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB) for this "
                    + "input; run again with a larger heap, e.g. LICENSIM_JAVA_OPTS=-Xmx8g ./licensim ...";
        }
        if (t instanceof StackOverflowError) {
            return "the input is nested too deeply to process (a JSON document nested thousands of levels deep, "
                    + "or a rule with thousands of parentheses); no licensim input needs more than a few levels";
        }
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof java.lang.reflect.InaccessibleObjectException) {
                // the store's and the planner's libraries need packages of java.base opened to them
                return "the JVM was started without licensim's flags (" + c.getMessage().replaceFirst("^.*?: ", "")
                        + "); run it through the launcher, ./licensim ..., or give java the flags the build wrote: "
                        + "java $(cat core/target/classes/licensim-jvm.flags) -jar cli/target/licensim.jar ...";
            }
        }
        return "internal error (" + t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
                + "); this is a bug in licensim, not in your input: please report it with the command you ran";
    }

    /** The I/O error behind {@code t}, if any (unwrapping the usual wrappers). */
    private static Throwable ioCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return c;
            }
            if (!(c instanceof UncheckedIOException) && c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
