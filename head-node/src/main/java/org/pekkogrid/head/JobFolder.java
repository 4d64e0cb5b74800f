package org.pekkogrid.head;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.pekkogrid.workloads.BoundJob;

/**
 * Decodes one job's results and folds them into the workload's fold ({@link JobProgress}), on a
 * dispatcher of its own: a fold can be slow (prime-search re-checks 4096-bit primes, grayscale
 * writes its outputs, stats adds BigDecimals), and on the default dispatcher, which also carries
 * remoting and heartbeats, it would hold up the cluster and every other job.
 *
 * <p>A child of the job's runner, which keeps the ledger and so decides what is folded. From it
 * come, in order: the chunks newly marked done with their batch's results, checkpoints to write as
 * of the ledger at that point, and at the end the request for the answer. A failure ends the fold:
 * the runner hears why, and nothing more is folded or saved.
 */
final class JobFolder extends AbstractBehavior<JobFolder.Command> {

    /** The dispatcher folders run on; see grid.head.fold-dispatcher in reference.conf. */
    static final DispatcherSelector DISPATCHER = DispatcherSelector.fromConfig("grid.head.fold-dispatcher");

    /** From the runner only, on this node: nothing here crosses the network. */
    sealed interface Command extends NoSerializationVerificationNeeded permits Fold, Checkpoint, Answer {}

    /**
     * Fold these chunks of a batch, none of them folded before: {@code chunks[i]} has its result at
     * {@code positions[i]} of the batch's results.
     *
     * @param results the batch's results as they came (null for a workload without results)
     * @param from    the node they came from, named if they cannot be read
     */
    record Fold(long batchId, String from, byte[] results, long[] chunks, int[] positions) implements Command {}

    /**
     * Write a checkpoint: the runner's ledger and report counts, taken when it sent this, with the
     * fold as of this message (see {@link JobProgress}).
     */
    record Checkpoint(ChunkLedger.Saved ledger, long items, long retries, long failedItems, long dispatchedUpTo)
        implements Command {}

    /** Every chunk is folded: reply with the job's answer. */
    record Answer() implements Command {}

    sealed interface Reply extends NoSerializationVerificationNeeded permits Folded, Answered, Failed {}

    /** A batch's results are folded: they no longer wait in memory (sent only for results of some bytes). */
    record Folded(long resultBytes) implements Reply {}

    record Answered(JsonNode answer, String summary) implements Reply {}

    /** The fold cannot go on; the job fails with this reason. */
    record Failed(String reason) implements Reply {}

    /**
     * @param restored the checkpoint a resumed job goes on from, or null
     * @param book     where checkpoints go; null when the head keeps no journal
     */
    static Behavior<Command> create(String jobId, BoundJob<?, ?, ?, ?> job, JobProgress.Saved restored,
                                    ActorRef<JobBook.Command> book, ActorRef<Reply> runner) {
        return Behaviors.setup(ctx -> {
            JobProgress progress;
            try {
                progress = JobProgress.resume(job, restored);
            } catch (RuntimeException e) {
                return failed(runner, "the fold saved in the job's last checkpoint cannot be resumed: " + e.getMessage());
            }
            return new JobFolder(ctx, jobId, job, progress, book, runner);
        });
    }

    private final String jobId;
    private final BoundJob<?, ?, ?, ?> job;
    private final JobProgress progress;
    private final ActorRef<JobBook.Command> book;
    private final ActorRef<Reply> runner;

    private JobFolder(ActorContext<Command> ctx, String jobId, BoundJob<?, ?, ?, ?> job, JobProgress progress,
                      ActorRef<JobBook.Command> book, ActorRef<Reply> runner) {
        super(ctx);
        this.jobId = jobId;
        this.job = job;
        this.progress = progress;
        this.book = book;
        this.runner = runner;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Fold.class, this::onFold)
            .onMessage(Checkpoint.class, this::onCheckpoint)
            .onMessage(Answer.class, m -> onAnswer())
            .build();
    }

    private Behavior<Command> onFold(Fold fold) {
        Object[] values;
        try {
            values = job.decodeResults(fold.results());
        } catch (RuntimeException e) {
            return failed(runner, "results of batch " + fold.batchId() + " from " + fold.from() + " cannot be read: "
                + e.getMessage());
        }
        try {
            for (int i = 0; i < fold.chunks().length; i++) {
                progress.add(fold.chunks()[i], values == null ? null : values[fold.positions()[i]]);
            }
        } catch (RuntimeException e) {
            return failed(runner, "results of batch " + fold.batchId() + " from " + fold.from() + " cannot be folded: "
                + e);
        }
        if (fold.results() != null && fold.results().length > 0) runner.tell(new Folded(fold.results().length));
        return this;
    }

    private Behavior<Command> onCheckpoint(Checkpoint c) {
        try {
            book.tell(new JobBook.Checkpoint(jobId,
                progress.save(c.ledger(), c.items(), c.retries(), c.failedItems(), c.dispatchedUpTo())));
        } catch (RuntimeException e) {
            getContext().getLog().warn("job {}: no checkpoint: {}", jobId, e.toString());
        }
        return this;
    }

    private Behavior<Command> onAnswer() {
        try {
            runner.tell(new Answered(progress.answerJson(), progress.summary()));
        } catch (RuntimeException e) {
            return failed(runner, "the workload could not produce its answer: " + e);
        }
        return this;
    }

    /** Tells the runner why the fold ended; what still comes (the runner has not heard yet) is dropped. */
    private static Behavior<Command> failed(ActorRef<Reply> runner, String reason) {
        runner.tell(new Failed(reason));
        return Behaviors.ignore();
    }
}
