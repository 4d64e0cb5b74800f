package org.pekkogrid.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/** Messages the job coordinator (a cluster singleton on the head) receives. */
public interface CoordinatorCommand extends GridMessage {

    /** From a client. The answer is {@link JobEvent.Accepted} or {@link JobEvent.Rejected}, then events. */
    record SubmitJob(JobSpec spec, ActorRef<JobEvent> replyTo) implements CoordinatorCommand {}

    record CancelJob(String jobId, String reason) implements CoordinatorCommand {}

    record GetStatus(ActorRef<ClusterStatus> replyTo) implements CoordinatorCommand {}

    /** From a worker slot once it is started and warm. */
    record SlotReady(String slotId, ActorRef<SlotCommand> slot) implements CoordinatorCommand {}

    /** From a worker slot: it can take this many more batches. */
    record SlotDemand(ActorRef<SlotCommand> slot, int batches) implements CoordinatorCommand {}
}
