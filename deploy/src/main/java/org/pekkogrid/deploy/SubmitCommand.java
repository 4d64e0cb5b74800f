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

    @Override
    public Integer call() throws Exception {
        JobSpec spec = job.spec();
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
            if (detach) return JobSession.detach("grid submit", client, spec, job.json, System.out, System.err);
            return JobSession.run("grid submit", client, spec, job, System.out, System.err);
        }
    }
}
