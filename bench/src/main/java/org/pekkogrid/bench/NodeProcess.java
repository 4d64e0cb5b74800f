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
 * A grid node (`grid head` or `grid worker`) in a JVM of its own, started from this JVM's
 * classpath. It is ready when it prints its ready line; it stops when its standard input closes
 * ({@code --exit-on-stdin-eof}), and failing that it is ended by its PID.
 */
final class NodeProcess implements AutoCloseable {

    /** The launcher, named rather than imported: bench does not depend on deploy. */
    static final String LAUNCHER = "org.pekkogrid.deploy.GridMain";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private NodeProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmOptions> -cp <classpath> GridMain <args> --exit-on-stdin-eof} and waits
     * for a line of standard output that starts with {@code readyPrefix}.
     */
    static NodeProcess start(String name, List<String> jvmOptions, List<String> args, String readyPrefix, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath());
        command.add(LAUNCHER);
        command.addAll(args);
        command.add("--exit-on-stdin-eof");
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        NodeProcess node = new NodeProcess(name, process, log);
        node.follow(readyPrefix);
        try {
            node.ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.close();
            throw new IllegalStateException(name + ": interrupted while it started");
        } catch (ExecutionException | TimeoutException e) {
            node.close();
            String why = e instanceof TimeoutException ? "printed no \"" + readyPrefix + "\" line within "
                + READY_TIMEOUT.toSeconds() + "s" : e.getCause().getMessage();
            throw new IllegalStateException(name + " did not start: " + why + "; its output is in " + log);
        }
        return node;
    }

    String readyLine() {
        return ready.join();
    }

    /** Copies the node's output to its log and watches for the ready line (or an early exit). */
    private void follow(String readyPrefix) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    if (line.startsWith(readyPrefix)) ready.complete(line);
                }
            } catch (IOException e) {
                // the process went away; the wait below reports it
            }
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
