package org.pekkogrid.worker;

/**
 * What a worker node tells its metrics (Prometheus via Kamon): chunks run and failed, their run
 * times, its slots' load, and its threads stuck in chunks. {@link #OFF} records nothing, for nodes without metrics.
 */
public interface WorkerMetrics {

    WorkerMetrics OFF = new WorkerMetrics() {};

    /**
     * A batch ran.
     *
     * @param runNanos run time of each chunk of the batch
     * @param failed   chunks of it that threw
     */
    default void batchRan(String workload, long[] runNanos, int failed) {}

    /** Compute threads of this node stuck now in chunks that did not come back from their interrupt. */
    default void stuckThreads(int threads) {}

    /** A started slot's share of the node's load; close it when the slot stops. */
    default SlotLoad slotStarted() {
        return SlotLoad.OFF;
    }

    /** One slot's load, counted in the node's totals until closed. */
    interface SlotLoad extends AutoCloseable {

        SlotLoad OFF = new SlotLoad() {};

        /** @param queuedBatches batches waiting in the slot, the running one not included */
        default void update(int queuedBatches, boolean busy) {}

        /** Takes the slot out of the node's totals; idempotent. */
        @Override
        default void close() {}
    }
}
