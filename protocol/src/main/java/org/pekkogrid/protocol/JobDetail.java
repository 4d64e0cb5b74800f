package org.pekkogrid.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One job as the head knows it: queued, running, or finished with its report.
 *
 * @param state   QUEUED, RUNNING, COMPLETED or FAILED
 * @param outcome the workload's one-line summary when COMPLETED, why it failed when FAILED; null before
 * @param result  the workload's answer as JSON when COMPLETED; null otherwise
 * @param report  the full report once finished; null while running, and for jobs older than the
 *                last {@code grid.head.reports-kept} finished ones
 * @param thinned true when the report's long lists (chunkRows, queue, samples) were thinned evenly
 *                so the answer fits one network message: it went to an asker on another node than
 *                the coordinator's (ask the HTTP API of the head that hosts it for all of them)
 * @param queuePosition a QUEUED job's place in the head's queue, 1 for the job that starts next; 0 otherwise
 */
public record JobDetail(String job, String workload, String state, long chunksDone, long chunksTotal,
                        String outcome, JsonNode result, JobReport report, boolean thinned, int queuePosition) {

    public JobDetail(String job, String workload, String state, long chunksDone, long chunksTotal, String outcome,
                     JsonNode result, JobReport report, boolean thinned) {
        this(job, workload, state, chunksDone, chunksTotal, outcome, result, report, thinned, 0);
    }

    public JobDetail(String job, String workload, String state, long chunksDone, long chunksTotal, String outcome,
                     JsonNode result, JobReport report) {
        this(job, workload, state, chunksDone, chunksTotal, outcome, result, report, false);
    }

    /** A job waiting in the head's queue: none of its chunks ran yet. */
    public static JobDetail queued(String job, String workload, long chunksTotal, int queuePosition) {
        return new JobDetail(job, workload, "QUEUED", 0, chunksTotal, null, null, null, false, queuePosition);
    }

    public ClusterStatus.Job row() {
        return new ClusterStatus.Job(job, workload, state, chunksDone, chunksTotal, queuePosition);
    }

    public JobDetail withoutReport() {
        return withReport(null, false);
    }

    public JobDetail withReport(JobReport newReport, boolean isThinned) {
        return new JobDetail(job, workload, state, chunksDone, chunksTotal, outcome, result, newReport, isThinned,
            queuePosition);
    }
}
