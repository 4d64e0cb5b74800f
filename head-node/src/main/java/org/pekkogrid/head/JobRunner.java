package org.pekkogrid.head;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobReport.ChunkRow;
import org.pekkogrid.protocol.JobReport.NodeSample;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.protocol.ProcessResources;
import org.pekkogrid.protocol.SamplerCommand;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.RunnerCommand.BatchesReturned;
import org.pekkogrid.protocol.RunnerCommand.Cancel;
import org.pekkogrid.protocol.RunnerCommand.ChunkError;
import org.pekkogrid.protocol.RunnerCommand.ChunkOverdue;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.pekkogrid.protocol.RunnerCommand.ItemFailure;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.protocol.SlotCommand.DropJob;
import org.pekkogrid.protocol.SlotCommand.RunChunks;
import org.pekkogrid.workloads.BoundJob;

/**
 * Runs one job: hands out batches of chunks against the credit the coordinator grants it,
 * folds each chunk's result exactly once, retries what fails, re-dispatches what is overdue or
 * lost with its node, and ends the job Completed or Failed with its report.
 */
public final class JobRunner extends AbstractBehavior<RunnerCommand> {

    /** Why a grant was not used in full. */
    enum Decline { NONE, SLOT_FULL, NODE_BLOCKED, NO_WORK }

    /**
     * From the coordinator: the slot can take up to {@code batches} more batches.
     *
     * @param eligibleSlots live slots that can run this job, for balancing the tail
     * @param eligibleNodes live nodes that can run this job; with one, retries may stay on it
     */
    record Grant(Slot slot, int batches, int eligibleSlots, int eligibleNodes) implements RunnerCommand {}

    /** From the coordinator: the slot stopped; its batches will not come back. */
    record SlotLost(ActorRef<SlotCommand> slot) implements RunnerCommand {}

    /** From the coordinator: the node is unreachable or gone; its batches are re-queued now. */
    record NodeLost(Address node) implements RunnerCommand {}

    /**
     * From the coordinator: whether other jobs are running. While they are, credit a slot sends
     * with its results goes back to the coordinator, which shares it among the jobs in turn.
     */
    record Contention(boolean shared) implements RunnerCommand {}

    /** From the coordinator: this listener hears the job's events from now on, besides its client. */
    record Follow(ActorRef<JobEvent> listener) implements RunnerCommand {}

    private record Tick() implements RunnerCommand {}

    private record AnnounceAccepted() implements RunnerCommand {}

    private record SamplersFound(Receptionist.Listing listing) implements RunnerCommand {}

    /** Chunks of a batch encoded off the actor's thread (they may read files), or why they could not be. */
    private record Encoded(long batchId, byte[] chunkData, Throwable failure) implements RunnerCommand {}

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

    /** A batch out on a slot. Abandoned once its chunks were re-queued; a late result still counts. */
    private static final class InFlight {
        final long batchId;
        final Slot slot;
        final long[] ranges;
        final int[] attempts;
        final long[] queuedNanos;
        final int size;
        final long dispatchedNanos;
        boolean abandoned;

        InFlight(long batchId, Slot slot, long[] ranges, int[] attempts, long[] queuedNanos, int size,
                 long dispatchedNanos) {
            this.batchId = batchId;
            this.slot = slot;
            this.ranges = ranges;
            this.attempts = attempts;
            this.queuedNanos = queuedNanos;
            this.size = size;
            this.dispatchedNanos = dispatchedNanos;
        }

        int attemptAt(int position) {
            return attempts.length == 0 ? 0 : attempts[position];
        }
    }

    /** What one slot holds of this job. */
    private static final class SlotLoad {
        final Address node;
        int batches;
        long chunks;

