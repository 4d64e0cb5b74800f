package org.pekkogrid.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
import org.pekkogrid.protocol.CoordinatorCommand.StuckThreads;
import org.pekkogrid.protocol.LocalOnly;
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
 * head with credits and runs them, one batch at a time, on the node's {@link ComputePool}.
 *
 * <p>Credit: the slot holds at most {@code prefetch} batches, counting the one running, the
 * queued ones and those it has asked for; it asks for more as batches finish.
 *
 * <p>A chunk past its job's chunk timeout is reported to the job, which runs the batch again
 * elsewhere; the queued batches go back to their jobs, and the chunk's thread is interrupted.
 * A thread not back within {@code stuckGrace} is declared stuck: the pool starts another in its
 * place, and the slot takes work again. The results of a batch reported overdue are dropped
 * when they come: the head has queued all its chunks again, and would count the interrupted
 * chunk's error as one more failed attempt.
 */
public final class WorkerSlot extends AbstractBehavior<SlotCommand> {

    /** A batch ended on its compute thread; {@code following} is the batch that thread took from the deck and runs now. */
    private record BatchDone(BatchRun run, ChunkResults results, Throwable failure, BatchRun following)
        implements SlotCommand, LocalOnly {}

    /**
     * The queue's next batch, offered to the thread running {@code after}: it takes it the moment
     * {@code after} ends, without waiting for this actor (see {@link ComputePool#runChain}).
     */
    private record OnDeck(BatchRun after, BatchRun next) {}

    private record CheckOverdue() implements SlotCommand, LocalOnly {}

    /** The stuck grace of the chunk at {@code position}, interrupted, is over. */
    private record GraceOver(BatchRun run, int position) implements SlotCommand, LocalOnly {}

    private record CoordinatorGone() implements SlotCommand, LocalOnly {}

    private record Resync() implements SlotCommand, LocalOnly {}

    /** An idle slot with credit outstanding this long tells the coordinator all it has asked for. */
    private static final Duration RESYNC_AFTER = Duration.ofSeconds(2);

    static Behavior<SlotCommand> create(String slotId, ComputePool pool, JobBindings bindings, int prefetch,
                                        Duration stuckGrace) {
        return create(slotId, pool, bindings, prefetch, stuckGrace, WorkerMetrics.OFF);
    }

