package org.pekkogrid.head;

import org.apache.pekko.actor.typed.ActorRef;
import org.pekkogrid.head.InFlightBatches.Batch;
import org.pekkogrid.head.JobRunner.Decline;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.Requirements;

/**
 * What one job does with the credit of slots: batches a slot may take, lent by the coordinator
 * (a grant) or sent by the slot with its results. It sends the slot batches while the slot
 * should run this job's chunks now, and hands the rest back to the coordinator saying why
 * ({@link Decline}). The coordinator then offers that slot's credit to this job again only when
 * told there is work, which this class also decides.
 */
final class SlotCredit {

    /** Sends a batch just planned to its slot. */
    interface Dispatch {
        void send(Batch batch);
    }

    private final String jobId;
    private final boolean chunksTravel;
    private final Requirements requires;
    private final long queuedWorkPerSlotNanos;
    private final ChunkQueue queue;
    private final ChunkLedger ledger;
    private final InFlightBatches inFlight;
    private final BatchSizer sizer;
    private final long foldBacklogLimitBytes;
    private long foldBacklogBytes;
    private final ActorRef<CoordinatorCommand> coordinator;
    private final Dispatch dispatch;
    private final long chunkTimeoutNanos;
    private final long deadlineMarginNanos;
    private final HeadSettings.Speculation speculation;
    private final JobMetrics metrics;
    private int eligibleSlots = 1;
    private int eligibleNodes = 1;
    private boolean contended;
    /** Whether the coordinator may think this job has nothing for some slot, since it was last told otherwise. */
    private boolean declinedSinceNotice;

    /**
     * @param chunksTravel whether each chunk travels to its slot (one chunk per batch then)
     * @param queuedWorkPerSlotNanos work a slot may hold beyond two batches
     * @param foldBacklogLimitBytes results waiting for the fold beyond which no slot takes more
     */
    SlotCredit(String jobId, boolean chunksTravel, Requirements requires, long queuedWorkPerSlotNanos, ChunkQueue queue,
               ChunkLedger ledger, InFlightBatches inFlight, BatchSizer sizer, long foldBacklogLimitBytes,
               ActorRef<CoordinatorCommand> coordinator, Dispatch dispatch, long chunkTimeoutNanos,
               long deadlineMarginNanos, HeadSettings.Speculation speculation, JobMetrics metrics) {
        this.jobId = jobId;
        this.chunksTravel = chunksTravel;
        this.requires = requires;
        this.queuedWorkPerSlotNanos = queuedWorkPerSlotNanos;
        this.queue = queue;
        this.ledger = ledger;
        this.inFlight = inFlight;
        this.sizer = sizer;
        this.foldBacklogLimitBytes = foldBacklogLimitBytes;
        this.coordinator = coordinator;
        this.dispatch = dispatch;
        this.chunkTimeoutNanos = chunkTimeoutNanos;
        this.deadlineMarginNanos = deadlineMarginNanos;
        this.speculation = speculation;
        this.metrics = metrics;
    }

    /** Credit lent by the coordinator. */
    void granted(JobRunner.Grant grant) {
        eligibleSlots = Math.max(1, grant.eligibleSlots());
        eligibleNodes = Math.max(1, grant.eligibleNodes());
        use(grant.slot(), grant.batches(), false);
    }

    /** Credit a slot sent with its results: this job uses it, unless other jobs are waiting their turn. */
    void fromResults(Slot slot, int batches) {
        if (batches <= 0) return;
        if (contended) {
            coordinator.tell(new JobCoordinator.GrantDone(jobId, slot.ref(), batches, Decline.NONE, true));
        } else {
            use(slot, batches, true);
        }
    }

    /** A job that ends hands the credit that came with its last results back to the coordinator. */
    void giveBack(Slot slot, int batches) {
        if (batches > 0) coordinator.tell(new JobCoordinator.GrantDone(jobId, slot.ref(), batches, Decline.NO_WORK, true));
    }

    /** Whether other jobs are running: while they are, credit from results goes back to the coordinator. */
    void contention(boolean shared) {
        contended = shared;
    }

    /** Live slots that can run this job, as of the last grant. */
    int eligibleSlots() {
        return eligibleSlots;
    }

    /** Tells the coordinator this job has work, unless its every chunk is done (its answer is on the way). */
    void noticeWork() {
        declinedSinceNotice = false;
        if (!ledger.complete()) coordinator.tell(new JobCoordinator.WorkAvailable(jobId));
    }

    /**
     * Tells the coordinator this job has work when it may think otherwise: after a decline, when a
     * slot drained or a retry stopped avoiding a node.
     */
    void noticeWorkIfDeclined() {
        if (declinedSinceNotice && hasWork()) noticeWork();
    }

    /**
     * Whether any chunk waits to run. Once every chunk is done, none does, whatever the queue
     * still lists (chunks queued again that a late result finished meanwhile).
     */
    private boolean hasWork() {
        return !queue.isEmpty() && !ledger.complete();
    }

    /** Results of these many bytes went to the fold; they are held in memory until it has them. */
    void foldQueued(long resultBytes) {
        foldBacklogBytes += resultBytes;
    }

    /** The fold has these results: when it has caught up, slots declined for it may take work again. */
    void folded(long resultBytes) {
        boolean behind = foldBehind();
        foldBacklogBytes -= resultBytes;
        if (behind && !foldBehind()) noticeWorkIfDeclined();
    }

    private boolean foldBehind() {
        return foldBacklogBytes >= foldBacklogLimitBytes;
    }

