package org.pekkogrid.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Messages the job coordinator (a cluster singleton on the head) receives. Fields the
 * coordinator cannot do without are checked here, so that a message arriving without them
 * fails to deserialise and is dropped (and logged) by remoting, instead of failing the
 * coordinator, whose restart would lose every running job.
 */
public interface CoordinatorCommand extends GridMessage {

    /**
     * From a client. The answer is {@link JobEvent.Accepted} or {@link JobEvent.Rejected}, then events.
     *
     * @param submissionId chosen by the client, unique per job: a submit sent again with the same id
     *                     (after a head stopped answering) is answered for the job it started, not
     *                     run twice; null when the client never sends it twice
     * @param session      the client's session: when it closes, or falls silent (no {@link ClientAlive}
     *                     for {@code grid.head.client-timeout}), the head cancels the session's jobs.
     *                     Null for a job that runs whoever watches it (submitted over HTTP, or detached:
     *                     {@code grid submit --detach})
     * @param proof        for a job that ships a jar on a grid with --tls, that the client may ship code
     *                     (over {@code spec.jar()}); null otherwise
     */
    record SubmitJob(JobSpec spec, ActorRef<JobEvent> replyTo, String submissionId, ActorRef<Void> session,
                     @JsonInclude(JsonInclude.Include.NON_NULL) ShipCodeProof proof)
        implements CoordinatorCommand, ClientRequest {
        public SubmitJob {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(replyTo, "replyTo");
        }

        public SubmitJob(JobSpec spec, ActorRef<JobEvent> replyTo, String submissionId, ActorRef<Void> session) {
            this(spec, replyTo, submissionId, session, null);
        }

        public SubmitJob(JobSpec spec, ActorRef<JobEvent> replyTo) {
            this(spec, replyTo, null, null);
        }
    }

    /**
     * Cancels a job, queued or running. A job submitted with a session (its client follows it) only
     * that session may cancel; a job with none (submitted over HTTP, or detached) any asker with none.
     *
     * @param session the asking client's session, which must be the one that submitted the job; null
     *                for the HTTP API and {@code grid cancel}, which may cancel jobs that have no session
     * @param replyTo hears whether the job is being cancelled, or why not; may be null
     */
    record CancelJob(String jobId, String reason, ActorRef<Void> session, ActorRef<CancelAnswer> replyTo)
        implements CoordinatorCommand, ClientRequest {

        /** A cancel with no session and no answer: as the HTTP API's. */
        public CancelJob(String jobId, String reason) {
            this(jobId, reason, null, null);
        }

        public CancelJob {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    record GetStatus(ActorRef<ClusterStatus> replyTo) implements CoordinatorCommand, ClientRequest {
        public GetStatus {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** One job, running or among the finished ones the coordinator remembers. */
    record GetJob(String jobId, ActorRef<JobLookup> replyTo) implements CoordinatorCommand, ClientRequest {
        public GetJob {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * Hear a job's events from now on: a running job's progress and its end, a finished job's end
     * at once, or {@link JobEvent.NotFound} when the coordinator knows no job by that id (it never
     * existed, it finished too long ago, or it ran on a coordinator that stopped).
     */
    record FollowJob(String jobId, ActorRef<JobEvent> replyTo) implements CoordinatorCommand, ClientRequest {
        public FollowJob {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** A client's session is still there: it sends this now and then while it follows jobs. */
    record ClientAlive(ActorRef<Void> session) implements CoordinatorCommand, ClientRequest {
        public ClientAlive {
            Objects.requireNonNull(session, "session");
        }
    }

    /**
     * A client's session closed: its jobs that still run have no one to report to, and stop; jobs it
     * only followed (or submitted detached) run on, and stop sending it their events.
     */
    record ClientClosed(ActorRef<Void> session) implements CoordinatorCommand, ClientRequest {
        public ClientClosed {
            Objects.requireNonNull(session, "session");
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

    /**
     * From a worker slot: its node has this many compute threads stuck in chunks that ignored
     * their interrupt (for {@code grid status}). Each slot of the node says so when the count
     * changes, and to a new coordinator; the last to arrive stands.
     */
    record StuckThreads(ActorRef<SlotCommand> slot, int threads) implements CoordinatorCommand {
        public StuckThreads {
            Objects.requireNonNull(slot, "slot");
        }
    }

    /**
     * The answer to {@link CancelJob}.
     *
     * @param cancelling whether the job is being cancelled (it then ends CANCELLED "cancelled: ...")
     * @param reason     why not, when it is not
     */
    record CancelAnswer(String jobId, boolean cancelling, String reason) implements GridMessage {}
}
