package org.pekkogrid.protocol;

import java.util.List;

/**
 * How the grid ran one job: the figures of a performance-lab report.
 *
 * @param startedAt              when the job started (ISO-8601): when the head accepted it, or took it
 *                               from its queue; a resumed job's, when it was first accepted
 * @param latencyMillis          response time of each chunk: dispatch by the head to its result at the head
 * @param runMillis              run time of each chunk on its worker
 * @param retries                chunk attempts dispatched again, for any reason
 * @param failedAttempts         attempts that threw
 * @param timedOut               attempts re-dispatched after the chunk timeout
 * @param requeued               chunks re-queued because their node or slot was lost
 * @param duplicates             results that arrived for chunks already counted, and were dropped
 * @param failedChunks           chunks that exhausted their retries
 * @param failureRate            failed attempts per chunk attempt that ended (items that failed
 *                               inside a chunk that ran are not attempts: see {@code failedItems})
 * @param nodeResponseVariance   variance of the nodes' mean response times, in ms²
 * @param queue                  the job's queue over time, sampled on the head
 * @param samples                CPU and memory of the nodes over time, sampled on each node
 * @param chunkRows              per-chunk timings, up to the head's cap (grid.head.report.chunk-rows)
 * @param chunkRowsDropped       rows beyond the cap (stream them all with --timings FILE)
 * @param baselineMillis         the sequential baseline's run time, when one ran
 * @param speedup                baseline time / makespan, when a baseline ran
 * @param efficiency             speedup per core, when a baseline ran
 * @param resumes                each time a standby coordinator took the job over from the journal
 * @param workerDeaths           worker nodes lost (dead or cut off) while running one of this job's batches
 * @param speculativeLaunches    second copies of slow chunks started on idle slots near the job's end
 * @param speculativeWins        of those, copies whose result came first
 * @param ceilingMillis          the ceiling's run time, when a baseline ran: the job's own chunks on
 *                               a plain ForkJoinPool of every core of the client's JVM, no grid
 * @param ceilingSpeedup         baseline time / ceiling time: what the cores give without a grid
 * @param ofCeiling              ceiling time / makespan: the share of that the grid delivers
 */
