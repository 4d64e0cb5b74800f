package org.pekkogrid.head;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.pekkogrid.head.InFlightBatches.Batch;
import org.pekkogrid.head.InFlightBatches.Chunks;
import org.pekkogrid.head.ReportStream.Outcome;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobReport.NodeSample;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.protocol.LocalOnly;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.ProcessResources;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.RunnerCommand.BatchesReturned;
import org.pekkogrid.protocol.RunnerCommand.Cancel;
import org.pekkogrid.protocol.RunnerCommand.ChunkError;
import org.pekkogrid.protocol.RunnerCommand.ChunkOverdue;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.pekkogrid.protocol.RunnerCommand.ItemFailure;
import org.pekkogrid.protocol.SamplerCommand;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.protocol.SlotCommand.DropJob;
import org.pekkogrid.protocol.SlotCommand.RunChunks;
import org.pekkogrid.workloads.BoundJob;

/**
 * Runs one job: hands out batches of chunks against the credit the coordinator grants it
 * ({@link SlotCredit}), counts each chunk's result exactly once in its {@link ChunkLedger},
 * retries what fails ({@link RetryPolicy}), re-dispatches what is overdue or lost with its node
 * ({@link InFlightBatches}), and ends the job Completed or Failed with its report
 * ({@link ReportStream}). The results it counts are decoded and folded by its child
 * {@link JobFolder}, off the dispatcher that carries the grid's messages.
 */
public final class JobRunner extends AbstractBehavior<RunnerCommand> {

    /** Why a grant was not used in full. */
    enum Decline {
        NONE, SLOT_FULL, NODE_BLOCKED, NO_WORK,
        /** The job's results wait for its fold beyond grid.head.fold-backlog: its slots may serve other jobs meanwhile. */
        FOLD_BEHIND
    }

    /**
     * From the coordinator: the slot can take up to {@code batches} more batches.
     *
     * @param eligibleSlots live slots that can run this job, for balancing the tail
     * @param eligibleNodes live nodes that can run this job; with one, retries may stay on it
     */
    record Grant(Slot slot, int batches, int eligibleSlots, int eligibleNodes) implements RunnerCommand, LocalOnly {}

    /** From the coordinator: the slot stopped; its batches will not come back. */
    record SlotLost(ActorRef<SlotCommand> slot) implements RunnerCommand, LocalOnly {}

    /** From the coordinator: the node is unreachable or gone; its batches are re-queued now. */
    record NodeLost(Address node) implements RunnerCommand, LocalOnly {}

    /**
     * From the coordinator: whether other jobs are running. While they are, credit a slot sends
     * with its results goes back to the coordinator, which shares it among the jobs in turn.
     */
    record Contention(boolean shared) implements RunnerCommand, LocalOnly {}

    /** From the coordinator: this listener hears the job's events from now on, besides its client. */
    record Follow(ActorRef<JobEvent> listener) implements RunnerCommand, LocalOnly {}

    /** From the coordinator: the client at this address closed; its listeners hear nothing more. */
    record Unfollow(org.apache.pekko.actor.Address client) implements RunnerCommand, LocalOnly {}

    private record Tick() implements RunnerCommand, LocalOnly {}

    private record AnnounceAccepted() implements RunnerCommand, LocalOnly {}

    private record SamplersFound(Receptionist.Listing listing) implements RunnerCommand, LocalOnly {}

    /** Chunks of a batch encoded off the actor's thread (they may read files), or why they could not be. */
    private record Encoded(long batchId, byte[] chunkData, Throwable failure) implements RunnerCommand, LocalOnly {}

    /** The job's folder answered, or could not go on. */
    private record FoldReply(JobFolder.Reply reply) implements RunnerCommand, LocalOnly {}

    /** The job's folder stopped unasked: nothing more will be folded. */
    private record FolderStopped() implements RunnerCommand, LocalOnly {}