    /** A retry was queued that may avoid some node: the coordinator hears of it at the next notice. */
    void retryQueued() {
        declinedSinceNotice = true;
    }

    /**
     * Sends the slot up to {@code batches} batches and hands the rest of the credit back to the
     * coordinator, saying why it was not used.
     *
     * @param fresh credit the slot sent with its results, not lent by the coordinator
     */
    private void use(Slot slot, int batches, boolean fresh) {
        long now = System.nanoTime();
        boolean honourAvoidance = eligibleNodes > 1;
        int used = 0;
        Decline decline = Decline.NONE;
        while (used < batches) {
            decline = declineFor(slot);
            if (decline != Decline.NONE) break;
            ChunkQueue.Planned planned = null;
            if (queue.hasSuspects() && !inFlight.suspectOn(slot.node())) planned = queue.takeSuspect(ledger::isDone);
            if (planned == null) {
                // A travelling chunk may be a megabyte of images: it goes alone.
                int size = chunksTravel ? 1 : sizer.next(queue.undispatched(), eligibleSlots);
                planned = queue.take(slot.node(), size, now, ledger::isDone, honourAvoidance);
            }
            if (planned == null) {
                decline = hasWork() ? Decline.NODE_BLOCKED : Decline.NO_WORK;
                break;
            }
            dispatch.send(inFlight.add(slot, planned, now, chunkTimeoutNanos, deadlineMarginNanos));
            used++;
        }
        if (decline == Decline.NO_WORK && inFlight.batchesOn(slot.ref()) == 0) {
            while (used < batches && speculate(slot, now)) used++;
        }
        // The coordinator offers none of this slot's credit to this job again until told there is
        // work. A slot that was full is told when its load drains or at the next tick: otherwise
        // it would hold one batch at a time from then on, idle for a round trip each.
        if (decline != Decline.NONE) declinedSinceNotice = true;
        if (!fresh || used < batches) {
            coordinator.tell(new JobCoordinator.GrantDone(jobId, slot.ref(), batches - used, decline, fresh));
        }
    }

    /**
     * Sends the idle slot a second copy of the batch furthest past its expected time, if one is
     * far enough past it ({@link HeadSettings.Speculation}). Its chunks run as their next attempt:
     * a chunk slow only on its first attempt (a straggling node, a cold cache) is then not slow twice.
     */
    private boolean speculate(Slot slot, long now) {
        if (!speculation.enabled() || sizer.chunkNanos() < 0 || ledger.complete()) return false;
        Batch original = inFlight.slowest(now, this::slowerThanNanos, slot.ref());
        if (original == null) return false;
        long[] chunks = new long[original.size];
        int[] attempts = new int[original.size];
        int n = 0;
        for (InFlightBatches.Chunks c = original.chunks(); c.next(); ) {
            if (ledger.isDone(c.chunk())) continue;
            chunks[n] = c.chunk();
            attempts[n++] = original.attemptAt(c.position()) + 1;
        }
        if (n == 0) return false;
        long[] queued = new long[n];
        java.util.Arrays.fill(queued, -1);
        ChunkQueue.Planned planned = new ChunkQueue.Planned(ChunkQueue.toRanges(chunks, n),
            java.util.Arrays.copyOf(attempts, n), queued, n);
        Batch copy = inFlight.add(slot, planned, now, chunkTimeoutNanos, deadlineMarginNanos);
        copy.speculative = true;
        copy.twin = original;
        original.twin = copy;
        metrics.speculativeLaunches++;
        dispatch.send(copy);
        return true;
    }

    /** How long a batch may take before a copy of it is worth running: a multiple of its expected time. */
    long slowerThanNanos(Batch batch) {
        double expected = Math.max(0, sizer.chunkNanos()) * batch.size;
        return Math.max(speculation.after().toNanos(), (long) (speculation.slowerThan() * expected));
    }

    /** Whether a slot with nothing of this job could run a speculative copy now: the coordinator is told there is work. */
    boolean speculationDue(long now) {
        return speculation.enabled() && queue.isEmpty() && !ledger.complete() && sizer.chunkNanos() >= 0
            && inFlight.slowest(now, this::slowerThanNanos, null) != null;
    }

    /** Why the slot should take no further batch of this job now; NONE when it should. */
    private Decline declineFor(Slot slot) {
        if (!hasWork()) return Decline.NO_WORK;
        // Results would pile up in memory: before, folding on the runner's thread held its credit back.
        if (foldBehind()) return Decline.FOLD_BEHIND;
        int batches = inFlight.batchesOn(slot.ref());
        if (batches == 0) {
            return inFlight.busySlotsOn(slot.node()) >= slot.capacity().concurrencyFor(requires)
                ? Decline.NODE_BLOCKED : Decline.NONE;
        }
        long chunks = inFlight.chunksOn(slot.ref());
        // Until a chunk's cost is known, and near the end, a slot that has work takes no more: its
        // credit would otherwise take chunks that an idle slot could run now.
        if (sizer.chunkNanos() < 0 || chunks >= fairShare()
                || (batches >= 2 && chunks * sizer.chunkNanos() >= queuedWorkPerSlotNanos)) {
            return Decline.SLOT_FULL;
        }
        return Decline.NONE;
    }

    /** The chunks one slot may hold: the job's unfinished chunks spread evenly over its eligible slots. */
    private long fairShare() {
        return Math.max(1, (queue.undispatched() + inFlight.chunks()) / eligibleSlots);
    }
}
