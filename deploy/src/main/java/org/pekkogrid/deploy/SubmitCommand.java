package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.JobSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Submit a job to a running grid: this process reaches its heads at --seed (host:port, or several "
        + "separated by commas) as a client, not a cluster member; follows the job, on another head if one stops "
        + "answering, and prints its result and report.")
final class SubmitCommand implements Callable<Integer> {

    @Mixin
    JobOptions job;

    @Mixin
    NodeOptions node;

    @Override
    public Integer call() throws Exception {
        JobSpec spec = job.spec();
        Config config = node.load(Map.of());
        if (config.getStringList("grid.seeds").isEmpty()) {
            throw new IllegalArgumentException("say where the grid is: --seed HOST:PORT (or GRID_SEED)");
        }
        try (GridClient client = GridClient.connect(config)) {
            return JobSession.run("grid submit", client, spec, job, System.out, System.err);
        }
    }
}
