package org.pekkogrid.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobSpec;

/**
 * One of the crowd of {@link ClientCrowdTest}: a program of a user's, in a JVM of its own, that
 * connects to the grid at its first argument and runs the jobs {@link ClientCrowdTest#jobs} names
 * for its second, all at once. It prints one line per job, {@code JOB <n> <status> <result> <error>},
 * then exits.
 */
public final class CrowdClient {

    private CrowdClient() {}

    public static void main(String[] args) throws Exception {
        String seed = args[0];
        int client = Integer.parseInt(args[1]);
        try (GridClient grid = GridClient.connect(seed)) {
            List<JobSpec> specs = ClientCrowdTest.jobs(client);
            List<JobHandle> handles = new ArrayList<>();
            for (JobSpec spec : specs) handles.add(grid.submit(spec));
            for (int i = 0; i < handles.size(); i++) {
                JobResult r = handles.get(i).result().toCompletableFuture().get(3, TimeUnit.MINUTES);
                System.out.println("JOB " + i + " " + r.status() + " " + r.result() + " " + r.error());
            }
        }
        System.exit(0);
    }
}
