package org.pekkogrid.head;

/**
 * What the head tells its node's metrics (Prometheus via Kamon): jobs by state, per job the
 * chunk counts, latency and queue, and the slots its work wants against the slots there are. {@link #OFF} records nothing, for nodes without metrics.
 * Called from the coordinator's and runners' threads only.
 */
public interface HeadMetrics {

    HeadMetrics OFF = new HeadMetrics() {};

    default void jobAccepted() {}

    default void jobRejected() {}

    /** @param state COMPLETED or FAILED */
    default void jobEnded(String state) {}

    default void jobsRunning(int running) {}

    /** Jobs waiting in the head's queue for running ones to end. */
    default void jobsQueued(int queued) {}

    /** A meter for one job's runner; close it when the runner stops. */
    default JobMeter job(String workload) {
        return JobMeter.OFF;
    }

    /**
     * A meter for one job's runner whose chunks each keep {@code cpusPerChunk} slots busy (the
     * job's {@code cpus} requirement): its queue counts that many slots wanted per chunk.
     */
    default JobMeter job(String workload, double cpusPerChunk) {
        return job(workload);
    }

    /** Worker slots in the cluster now: a slot per core of each worker member that is Up and reachable. */
    default void slotsTotal(int slots) {}

    /** One job's figures: counts only ever grow, so the meter publishes what grew since the last update. */
    interface JobMeter extends AutoCloseable {

        JobMeter OFF = new JobMeter() {};

        /** Dispatch-to-result time shared by {@code chunks} chunks of one batch. */
        default void latency(long nanos, int chunks) {}

        /** The job's totals so far, and its queue now. */
        default void update(JobCounts counts, long waiting, long inFlight) {}

        /** Takes the job's queue out of the node's; idempotent. */
        @Override
        default void close() {}
    }

    /**
     * Totals of one job so far.
     *
     * @param completed chunks counted (each once)
     * @param retried   attempts dispatched again, for any reason
     * @param timedOut  attempts re-dispatched after the chunk timeout
     * @param requeued  chunks re-queued because their node or slot was lost
     * @param duplicates results dropped because their chunk was already counted
     * @param failed    attempts that threw
     */
    record JobCounts(long completed, long retried, long timedOut, long requeued, long duplicates, long failed) {}
}
