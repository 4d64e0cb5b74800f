package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobLookup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a running grid's members (with their metrics and HTTP ports) and jobs, from a head at "
        + "--seed (its cluster port; this process does not join the cluster) or from a head's HTTP API (--http).")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node;

    @Option(names = "--http", paramLabel = "HOST:PORT",
        description = "Read a head's JSON HTTP API (such as 127.0.0.1:8558) instead of its cluster port.")
    String http;

    @Option(names = "--job", paramLabel = "ID",
        description = "Print one job: state, progress, result and the report's key figures (--json: as one object; "
            + "--full: the whole report as JSON, per-chunk rows and all).")
    String job;

    @Option(names = "--full", description = "With --job: the job's whole report as JSON (can weigh megabytes).")
    boolean full;

    @Option(names = "--json", description = "Print one JSON object: members and jobs, or with --job the job's summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (http != null) {
            HeadApiClient api = new HeadApiClient(http);
            if (job != null) return printJob(api.job(job, full));
            print(api.status());
            return GridMain.COMPLETED;
        }
        Config config = node.load(Map.of());
        if (config.getStringList("grid.seeds").isEmpty()) {
            throw new IllegalArgumentException("say where the grid is: --seed HOST:PORT (or GRID_SEED), or a head's "
                + "HTTP API with --http HOST:PORT");
        }
        try (GridClient client = GridClient.connect(config)) {
            if (job != null) {
                JobLookup found = client.job(job).toCompletableFuture().get(15, TimeUnit.SECONDS);
                return printJob(found.job());
            }
            print(client.status().toCompletableFuture().get(15, TimeUnit.SECONDS));
        }
        return GridMain.COMPLETED;
    }

    private int printJob(Optional<JobDetail> found) throws Exception {
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no job \"" + job + "\": the head knows its queued and running jobs and the last "
                + "finished ones (`grid jobs --all` lists them)");
        }
        if (full) {
            System.out.println(JobSession.JSON.writeValueAsString(found.get()));
        } else if (json) {
            System.out.println(JobSession.JSON.writeValueAsString(JobSummary.json(found.get())));
        } else {
            JobSummary.print(System.out, found.get());
        }
        return GridMain.COMPLETED;
    }

    private void print(ClusterStatus status) throws Exception {
        if (json) {
            System.out.println(JobSession.JSON.writeValueAsString(status));
        } else {
            printTable(status);
        }
    }

    private static void printTable(ClusterStatus status) {
        System.out.printf(Locale.ROOT, "%-36s %-20s %-8s %-10s %5s %5s %7s %5s  %s%n", "member", "roles", "status",
            "reachable", "cores", "slots", "metrics", "http", "tags");
        for (ClusterStatus.Member m : status.members()) {
            System.out.printf(Locale.ROOT, "%-36s %-20s %-8s %-10s %5d %5d %7s %5s  %s%s%n", m.address(),
                String.join(",", m.roles()), m.status(), m.reachable() ? "yes" : "NO", m.cores(), m.slots(),
                port(m.metricsPort()), port(m.httpPort()), String.join(",", m.tags()), stuck(m.stuckThreads()));
        }
        if (status.members().stream().anyMatch(m -> m.logFile() != null)) {
            System.out.println("logs (besides stderr, on each node's host):");
            for (ClusterStatus.Member m : status.members()) {
                System.out.printf(Locale.ROOT, "  %-36s %s%n", m.address(),
                    m.logFile() != null ? m.logFile() : "stderr only (started without --log-dir)");
            }
        } else {
            System.out.println("logs: every node logs to its stderr only (start it with --log-dir DIR for a file)");
        }
        System.out.println();
        if (status.jobs().isEmpty()) {
            System.out.println("no jobs yet");
            return;
        }
        System.out.printf(Locale.ROOT, "%-20s %-16s %-10s %s%n", "job", "workload", "state", "chunks done");
        int queuedListed = 0;
        for (ClusterStatus.Job j : status.jobs()) {
            String state = j.state();
            if (j.queuePosition() > 0) {
                state = state + " #" + j.queuePosition();
                queuedListed++;
            }
            System.out.printf(Locale.ROOT, "%-20s %-16s %-10s %d / %d%n", j.job(), j.workload(), state, j.chunksDone(),
                j.chunksTotal());
        }
        if (status.queuedJobs() > queuedListed) {
            System.out.printf(Locale.ROOT, "... and %d more QUEUED (%d in all)%n", status.queuedJobs() - queuedListed,
                status.queuedJobs());
        }
    }

    /** Said only when there are some: a node exits once they outnumber its cores. */
    private static String stuck(int threads) {
        return threads == 0 ? "" : "  " + threads + (threads == 1 ? " STUCK THREAD" : " STUCK THREADS");
    }

    private static String port(int port) {
        return port > 0 ? Integer.toString(port) : "-";
    }
}
