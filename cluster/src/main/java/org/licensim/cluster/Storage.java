package org.licensim.cluster;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.licensim.core.LicensimException;

/**
 * Where the job's files are: a plain path (or {@code file:}) is read and written with java.nio,
 * as {@code licensim plan} does; anything with another scheme ({@code hdfs://}, {@code s3a://},
 * {@code abfss://}, ...) through Hadoop's file systems, configured by the job's
 * {@code spark.hadoop.*} settings, so executors read tenants from the storage a cluster shares.
 * Serializable: it travels to the executors with the tasks.
 */
final class Storage implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The Hadoop settings ({@code spark.hadoop.} prefix removed) for non-local paths. */
    private final TreeMap<String, String> hadoop;

    /** Whether every path goes through Hadoop's file systems, {@code file:} ones too (a test of that branch). */
    private final boolean hadoopOnly;

    Storage(Map<String, String> hadoopSettings) {
        this(hadoopSettings, false);
    }

    Storage(Map<String, String> hadoopSettings, boolean hadoopOnly) {
        this.hadoop = new TreeMap<>(hadoopSettings);
        this.hadoopOnly = hadoopOnly;
    }

    /** A plain path or a {@code file:} URI: read and written with java.nio. */
    static boolean isPlainPath(String path) {
        int colon = path.indexOf(':');
        int slash = path.indexOf('/');
        return colon < 0 || (slash >= 0 && slash < colon) || path.startsWith("file:");
    }

    private boolean isLocal(String path) {
        return !hadoopOnly && isPlainPath(path);
    }

    private static Path local(String path) {
        return path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
    }

    private FileSystem fs(String path) throws IOException {
        Configuration c = new Configuration();
        hadoop.forEach(c::set);
        return FileSystem.get(URI.create(path), c);
    }

    /** The whole file; a missing or unreadable file is refused with {@code what} and the path. */
    byte[] read(String path, String what) {
        try {
            if (isLocal(path)) {
                return Files.readAllBytes(local(path));
            }
            try (InputStream in = fs(path).open(new org.apache.hadoop.fs.Path(path))) {
                return in.readAllBytes();
            }
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new LicensimException(what + " not found: " + path);
        } catch (IOException e) {
            throw new LicensimException("cannot read " + what + " " + path + ": " + e.getMessage(), e);
        }
    }

    boolean exists(String path) {
        try {
            return isLocal(path) ? Files.exists(local(path)) : fs(path).exists(new org.apache.hadoop.fs.Path(path));
        } catch (IOException e) {
            throw new LicensimException("cannot look at " + path + ": " + e.getMessage(), e);
        }
    }

    boolean isDirectory(String path) {
        try {
            return isLocal(path) ? Files.isDirectory(local(path)) : fs(path).getFileStatus(
                    new org.apache.hadoop.fs.Path(path)).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new LicensimException("cannot look at " + path + ": " + e.getMessage(), e);
        }
    }

    /** The {@code .json} files directly in a directory, by name. */
    List<String> jsonFiles(String dir) {
        List<String> out = new ArrayList<>();
        try {
            if (isLocal(dir)) {
                try (var s = Files.list(local(dir))) {
                    s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted()
                            .forEach(p -> out.add(p.toString()));
                }
            } else {
                for (FileStatus st : fs(dir).listStatus(new org.apache.hadoop.fs.Path(dir))) {
                    if (st.isFile() && st.getPath().getName().endsWith(".json")) {
                        out.add(st.getPath().toString());
                    }
                }
                out.sort(null);
            }
        } catch (IOException e) {
            throw new LicensimException("cannot list tenant directory " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Writes a file whole or not at all: through a temporary sibling renamed into place. */
    void write(String path, String what, byte[] bytes) {
        if (isLocal(path)) {
            // a temporary name of its own: a task run twice at once (a speculative copy) writes apart
            Path p = local(path).toAbsolutePath();
            Path tmp = p.resolveSibling("." + p.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.createDirectories(p.getParent());
                Files.write(tmp, bytes);
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the first error is the one to report
                }
                throw new LicensimException("cannot write " + what + " to " + path + ": " + e.getMessage(), e);
            }
            return;
        }
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path);
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(),
                "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            FileSystem fs = fs(path);
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename of " + tmp + " failed");
            }
        } catch (IOException e) {
            throw new LicensimException("cannot write " + what + " to " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@code child} inside directory {@code dir}, in the directory's own notation. */
    static String resolve(String dir, String child) {
        return dir.endsWith("/") ? dir + child : dir + "/" + child;
    }
}