        SlotLoad(Address node) {
            this.node = node;
        }
    }

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
    private final JobProgress progress;
    private final Journal journal;
    private long checkpointedDone;
    private long checkpointedNanos;
    private final Requirements requires;
    private final int maxRetries;
    private final HeadSettings settings;
    /** Who hears the job's events: its client first, then any that followed it since. */
    private final List<ActorRef<JobEvent>> listeners = new ArrayList<>(2);
    private final ActorRef<CoordinatorCommand> coordinator;
    private final long chunks;
    private final ChunkQueue queue;
    private final BatchSizer sizer;
    private final JobMetrics metrics;
    private final HeadMetrics.JobMeter meter;
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private final Map<ActorRef<SlotCommand>, SlotLoad> loads = new HashMap<>();
    private final Set<ActorRef<SlotCommand>> slotsUsed = new HashSet<>();
    private long nextBatchId;
    private boolean declinedSinceNotice;
    /** Whether the message being handled has already told the coordinator there is work. */
    private boolean noticed;
    private long lastProgressDone = -1;
    private int lastEligibleSlots = 1;
    private int lastEligibleNodes = 1;
    private boolean contended;
    private final ActorRef<RunnerCommand> largeInbox;
    private final java.util.concurrent.Executor blocking;
    private final boolean streamTimings;
    private final List<ChunkRow> pendingRows = new ArrayList<>();
    private final Set<ActorRef<SamplerCommand>> samplers = new HashSet<>();
    private final String headNode;
    private long inFlightChunks;
    private boolean samplersAsked;

    private JobRunner(ActorContext<RunnerCommand> ctx, String jobId, JobTicket ticket, BoundJob<?, ?, ?, ?> job,
                      Requirements requires, int maxRetries, boolean streamTimings, HeadSettings settings,
                      ActorRef<JobEvent> client, ActorRef<CoordinatorCommand> coordinator, HeadMetrics.JobMeter meter,
                      Journal journal) {
        super(ctx);
        this.journal = journal;
        this.meter = meter;
        this.streamTimings = streamTimings;
        this.headNode = NodeAddress.of(ctx.getSystem().address()) + " (head)";
        this.jobId = jobId;
        this.ticket = ticket;
        this.job = job;
        this.requires = requires;
        this.maxRetries = maxRetries;
        this.settings = settings;
        this.listeners.add(client);
        this.coordinator = coordinator;
        this.chunks = job.chunks();
        long now = System.nanoTime();
        this.sizer = new BatchSizer(settings.targetBatch().toNanos(), settings.maxBatchChunks(),
            settings.resultBytesPerBatch());
        this.checkpointedNanos = now;
        if (journal.resumed()) {
            long nowMillis = System.currentTimeMillis();
            JobProgress.Saved saved = journal.restored();
            this.progress = JobProgress.resume(job, saved);
            this.queue = ChunkQueue.resuming(chunks, progress.ledger(), now);
            long sinceAccepted = Math.max(0, nowMillis - journal.acceptedAtMillis());
            this.metrics = new JobMetrics(now - sinceAccepted * 1_000_000L,
                java.time.Instant.ofEpochMilli(journal.acceptedAtMillis()), settings.chunkRows());
            long redispatched = 0;
            if (progress.done() > 0) {
                metrics.items = saved.items();
                metrics.retries = saved.retries();
                metrics.failedItems = saved.failedItems();
                for (long c = progress.ledger().save().base(); c < saved.dispatchedUpTo(); c++) {
                    if (!progress.isDone(c)) redispatched++;
                }
            }
            this.checkpointedDone = progress.done();
            metrics.resumed(new JobReport.Resume(headNode, metrics.sinceStartMillis(now),
                saved == null ? sinceAccepted : Math.max(0, nowMillis - saved.savedAtMillis()), progress.done(),
                progress.done() == 0 && saved != null ? saved.dispatchedUpTo() : redispatched));
            ctx.getLog().info("job {} resumed: {} of {} chunks folded at its last checkpoint", jobId, progress.done(),
                chunks);
        } else {
            this.progress = JobProgress.start(job);
            this.queue = new ChunkQueue(chunks);
            this.metrics = new JobMetrics(now, settings.chunkRows());
        }
        if (job.chunksTravel()) {
            ActorRef<RunnerCommand> self = ctx.getSelf();
            this.largeInbox = ctx.spawn(Behaviors.receive(RunnerCommand.class)
                .onAnyMessage(m -> {
                    self.tell(m);
                    return Behaviors.same();
                })
                .build(), LARGE_INBOX);
            this.blocking = ctx.getSystem().dispatchers().lookup(
                org.apache.pekko.actor.typed.DispatcherSelector.blocking());
        } else {
            this.largeInbox = null;
            this.blocking = null;
        }
        // Through the mailbox, behind the coordinator's first grant when that is already queued: the
        // first batch then leaves for its slot before the client's acknowledgement, which nothing
        // waits on. It still precedes every other event to the client.
        ctx.getSelf().tell(new AnnounceAccepted());
    }

