package org.pekkogrid.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.CoordinatorCommand.SlotDemand;
import org.pekkogrid.protocol.CoordinatorCommand.SlotReady;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.RunnerCommand.BatchesReturned;
import org.pekkogrid.protocol.RunnerCommand.ChunkOverdue;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.protocol.SlotCommand.DropJob;
import org.pekkogrid.protocol.SlotCommand.Retire;
import org.pekkogrid.protocol.SlotCommand.RunChunks;
import org.pekkogrid.protocol.SlotCommand.Wake;

/**
 * One core's worth of a worker node: a sharded entity that pulls batches of chunks from the
 * head with credits and runs them, one batch at a time, on the node's compute dispatcher.
 *
 * <p>Credit: the slot holds at most {@code prefetch} batches, counting the one running, the
 * queued ones and those it has asked for; it asks for more as batches finish. A batch whose
 * chunk runs past the job's chunk timeout is reported, and the queued batches go back to their
 * jobs so they run elsewhere while this slot is stuck.
 */
public final class WorkerSlot extends AbstractBehavior<SlotCommand> {

    private record BatchDone(BatchRun run, ChunkResults results, Throwable failure) implements SlotCommand {}

    private record CheckOverdue() implements SlotCommand {}

    private record CoordinatorGone() implements SlotCommand {}

    private record Resync() implements SlotCommand {}

    /** An idle slot with credit outstanding this long tells the coordinator all it has asked for. */
    private static final Duration RESYNC_AFTER = Duration.ofSeconds(2);

    public static Behavior<SlotCommand> create(String slotId, Executor compute, JobBindings bindings,
                                               int prefetch) {
        return create(slotId, compute, bindings, prefetch, WorkerMetrics.OFF);
    }