public record JobReport(String jobId, String workload, String startedAt, long chunks, long chunksDone, long items,
                        int slots, int cores, double makespanMillis, double chunksPerSecond,
                        double itemsPerSecond, Percentiles latencyMillis, Percentiles runMillis,
                        long retries, long failedAttempts, long timedOut, long requeued,
                        long duplicates, long failedChunks, long failedItems, double failureRate,
                        List<RunnerCommand.ItemFailure> failedItemSamples, List<NodeReport> nodes,
                        double nodeResponseVariance, List<QueuePoint> queue, List<NodeSample> samples,
                        List<ChunkRow> chunkRows, long chunkRowsDropped,
                        Double baselineMillis, Double speedup, Double efficiency, List<Resume> resumes,
                        long workerDeaths, long speculativeLaunches, long speculativeWins,
                        Double ceilingMillis, Double ceilingSpeedup, Double ofCeiling) {

    public JobReport {
        resumes = resumes == null ? List.of() : resumes;
    }

    /**
     * This report beside the runs of the same job in the client's JVM without a grid: the
     * single-thread baseline and, when it ran, the ceiling (see {@code ceilingMillis}).
     */
    public JobReport withBaseline(double baselineMs, Double ceilingMs) {
        double s = makespanMillis > 0 ? baselineMs / makespanMillis : 0;
        Double ceilingSpeedup = ceilingMs == null || ceilingMs <= 0 ? null : baselineMs / ceilingMs;
        Double ofCeiling = ceilingMs == null || makespanMillis <= 0 ? null : ceilingMs / makespanMillis;
        return new JobReport(jobId, workload, startedAt, chunks, chunksDone, items, slots, cores, makespanMillis,
            chunksPerSecond, itemsPerSecond, latencyMillis, runMillis, retries, failedAttempts, timedOut,
            requeued, duplicates, failedChunks, failedItems, failureRate, failedItemSamples, nodes,
            nodeResponseVariance, queue, samples, chunkRows, chunkRowsDropped, baselineMs, s,
            cores > 0 ? s / cores : null, resumes, workerDeaths, speculativeLaunches, speculativeWins, ceilingMs,
            ceilingSpeedup, ofCeiling);
    }

    /** This report without its long lists (they travel as {@link JobEvent.ReportPart}s). */
    public JobReport withoutSeries() {
        return withSeries(List.of(), List.of(), List.of());
    }

    public JobReport withSeries(List<ChunkRow> rows, List<QueuePoint> queuePoints, List<NodeSample> nodeSamples) {
        return new JobReport(jobId, workload, startedAt, chunks, chunksDone, items, slots, cores, makespanMillis,
            chunksPerSecond, itemsPerSecond, latencyMillis, runMillis, retries, failedAttempts, timedOut,
            requeued, duplicates, failedChunks, failedItems, failureRate, failedItemSamples, nodes,
            nodeResponseVariance, queuePoints, nodeSamples, rows, chunkRowsDropped, baselineMillis, speedup,
            efficiency, resumes, workerDeaths, speculativeLaunches, speculativeWins, ceilingMillis, ceilingSpeedup,
            ofCeiling);
    }

    /**
     * A coordinator that took the job over from the job journal, its head having died or left.
     *
     * @param head               the head that resumed it
     * @param atMillis           when, from the job's start
     * @param sinceCheckpointMillis time from the checkpoint it resumed from: the time without a
     *                           coordinator is at most this, and the work done in it was lost
     * @param chunksRestored     chunks the checkpoint held as folded
     * @param chunksRedispatched chunks the earlier coordinator had dispatched by its checkpoint
     *                           and that had not come back: they run again (so does whatever it
     *                           dispatched after the checkpoint)
     */
    public record Resume(String head, double atMillis, double sinceCheckpointMillis, long chunksRestored,
                         long chunksRedispatched) {}

    /** Percentiles of a distribution, in milliseconds. */
    public record Percentiles(double p50, double p95, double p99, double max, double mean, long count) {
        public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0);
    }

    /**
     * One node's share of the job.
     *
     * @param busyMillis         time its slots spent running this job's chunks
     * @param meanResponseMillis mean dispatch-to-result time of its chunks
     * @param aliveMillis        time it was part of the job: from its first batch to the job's end or its loss
     * @param efficiency         busy time / (slots x alive time)
     */
    public record NodeReport(String address, int slots, int cores, long chunks, double busyMillis,
                             double meanResponseMillis, double aliveMillis, double efficiency) {}

    /**
     * The job's queue at one moment.
     *
     * @param waiting  chunks not yet dispatched (fresh and to retry)
     * @param inFlight chunks dispatched and not yet back
     */
    public record QueuePoint(double atMillis, long waiting, long inFlight, long done) {}

    /**
     * A node's resources at one moment (time on the head's clock, from the job's start).
     *
     * @param processCpu the node's JVM, 0..1 of all its cores
     * @param systemCpu  the whole machine, 0..1
     * @param rssBytes   resident memory of the JVM process; -1 where the OS does not say
     * @param process    the node's JVM as {@code pid@host} ({@link ProcessResources#process}): nodes
     *                   of one JVM (an embedded grid) read the same CPU and memory; null when unknown
     */
    public record NodeSample(String node, double atMillis, double processCpu, double systemCpu,
                             long heapUsedBytes, long heapMaxBytes, long rssBytes, String process) {}

    /**
     * One chunk's life, in ms from the job's start on the head's clock. Start and finish on
     * the worker are placed on that clock assuming the network took as long both ways.
     *
     * @param outcome ok, failed (it threw), or duplicate (a result for a chunk already counted)
     */
    public record ChunkRow(long chunk, int attempt, String node, String slot, double queuedMillis,
                           double dispatchedMillis, double startedMillis, double finishedMillis, String outcome) {}
}