    @Override
    public Receive<RunnerCommand> createReceive() {
        return newReceiveBuilder()
            .onMessage(Grant.class, this::onGrant)
            .onMessage(AnnounceAccepted.class, m -> {
                listeners.get(0).tell(accepted());
                return this;
            })
            .onMessage(Follow.class, this::onFollow)
            .onMessage(ChunkResults.class, this::onResults)
            .onMessage(ChunkOverdue.class, this::onOverdue)
            .onMessage(BatchesReturned.class, this::onReturned)
            .onMessage(SlotLost.class, m -> onLost(f -> f.slot.ref().equals(m.slot()), "slot " + m.slot().path().name()))
            .onMessage(NodeLost.class, m -> {
                metrics.nodeLost(m.node(), System.nanoTime());
                return onLost(f -> f.slot.node().equals(m.node()), "node " + NodeAddress.of(m.node()));
            })
            .onMessage(Cancel.class, m -> fail("cancelled: " + m.reason()))
            .onMessage(Contention.class, m -> {
                contended = m.shared();
                return this;
            })
            .onMessage(Tick.class, m -> onTick())
            .onMessage(Encoded.class, this::onEncoded)
            .onMessage(SamplersFound.class, this::onSamplersFound)
            .onMessage(RunnerCommand.NodeSample.class, this::onNodeSample)
            .onSignal(PostStop.class, s -> {
                meter.close();
                return this;
            })
            .build();
    }

    private Behavior<RunnerCommand> onGrant(Grant grant) {
        lastEligibleSlots = Math.max(1, grant.eligibleSlots());
        lastEligibleNodes = Math.max(1, grant.eligibleNodes());
        useCredit(grant.slot(), grant.batches(), false);
        return this;
    }

    /**
     * Sends the slot up to {@code batches} batches and hands the rest of the credit back to the
     * coordinator, saying why it was not used.
     *
     * @param fresh credit the slot sent with its results, not lent by the coordinator
     */
    private void useCredit(Slot slot, int batches, boolean fresh) {
        long now = System.nanoTime();
        boolean honourAvoidance = lastEligibleNodes > 1;
        int used = 0;
        Decline decline = Decline.NONE;
        SlotLoad load = loads.computeIfAbsent(slot.ref(), r -> new SlotLoad(slot.node()));
        while (used < batches) {
            if (queue.isEmpty()) {
                decline = Decline.NO_WORK;
                break;
            }
            if (load.batches == 0) {
                if (busySlotsOn(slot.node()) >= slot.capacity().concurrencyFor(requires)) {
                    decline = Decline.NODE_BLOCKED;
                    break;
                }
            } else if (sizer.chunkNanos() < 0 || load.chunks >= fairShare()
                    || (load.batches >= 2 && load.chunks * sizer.chunkNanos() >= settings.queuedWorkPerSlot().toNanos())) {
                // Until a chunk's cost is known, and near the end, a slot that has work takes no
                // more: its credit would otherwise take chunks that an idle slot could run now.
                decline = Decline.SLOT_FULL;
                break;
            }
            // A travelling chunk may be a megabyte of images: it goes alone.
            int size = job.chunksTravel() ? 1 : sizer.next(queue.undispatched(), lastEligibleSlots);
            ChunkQueue.Planned planned = queue.take(slot.node(), size, now, progress::isDone, honourAvoidance);
            if (planned == null) {
                decline = queue.isEmpty() ? Decline.NO_WORK : Decline.NODE_BLOCKED;
                break;
            }
            long batchId = nextBatchId++;
            if (job.chunksTravel()) {
                long[] ranges = planned.ranges();
                getContext().pipeToSelf(java.util.concurrent.CompletableFuture.supplyAsync(() -> job.encodeChunks(ranges), blocking),
                    (data, failure) -> new Encoded(batchId, data, failure));
            } else {
                slot.ref().tell(new RunChunks(ticket, batchId, planned.ranges(), planned.attempts(), null, getContext().getSelf()));
            }
            inFlight.put(batchId, new InFlight(batchId, slot, planned.ranges(), planned.attempts(), planned.queuedNanos(),
                planned.size(), now));
            metrics.nodeSeen(slot.node(), now);
            inFlightChunks += planned.size();
            load.batches++;
            load.chunks += planned.size();
            slotsUsed.add(slot.ref());
            used++;
        }
        if (load.batches == 0) loads.remove(slot.ref());
        // The coordinator offers none of this slot's credit to this job again until told there is
        // work. A slot that was full is told when its load drains (release) or at the next tick:
        // otherwise it would hold one batch at a time from then on, idle for a round trip each.
        if (decline != Decline.NONE) declinedSinceNotice = true;
        if (!fresh || used < batches) {
            coordinator.tell(new JobCoordinator.GrantDone(jobId, slot.ref(), batches - used, decline, fresh));
        }
    }