    /**
     * How a runner keeps its job in the job journal.
     *
     * @param book        where checkpoints go; null when the head keeps no journal
     * @param every       a checkpoint at least this often while chunks are folded
     * @param everyChunks and at least every this many chunks folded
     * @param restored    the checkpoint a resumed job goes on from (null: from its start, or none was taken)
     * @param acceptedAtMillis when the job was first accepted, wall-clock; 0 for a job accepted now
     */
    record Journal(ActorRef<JobBook.Command> book, Duration every, long everyChunks, JobProgress.Saved restored,
                   long acceptedAtMillis) {
        static final Journal OFF = new Journal(null, Duration.ofDays(1), Long.MAX_VALUE, null, 0);

        boolean resumed() {
            return acceptedAtMillis > 0;
        }
    }

    /** Name of the child that receives results of travelling chunks, on Artery's large-message channel. */
    public static final String LARGE_INBOX = "large";

    /**
     * @param streamTimings send every chunk's timings to the client as the job runs
     */
    public static Behavior<RunnerCommand> create(String jobId, JobTicket ticket, BoundJob<?, ?, ?, ?> job,
                                                 Requirements requires, int maxRetries, boolean streamTimings,
                                                 HeadSettings settings, ActorRef<JobEvent> client,
                                                 ActorRef<CoordinatorCommand> coordinator) {
        return create(jobId, ticket, job, requires, maxRetries, streamTimings, settings, client, coordinator,
            HeadMetrics.JobMeter.OFF);
    }

    /** @param meter the node's metrics of this job; the runner closes it when it stops */
    public static Behavior<RunnerCommand> create(String jobId, JobTicket ticket, BoundJob<?, ?, ?, ?> job,
                                                 Requirements requires, int maxRetries, boolean streamTimings,
                                                 HeadSettings settings, ActorRef<JobEvent> client,
                                                 ActorRef<CoordinatorCommand> coordinator, HeadMetrics.JobMeter meter) {
        return create(jobId, ticket, job, requires, maxRetries, streamTimings, settings, client, coordinator, meter,
            Journal.OFF);
    }

