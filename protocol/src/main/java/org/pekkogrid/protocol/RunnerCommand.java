package org.pekkogrid.protocol;

import java.util.List;

/** Messages a job runner receives from worker slots and clients. */
public interface RunnerCommand extends GridMessage {

    /**
     * The outcome of a batch, in the batch's chunk order.
     *
     * @param token        the batch's {@link SlotCommand.RunChunks#token}, echoed: the runner accepts
     *                     results only with the token it gave the batch's slot
     * @param waitNanos    how long the batch queued in the slot before it started
     * @param runNanos     run time of each chunk; chunk k started at the sum of the run times before it
     * @param results      the workload's encoded per-chunk results (null entries for failed chunks);
     *                     empty for workloads without results
     * @param errors       chunks that threw
     * @param itemFailures items that failed inside chunks that otherwise succeeded
     * @param items        items processed per chunk, or empty when each chunk is one item
     * @param demand       batches the slot asks for now: credit that travels with the results, so a
     *                     busy slot is refilled by its job without a round through the coordinator
     */
    record ChunkResults(long batchId, long token, String slotId, long waitNanos, long[] runNanos, byte[] results,
                        List<ChunkError> errors, List<ItemFailure> itemFailures, long[] items, int demand)
        implements RunnerCommand {

        public ChunkResults withDemand(int batches) {
            return new ChunkResults(batchId, token, slotId, waitNanos, runNanos, results, errors, itemFailures, items, batches);
        }
    }

    /** A chunk that threw: its attempt and what it threw. */
    record ChunkError(long chunk, int attempt, String error) {}

    /** One bad item inside a chunk, such as a corrupt image. */
    record ItemFailure(long chunk, String item, String reason) {}

    /**
     * The chunk at {@code position} of the batch has run past the job's chunk timeout; the
     * rest of the batch has not started. The slot has interrupted the chunk, starts no more of
     * the batch, and sends no results for it.
     */
    record ChunkOverdue(long batchId, long token, int position, String slotId, long runningMillis)
        implements RunnerCommand {}

    /**
     * Batches a slot gives back without running them (it is stuck, or retiring).
     *
     * @param tokens the {@link SlotCommand.RunChunks#token} of each batch, in the order of {@code batchIds}
     */
    record BatchesReturned(long[] batchIds, long[] tokens, String slotId) implements RunnerCommand {}

    /**
     * A node's CPU and memory now, from its sampler (see {@link ProcessResources.Reading}).
     *
     * @param process   the node's JVM ({@link ProcessResources#process}); null from a node of an older version
     * @param slotsBusy the node's slots running a batch now; null from a node of an older version
     */
    record NodeSample(String node, double processCpu, double systemCpu, long heapUsedBytes, long heapMaxBytes,
                      long rssBytes, String process, Integer slotsBusy) implements RunnerCommand {

        /** A sample that does not say how many of the node's slots are busy. */
        public NodeSample(String node, double processCpu, double systemCpu, long heapUsedBytes, long heapMaxBytes,
                          long rssBytes, String process) {
            this(node, processCpu, systemCpu, heapUsedBytes, heapMaxBytes, rssBytes, process, null);
        }
    }

    /**
     * From the coordinator, its parent: stop the job; it ends Cancelled with this reason. Clients cancel
     * through the coordinator ({@link CoordinatorCommand.CancelJob}), which checks who asks.
     */
    record Cancel(String reason) implements RunnerCommand, LocalOnly {}

    /** From the coordinator: the job cannot go on (no worker can run it); it ends Failed with this reason. */
    record GiveUp(String reason) implements RunnerCommand, LocalOnly {}
}
