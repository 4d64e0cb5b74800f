package org.pekkogrid.protocol;

/**
 * One job as the head knows it: running, or finished with its report.
 *
 * @param state   RUNNING, COMPLETED or FAILED
 * @param outcome the workload's one-line summary when COMPLETED, why it failed when FAILED; null while running
 * @param report  the full report once finished; null while running, and for jobs older than the
 *                last {@code grid.head.reports-kept} finished ones
 */
public record JobDetail(String job, String workload, String state, long chunksDone, long chunksTotal,
                        String outcome, JobReport report) {

    public ClusterStatus.Job row() {
        return new ClusterStatus.Job(job, workload, state, chunksDone, chunksTotal);
    }

    public JobDetail withoutReport() {
        return new JobDetail(job, workload, state, chunksDone, chunksTotal, outcome, null);
    }
}
