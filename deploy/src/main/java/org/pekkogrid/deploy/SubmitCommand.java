package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.JobSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Submit a job to a running grid: this process reaches its heads at --seed (host:port, or several "
        + "separated by commas) as a client, not a cluster member; follows the job, on another head if one stops "
        + "answering, and prints its result and report. Ctrl-C or SIGTERM cancels the job (exit status 4); with "
        + "--detach the command prints the job's id and exits, and the job runs on.")
final class SubmitCommand implements Callable<Integer> {

    @Mixin
    JobOptions job;

    @Mixin
    NodeOptions node;

    @Option(names = "--detach", description = "Print the job's id once the head accepted it and exit (0); the job runs "
        + "on without this client (`grid watch JOB` follows it, `grid cancel JOB` stops it).")
    boolean detach;

    @Option(names = "--jar", paramLabel = "FILE", description = "Run WORKLOAD from this jar, built against grid-api "
        + "(see examples/mandelbrot): it goes to the head first, unless the head has it already (by its SHA-256), and "
        + "workers fetch it from there; the head checks that the jar opens, holds WORKLOAD and takes its parameters "
        + "before it starts anything.")
    java.nio.file.Path jar;

    @Override
    public Integer call() throws Exception {
        JobSpec spec = job.spec();
        if (jar != null && !java.nio.file.Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("--jar " + jar + ": no such file");
        }
        Config config = node.load(Map.of());
        if (config.getStringList("grid.seeds").isEmpty()) {
            throw new IllegalArgumentException("say where the grid is: --seed HOST:PORT (or GRID_SEED)");
        }
        if (detach) {
            String alone = job.repeat > 1 ? "--repeat" : job.baseline ? "--baseline" : job.timings != null ? "--timings"
                : job.reportDir != null ? "--report" : null;
            if (alone != null) throw new IllegalArgumentException(alone + " needs the job's end: drop --detach");
        }
        try (GridClient client = GridClient.connect(config)) {
            if (jar != null) spec = spec.withJar(sendJar(client));
            if (detach) return JobSession.detach("grid submit", client, spec, job.json, System.out, System.err);
            return JobSession.run("grid submit", client, spec, job, jar, System.out, System.err);
        }
    }

    /** Sends --jar to the head, saying on stderr whether bytes travelled, and returns its SHA-256. */
    private String sendJar(GridClient client) {
        GridClient.JarSent sent;
        try {
            sent = client.sendJar(jar).toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IllegalArgumentException bad) throw bad;
            throw new IllegalStateException("the jar did not reach the head: " + cause, cause);
        }
        String name = sent.sha256().substring(0, 12);
        System.err.println(sent.bytesSent() == 0
            ? "grid submit: the head has jar " + name + " already (" + sent.sizeBytes() + " bytes): nothing sent"
            : "grid submit: sent jar " + name + " to the head (" + sent.bytesSent() + " bytes)");
        System.err.flush();
        return sent.sha256();
    }
}
