package org.pekkogrid.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a client hears about its job: Accepted or Rejected; Queued while it waits for a running
 * job to end; then Progress, then Completed, Failed or Cancelled.
 */
public sealed interface JobEvent extends GridMessage {

    String jobId();

    /**
     * The head holds the job: it runs, or it waits in the head's queue (then {@link Queued} follows).
     * A queued job is Accepted again by its runner when it starts.
     *
     * @param runner the job's runner, which a cancel may go to directly; null while the job is queued
     */
    record Accepted(String jobId, String workload, long chunks, Requirements requires,
                    ActorRef<RunnerCommand> runner) implements JobEvent {}

    /**
     * The job waits for one of the jobs running to end ({@code grid.head.max-jobs} run at once).
     * Sent when it is queued, when its position changes (at most every
     * {@code grid.head.progress-interval}) and to whoever follows it.
     *
     * @param position 1 for the job that starts next
     */
    record Queued(String jobId, int position) implements JobEvent {}

    /** Bad input: nothing was started. */
    record Rejected(String jobId, String reason) implements JobEvent {}

    record Progress(String jobId, long chunksDone, long chunksTotal, long retries, long failedItems,
                    long elapsedMillis, int slots) implements JobEvent {}

    /**
     * The long lists of a finished job's report, sent just before Completed or Failed in
     * bounded pieces (which carry the report without them), so no message outgrows a frame.
     */
    record ReportPart(String jobId, java.util.List<JobReport.ChunkRow> chunkRows,
                      java.util.List<JobReport.QueuePoint> queue, java.util.List<JobReport.NodeSample> samples)
        implements JobEvent {}

    /** Per-chunk timings, streamed while the job runs when the job asked for them. */
    record Timings(String jobId, java.util.List<JobReport.ChunkRow> rows) implements JobEvent {}

    /**
     * @param result  the workload's aggregate as JSON (for the pi workloads, the estimate as a number)
     * @param summary one line for people
     */
    record Completed(String jobId, JsonNode result, String summary, JobReport report) implements JobEvent {}

    record Failed(String jobId, String reason, JobReport report) implements JobEvent {}

    /**
     * Someone stopped the job: its client ({@code grid cancel}, {@code DELETE /v1/jobs/{id}}, Ctrl-C),
     * or its client left. The report says how far it got; null when it was cancelled while queued.
     */
    record Cancelled(String jobId, String reason, JobReport report) implements JobEvent {}

    /**
     * The answer to {@link CoordinatorCommand.FollowJob} for a job the coordinator does not know:
     * it never existed, it finished longer ago than the coordinator remembers, or it ran on a
     * coordinator that has since stopped.
     */
    record NotFound(String jobId, String reason) implements JobEvent {}
}
