package org.pekkogrid.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/** Messages a worker slot receives. */
public interface SlotCommand extends GridMessage {

    /**
     * From the coordinator: start (if sharding has not) and register with this coordinator.
     *
     * @param epoch the coordinator's incarnation; a new one knows nothing of earlier credit
     */
    record Wake(ActorRef<CoordinatorCommand> coordinator, long epoch) implements SlotCommand {}

    /** From the coordinator: the cluster has fewer cores than slots; stop this one. */
    record Retire() implements SlotCommand {}

    /**
     * A batch of chunks to run, granted against the slot's credit.
     *
     * @param token     a random number the runner chose for this batch, which only it and the slot
     *                  know: every answer about the batch carries it back, so that no other sender can
     *                  answer for the batch by guessing its sequential {@code batchId}
     * @param ranges    the chunk indices as pairs {@code start, count, start, count ...}
     * @param attempts  the attempt number of each chunk in order, or empty when all are first attempts
     * @param chunkData encoded chunk descriptions for workloads that ship them; null when the
     *                  worker derives each chunk from its index
     */
    record RunChunks(JobTicket job, long batchId, long token, long[] ranges, int[] attempts, byte[] chunkData,
                     ActorRef<RunnerCommand> replyTo) implements SlotCommand {

        public int size() {
            long n = 0;
            for (int i = 1; i < ranges.length; i += 2) n += ranges[i];
            return (int) n;
        }
    }

    /** The job ended or was cancelled: drop its batches that have not started. */
    record DropJob(String jobId) implements SlotCommand {}
}
