package org.pekkogrid.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A grid node in a JVM of its own ({@code GridMain} on this test's classpath). Its stdout is
 * watched for the ready line; stdout and stderr go to a log file beside it.
 */
final class ChildJvm implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("(?:head|worker) ready at (\\S+:\\d+)");

    private final String name;
    private final Process process;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(String name, Path logDir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // Small and quick to start: three of these share two cores with the test.
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), GridMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Path log = logDir.resolve(name + ".log");
        ChildJvm child = new ChildJvm(name, builder.start(), log);
        child.watchOutput();
        return child;
    }

    private void watchOutput() {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    Matcher m = READY.matcher(line);
                    if (m.find()) ready.complete(m.group(1));
                }
            } catch (IOException e) {
                // the process is gone
            }
            ready.completeExceptionally(new IllegalStateException(name + " exited (status "
                + (process.isAlive() ? "?" : process.exitValue()) + ") before it was ready; see " + log));
        }, name + "-output");
        t.setDaemon(true);
        t.start();
    }

    /** The node's {@code host:port} once it printed its ready line. */
    String awaitReady(long seconds) throws Exception {
        return ready.get(seconds, TimeUnit.SECONDS);
    }

    long pid() {
        return process.pid();
    }

    /** {@code kill -9}: no shutdown hook, no goodbye to the cluster. */
    void kill() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    /** Closes the node's stdin: {@code --exit-on-stdin-eof} makes it leave the cluster and exit. */
    void askToStop() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Asks the node to stop, and kills it by its pid if it has not within a few seconds. */
    @Override
    public void close() {
        askToStop();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) kill();
        } catch (InterruptedException e) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