    /** The chunks one slot may hold: the job's unfinished chunks spread evenly over its eligible slots. */
    private long fairShare() {
        return Math.max(1, (queue.undispatched() + inFlightChunks) / lastEligibleSlots);
    }

    /** Credit that came with results: this job uses it, unless other jobs are waiting their turn. */
    private void creditFromResults(Slot slot, int batches) {
        if (batches <= 0) return;
        if (contended) {
            coordinator.tell(new JobCoordinator.GrantDone(jobId, slot.ref(), batches, Decline.NONE, true));
        } else {
            useCredit(slot, batches, true);
        }
    }

    /** A job that ends hands the credit that came with its last results back to the coordinator. */
    private void returnCredit(Slot slot, int batches) {
        if (batches > 0) coordinator.tell(new JobCoordinator.GrantDone(jobId, slot.ref(), batches, Decline.NO_WORK, true));
    }

    /** A travelling batch is encoded: send it to the slot's large inbox, results to ours. */
    private Behavior<RunnerCommand> onEncoded(Encoded encoded) {
        InFlight f = inFlight.get(encoded.batchId());
        if (f == null || f.abandoned) return this;
        if (encoded.failure() != null) {
            return fail("the head could not prepare chunk " + f.ranges[0] + " to send: " + encoded.failure().getMessage());
        }
        f.slot.largeInbox().tell(new RunChunks(ticket, f.batchId, f.ranges, f.attempts, encoded.chunkData(), largeInbox));
        return this;
    }

    private int busySlotsOn(Address node) {
        int busy = 0;
        for (SlotLoad l : loads.values()) {
            if (l.batches > 0 && l.node.equals(node)) busy++;
        }
        return busy;
    }

