package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.ClusterStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a running grid's members and jobs.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node;

    @Option(names = "--json", description = "Print one JSON object: members and jobs.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Config config = node.load(Map.of());
        if (config.getStringList("grid.seeds").isEmpty()) {
            throw new IllegalArgumentException("say where the grid is: --seed HOST:PORT (or GRID_SEED)");
        }
        try (GridClient client = GridClient.connect(config)) {
            ClusterStatus status = client.status().toCompletableFuture().get(15, TimeUnit.SECONDS);
            if (json) {
                System.out.println(JobSession.JSON.writeValueAsString(status));
            } else {
                print(status);
            }
        }
        return GridMain.COMPLETED;
    }

    private static void print(ClusterStatus status) {
        System.out.printf(Locale.ROOT, "%-36s %-20s %-8s %-10s %5s %5s  %s%n", "member", "roles", "status", "reachable",
            "cores", "slots", "tags");
        for (ClusterStatus.Member m : status.members()) {
            System.out.printf(Locale.ROOT, "%-36s %-20s %-8s %-10s %5d %5d  %s%n", m.address(), String.join(",", m.roles()),
                m.status(), m.reachable() ? "yes" : "NO", m.cores(), m.slots(), String.join(",", m.tags()));
        }
        System.out.println();
        if (status.jobs().isEmpty()) {
            System.out.println("no jobs yet");
            return;
        }
        System.out.printf(Locale.ROOT, "%-20s %-16s %-10s %s%n", "job", "workload", "state", "chunks done");
        for (ClusterStatus.Job j : status.jobs()) {
            System.out.printf(Locale.ROOT, "%-20s %-16s %-10s %d / %d%n", j.job(), j.workload(), j.state(), j.chunksDone(),
                j.chunksTotal());
        }
    }
}
