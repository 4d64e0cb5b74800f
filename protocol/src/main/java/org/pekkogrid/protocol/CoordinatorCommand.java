package org.pekkogrid.protocol;

import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Messages the job coordinator (a cluster singleton on the head) receives. Fields the
 * coordinator cannot do without are checked here, so that a message arriving without them
 * fails to deserialise and is dropped (and logged) by remoting, instead of failing the
 * coordinator, whose restart would lose every running job.
 */
public interface CoordinatorCommand extends GridMessage {

    /** From a client. The answer is {@link JobEvent.Accepted} or {@link JobEvent.Rejected}, then events. */
    record SubmitJob(JobSpec spec, ActorRef<JobEvent> replyTo) implements CoordinatorCommand {
        public SubmitJob {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    record CancelJob(String jobId, String reason) implements CoordinatorCommand {}

    record GetStatus(ActorRef<ClusterStatus> replyTo) implements CoordinatorCommand {
        public GetStatus {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** One job, running or among the finished ones the coordinator remembers. */
    record GetJob(String jobId, ActorRef<JobLookup> replyTo) implements CoordinatorCommand {
        // Checked here so a message without them fails to deserialise, not the coordinator (its restart loses every job).
        public GetJob {
            java.util.Objects.requireNonNull(jobId, "jobId");
            java.util.Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * From a worker slot once it is started and warm.
     *
     * @param largeInbox where batches of travelling chunks go: a child of the slot whose path is
     *                   among Artery's large-message destinations, so big batches do not hold up
     *                   the small messages of the grid
     */
    record SlotReady(String slotId, ActorRef<SlotCommand> slot, ActorRef<SlotCommand> largeInbox)
        implements CoordinatorCommand {
        public SlotReady {
            Objects.requireNonNull(slotId, "slotId");
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(largeInbox, "largeInbox");
        }
    }

    /**
     * A worker slot can take this many more batches: from the slot, or from a job runner handing
     * back credit the slot sent with its results.
     *
     * @param resync true when {@code batches} is all the credit the slot has asked for and not
     *               received (an idle slot says so now and then, so that no credit is ever lost)
     */
    record SlotDemand(ActorRef<SlotCommand> slot, int batches, boolean resync) implements CoordinatorCommand {}
}
