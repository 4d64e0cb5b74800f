package org.pekkogrid.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.ClusterStatus;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "jobs", mixinStandardHelpOptions = true, sortOptions = false,
    description = "List a grid's jobs: the recently finished ones (the last 20; --limit N, or --all for every one the "
        + "head remembers: grid.head.finished-jobs-kept), those running, then those queued, with their state, progress, "
        + "chunks/s or run time, age and client.")
final class JobsCommand implements Callable<Integer> {

    /** Finished jobs listed unless --limit or --all says otherwise. */
    static final int DEFAULT_FINISHED = 20;

    @Mixin
    NodeOptions node;

    @Option(names = "--http", paramLabel = "HOST:PORT",
        description = "Read a head's JSON HTTP API (such as 127.0.0.1:8558) instead of its cluster port.")
    String http;

    static final class HowMany {
        @Option(names = "--limit", paramLabel = "N", description = "List the last N finished jobs (default 20).")
        Integer limit;

        @Option(names = "--all", description = "List every finished job the head remembers.")
        boolean all;
    }

    @ArgGroup(exclusive = true)
    HowMany howMany;

    @Option(names = "--json", description = "Print one JSON object: {\"jobs\": [...], \"queued\", \"finished\", \"finishedListed\"}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int limit = howMany == null ? DEFAULT_FINISHED : howMany.all ? Integer.MAX_VALUE
            : howMany.limit;
        if (limit < 0) throw new IllegalArgumentException("--limit cannot be negative, got " + limit);
        ClusterStatus status;
        if (http != null) {
            status = new HeadApiClient(http).status();
        } else {
            try (GridClient client = node.connect()) {
                status = client.status().toCompletableFuture().get(15, TimeUnit.SECONDS);
            }
        }
        List<ClusterStatus.Job> finished = new ArrayList<>();
        List<ClusterStatus.Job> open = new ArrayList<>();
        for (ClusterStatus.Job j : status.jobs()) (ended(j) ? finished : open).add(j);
        List<ClusterStatus.Job> shown = new ArrayList<>(finished.subList(Math.max(0, finished.size() - limit),
            finished.size()));
        shown.addAll(open);
        long now = System.currentTimeMillis();
        if (json) {
            ObjectNode o = JobSession.JSON.createObjectNode();
            ArrayNode rows = o.putArray("jobs");
            for (ClusterStatus.Job j : shown) rows.add(JobSession.JSON.valueToTree(j));
            o.put("queued", status.queuedJobs());
            o.put("finished", finished.size());
            o.put("finishedListed", shown.size() - open.size());
            System.out.println(JobSession.JSON.writeValueAsString(o));
            return GridMain.COMPLETED;
        }
        if (shown.isEmpty()) {
            System.out.println("no jobs yet");
            return GridMain.COMPLETED;
        }
        String format = "%-20s %-16s %-12s %-20s %-14s %-8s %s%n";
        System.out.printf(Locale.ROOT, format, "JOB", "WORKLOAD", "STATE", "PROGRESS", "RATE / RUN", "AGE", "CLIENT");
        int queuedListed = 0;
        for (ClusterStatus.Job j : shown) {
            String state = j.state();
            if (j.queuePosition() > 0) {
                state += " #" + j.queuePosition();
                queuedListed++;
            }
            System.out.printf(Locale.ROOT, format, j.job(), j.workload(), state, progress(j), rateOrRun(j),
                j.acceptedAtMillis() > 0 ? duration(Math.max(0, now - j.acceptedAtMillis())) : "-",
                j.client() == null ? "-" : j.client());
        }
        if (finished.size() > shown.size() - open.size()) {
            System.out.printf(Locale.ROOT, "(%d older finished jobs not listed: --all lists them)%n",
                finished.size() - (shown.size() - open.size()));
        }
        if (status.queuedJobs() > queuedListed) {
            System.out.printf(Locale.ROOT, "... and %d more QUEUED (%d in all)%n", status.queuedJobs() - queuedListed,
                status.queuedJobs());
        }
        return GridMain.COMPLETED;
    }

    private static boolean ended(ClusterStatus.Job j) {
        return !j.state().equals("RUNNING") && !j.state().equals("QUEUED");
    }

    static String progress(ClusterStatus.Job j) {
        if (j.chunksTotal() <= 0) return "-";
        return String.format(Locale.ROOT, "%.0f%% %d/%d", Math.floor(100.0 * j.chunksDone() / j.chunksTotal()),
            j.chunksDone(), j.chunksTotal());
    }

    /** A running job's chunks/s; a finished one's run time. */
    static String rateOrRun(ClusterStatus.Job j) {
        if (j.runMillis() <= 0) return "-";
        if (ended(j)) return duration(j.runMillis());
        return String.format(Locale.ROOT, "%.0f chunks/s", j.chunksDone() * 1000.0 / j.runMillis());
    }

    /** 850 ms, 4.2 s, 3 m 05 s, 2 h 03 m, 3 d 04 h. */
    static String duration(long millis) {
        if (millis < 1000) return millis + " ms";
        if (millis < 60_000) return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        long s = millis / 1000;
        if (s < 3600) return String.format(Locale.ROOT, "%d m %02d s", s / 60, s % 60);
        if (s < 86_400) return String.format(Locale.ROOT, "%d h %02d m", s / 3600, s % 3600 / 60);
        return String.format(Locale.ROOT, "%d d %02d h", s / 86_400, s % 86_400 / 3600);
    }
}