    private Behavior<RunnerCommand> onResults(ChunkResults r) {
        long now = System.nanoTime();
        InFlight f = inFlight.remove(r.batchId());
        if (f == null) {
            // A batch leaves inFlight with its results (or unrun, returned): this one was answered already.
            metrics.duplicates += r.runNanos().length;
            getContext().getLog().warn("job {}: results of unknown batch {} from {}", jobId, r.batchId(), r.slotId());
            return this;
        }
        if (!f.abandoned) release(f);
        Object[] values;
        try {
            values = job.decodeResults(r.results());
        } catch (RuntimeException e) {
            returnCredit(f.slot, r.demand());
            return fail("results of batch " + r.batchId() + " from " + NodeAddress.of(f.slot.node()) + " cannot be read: " + e.getMessage());
        }
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
        long response = now - f.dispatchedNanos;
        long[] items = r.items();
        long[] runNanos = r.runNanos();
        long runTotal = 0;
        for (long run : runNanos) runTotal += run;
        boolean rows = streamTimings || metrics.wantsRows();
        if (!rows) metrics.rowsNotKept(f.size);
        // Where the batch started on the head's clock, taking the network as equally long both ways.
        long startedNanos = f.dispatchedNanos + Math.max(0, (response - r.waitNanos() - runTotal) / 2) + r.waitNanos();
        int counted = 0;
        int k = 0;
        for (int g = 0; g < f.ranges.length; g += 2) {
            long end = f.ranges[g] + f.ranges[g + 1];
            for (long index = f.ranges[g]; index < end; index++, k++) {
                long run = k < runNanos.length ? runNanos[k] : 0;
                ChunkError error = errors.isEmpty() ? null : errors.get(index);
                String outcome = error != null ? "failed" : progress.isDone(index) ? "duplicate" : "ok";
                if (rows) row(f, k, index, startedNanos, run, outcome);
                startedNanos += run;
                if (error != null) {
                    if (!progress.isDone(index) && !chunkFailed(index, f.attemptAt(k), f.slot.node(), error)) {
                        returnCredit(f.slot, r.demand());
                        return fail(failureReason);
                    }
                    continue;
                }
                if (!progress.fold(index, values == null ? null : values[k])) {
                    metrics.duplicates++;
                    continue;
                }
                metrics.items += items.length == 0 ? 1 : items[k];
                metrics.chunkDone(f.slot.node(), f.slot.slotId(), f.slot.capacity(), run, f.abandoned ? -1 : response);
                List<ItemFailure> failed = itemFailures.isEmpty() ? null : itemFailures.get(index);
                if (failed != null) failed.forEach(metrics::itemFailed);
                counted++;
            }
        }
        if (!f.abandoned) {
            metrics.responses(response, counted);
            meter.latency(response, counted);
        }
        sizer.observe(f.size, runTotal, r.results() == null ? 0 : r.results().length);
        if (progress.complete()) {
            returnCredit(f.slot, r.demand());
            return complete();
        }
        if (progress.done() - checkpointedDone >= journal.everyChunks()) checkpoint(now);
        creditFromResults(f.slot, r.demand());
        if (declinedSinceNotice && !queue.isEmpty()) noticeWork();
        return this;
    }

    private String failureReason;