    public static Behavior<SlotCommand> create(String slotId, Executor compute, JobBindings bindings,
                                               int prefetch, WorkerMetrics metrics) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new WorkerSlot(ctx, timers, slotId, compute, bindings, prefetch, metrics)));
    }

    private final TimerScheduler<SlotCommand> timers;
    private final String slotId;
    private final Executor compute;
    private final JobBindings bindings;
    private final int prefetch;
    private final WorkerMetrics metrics;
    private final WorkerMetrics.SlotLoad load;
    private final ArrayDeque<BatchRun> queue = new ArrayDeque<>();
    private ActorRef<CoordinatorCommand> coordinator;
    private long coordinatorEpoch;
    private BatchRun running;
    private int requested;
    private boolean stuck;
    private boolean retiring;
    private long lastActivityNanos = System.nanoTime();
    private final ActorRef<SlotCommand> largeInbox;

    private WorkerSlot(ActorContext<SlotCommand> ctx, TimerScheduler<SlotCommand> timers, String slotId,
                       Executor compute, JobBindings bindings, int prefetch, WorkerMetrics metrics) {
        super(ctx);
        this.metrics = metrics;
        this.load = metrics.slotStarted();
        this.timers = timers;
        this.slotId = slotId;
        this.compute = compute;
        this.bindings = bindings;
        this.prefetch = prefetch;
        timers.startTimerWithFixedDelay("resync", new Resync(), RESYNC_AFTER);
        ActorRef<SlotCommand> self = ctx.getSelf();
        this.largeInbox = ctx.spawn(Behaviors.receive(SlotCommand.class)
            .onAnyMessage(m -> {
                self.tell(m);
                return Behaviors.same();
            })
            .build(), LARGE_INBOX);
    }

    /** Name of the child that receives large batches; its path is in Artery's large-message destinations. */
    public static final String LARGE_INBOX = "large";

    @Override
    public Receive<SlotCommand> createReceive() {
        return newReceiveBuilder()
            .onMessage(Wake.class, this::onWake)
            .onMessage(RunChunks.class, this::onRunChunks)
            .onMessage(BatchDone.class, this::onBatchDone)
            .onMessage(DropJob.class, this::onDropJob)
            .onMessage(CheckOverdue.class, m -> onCheckOverdue())
            .onMessage(CoordinatorGone.class, m -> onCoordinatorGone())
            .onMessage(Retire.class, m -> onRetire())
            .onMessage(Resync.class, m -> onResync())
            .onSignal(Terminated.class, t -> this)
            .onSignal(PostStop.class, s -> {
                load.close();
                return this;
            })
            .build();
    }

    private Behavior<SlotCommand> onWake(Wake wake) {
        if (!wake.coordinator().equals(coordinator) || wake.epoch() != coordinatorEpoch) {
            if (coordinator != null) getContext().unwatch(coordinator);
            coordinatorEpoch = wake.epoch();
            // A new coordinator knows nothing of what the old one granted.
            queue.clear();
            showLoad();
            requested = 0;
            coordinator = wake.coordinator();
            getContext().watchWith(coordinator, new CoordinatorGone());
            getContext().getLog().debug("{} registers with {}", slotId, coordinator);
        }
        coordinator.tell(new SlotReady(slotId, getContext().getSelf(), largeInbox));
        askForWork();
        return this;
    }

    private Behavior<SlotCommand> onRunChunks(RunChunks batch) {
        lastActivityNanos = System.nanoTime();
        if (requested > 0) requested--;
        if (retiring) {
            batch.replyTo().tell(new BatchesReturned(new long[] {batch.batchId()}, slotId));
            return this;
        }
        queue.add(new BatchRun(batch, System.nanoTime(), slotId, bindings));
        startNext();
        return this;
    }

    private void startNext() {
        if (running != null || queue.isEmpty()) {
            showLoad();
            return;
        }
        BatchRun run = queue.poll();
        running = run;
        showLoad();
        getContext().pipeToSelf(CompletableFuture.supplyAsync(run::run, compute),
            (results, failure) -> new BatchDone(run, results, failure));
        Duration timeout = run.batch.job().chunkTimeout();
        if (timeout != null) {
            long checkMillis = Math.max(20, Math.min(1000, timeout.toMillis() / 4));
            timers.startTimerWithFixedDelay("overdue", new CheckOverdue(), Duration.ofMillis(checkMillis));
        }
    }

    private Behavior<SlotCommand> onBatchDone(BatchDone done) {
        lastActivityNanos = System.nanoTime();
        running = null;
        stuck = false;
        timers.cancel("overdue");
        if (done.results() != null) {
            metrics.batchRan(done.run().batch.job().workload(), done.results().runNanos(), done.results().errors().size());
            // The credit this batch frees goes back with its results, to the job that sent it.
            startNext();
            done.run().batch.replyTo().tell(done.results().withDemand(claimCredit()));
            if (retiring && queue.isEmpty() && running == null) return Behaviors.stopped();
            return this;
        } else {
            // Only a bug in the slot itself gets here; the batch goes back to be run elsewhere.
            getContext().getLog().error("{} could not run batch {}: {}", slotId, done.run().batch.batchId(),
                done.failure().toString());
            done.run().batch.replyTo().tell(new BatchesReturned(new long[] {done.run().batch.batchId()}, slotId));
        }
        if (retiring && queue.isEmpty()) return Behaviors.stopped();
        startNext();
        askForWork();
        return this;
    }

    private Behavior<SlotCommand> onDropJob(DropJob drop) {
        queue.removeIf(run -> run.batch.job().jobId().equals(drop.jobId()));
        showLoad();
        bindings.forget(drop.jobId());
        askForWork();
        return this;
    }

    private Behavior<SlotCommand> onCheckOverdue() {
        BatchRun run = running;
        if (run == null || stuck) return this;
        Duration timeout = run.batch.job().chunkTimeout();
        int position = run.position();
        if (position < 0) return this;
        long runningNanos = System.nanoTime() - run.chunkStartedNanos();
        if (runningNanos > timeout.toNanos()) {
            stuck = true;
            run.batch.replyTo().tell(new ChunkOverdue(run.batch.batchId(), position, slotId, runningNanos / 1_000_000));
            returnQueued();
            getContext().getLog().warn("{}: chunk at position {} of batch {} of job {} has run {} ms, past its {} timeout",
                slotId, position, run.batch.batchId(), run.batch.job().jobId(), runningNanos / 1_000_000, timeout);
        }
        return this;
    }

    private Behavior<SlotCommand> onCoordinatorGone() {
        getContext().getLog().info("{}: coordinator {} is gone; waiting for the next one", slotId, coordinator);
        coordinator = null;
        queue.clear();
        showLoad();
        requested = 0;
        return this;
    }

    private Behavior<SlotCommand> onRetire() {
        retiring = true;
        returnQueued();
        return running == null ? Behaviors.stopped() : this;
    }

    /** Gives queued batches back to their jobs, one message per job. */
    private void returnQueued() {
        Map<ActorRef<RunnerCommand>, List<Long>> byRunner = new HashMap<>();
        for (Iterator<BatchRun> it = queue.iterator(); it.hasNext(); ) {
            RunChunks batch = it.next().batch;
            byRunner.computeIfAbsent(batch.replyTo(), r -> new ArrayList<>()).add(batch.batchId());
            it.remove();
        }
        byRunner.forEach((runner, ids) ->
            runner.tell(new BatchesReturned(ids.stream().mapToLong(Long::longValue).toArray(), slotId)));
        showLoad();
    }

    private void showLoad() {
        load.update(queue.size(), running != null);
    }

    private void askForWork() {
        int want = claimCredit();
        if (want > 0) coordinator.tell(new SlotDemand(getContext().getSelf(), want, false));
    }

    /** Counts as asked for, and returns, the batches this slot can take beyond what it holds and has asked for. */
    private int claimCredit() {
        if (coordinator == null || stuck || retiring) return 0;
        int want = prefetch - (queue.size() + (running == null ? 0 : 1) + requested);
        if (want <= 0) return 0;
        requested += want;
        return want;
    }

    private Behavior<SlotCommand> onResync() {
        boolean idle = running == null && queue.isEmpty();
        if (coordinator != null && idle && requested > 0
                && System.nanoTime() - lastActivityNanos > RESYNC_AFTER.toNanos()) {
            coordinator.tell(new SlotDemand(getContext().getSelf(), requested, true));
        }
        return this;
    }
}
