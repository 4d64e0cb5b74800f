package org.pekkogrid.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A grid node in a JVM of its own, started from this test run's classes with
 * {@code GridMain ... --exit-on-stdin-eof}: it stops when its stdin closes, so even a test JVM
 * that dies takes its children with it. Stdout and stderr are kept in target/child-logs.
 */
final class ChildNode implements AutoCloseable {

    static final Path LOGS = Path.of("target", "child-logs");
    /** Where child nodes keep their journals, a directory per grid. */
    static final Path DATA = Path.of("target", "child-data");

    private final String name;
    private final Process process;
    private final Path stderr;
    private final Map<String, CompletableFuture<String>> awaited = new ConcurrentHashMap<>();
    private final List<String> lines = new ArrayList<>();

    private ChildNode(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(() -> readStdout(stdout), "stdout-of-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -cp <this classpath> GridMain args...}. */
    static ChildNode start(String name, String... args) throws IOException {
        return startMain(name, GridMain.class, args);
    }

    /** Starts {@code java <jvmOptions> -cp <this classpath> GridMain args...}. */
    static ChildNode start(String name, List<String> jvmOptions, String... args) throws IOException {
        return startMain(name, jvmOptions, GridMain.class, args);
    }

    /** Starts {@code java -cp <this classpath> main args...}. */
    static ChildNode startMain(String name, Class<?> main, String... args) throws IOException {
        return startMain(name, List.of(), main, args);
    }

    /** As {@link #startMain(String, Class, String...)}, with more JVM options (such as {@code -Dgrid.x=y}). */
    static ChildNode startMain(String name, List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        Files.createDirectories(LOGS);
        Path stdout = LOGS.resolve(name + ".out");
        Path stderr = LOGS.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:+UseSerialGC",
            "-Dgrid.worker.warm-up=0",
            "-Dgrid.worker.probe-tags=off",
            "-Dlogback.configurationFile=logback-child.xml"));
        command.addAll(jvmOptions);
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Dgrid.data-dir="))) {
            // Its journal apart from every other grid's, and from the user's ~/.pekko-grid.
            command.add("-Dgrid.data-dir=" + DATA.resolve(name + "-" + System.nanoTime()).toAbsolutePath());
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .start();
        return new ChildNode(name, process, stdout, stderr);
    }

    /** A port nobody listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void readStdout(Path copy) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(copy), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                synchronized (lines) {
                    lines.add(line);
                }
                for (Map.Entry<String, CompletableFuture<String>> e : awaited.entrySet()) {
                    if (line.startsWith(e.getKey())) e.getValue().complete(line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        String end = name + " closed its stdout (exit status "
            + (process.isAlive() ? "none yet" : String.valueOf(process.exitValue())) + ")";
        awaited.values().forEach(f -> f.completeExceptionally(new IllegalStateException(end)));
    }

    /**
     * The first line of stdout that starts with {@code prefix}; fails with the node's stderr if
     * none appears within the timeout.
     */
    String awaitLine(String prefix, Duration timeout) throws Exception {
        CompletableFuture<String> line = awaited.computeIfAbsent(prefix, p -> new CompletableFuture<>());
        synchronized (lines) {
            for (String l : lines) if (l.startsWith(prefix)) line.complete(l);
        }
        if (!process.isAlive() && !line.isDone()) {
            throw new AssertionError(name + " exited with status " + process.exitValue() + " before printing \""
                + prefix + "\"; its stderr:\n" + stderrTail());
        }
        try {
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError(name + " did not print \"" + prefix + "\" within " + timeout.toSeconds()
                + "s (" + e.getMessage() + "); its stderr:\n" + stderrTail());
        }
    }

    /** Whether the node has printed a line starting with {@code prefix} so far. */
    boolean printed(String prefix) {
        synchronized (lines) {
            return lines.stream().anyMatch(l -> l.startsWith(prefix));
        }
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    /** Waits for the process to end by itself and returns its exit status. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + timeout.toSeconds() + "s; its stderr:\n" + stderrTail());
        }
        return process.exitValue();
    }

    /** Everything it printed on stdout so far. */
    List<String> stdout() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** kill -9: the JVM gets no chance to leave the cluster. */
    void crash() throws Exception {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether the node's stderr (its log) holds {@code fragment} so far. */
    /** How many times the node's log holds {@code fragment} so far. */
    int stderrCount(String fragment) {
        try {
            String log = Files.readString(stderr);
            int n = 0;
            for (int i = log.indexOf(fragment); i >= 0; i = log.indexOf(fragment, i + fragment.length())) n++;
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    boolean stderrContains(String fragment) {
        try {
            return Files.readString(stderr).contains(fragment);
        } catch (IOException e) {
            return false;
        }
    }

    /** Bytes the node has written to stderr (its log) so far. */
    long stderrBytes() throws IOException {
        return Files.size(stderr);
    }

    /** The node's stderr (its log) so far, line by line. */
    List<String> stderrLines() throws IOException {
        return Files.readAllLines(stderr);
    }

    String stderrTail() {
        try {
            List<String> all = Files.readAllLines(stderr);
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    /** Closes stdin (the node leaves and exits), then destroys it, then kills it. */
    @Override
    public void close() {
        stopAll(List.of(this));
    }

    /**
     * Stops these nodes together, whatever state they are in: closes their stdin so that they
     * leave the cluster and exit, then destroys those still running after 20 s, then kills
     * those still running 10 s later.
     */
    static void stopAll(List<ChildNode> nodes) {
        for (ChildNode n : nodes) {
            try {
                n.process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
        }
        awaitExit(nodes, Duration.ofSeconds(20));
        nodes.stream().filter(ChildNode::isAlive).forEach(n -> n.process.destroy());
        awaitExit(nodes, Duration.ofSeconds(10));
        nodes.stream().filter(ChildNode::isAlive).forEach(n -> n.process.destroyForcibly());
        awaitExit(nodes, Duration.ofSeconds(10));
    }

    private static void awaitExit(List<ChildNode> nodes, Duration timeout) {
        try {
            CompletableFuture.allOf(nodes.stream().map(n -> n.process.onExit()).toArray(CompletableFuture[]::new))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // the next step is harsher
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
