package org.pekkogrid.workloads;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The directories a node's file workloads may read and write ({@code grid.files.roots}): every
 * {@link Path} parameter of a job must resolve inside one of them, after following links, or
 * the job is rejected naming the roots. Checked where a job is bound ({@link BoundJob}), on the
 * head at submit and on each worker, so a new workload with a Path parameter is covered without
 * doing anything.
 *
 * <p>No roots configured means unrestricted only on a node bound to loopback: one user's
 * machine, where whoever submits a job is the user the grid runs as. A node that listens off
 * loopback, without roots, runs no file workload at all.
 */
public final class FileRoots {

    /** No restriction: tests, local baselines, and nodes bound to loopback without roots. */
    public static final FileRoots UNRESTRICTED = new FileRoots(List.of(), null);

    private final List<Path> roots;  // absolute and normalised, as configured
    private final String offLoopback;  // the address a node without roots listens on off loopback, or null

    private FileRoots(List<Path> roots, String offLoopback) {
        this.roots = roots;
        this.offLoopback = offLoopback;
    }

    /** Paths must lie inside one of these directories (absolute paths). */
    public static FileRoots of(List<Path> roots) {
        if (roots.isEmpty()) throw new IllegalArgumentException("give at least one root, or use UNRESTRICTED");
        return new FileRoots(roots.stream().map(r -> r.toAbsolutePath().normalize()).toList(), null);
    }

    /** A node without roots listening on {@code address}, off loopback: it refuses every file workload. */
    static FileRoots refusing(String address) {
        return new FileRoots(List.of(), address);
    }

    /**
     * This node's roots: {@code grid.files.roots} (a list, or one string of comma-separated
     * directories, as {@code -Dgrid.files.roots=/a,/b} gives), judged against the addresses the
     * node listens on ({@code grid.host}, {@code grid.bind-host}, and {@code grid.http.host}
     * when the HTTP API is on).
     */
    public static FileRoots from(Config config) {
        List<String> configured = configuredRoots(config);
        if (!configured.isEmpty()) {
            List<Path> roots = new ArrayList<>();
            for (String root : configured) {
                Path p;
                try {
                    p = Path.of(root);
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException("grid.files.roots: \"" + root + "\" is not a path: " + e.getMessage());
                }
                if (!p.isAbsolute()) {
                    throw new IllegalArgumentException("grid.files.roots: \"" + root
                        + "\" is not an absolute path; give each root from /");
                }
                roots.add(p);
            }
            return of(roots);
        }
        List<String> listening = new ArrayList<>();
        listening.add(config.getString("grid.host"));
        if (config.hasPath("grid.bind-host")) listening.add(config.getString("grid.bind-host"));
        if (config.hasPath("grid.http.enabled") && config.getBoolean("grid.http.enabled")) {
            listening.add(config.getString("grid.http.host"));
        }
        for (String host : listening) {
            if (!host.isBlank() && !isLoopback(host)) return refusing(host.trim());
        }
        return UNRESTRICTED;
    }

    private static List<String> configuredRoots(Config config) {
        if (!config.hasPath("grid.files.roots")) return List.of();
        List<String> values = config.getValue("grid.files.roots").valueType() == ConfigValueType.LIST
            ? config.getStringList("grid.files.roots")
            : Arrays.asList(config.getString("grid.files.roots").split(","));
        return values.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Loopback names and addresses; a name that does not resolve is not loopback (the node could not bind it anyway). */
    static boolean isLoopback(String host) {
        String h = host.trim();
        if (h.equalsIgnoreCase("localhost")) return true;
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether every path is allowed. */
    public boolean unrestricted() {
        return roots.isEmpty() && offLoopback == null;
    }

    /**
     * Checks every {@link Path} component of a workload's parameters; throws an
     * {@link IllegalArgumentException} naming the parameter and the roots when one lies outside.
     */
    public void check(String workload, Record params) {
        if (unrestricted()) return;
        for (RecordComponent c : params.getClass().getRecordComponents()) {
            if (c.getType() != Path.class) continue;
            Path path;
            try {
                path = (Path) c.getAccessor().invoke(params);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + params.getClass().getName(), e);
            }
            if (path != null) check(workload, c.getName(), path);
        }
    }

    /** Checks the parameters and then the files within them that the workload names ({@link Workload#filesWithin}). */
    public <P extends Record> void check(Workload<P, ?, ?, ?> workload, P params) {
        if (unrestricted()) return;
        check(workload.name(), params);
        workload.filesWithin(params).forEach((param, files) -> {
            for (Path file : files) check(workload.name(), param, file);
        });
    }

    /** Checks one path parameter (see {@link #check(String, Record)}). */
    public void check(String workload, String param, Path path) {
        if (unrestricted()) return;
        if (offLoopback != null) {
            throw new IllegalArgumentException(workload + " reads and writes files (--param " + param
                + "), and this node is bound to " + offLoopback + ", off loopback: configure grid.files.roots"
                + " (GRID_FILES_ROOTS) to run file workloads");
        }
        Path real = resolved(path.toAbsolutePath());
        for (Path root : roots) {
            if (real.startsWith(resolved(root))) return;
        }
        String shown = real.equals(path.toAbsolutePath().normalize()) ? path.toString() : path + " (which resolves to " + real + ")";
        throw new IllegalArgumentException("--param " + param + ": " + shown + " is outside this node's file roots "
            + String.join(", ", roots.stream().map(Path::toString).toList())
            + " (grid.files.roots); give a path inside " + (roots.size() == 1 ? "it" : "one of them"));
    }

    /**
     * Where a path leads once its links are followed: the real path of its deepest existing
     * ancestor, then the rest (which does not exist yet, so holds no links), normalised.
     */
    static Path resolved(Path absolute) {
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return absolute.normalize();
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            // Not knowing where it leads, it cannot be shown inside a root.
            throw new IllegalArgumentException(absolute + ": cannot follow its links to check it against"
                + " grid.files.roots: " + e);
        }
    }

    @Override
    public String toString() {
        if (offLoopback != null) return "no file roots, off loopback at " + offLoopback + ": no file workloads";
        return roots.isEmpty() ? "unrestricted" : "file roots " + roots;
    }
}
