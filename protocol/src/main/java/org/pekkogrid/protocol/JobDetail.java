package org.pekkogrid.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One job as the head knows it: queued, running, or finished with its report.
 *
 * @param state   QUEUED, RUNNING, COMPLETED, FAILED or CANCELLED
 * @param outcome the workload's one-line summary when COMPLETED, why it failed when FAILED; null before
 * @param result  the workload's answer as JSON when COMPLETED; null otherwise
 * @param report  the full report once finished; null while running, and for jobs older than the
 *                last {@code grid.head.reports-kept} finished ones
 * @param thinned true when the report's long lists (chunkRows, queue, samples) were thinned evenly
 *                so the answer fits one network message: it went to an asker on another node than
 *                the coordinator's (ask the HTTP API of the head that hosts it for all of them)
 * @param queuePosition a QUEUED job's place in the head's queue, 1 for the job that starts next; 0 otherwise
 * @param acceptedAtMillis when a head first accepted it, wall clock (epoch ms); 0 when unknown (older records)
 * @param runMillis        how long it has run (RUNNING) or ran (finished), start to end; 0 when it never started
 * @param client           who submitted it: the client's host:port, "http", or "detached (host:port)"; null when unknown
 */
public record JobDetail(String job, String workload, String state, long chunksDone, long chunksTotal,
                        String outcome, JsonNode result, JobReport report, boolean thinned, int queuePosition,
                        long acceptedAtMillis, long runMillis, String client) {

    public JobDetail(String job, String workload, String state, long chunksDone, long chunksTotal, String outcome,
                     JsonNode result, JobReport report, boolean thinned, int queuePosition) {
        this(job, workload, state, chunksDone, chunksTotal, outcome, result, report, thinned, queuePosition, 0, 0, null);
    }

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
        return new ClusterStatus.Job(job, workload, state, chunksDone, chunksTotal, queuePosition, acceptedAtMillis,
            runMillis, client);
    }

    /** The same job, with when it was accepted, how long it ran and who submitted it. */
    public JobDetail withTimes(long newAcceptedAtMillis, long newRunMillis, String newClient) {
        return new JobDetail(job, workload, state, chunksDone, chunksTotal, outcome, result, report, thinned,
            queuePosition, newAcceptedAtMillis, newRunMillis, newClient);
    }

    public JobDetail withoutReport() {
        return withReport(null, false);
    }

    public JobDetail withReport(JobReport newReport, boolean isThinned) {
        return new JobDetail(job, workload, state, chunksDone, chunksTotal, outcome, result, newReport, isThinned,
            queuePosition, acceptedAtMillis, runMillis, client);
    }
}