    /**
     * @param stuckGrace how long a chunk interrupted past its timeout has to return before its
     *                   thread is declared stuck
     */
    static Behavior<SlotCommand> create(String slotId, ComputePool pool, JobBindings bindings, int prefetch,
                                        Duration stuckGrace, WorkerMetrics metrics) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new WorkerSlot(ctx, timers, slotId, pool, bindings, prefetch, stuckGrace, metrics)));
    }

    private final TimerScheduler<SlotCommand> timers;
    private final String slotId;
    private final ComputePool pool;
    private final JobBindings bindings;
    private final int prefetch;
    private final Duration stuckGrace;
    private final WorkerMetrics metrics;
    private final WorkerMetrics.SlotLoad load;
    private final ArrayDeque<BatchRun> queue = new ArrayDeque<>();
    /** Shared with the compute thread: the offer it may take. Everything else here is the actor's alone. */
    private final AtomicReference<OnDeck> deck = new AtomicReference<>();
    /** The batch last put on the deck, until its thread is known to have taken it or it is back in the queue. */
    private OnDeck offered;
    private ActorRef<CoordinatorCommand> coordinator;
    private long coordinatorEpoch;
    private BatchRun running;
    private int requested;
    /** The running batch was reported overdue and interrupted: the slot waits for it, up to the stuck grace. */
    private boolean overdue;
    /** This node's stuck threads, as the coordinator last heard from this slot. */
    private int stuckReported;
    private boolean retiring;
    private long lastActivityNanos = System.nanoTime();
    private final ActorRef<SlotCommand> largeInbox;

    private WorkerSlot(ActorContext<SlotCommand> ctx, TimerScheduler<SlotCommand> timers, String slotId,
                       ComputePool pool, JobBindings bindings, int prefetch, Duration stuckGrace,
                       WorkerMetrics metrics) {
        super(ctx);
        this.metrics = metrics;
        this.load = metrics.slotStarted();
        this.timers = timers;
        this.slotId = slotId;
        this.pool = pool;
        this.bindings = bindings;
        this.prefetch = prefetch;
        this.stuckGrace = stuckGrace;
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
            .onMessage(GraceOver.class, this::onGraceOver)
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
            withdrawOffer();
            queue.clear();
            showLoad();
            requested = 0;
            stuckReported = 0;
            coordinator = wake.coordinator();
            getContext().watchWith(coordinator, new CoordinatorGone());
            getContext().getLog().debug("{} registers with {}", slotId, coordinator);
        }
        coordinator.tell(new SlotReady(slotId, getContext().getSelf(), largeInbox));
        askForWork();
        reportStuckThreads();
        return this;
    }

    private Behavior<SlotCommand> onRunChunks(RunChunks batch) {
        lastActivityNanos = System.nanoTime();
        if (requested > 0) requested--;
        if (retiring) {
            batch.replyTo().tell(new BatchesReturned(new long[] {batch.batchId()}, new long[] {batch.token()}, slotId));
            return this;
        }
        queue.add(new BatchRun(batch, System.nanoTime(), slotId, bindings));
        startNext();
        return this;
    }

    private void startNext() {
        if (running != null || queue.isEmpty()) {
            offerNext();
            showLoad();
            return;
        }
        BatchRun run = queue.poll();
        running = run;
        ActorRef<SlotCommand> self = getContext().getSelf();
        pool.runChain(run, this::takeFromDeck,
            (ended, results, failure, following) -> self.tell(new BatchDone(ended, results, failure, following)));
        watchTimeout(run);
        offerNext();
        showLoad();
    }

    private void watchTimeout(BatchRun run) {
        Duration timeout = run.batch.job().chunkTimeout();
        if (timeout != null) {
            long checkMillis = Math.max(20, Math.min(1000, timeout.toMillis() / 4));
            timers.startTimerWithFixedDelay("overdue", new CheckOverdue(), Duration.ofMillis(checkMillis));
        }
    }

    /** On the compute thread that has just ended {@code ended}: the batch offered to follow it, if any. */
    private BatchRun takeFromDeck(BatchRun ended) {
        OnDeck d = deck.get();
        return d != null && d.after() == ended && deck.compareAndSet(d, null) ? d.next() : null;
    }

    /** Offers the queue's next batch to the running batch's thread. */
    private void offerNext() {
        if (running == null || offered != null || overdue || queue.isEmpty()) return;
        offered = new OnDeck(running, queue.poll());
        deck.set(offered);
    }

    /**
     * Takes the offered batch back into the queue, unless its thread took it already: then it runs,
     * and the BatchDone of the batch before it says so.
     */
    private void withdrawOffer() {
        if (offered != null && deck.compareAndSet(offered, null)) {
            queue.addFirst(offered.next());
            offered = null;
        }
    }

    private Behavior<SlotCommand> onBatchDone(BatchDone done) {
        if (done.run() != running) {
            // A thread declared stuck came back (the pool has counted it back); its batch ran elsewhere.
            reportStuckThreads();
            return this;
        }
        lastActivityNanos = System.nanoTime();
        timers.cancel("overdue");
        timers.cancel("grace");
        if (done.following() != null) {
            offered = null;  // its thread took it, and runs it now
        } else {
            withdrawOffer();  // the thread that could have taken it has ended
        }
        running = done.following();
        if (running != null) watchTimeout(running);
        if (overdue) {
            overdue = false;
            getContext().getLog().info("{}: batch {} of job {} came back from its interrupt; its results are dropped",
                slotId, done.run().batch.batchId(), done.run().batch.job().jobId());
        } else if (done.results() != null) {
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
            done.run().batch.replyTo().tell(new BatchesReturned(new long[] {done.run().batch.batchId()},
                new long[] {done.run().batch.token()}, slotId));
        }
        if (retiring && queue.isEmpty() && running == null) return Behaviors.stopped();
        startNext();
        askForWork();
        return this;
    }

    private Behavior<SlotCommand> onDropJob(DropJob drop) {
        withdrawOffer();
        queue.removeIf(run -> run.batch.job().jobId().equals(drop.jobId()));
        offerNext();
        showLoad();
        bindings.forget(drop.jobId());
        askForWork();
        return this;
    }

    private Behavior<SlotCommand> onCheckOverdue() {
        BatchRun run = running;
        if (run == null || overdue) return this;
        BatchRun.RunningChunk chunk = run.runningChunk();
        if (chunk == null) return this;
        Duration timeout = run.batch.job().chunkTimeout();
        long runningNanos = System.nanoTime() - chunk.startedNanos();
        if (runningNanos <= timeout.toNanos()) return this;
        // First, so that the interrupted batch's thread cannot take the next one on its way out.
        withdrawOffer();
        if (!run.interrupt(chunk.position())) {
            offerNext();
            return this;
        }
        overdue = true;
        timers.cancel("overdue");
        timers.startSingleTimer("grace", new GraceOver(run, chunk.position()), stuckGrace);
        run.batch.replyTo().tell(new ChunkOverdue(run.batch.batchId(), run.batch.token(), chunk.position(), slotId,
            runningNanos / 1_000_000));
        returnQueued();
        getContext().getLog().warn("{}: {} has run {} ms, past its {} timeout; interrupted", slotId,
            run.describeChunk(chunk.position()), runningNanos / 1_000_000, timeout);
        return this;
    }

    /** The interrupted chunk is not back: its thread is declared stuck, and the slot goes on without it. */
    private Behavior<SlotCommand> onGraceOver(GraceOver grace) {
        BatchRun run = grace.run();
        if (run != running || !overdue) return this;
        // False when the batch finished just now: its BatchDone is on its way.
        if (!pool.declareStuck(run, slotId + ": " + run.describeChunk(grace.position()))) return this;
        running = null;
        overdue = false;
        reportStuckThreads();
        if (retiring && queue.isEmpty()) return Behaviors.stopped();
        startNext();
        askForWork();
        return this;
    }

    private Behavior<SlotCommand> onCoordinatorGone() {
        getContext().getLog().info("{}: coordinator {} is gone; waiting for the next one", slotId, coordinator);
        coordinator = null;
        withdrawOffer();
        queue.clear();
        showLoad();
        requested = 0;
        stuckReported = 0;
        return this;
    }

    private Behavior<SlotCommand> onRetire() {
        retiring = true;
        withdrawOffer();
        returnQueued();
        return running == null ? Behaviors.stopped() : this;
    }

    /** Gives queued batches back to their jobs, one message per job. */
    private void returnQueued() {
        Map<ActorRef<RunnerCommand>, List<RunChunks>> byRunner = new HashMap<>();
        for (Iterator<BatchRun> it = queue.iterator(); it.hasNext(); ) {
            RunChunks batch = it.next().batch;
            byRunner.computeIfAbsent(batch.replyTo(), r -> new ArrayList<>()).add(batch);
            it.remove();
        }
        byRunner.forEach((runner, batches) -> runner.tell(new BatchesReturned(
            batches.stream().mapToLong(RunChunks::batchId).toArray(),
            batches.stream().mapToLong(RunChunks::token).toArray(), slotId)));
        showLoad();
    }

    private void showLoad() {
        load.update(queue.size() + (offered == null ? 0 : 1), running != null);
    }

    private void askForWork() {
        int want = claimCredit();
        if (want > 0) coordinator.tell(new SlotDemand(getContext().getSelf(), want, false));
    }

    /** Counts as asked for, and returns, the batches this slot can take beyond what it holds and has asked for. */
    private int claimCredit() {
        if (coordinator == null || overdue || retiring) return 0;
        int want = prefetch - (queue.size() + (offered == null ? 0 : 1) + (running == null ? 0 : 1) + requested);
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
        // Another slot of this node may have changed the count; every slot converges on it.
        reportStuckThreads();
        return this;
    }

    /** Tells the coordinator how many of this node's threads are stuck, if that changed since it last heard. */
    private void reportStuckThreads() {
        int stuck = pool.stuckThreads();
        if (coordinator == null || stuck == stuckReported) return;
        coordinator.tell(new StuckThreads(getContext().getSelf(), stuck));
        stuckReported = stuck;
    }
}