    private void row(InFlight f, int position, long index, long startedNanos, long runNanos, String outcome) {
        long queued = f.queuedNanos == null || f.queuedNanos[position] < 0 ? -1 : f.queuedNanos[position];
        ChunkRow row = new ChunkRow(index, f.attemptAt(position), NodeAddress.of(f.slot.node()), f.slot.slotId(),
            queued < 0 ? 0 : metrics.sinceStartMillis(queued), metrics.sinceStartMillis(f.dispatchedNanos),
            metrics.sinceStartMillis(startedNanos), metrics.sinceStartMillis(startedNanos + runNanos), outcome);
        metrics.row(row);
        if (streamTimings) pendingRows.add(row);
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
            s.systemCpu(), s.heapUsedBytes(), s.heapMaxBytes(), s.rssBytes()));
        return this;
    }

    /** Records a failed attempt; false when the chunk has no retries left (the job fails). */
    private boolean chunkFailed(long index, int attempt, Address node, ChunkError error) {
        metrics.attemptFailed();
        if (attempt >= maxRetries) {
            metrics.failedChunks++;
            failureReason = "chunk " + index + " failed " + (attempt + 1) + " time" + (attempt == 0 ? "" : "s")
                + "; last error on " + NodeAddress.of(node) + ": " + error.error();
            return false;
        }
        metrics.retries++;
        long now = System.nanoTime();
        queue.retryElsewhere(index, attempt + 1, node, now + settings.retryElsewhereFor().toNanos(), now);
        declinedSinceNotice = true;
        return true;
    }

    private Behavior<RunnerCommand> onOverdue(ChunkOverdue overdue) {
        InFlight f = inFlight.get(overdue.batchId());
        if (f == null || f.abandoned) return this;
        abandon(f);
        int k = 0;
        for (int g = 0; g < f.ranges.length; g += 2) {
            long end = f.ranges[g] + f.ranges[g + 1];
            for (long index = f.ranges[g]; index < end; index++, k++) {
                if (progress.isDone(index)) continue;
                int attempt = f.attemptAt(k);
                if (k == overdue.position()) {
                    metrics.timedOut++;
                    if (attempt >= maxRetries) {
                        metrics.failedChunks++;
                        return fail("chunk " + index + " ran past the chunk timeout of " + format(ticket.chunkTimeout())
                            + " on " + (attempt + 1) + " attempt" + (attempt == 0 ? "" : "s") + ", the last on "
                            + NodeAddress.of(f.slot.node()));
                    }
                    metrics.retries++;
                    long now = System.nanoTime();
                    queue.retryElsewhere(index, attempt + 1, f.slot.node(), now + settings.retryElsewhereFor().toNanos(), now);
                } else {
                    // Waiting behind the stuck chunk, or finished but not reported: run again, same attempt.
                    metrics.retries++;
                    metrics.requeued++;
                    queue.requeue(index, attempt, System.nanoTime());
                }
            }
        }
        getContext().getLog().info("job {}: chunk at position {} of batch {} overdue on {} after {} ms; re-dispatched",
            jobId, overdue.position(), overdue.batchId(), f.slot.node(), overdue.runningMillis());
        noticeWork();
        return this;
    }

    private Behavior<RunnerCommand> onReturned(BatchesReturned returned) {
        noticed = false;
        for (long id : returned.batchIds()) {
            InFlight f = inFlight.remove(id);
            if (f == null || f.abandoned) continue;
            release(f);
            requeueUndone(f, false);
        }
        if (!noticed) noticeWork();
        return this;
    }

    private Behavior<RunnerCommand> onLost(java.util.function.Predicate<InFlight> lost, String what) {
        noticed = false;
        int batches = 0;
        for (InFlight f : inFlight.values()) {
            if (f.abandoned || !lost.test(f)) continue;
            abandon(f);
            requeueUndone(f, true);
            batches++;
        }
        if (batches > 0) {
            getContext().getLog().info("job {}: {} lost; {} batches re-queued", jobId, what, batches);
            if (!noticed) noticeWork();
        }
        return this;
    }

    private void requeueUndone(InFlight f, boolean countAsRetry) {
        int k = 0;
        for (int g = 0; g < f.ranges.length; g += 2) {
            long end = f.ranges[g] + f.ranges[g + 1];
            for (long index = f.ranges[g]; index < end; index++, k++) {
                if (progress.isDone(index)) continue;
                queue.requeue(index, f.attemptAt(k), System.nanoTime());
                if (countAsRetry) {
                    metrics.requeued++;
                    metrics.retries++;
                }
            }
        }
    }

    private void abandon(InFlight f) {
        f.abandoned = true;
        release(f);
    }

    private void release(InFlight f) {
        inFlightChunks -= f.size;
        SlotLoad load = loads.get(f.slot.ref());
        if (load == null) return;
        load.batches--;
        load.chunks -= f.size;
        if (load.batches <= 0) {
            loads.remove(f.slot.ref());
            if (declinedSinceNotice && !queue.isEmpty()) noticeWork();
        }
    }

    private JobEvent.Accepted accepted() {
        return new JobEvent.Accepted(jobId, ticket.workload(), chunks, requires, getContext().getSelf());
    }

    private Behavior<RunnerCommand> onFollow(Follow follow) {
        if (!listeners.contains(follow.listener())) listeners.add(follow.listener());
        follow.listener().tell(accepted());
        follow.listener().tell(progress());
        return this;
    }

    private JobEvent.Progress progress() {
        return new JobEvent.Progress(jobId, progress.done(), chunks, metrics.retries, metrics.failedItems,
            metrics.elapsedMillis(System.nanoTime()), lastEligibleSlots);
    }

    private void tell(JobEvent event) {
        for (ActorRef<JobEvent> listener : listeners) listener.tell(event);
    }

    private Behavior<RunnerCommand> onTick() {
        long now = System.nanoTime();
        if (!samplersAsked) {
            // Only jobs that outlive a tick get node samples: short jobs are not slowed by subscriptions.
            samplersAsked = true;
            getContext().getSystem().receptionist().tell(Receptionist.find(SamplerCommand.KEY,
                getContext().messageAdapter(Receptionist.Listing.class, SamplersFound::new)));
        }
        metrics.queuePoint(now, queue.undispatched(), inFlightChunks, progress.done());
        ProcessResources.Reading head = ProcessResources.read();
        metrics.sample(new NodeSample(headNode, metrics.sinceStartMillis(now), head.processCpu(), head.systemCpu(),
            head.heapUsedBytes(), head.heapMaxBytes(), head.rssBytes()));
        flushTimings();
        publishMeter();
        long done = progress.done();
        if (done != lastProgressDone) {
            lastProgressDone = done;
            tell(progress());
            coordinator.tell(new JobCoordinator.ChunksDone(jobId, done, chunks));
        }
        if (now - checkpointedNanos >= journal.every().toNanos()) checkpoint(now);
        // Retries that avoided a node become available to it after a while; say so.
        if (declinedSinceNotice && !queue.isEmpty()) noticeWork();
        return this;
    }

    /** Writes the job's progress to the journal, when it has moved since the last checkpoint and can be saved. */
    private void checkpoint(long now) {
        checkpointedNanos = now;
        if (journal.book() == null || progress.done() == checkpointedDone || !progress.resumable()) return;
        checkpointedDone = progress.done();
        try {
            journal.book().tell(new JobBook.Checkpoint(jobId, progress.save(metrics.items, metrics.retries,
                metrics.failedItems, queue.frontier())));
        } catch (RuntimeException e) {
            getContext().getLog().warn("job {}: no checkpoint: {}", jobId, e.toString());
        }
    }

    /**
     * Sends the report's long lists ahead of the final event, in pieces, and returns the report
     * without them; short lists stay in the report, so a small job's result is one message.
     */
    private JobReport sendSeries(JobReport report) {
        int piece = 2000;
        int longest = Math.max(report.chunkRows().size(), Math.max(report.queue().size(), report.samples().size()));
        if (longest <= INLINE_SERIES) return report;
        for (int from = 0; from < longest; from += piece) {
            tell(new JobEvent.ReportPart(jobId, slice(report.chunkRows(), from, piece),
                slice(report.queue(), from, piece), slice(report.samples(), from, piece)));
        }
        return report.withoutSeries();
    }

    /** Series up to this length travel inside the final event: well under a frame. */
    static final int INLINE_SERIES = 256;

    private static <T> List<T> slice(List<T> list, int from, int size) {
        return from >= list.size() ? List.of() : List.copyOf(list.subList(from, Math.min(list.size(), from + size)));
    }

    private void flushTimings() {
        if (pendingRows.isEmpty()) return;
        // Bounded messages: well under a frame whatever the job's size.
        for (int from = 0; from < pendingRows.size(); from += 2000) {
            tell(new JobEvent.Timings(jobId, List.copyOf(pendingRows.subList(from, Math.min(pendingRows.size(), from + 2000)))));
        }
        pendingRows.clear();
    }

    private void publishMeter() {
        meter.update(new HeadMetrics.JobCounts(progress.done(), metrics.retries, metrics.timedOut, metrics.requeued,
            metrics.duplicates, metrics.failedAttempts), queue.undispatched(), inFlightChunks);
    }

    private void noticeWork() {
        declinedSinceNotice = false;
        noticed = true;
        coordinator.tell(new JobCoordinator.WorkAvailable(jobId));
    }

    private Behavior<RunnerCommand> complete() {
        flushTimings();
        JobReport report = metrics.report(jobId, ticket.workload(), chunks, progress.done(), System.nanoTime());
        JobEvent.Completed completed;
        try {
            completed = new JobEvent.Completed(jobId, progress.fold().answerJson(), progress.fold().summary(), sendSeries(report));
        } catch (RuntimeException e) {
            return fail("the workload could not produce its answer: " + e);
        }
        tell(completed);
        return finish("COMPLETED", completed.summary(), completed.result(), report);
    }

    private Behavior<RunnerCommand> fail(String reason) {
        flushTimings();
        JobReport report = metrics.report(jobId, ticket.workload(), chunks, progress.done(), System.nanoTime());
        tell(new JobEvent.Failed(jobId, reason, sendSeries(report)));
        getContext().getLog().info("job {} failed: {}", jobId, reason);
        return finish("FAILED", reason, null, report);
    }

    private Behavior<RunnerCommand> finish(String state, String outcome, JsonNode result, JobReport report) {
        publishMeter();
        meter.close();
        for (ActorRef<SamplerCommand> sampler : samplers) sampler.tell(new SamplerCommand.Unsubscribe(jobId));
        for (ActorRef<SlotCommand> slot : slotsUsed) slot.tell(new DropJob(jobId));
        coordinator.tell(new JobCoordinator.JobFinished(jobId, state, progress.done(), chunks, outcome, result, report));
        return Behaviors.stopped();
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
