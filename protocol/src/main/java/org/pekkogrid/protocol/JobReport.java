package org.pekkogrid.protocol;

import java.util.List;

/**
 * How the grid ran one job: the figures of a performance-lab report.
 *
 * @param latencyMillis          response time of each chunk: dispatch by the head to its result at the head
 * @param runMillis              run time of each chunk on its worker
 * @param retries                chunk attempts dispatched again, for any reason
 * @param failedAttempts         attempts that threw
 * @param timedOut               attempts re-dispatched after the chunk timeout
 * @param requeued               chunks re-queued because their node or slot was lost
 * @param duplicates             results that arrived for chunks already counted, and were dropped
 * @param failedChunks           chunks that exhausted their retries
 * @param nodeResponseVariance   variance of the nodes' mean response times, in ms²
 * @param baselineMillis         the sequential baseline's run time, when one ran
 * @param speedup                baseline time / makespan, when a baseline ran
 * @param efficiency             speedup per core, when a baseline ran
 */
public record JobReport(String jobId, String workload, long chunks, long chunksDone, long items,
                        int slots, int cores, double makespanMillis, double chunksPerSecond,
                        double itemsPerSecond, Percentiles latencyMillis, Percentiles runMillis,
                        long retries, long failedAttempts, long timedOut, long requeued,
                        long duplicates, long failedChunks, long failedItems,
                        List<RunnerCommand.ItemFailure> failedItemSamples, List<NodeReport> nodes,
                        double nodeResponseVariance, Double baselineMillis, Double speedup,
                        Double efficiency) {

    public JobReport withBaseline(double baselineMs) {
        double s = makespanMillis > 0 ? baselineMs / makespanMillis : 0;
        return new JobReport(jobId, workload, chunks, chunksDone, items, slots, cores, makespanMillis,
            chunksPerSecond, itemsPerSecond, latencyMillis, runMillis, retries, failedAttempts, timedOut,
            requeued, duplicates, failedChunks, failedItems, failedItemSamples, nodes,
            nodeResponseVariance, baselineMs, s, cores > 0 ? s / cores : null);
    }

    /** Percentiles of a distribution, in milliseconds. */
    public record Percentiles(double p50, double p95, double p99, double max, double mean, long count) {
        public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0);
    }

    /**
     * One node's share of the job.
     *
     * @param busyMillis         time its slots spent running this job's chunks
     * @param meanResponseMillis mean dispatch-to-result time of its chunks
     * @param efficiency         busy time / (slots x makespan)
     */
    public record NodeReport(String address, int slots, int cores, long chunks, double busyMillis,
                             double meanResponseMillis, double efficiency) {}
}
