package org.pekkogrid.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.CoordinatorCommand.CancelAnswer;
import org.pekkogrid.protocol.JobDetail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Cancel a queued or running job: one submitted with `grid submit --detach` or over the HTTP API. A "
        + "job whose `grid submit` still follows it is that client's to cancel (Ctrl-C on it). Prints what happened; "
        + "exit status 0 when the job was cancelled, 1 when it had already ended or may not be cancelled from here, "
        + "2 for a job the head does not know.")
final class CancelCommand implements Callable<Integer> {

    /** How long the command waits to see the job end CANCELLED before it reports the cancel as under way. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    @Parameters(index = "0", paramLabel = "JOB", description = "The job's id, as `grid jobs` lists it.")
    String jobId;

    @Mixin
    NodeOptions node;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the job's outcome (default: asked by grid cancel).")
    String reason;

    @Option(names = "--json", description = "Print one JSON object: job, cancelled, state, chunksDone, chunksTotal, message.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (GridClient client = node.connect()) {
            Optional<JobDetail> before = lookup(client);
            if (before.isEmpty()) {
                throw new IllegalArgumentException("no job \"" + jobId + "\": the head knows its queued and running jobs "
                    + "and the last finished ones (grid.head.finished-jobs-kept); `grid jobs --all` lists them");
            }
            JobDetail job = before.get();
            if (!job.state().equals("RUNNING") && !job.state().equals("QUEUED")) {
                return report(false, job, "job " + jobId + " had already ended " + job.state() + "; nothing to cancel",
                    GridMain.FAILED);
            }
            String why = reason != null ? reason : "asked by grid cancel";
            CancelAnswer answer = client.cancel(jobId, why).toCompletableFuture().get(15, TimeUnit.SECONDS);
            if (!answer.cancelling()) return report(false, job, "job " + jobId + " was not cancelled: " + answer.reason(),
                GridMain.FAILED);
            JobDetail after = awaitEnd(client, job);
            boolean beaten = !after.state().equals("CANCELLED") && !after.state().equals("RUNNING")
                && !after.state().equals("QUEUED");
            String message = after.state().equals("CANCELLED")
                ? "cancelled " + jobId + " (" + job.workload() + ", " + describe(job.state(), after) + ")"
                : after.state().equals("RUNNING") || after.state().equals("QUEUED")
                ? "cancelling " + jobId + ": asked; it was still " + after.state() + " after " + SETTLE.toSeconds() + " s"
                : "job " + jobId + " ended " + after.state() + " before the cancel reached it";
            return report(!beaten, after, message, beaten ? GridMain.FAILED : GridMain.COMPLETED);
        }
    }

    private Optional<JobDetail> lookup(GridClient client) throws Exception {
        return client.job(jobId).toCompletableFuture().get(15, TimeUnit.SECONDS).job();
    }

    /** The job once it ended, or as it is when it has not within {@link #SETTLE}. */
    private JobDetail awaitEnd(GridClient client, JobDetail job) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        JobDetail now = job;
        while (System.nanoTime() < deadline) {
            Optional<JobDetail> seen = lookup(client);
            if (seen.isEmpty()) return now;
            now = seen.get();
            if (!now.state().equals("RUNNING") && !now.state().equals("QUEUED")) return now;
            Thread.sleep(100);
        }
        return now;
    }

    private static String describe(String was, JobDetail after) {
        if (was.equals("QUEUED")) return "it was queued: nothing of it ran";
        return after.chunksDone() + " of " + after.chunksTotal() + " chunks done";
    }

    private int report(boolean cancelled, JobDetail job, String message, int status) throws Exception {
        if (json) {
            ObjectNode o = JobSession.JSON.createObjectNode();
            o.put("job", jobId);
            o.put("cancelled", cancelled);
            o.put("state", job.state());
            o.put("chunksDone", job.chunksDone());
            o.put("chunksTotal", job.chunksTotal());
            o.put("message", message);
            System.out.println(JobSession.JSON.writeValueAsString(o));
        } else {
            System.out.println(message);
        }
        System.out.flush();
        return status;
    }
}
