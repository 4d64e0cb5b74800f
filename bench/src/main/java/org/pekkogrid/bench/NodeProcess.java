package org.pekkogrid.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A grid node (`grid head` or `grid worker`), or a client program, in a JVM of its own, started
 * from this JVM's classpath. It is ready when it prints its ready line; a node stops when its
 * standard input closes ({@code --exit-on-stdin-eof}), and failing that it is ended by its PID.
 */
final class NodeProcess implements AutoCloseable {

    /** The launcher, named rather than imported: bench does not depend on deploy. */
    static final String LAUNCHER = "org.pekkogrid.deploy.GridMain";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path log;
    private final String readyPrefix;
    private final String capturePrefix;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> outputClosed = new CompletableFuture<>();
    private final List<String> captured = new ArrayList<>();

    private NodeProcess(String name, Process process, Path log, String readyPrefix, String capturePrefix) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.readyPrefix = readyPrefix;
        this.capturePrefix = capturePrefix;
    }

    /**
     * Starts {@code java <jvmOptions> -cp <classpath> GridMain <args> --exit-on-stdin-eof} and waits
     * for a line of standard output that starts with {@code readyPrefix}.
     */
    static NodeProcess start(String name, List<String> jvmOptions, List<String> args, String readyPrefix, Path log)
            throws IOException {
        NodeProcess node = launchNode(name, jvmOptions, args, readyPrefix, log);
        node.awaitReady();
        return node;
    }

    /** As {@link #start}, without waiting for the ready line: several nodes start together, then {@link #awaitReady}. */
    static NodeProcess launchNode(String name, List<String> jvmOptions, List<String> args, String readyPrefix, Path log)
            throws IOException {
        List<String> nodeArgs = new ArrayList<>(args);
        nodeArgs.add("--exit-on-stdin-eof");
        return launch(name, jvmOptions, LAUNCHER, nodeArgs, readyPrefix, null, log);
    }

    /**
     * Starts {@code java <jvmOptions> -cp <classpath> <mainClass> <args>} and returns at once; its
     * lines that start with {@code capturePrefix} (none if null) are kept for {@link #captured()}.
     */
    static NodeProcess launch(String name, List<String> jvmOptions, String mainClass, List<String> args,
                              String readyPrefix, String capturePrefix, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        NodeProcess node = new NodeProcess(name, process, log, readyPrefix, capturePrefix);
        node.follow();
        return node;
    }

    /** Waits for the ready line; stops the process and says why if none comes. */
    void awaitReady() {
        try {
            ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException(name + ": interrupted while it started");
        } catch (ExecutionException | TimeoutException e) {
            close();
            String why = e instanceof TimeoutException ? "printed no \"" + readyPrefix + "\" line within "
                + READY_TIMEOUT.toSeconds() + "s" : e.getCause().getMessage();
            throw new IllegalStateException(name + " did not start: " + why + "; its output is in " + log);
        }
    }

    String readyLine() {
        return ready.join();
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Writes one line to its standard input. */
    void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /**
     * Waits until it exits by itself and all its output is read; returns its exit status, or
     * throws if it still runs after {@code timeout} (it is then stopped).
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) throw new TimeoutException();
            outputClosed.get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException(name + " still ran after " + timeout.toSeconds() + "s; its output is in " + log);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": its output could not be read", e.getCause());
        }
        return process.exitValue();
    }

    /** The lines it printed that start with the capture prefix, in order. */
    List<String> captured() {
        synchronized (captured) {
            return List.copyOf(captured);
        }
    }

    /** Copies the process's output to its log and watches for the ready line (or an early exit). */
    private void follow() {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    if (line.startsWith(readyPrefix)) ready.complete(line);
                    if (capturePrefix != null && line.startsWith(capturePrefix)) {
                        synchronized (captured) {
                            captured.add(line);
                        }
                    }
                }
            } catch (IOException e) {
                // the process went away; the wait below reports it
            }
            outputClosed.complete(null);
            try {
                int status = process.waitFor();
                ready.completeExceptionally(new IllegalStateException("it exited with status " + status));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-" + name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Closes its input: it then leaves the cluster and exits. */
    private void requestStop() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Stops it: asks, waits, then ends it by its PID if it lingers. */
    @Override
    public void close() {
        requestStop();
        try {
            if (process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) return;
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
            if (process.waitFor(5, TimeUnit.SECONDS)) return;
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** This JVM's classpath with every entry made absolute: grid.jar alone, or Maven's module directories. */
    static String classpath() {
        String separator = System.getProperty("path.separator");
        return String.join(separator, Arrays.stream(System.getProperty("java.class.path").split(separator))
            .filter(s -> !s.isBlank()).map(s -> Path.of(s).toAbsolutePath().toString()).toList());
    }
}
