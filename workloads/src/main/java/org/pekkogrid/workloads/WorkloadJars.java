package org.pekkogrid.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The workload jars of one node, kept on disk by their SHA-256 ({@code <sha256>.jar} in one
 * directory) and opened each with a class loader of its own, whose parent shows only the grid's API
 * ({@link ApiOnlyClassLoader}): two versions of one workload class live side by side. A jar is open
 * while some job uses it ({@link #use}); when the last one lets go ({@link #release}) its loader is
 * closed. Safe from any thread.
 */
public final class WorkloadJars {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path directory;
    private final long maxJarBytes;
    private final Map<String, Open> open = new HashMap<>();
    private final Map<String, String> jarOfUser = new HashMap<>();

    private record Open(URLClassLoader loader, Set<String> users) {}

    /**
     * @param directory   where jars are kept; created when missing
     * @param maxJarBytes the largest jar accepted
     */
    public WorkloadJars(Path directory, long maxJarBytes) {
        this.directory = directory;
        this.maxJarBytes = maxJarBytes;
    }

    /** The jars of a node configured by {@code grid.jars} (directory, max-bytes). */
    public static WorkloadJars of(com.typesafe.config.Config config) {
        return new WorkloadJars(Path.of(config.getString("grid.jars.directory")),
            config.getBytes("grid.jars.max-bytes"));
    }

    public long maxJarBytes() {
        return maxJarBytes;
    }

    /** The hex SHA-256 of these bytes: a jar's name on the grid. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** Throws an {@link IllegalArgumentException} unless {@code sha256} is 64 lower-case hex digits. */
    public static String checkSha256(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("a workload jar is named by its SHA-256 as 64 lower-case hex digits, got \""
                + sha256 + "\"");
        }
        return sha256;
    }

    public boolean has(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    public Path path(String sha256) {
        return directory.resolve(checkSha256(sha256) + ".jar");
    }

    /** The jar's bytes, to pass on to another node. */
    public byte[] read(String sha256) throws IOException {
        return Files.readAllBytes(path(sha256));
    }

    /**
     * Keeps these bytes as the jar {@code sha256}, after checking that they hash to it; written to a
     * temporary file and renamed, so that no reader ever sees half a jar.
     */
    public void store(String sha256, byte[] bytes) throws IOException {
        checkSha256(sha256);
        if (bytes.length > maxJarBytes) {
            throw new IllegalArgumentException("the jar has " + bytes.length + " bytes; this grid takes at most "
                + maxJarBytes + " (grid.jars.max-bytes)");
        }
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new IllegalArgumentException("the jar's bytes hash to " + actual + ", not to " + sha256
                + ": it was damaged on the way; send it again");
        }
        if (has(sha256)) return;
        Files.createDirectories(directory);
        Path part = Files.createTempFile(directory, sha256, ".part");
        try {
            Files.write(part, bytes);
            try {
                Files.move(part, path(sha256), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, path(sha256), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /**
     * The workload named {@code name} in jar {@code sha256}, which {@code user} (a job) now uses:
     * the jar stays open until {@link #release}. Every problem (no such jar here, not a jar, no such
     * workload in it, a class that fails to load) is an {@link IllegalArgumentException} that says
     * which, and leaves the jar unused by {@code user}.
     */
    public synchronized Workload<?, ?, ?, ?> use(String sha256, String name, String user) {
        Open jar = open.get(sha256);
        boolean opened = false;
        if (jar == null) {
            jar = new Open(openLoader(sha256), new HashSet<>());
            opened = true;
        }
        Workload<?, ?, ?, ?> workload;
        try {
            workload = find(jar.loader(), sha256, name);
        } catch (RuntimeException | LinkageError e) {
            if (opened) close(jar.loader());
            if (e instanceof IllegalArgumentException iae) throw iae;
            throw new IllegalArgumentException("the workload jar " + shortName(sha256) + " cannot be used: " + e, e);
        }
        open.put(sha256, jar);
        String previous = jarOfUser.put(user, sha256);
        if (previous != null && !previous.equals(sha256)) releaseJar(previous, user);
        jar.users().add(user);
        return workload;
    }

    /** {@code user} no longer uses its jar; a jar no one uses is closed. Nothing happens for a user of none. */
    public synchronized void release(String user) {
        String sha256 = jarOfUser.remove(user);
        if (sha256 != null) releaseJar(sha256, user);
    }

    /** How many jars have a class loader open now. */
    public synchronized int openJars() {
        return open.size();
    }

    /** The jars open now, by SHA-256, with the jobs that use them. */
    public synchronized Map<String, Set<String>> usersByJar() {
        Map<String, Set<String>> copy = new HashMap<>();
        open.forEach((sha, jar) -> copy.put(sha, Set.copyOf(jar.users())));
        return copy;
    }

    private void releaseJar(String sha256, String user) {
        Open jar = open.get(sha256);
        if (jar == null) return;
        jar.users().remove(user);
        if (jar.users().isEmpty()) {
            open.remove(sha256);
            close(jar.loader());
        }
    }

    /**
     * The workloads a jar file offers, each loaded as the grid would (its own class loader over the
     * API): for {@code grid workloads --jar}. The loader stays open for the caller's life.
     */
    public static List<Workload<?, ?, ?, ?>> offeredBy(Path jar) {
        if (!Files.isRegularFile(jar)) throw new IllegalArgumentException("--jar " + jar + ": no such file");
        URLClassLoader loader = openLoader(jar, "workload-jar");
        List<Workload<?, ?, ?, ?>> offered = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        var providers = ServiceLoader.load(Workload.class, loader).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) break;
                Workload<?, ?, ?, ?> w = providers.next();
                if (w.getClass().getClassLoader() == loader) offered.add(w);
            } catch (ServiceConfigurationError | LinkageError e) {
                broken.add(describe(e));
            }
        }
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException("in " + jar + " these workloads failed to load: " + String.join("; ", broken));
        }
        return offered;
    }

    private URLClassLoader openLoader(String sha256) {
        Path file = path(sha256);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("this node has no workload jar " + shortName(sha256)
                + "; submit the job again with --jar (the client sends it)");
        }
        return openLoader(file, "workload-jar-" + shortName(sha256));
    }

    private static URLClassLoader openLoader(Path file, String name) {
        // A jar that is not one fails here, with a message, rather than as a missing class later.
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.getEntry("META-INF/services/" + Workload.class.getName()) == null) {
                throw new IllegalArgumentException("the jar names no workload: it needs a file META-INF/services/"
                    + Workload.class.getName() + " listing its Workload classes, one per line");
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException("the file given with --jar is not a jar (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the workload jar " + file + ": " + e.getMessage(), e);
        }
        try {
            return new URLClassLoader(name, new URL[] {file.toUri().toURL()},
                ApiOnlyClassLoader.INSTANCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Workload<?, ?, ?, ?> find(ClassLoader loader, String sha256, String name) {
        List<String> offered = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        var providers = ServiceLoader.load(Workload.class, loader).iterator();
        while (true) {
            Workload<?, ?, ?, ?> w;
            try {
                if (!providers.hasNext()) break;
                w = providers.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                broken.add(describe(e));
                continue;
            }
            if (w.getClass().getClassLoader() != loader) continue;  // a class of the API's, not the jar's
            offered.add(w.name());
            if (w.name().equals(name)) return w;
        }
        StringBuilder why = new StringBuilder("the jar " + shortName(sha256) + " has no workload named \"" + name + "\"");
        why.append(offered.isEmpty() ? "; it offers none that loads" : "; it offers: " + String.join(", ", new TreeSet<>(offered)));
        if (!broken.isEmpty()) why.append("; and these failed to load: ").append(String.join("; ", broken));
        throw new IllegalArgumentException(why.toString());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause != e) message += " (" + cause + ")";
        return message;
    }

    /** The first 12 hex digits, as people read a jar's name. */
    public static String shortName(String sha256) {
        return sha256 == null || sha256.length() < 12 ? String.valueOf(sha256) : sha256.substring(0, 12);
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