    /** @param journal where the job's checkpoints go, and what a resumed job goes on from */
    public static Behavior<RunnerCommand> create(String jobId, JobTicket ticket, BoundJob<?, ?, ?, ?> job,
                                                 Requirements requires, int maxRetries, boolean streamTimings,
                                                 HeadSettings settings, ActorRef<JobEvent> client,
                                                 ActorRef<CoordinatorCommand> coordinator, HeadMetrics.JobMeter meter,
                                                 Journal journal) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Tick(), settings.progressInterval());
            return new JobRunner(ctx, jobId, ticket, job, requires, maxRetries, streamTimings, settings, client,
                coordinator, meter, journal);
        }));
    }

    private final String jobId;
    private final JobTicket ticket;
    private final BoundJob<?, ?, ?, ?> job;
    private final long chunks;
    private final Requirements requires;
    private final HeadSettings settings;
    private final ActorRef<CoordinatorCommand> coordinator;
    private final HeadMetrics.JobMeter meter;
    private final JobMetrics metrics;
    /** Which chunks are folded: the runner decides each chunk's fate on it, the folder folds what it marks. */
    private final ChunkLedger ledger;
    private final ActorRef<JobFolder.Command> folder;
    private boolean answerAsked;
    private final ChunkQueue queue;
    private final BatchSizer sizer;
    private final InFlightBatches inFlight = new InFlightBatches();
    private final SlotCredit credit;
    private final RetryPolicy retries;
    private final ReportStream stream;
    private final Journal journal;
    private long checkpointedDone;
    private long checkpointedNanos;
    private long lastProgressDone = -1;
    private final ActorRef<RunnerCommand> largeInbox;
    private final Executor blocking;
    private final Set<ActorRef<SamplerCommand>> samplers = new HashSet<>();
    private boolean samplersAsked;
    private final String headNode;
    /** Batches "sent" nowhere so far, for tests of the batch deadline (grid.head.testing.drop-batches). */
    private int dropped;

    private JobRunner(ActorContext<RunnerCommand> ctx, String jobId, JobTicket ticket, BoundJob<?, ?, ?, ?> job,
                      Requirements requires, int maxRetries, boolean streamTimings, HeadSettings settings,
                      ActorRef<JobEvent> client, ActorRef<CoordinatorCommand> coordinator, HeadMetrics.JobMeter meter,
                      Journal journal) {
        super(ctx);
        this.jobId = jobId;
        this.ticket = ticket;
        this.job = job;
        this.chunks = job.chunks();
        this.requires = requires;
        this.settings = settings;
        this.coordinator = coordinator;
        this.meter = meter;
        this.journal = journal;
        this.headNode = NodeAddress.of(ctx.getSystem().address()) + " (head)";
        long now = System.nanoTime();
        this.checkpointedNanos = now;
        this.ledger = JobProgress.ledger(job, journal.restored());
        if (journal.resumed()) {
            this.queue = ChunkQueue.resuming(chunks, ledger, now);
            long sinceAcceptedMillis = Math.max(0, System.currentTimeMillis() - journal.acceptedAtMillis());
            this.metrics = new JobMetrics(now - sinceAcceptedMillis * 1_000_000L,
                Instant.ofEpochMilli(journal.acceptedAtMillis()), settings.chunkRows());
            resumeMetrics(journal.restored(), sinceAcceptedMillis, now);
        } else {
            this.queue = new ChunkQueue(chunks);
            this.metrics = new JobMetrics(now, settings.chunkRows());
        }
        this.checkpointedDone = ledger.done();
        this.folder = ctx.spawn(JobFolder.create(jobId, job, journal.restored(), journal.book(),
            ctx.messageAdapter(JobFolder.Reply.class, FoldReply::new)), "fold", JobFolder.DISPATCHER);
        ctx.watchWith(folder, new FolderStopped());
        this.sizer = new BatchSizer(settings.targetBatch().toNanos(), settings.maxBatchChunks(),
            settings.resultBytesPerBatch());
        this.credit = new SlotCredit(jobId, job.chunksTravel(), requires, settings.queuedWorkPerSlot().toNanos(), queue,
            ledger, inFlight, sizer, settings.foldBacklogBytes(), coordinator, this::send,
            ticket.chunkTimeout() == null ? Long.MAX_VALUE / 4 : ticket.chunkTimeout().toNanos(),
            settings.batchDeadlineMargin().toNanos(), settings.speculation(), metrics);
        this.retries = new RetryPolicy(maxRetries, settings.retryElsewhereFor(), ticket.chunkTimeout(), queue,
            ledger, metrics);
        this.stream = new ReportStream(jobId, client, streamTimings, metrics);
        if (job.chunksTravel()) {
            ActorRef<RunnerCommand> self = ctx.getSelf();
            this.largeInbox = ctx.spawn(Behaviors.receive(RunnerCommand.class)
                .onAnyMessage(m -> {
                    self.tell(m);
                    return Behaviors.same();
                })
                .build(), LARGE_INBOX);
            this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        } else {
            this.largeInbox = null;
            this.blocking = null;
        }
        // Through the mailbox, behind the coordinator's first grant when that is already queued: the
        // first batch then leaves for its slot before the client's acknowledgement, which nothing
        // waits on. It still precedes every other event to the client.
        ctx.getSelf().tell(new AnnounceAccepted());
    }

    /** A resumed job's report goes on with the counts of its checkpoint, and says what was lost. */
    private void resumeMetrics(JobProgress.Saved saved, long sinceAcceptedMillis, long now) {
        long redispatched = 0;
        if (ledger.done() > 0) {
            metrics.items = saved.items();
            metrics.retries = saved.retries();
            metrics.failedItems = saved.failedItems();
            for (long c = ledger.save().base(); c < saved.dispatchedUpTo(); c++) {
                if (!ledger.isDone(c)) redispatched++;
            }
        }
        metrics.resumed(new JobReport.Resume(headNode, metrics.sinceStartMillis(now),
            saved == null ? sinceAcceptedMillis : Math.max(0, System.currentTimeMillis() - saved.savedAtMillis()),
            ledger.done(), ledger.done() == 0 && saved != null ? saved.dispatchedUpTo() : redispatched));
        getContext().getLog().info("job {} resumed: {} of {} chunks folded at its last checkpoint", jobId,
            ledger.done(), chunks);
    }

    @Override
    public Receive<RunnerCommand> createReceive() {
        return newReceiveBuilder()
            .onMessage(Grant.class, grant -> {
                credit.granted(grant);
                return this;
            })
            .onMessage(AnnounceAccepted.class, m -> {
                stream.tellClient(accepted());
                return this;
            })
            .onMessage(Follow.class, this::onFollow)
            .onMessage(ChunkResults.class, this::onResults)
            .onMessage(ChunkOverdue.class, this::onOverdue)
            .onMessage(BatchesReturned.class, this::onReturned)
            .onMessage(SlotLost.class, m -> onLost(b -> b.slot.ref().equals(m.slot()), "slot " + m.slot().path().name()))
            .onMessage(NodeLost.class, this::onNodeLost)
            .onMessage(Cancel.class, m -> cancelled("cancelled: " + m.reason() + retries.suspectsNote()))
            .onMessage(RunnerCommand.GiveUp.class, m -> fail(m.reason() + retries.suspectsNote()))
            .onMessage(Unfollow.class, m -> {
                stream.unfollow(m.client());
                return this;
            })
            .onMessage(Contention.class, m -> {
                credit.contention(m.shared());
                return this;
            })
            .onMessage(Tick.class, m -> onTick())
            .onMessage(Encoded.class, this::onEncoded)
            .onMessage(SamplersFound.class, this::onSamplersFound)
            .onMessage(RunnerCommand.NodeSample.class, this::onNodeSample)
            .onMessage(FoldReply.class, this::onFoldReply)
            .onMessage(FolderStopped.class, m -> fail("the job's fold stopped unexpectedly; the head's log says why"))
            .onSignal(PostStop.class, s -> {
                meter.close();
                return this;
            })
            .build();
    }

    /** Sends a batch just planned to its slot; a travelling one is encoded first, off this thread (it may read files). */
    private void send(Batch batch) {
        metrics.nodeSeen(batch.slot.node(), batch.dispatchedNanos);
        if (dropped < settings.dropBatches()) {
            dropped++;
            getContext().getLog().warn("job {}: batch {} dropped on purpose (grid.head.testing.drop-batches)", jobId, batch.id);
            return;
        }
        if (job.chunksTravel()) {
            long[] ranges = batch.ranges;
            getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> job.encodeChunks(ranges), blocking),
                (data, failure) -> new Encoded(batch.id, data, failure));
        } else {
            batch.slot.ref().tell(new RunChunks(ticket, batch.id, batch.token, batch.ranges, batch.attempts, null, getContext().getSelf()));
        }
    }

    /** A travelling batch is encoded: send it to the slot's large inbox, results to ours. */
    private Behavior<RunnerCommand> onEncoded(Encoded encoded) {
        Batch batch = inFlight.get(encoded.batchId());
        if (batch == null || batch.abandoned()) return this;
        if (encoded.failure() != null) {
            return fail("the head could not prepare chunk " + batch.ranges[0] + " to send: " + encoded.failure().getMessage());
        }
        batch.slot.largeInbox().tell(new RunChunks(ticket, batch.id, batch.token, batch.ranges, batch.attempts, encoded.chunkData(),
            largeInbox));
        return this;
    }

    private Behavior<RunnerCommand> onResults(ChunkResults r) {
        long now = System.nanoTime();
        Batch sent = inFlight.get(r.batchId());
        if (sent != null && !fromItsSlot(sent, r.token(), r.slotId(), "results")) return this;
        Batch batch = inFlight.remove(r.batchId());
        if (batch == null) {
            // A batch leaves inFlight with its results (or unrun, returned): this one was answered already.
            metrics.duplicates += r.runNanos().length;
            getContext().getLog().warn("job {}: results of unknown batch {} from {}", jobId, r.batchId(), r.slotId());
            return this;
        }
        if (!batch.abandoned() && inFlight.release(batch)) credit.noticeWorkIfDeclined();
        Map<Long, ChunkError> errors = Map.of();
        if (!r.errors().isEmpty()) {
            errors = new HashMap<>();
            for (ChunkError e : r.errors()) errors.put(e.chunk(), e);
        }
        Map<Long, List<ItemFailure>> itemFailures = Map.of();
        if (!r.itemFailures().isEmpty()) {
            itemFailures = new HashMap<>();
            for (ItemFailure i : r.itemFailures()) itemFailures.computeIfAbsent(i.chunk(), c -> new ArrayList<>()).add(i);
        }
        long response = now - batch.dispatchedNanos;
        long[] items = r.items();
        long[] runNanos = r.runNanos();
        long runTotal = 0;
        for (long run : runNanos) runTotal += run;
        boolean rows = stream.wantsRows();
        if (!rows) metrics.rowsNotKept(batch.size);
        // Where the batch started on the head's clock, taking the network as equally long both ways.
        long startedNanos = batch.dispatchedNanos + Math.max(0, (response - r.waitNanos() - runTotal) / 2) + r.waitNanos();
        // The chunks marked done here, and their positions in the batch: the folder folds them.
        long[] folded = new long[batch.size];
        int[] positions = new int[batch.size];
        int counted = 0;
        for (Chunks c = batch.chunks(); c.next(); ) {
            long chunk = c.chunk();
            int k = c.position();
            long run = k < runNanos.length ? runNanos[k] : 0;
            ChunkError error = errors.isEmpty() ? null : errors.get(chunk);
            if (rows) {
                stream.row(batch, k, chunk, startedNanos, run,
                    error != null ? Outcome.FAILED : ledger.isDone(chunk) ? Outcome.DUPLICATE : Outcome.OK);
            }
            startedNanos += run;
            if (error != null) {
                if (ledger.isDone(chunk)) continue;
                if (twinStillOut(batch)) {
                    // The other copy of this chunk may still succeed: it decides the chunk's fate.
                    metrics.attemptFailed();
                    continue;
                }
                String failure = retries.chunkFailed(chunk, batch.attemptAt(k), batch.slot.node(), error.error(), now);
                if (failure != null) {
                    credit.giveBack(batch.slot, r.demand());
                    return fail(failure);
                }
                credit.retryQueued();
                continue;
            }
            if (!ledger.markDone(chunk)) {
                metrics.duplicates++;
                continue;
            }
            folded[counted] = chunk;
            positions[counted] = k;
            metrics.items += items.length == 0 ? 1 : items[k];
            metrics.chunkDone(batch.slot.node(), batch.slot.slotId(), batch.slot.capacity(), run,
                batch.abandoned() ? -1 : response);
            List<ItemFailure> failed = itemFailures.isEmpty() ? null : itemFailures.get(chunk);
            if (failed != null) failed.forEach(metrics::itemFailed);
            counted++;
        }
        if (counted > 0 && batch.speculative) metrics.speculativeWins++;
        if (counted > 0) {
            folder.tell(new JobFolder.Fold(batch.id, NodeAddress.of(batch.slot.node()), r.results(),
                counted == folded.length ? folded : Arrays.copyOf(folded, counted),
                counted == positions.length ? positions : Arrays.copyOf(positions, counted)));
            credit.foldQueued(r.results() == null ? 0 : r.results().length);
        }
        if (!batch.abandoned()) {
            metrics.responses(response, counted);
            meter.latency(response, counted);
        }
        sizer.observe(batch.size, runTotal, r.results() == null ? 0 : r.results().length);
        if (ledger.complete()) {
            credit.giveBack(batch.slot, r.demand());
            askForTheAnswer();
            return this;
        }
        if (ledger.done() - checkpointedDone >= journal.everyChunks()) checkpoint(now);
        credit.fromResults(batch.slot, r.demand());
        credit.noticeWorkIfDeclined();
        return this;
    }

    private Behavior<RunnerCommand> onOverdue(ChunkOverdue overdue) {
        Batch batch = inFlight.get(overdue.batchId());
        if (batch == null || batch.abandoned()) return this;
        if (!fromItsSlot(batch, overdue.token(), overdue.slotId(), "an overdue report")) return this;
        inFlight.abandon(batch);
        String failure = retries.overdue(batch, overdue.position(), System.nanoTime());
        if (failure != null) return fail(failure);
        getContext().getLog().info("job {}: chunk at position {} of batch {} overdue on {} after {} ms; re-dispatched",
            jobId, overdue.position(), overdue.batchId(), batch.slot.node(), overdue.runningMillis());
        credit.noticeWork();
        return this;
    }

    private Behavior<RunnerCommand> onReturned(BatchesReturned returned) {
        long now = System.nanoTime();
        long[] ids = returned.batchIds();
        for (int i = 0; i < ids.length; i++) {
            Batch sent = inFlight.get(ids[i]);
            long token = i < returned.tokens().length ? returned.tokens()[i] : 0;
            if (sent != null && !fromItsSlot(sent, token, returned.slotId(), "a return")) continue;
            Batch batch = inFlight.remove(ids[i]);
            if (batch == null || batch.abandoned()) continue;
            inFlight.release(batch);
            retries.returned(batch, now);
        }
        credit.noticeWork();
        return this;
    }

    /**
     * Whether an answer about the batch comes from the slot it was sent to: it carries the batch's
     * token and that slot's id. Anything else is a peer answering for a batch it never had; it is
     * dropped, counts as nothing, and is logged (repeats are rate-limited by the log filter).
     */
    private boolean fromItsSlot(Batch batch, long token, String slotId, String what) {
        if (batch.answeredBy(token, slotId)) return true;
        getContext().getLog().warn("job {}: dropped {} for batch {} that claims to come from slot {} but does not carry"
            + " the batch's token or slot (it went to {} on {})", jobId, what, batch.id, slotId, batch.slot.slotId(),
            batch.slot.node());
        return false;
    }

    /** Whether the batch's other copy (speculative, or the original of a copy) is still out and may yet answer. */
    private boolean twinStillOut(Batch batch) {
        Batch twin = batch.twin;
        return twin != null && !twin.abandoned() && inFlight.get(twin.id) != null;
    }

    /**
     * The node is unreachable or gone. The batch each of its slots was running spent its attempt
     * ({@link RetryPolicy#diedRunning}): poison that kills nodes is contained. The node's other
     * batches never started and run again as they were.
     */
    private Behavior<RunnerCommand> onNodeLost(NodeLost m) {
        long now = System.nanoTime();
        metrics.nodeLost(m.node(), now);
        Set<Long> running = new HashSet<>();
        for (Batch b : inFlight.runningOn(m.node())) running.add(b.id);
        List<Batch> abandoned = inFlight.abandonWhere(b -> b.slot.node().equals(m.node()));
        if (abandoned.isEmpty()) return this;
        if (!running.isEmpty()) metrics.workerDeaths++;
        for (Batch batch : abandoned) {
            // Its other copy, still out on a live node, may yet answer: it decides these chunks' fate.
            if (twinStillOut(batch)) continue;
            if (!running.contains(batch.id)) {
                retries.lost(batch, now);
                continue;
            }
            String failure = retries.diedRunning(batch, now);
            if (failure != null) return fail(failure);
        }
        getContext().getLog().info("job {}: node {} lost while running {} of its batches; {} batches re-queued", jobId,
            NodeAddress.of(m.node()), running.size(), abandoned.size());
        credit.noticeWork();
        return this;
    }

    /** Batches past their deadline were lost on the way, or their answers were: their chunks run elsewhere. */
    private void redispatchPastDeadline(long now) {
        List<Batch> late = inFlight.pastDeadline(now);
        if (late.isEmpty()) return;
        for (Batch batch : late) {
            inFlight.abandon(batch);
            if (!twinStillOut(batch)) retries.lost(batch, now);
            getContext().getLog().warn("job {}: batch {} ({} chunks) sent to {} on {} {} ms ago has no answer by its "
                + "deadline; its chunks run elsewhere", jobId, batch.id, batch.size, batch.slot.slotId(),
                NodeAddress.of(batch.slot.node()), (now - batch.dispatchedNanos) / 1_000_000);
        }
        credit.noticeWork();
    }

    private Behavior<RunnerCommand> onLost(Predicate<Batch> lost, String what) {
        List<Batch> abandoned = inFlight.abandonWhere(lost);
        if (abandoned.isEmpty()) return this;
        long now = System.nanoTime();
        for (Batch batch : abandoned) {
            if (!twinStillOut(batch)) retries.lost(batch, now);
        }
        getContext().getLog().info("job {}: {} lost; {} batches re-queued", jobId, what, abandoned.size());
        credit.noticeWork();
        return this;
    }

    private JobEvent.Accepted accepted() {
        return new JobEvent.Accepted(jobId, ticket.workload(), chunks, requires, getContext().getSelf());
    }

    private Behavior<RunnerCommand> onFollow(Follow follow) {
        stream.follow(follow.listener());
        follow.listener().tell(accepted());
        follow.listener().tell(progress());
        return this;
    }

    private JobEvent.Progress progress() {
        return new JobEvent.Progress(jobId, ledger.done(), chunks, metrics.retries, metrics.failedItems,
            metrics.elapsedMillis(System.nanoTime()), credit.eligibleSlots());
    }

    private Behavior<RunnerCommand> onSamplersFound(SamplersFound found) {
        for (ActorRef<SamplerCommand> sampler : found.listing().getServiceInstances(SamplerCommand.KEY)) {
            if (samplers.add(sampler)) {
                sampler.tell(new SamplerCommand.Subscribe(jobId, getContext().getSelf(), settings.sampleInterval()));
            }
        }
        return this;
    }

    private Behavior<RunnerCommand> onNodeSample(RunnerCommand.NodeSample s) {
        metrics.sample(new NodeSample(s.node(), metrics.sinceStartMillis(System.nanoTime()), s.processCpu(),
            s.systemCpu(), s.heapUsedBytes(), s.heapMaxBytes(), s.rssBytes(), s.process()));
        return this;
    }

    private Behavior<RunnerCommand> onTick() {
        long now = System.nanoTime();
        if (!samplersAsked) {
            // Only jobs that outlive a tick get node samples: short jobs are not slowed by subscriptions.
            samplersAsked = true;
            getContext().getSystem().receptionist().tell(Receptionist.find(SamplerCommand.KEY,
                getContext().messageAdapter(Receptionist.Listing.class, SamplersFound::new)));
        }
        metrics.queuePoint(now, queue.undispatched(), inFlight.chunks(), ledger.done());
        ProcessResources.Reading head = ProcessResources.read();
        metrics.sample(new NodeSample(headNode, metrics.sinceStartMillis(now), head.processCpu(), head.systemCpu(),
            head.heapUsedBytes(), head.heapMaxBytes(), head.rssBytes(), ProcessResources.process()));
        stream.flushTimings();
        publishMeter();
        long done = ledger.done();
        if (done != lastProgressDone) {
            lastProgressDone = done;
            stream.tell(progress());
            coordinator.tell(new JobCoordinator.ChunksDone(jobId, done, chunks));
        }
        if (now - checkpointedNanos >= journal.every().toNanos()) checkpoint(now);
        redispatchPastDeadline(now);
        if (credit.speculationDue(now)) credit.noticeWork();
        // Retries that avoided a node become available to it after a while; say so.
        credit.noticeWorkIfDeclined();
        return this;
    }

    /**
     * Writes the job's progress to the journal, when it has moved since the last checkpoint and can
     * be saved: the ledger and counts as of now go to the folder, behind the results folded so far,
     * and the folder adds its fold and writes the checkpoint.
     */
    private void checkpoint(long now) {
        checkpointedNanos = now;
        if (journal.book() == null || ledger.done() == checkpointedDone || !job.foldResumes() || answerAsked) return;
        checkpointedDone = ledger.done();
        folder.tell(new JobFolder.Checkpoint(ledger.save(), metrics.items, metrics.retries, metrics.failedItems,
            queue.frontier()));
    }

    /** Every chunk is marked done: the folder answers once it has folded them all. */
    private void askForTheAnswer() {
        if (answerAsked) return;
        answerAsked = true;
        folder.tell(new JobFolder.Answer());
    }

    private Behavior<RunnerCommand> onFoldReply(FoldReply m) {
        if (m.reply() instanceof JobFolder.Folded folded) {
            credit.folded(folded.resultBytes());
            return this;
        }
        if (m.reply() instanceof JobFolder.Answered answered) return complete(answered);
        return fail(((JobFolder.Failed) m.reply()).reason());
    }

    private void publishMeter() {
        meter.update(new HeadMetrics.JobCounts(ledger.done(), metrics.retries, metrics.timedOut, metrics.requeued,
            metrics.duplicates, metrics.failedAttempts), queue.undispatched(), inFlight.chunks());
    }

    private Behavior<RunnerCommand> complete(JobFolder.Answered answered) {
        JobReport report = finalReport();
        stream.tell(new JobEvent.Completed(jobId, answered.answer(), answered.summary(), stream.beforeTheEnd(report)));
        return finish("COMPLETED", answered.summary(), answered.answer(), report);
    }

    private Behavior<RunnerCommand> fail(String reason) {
        JobReport report = finalReport();
        stream.tell(new JobEvent.Failed(jobId, reason, stream.beforeTheEnd(report)));
        getContext().getLog().info("job {} failed: {}", jobId, reason);
        return finish("FAILED", reason, null, report);
    }

    private Behavior<RunnerCommand> cancelled(String reason) {
        JobReport report = finalReport();
        stream.tell(new JobEvent.Cancelled(jobId, reason, stream.beforeTheEnd(report)));
        getContext().getLog().info("job {} {}", jobId, reason);
        return finish("CANCELLED", reason, null, report);
    }

    /** The report as the job ends; its queue ends on the end (all done, for a completed job), not on the last tick. */
    private JobReport finalReport() {
        long now = System.nanoTime();
        metrics.queuePoint(now, queue.undispatched(), inFlight.chunks(), ledger.done());
        return metrics.report(jobId, ticket.workload(), chunks, ledger.done(), now);
    }

    private Behavior<RunnerCommand> finish(String state, String outcome, JsonNode result, JobReport report) {
        publishMeter();
        meter.close();
        for (ActorRef<SamplerCommand> sampler : samplers) sampler.tell(new SamplerCommand.Unsubscribe(jobId));
        for (ActorRef<SlotCommand> slot : inFlight.slotsUsed()) slot.tell(new DropJob(jobId));
        coordinator.tell(new JobCoordinator.JobFinished(jobId, state, ledger.done(), chunks, outcome, result, report));
        return Behaviors.stopped();
    }
}
