package org.pekkogrid.head;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.pekkogrid.protocol.SlotCommand;

/**
 * The batches of one job out on slots, and what each slot holds of them.
 *
 * <p>A batch leaves when its results come back, or when its slot hands it back unrun. A batch
 * lost with its slot or node, or overdue, is abandoned: its chunks run again elsewhere and it no
 * longer counts against its slot, but it stays, so that a late result of it still counts.
 */
final class InFlightBatches {

    /** A batch out on a slot, its chunks as {@code start, count} ranges in the order the slot runs them. */
    static final class Batch {
        final long id;
        /**
         * Known only to the runner and the batch's slot ({@code RunChunks.token}): an answer about
         * the batch counts only with it, so no one else can answer by guessing the sequential id.
         */
        final long token = TOKENS.nextLong();
        final Slot slot;
        final long[] ranges;
        /** Attempt of each chunk, by position; empty when all are first attempts. */
        final int[] attempts;
        /** When each chunk was queued again, by position; null, or -1 at a position, for fresh chunks. */
        final long[] queuedNanos;
        final int size;
        final long dispatchedNanos;
        /** Past this, unanswered, the batch is taken for lost on the way: its chunks run elsewhere. */
        final long deadlineNanos;
        /** One chunk suspected of killing the node that ran it, running alone. */
        final boolean suspect;
        /** The other copy of these chunks, when one of the two is a speculative copy of the other; else null. */
        Batch twin;
        /** Whether this batch is the speculative copy (not the original). */
        boolean speculative;
        private boolean abandoned;

        /** Whether an answer with this token and slot id comes from the slot the batch was sent to. */
        boolean answeredBy(long token, String slotId) {
            return this.token == token && slot.slotId().equals(slotId);
        }

        Batch(long id, Slot slot, long[] ranges, int[] attempts, long[] queuedNanos, int size, long dispatchedNanos,
              long deadlineNanos, boolean suspect) {
            this.id = id;
            this.slot = slot;
            this.ranges = ranges;
            this.attempts = attempts;
            this.queuedNanos = queuedNanos;
            this.size = size;
            this.dispatchedNanos = dispatchedNanos;
            this.deadlineNanos = deadlineNanos;
            this.suspect = suspect;
        }

        int attemptAt(int position) {
            return attempts.length == 0 ? 0 : attempts[position];
        }

        /** When the chunk at this position was queued again, or -1 for a fresh chunk. */
        long queuedNanosAt(int position) {
            return queuedNanos == null ? -1 : queuedNanos[position];
        }

        boolean abandoned() {
            return abandoned;
        }

        /** The chunk at a position of the batch. */
        long chunkAt(int position) {
            int before = 0;
            for (int r = 0; r < ranges.length; r += 2) {
                if (position < before + ranges[r + 1]) return ranges[r] + (position - before);
                before += (int) ranges[r + 1];
            }
            throw new IndexOutOfBoundsException("position " + position + " of a batch of " + size + " chunks");
        }

        /** Walks the batch's chunks in order: {@code for (Chunks c = batch.chunks(); c.next(); )}. */
        Chunks chunks() {
            return new Chunks(ranges);
        }
    }

    /** A walk over a batch's chunks, with each one's position in the batch. */
    static final class Chunks {
        private final long[] ranges;
        private int range = -2;
        private long chunk;
        private long end;
        private int position = -1;

        private Chunks(long[] ranges) {
            this.ranges = ranges;
        }

        /** Moves to the next chunk; false when there is none. */
        boolean next() {
            while (++chunk >= end) {
                range += 2;
                if (range >= ranges.length) return false;
                chunk = ranges[range] - 1;
                end = ranges[range] + ranges[range + 1];
            }
            position++;
            return true;
        }

        long chunk() {
            return chunk;
        }

        int position() {
            return position;
        }
    }

    /** What one slot holds of this job: batches not answered, returned or abandoned. */
    private static final class SlotLoad {
        final Address node;
        int batches;
        long chunks;

        SlotLoad(Address node) {
            this.node = node;
        }
    }

    /** Seeded by the OS: tokens must not be predictable from those seen before. */
    private static final SecureRandom TOKENS = new SecureRandom();

    private final Map<Long, Batch> batches = new HashMap<>();
    private final Map<ActorRef<SlotCommand>, SlotLoad> loads = new HashMap<>();
    private final Set<ActorRef<SlotCommand>> slotsUsed = new HashSet<>();
    private long nextId;
    private long chunks;

    /**
     * A batch the queue planned for the slot, now on its way; it counts against the slot.
     *
     * @param chunkTimeoutNanos the job's chunk timeout: the batch's deadline allows it for each of
     *                          its chunks and each chunk of this job queued ahead of it on the slot
     * @param marginNanos       and this much more, for the network and other jobs' batches
     */
    Batch add(Slot slot, ChunkQueue.Planned planned, long nowNanos, long chunkTimeoutNanos, long marginNanos) {
        long ahead = chunksOn(slot.ref());
        long allowed = saturatedMultiply(chunkTimeoutNanos, planned.size() + ahead);
        long deadline = nowNanos + Math.min(Long.MAX_VALUE / 4, allowed) + marginNanos;
        Batch batch = new Batch(nextId++, slot, planned.ranges(), planned.attempts(), planned.queuedNanos(),
            planned.size(), nowNanos, deadline, planned.suspect());
        batches.put(batch.id, batch);
        SlotLoad load = loads.computeIfAbsent(slot.ref(), r -> new SlotLoad(slot.node()));
        load.batches++;
        load.chunks += batch.size;
        chunks += batch.size;
        slotsUsed.add(slot.ref());
        return batch;
    }

    /** A batch that is never past its deadline (for tests of the rest). */
    Batch add(Slot slot, ChunkQueue.Planned planned, long nowNanos) {
        return add(slot, planned, nowNanos, Long.MAX_VALUE / 4, 0);
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        return high != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }

    /** The batch, if it is still out (abandoned or not). */
    Batch get(long id) {
        return batches.get(id);
    }

    /**
     * Takes the batch out: its results came, or its slot handed it back. Null when it left
     * already (those results came before, or it was handed back). Its load is not released here.
     */
    Batch remove(long id) {
        return batches.remove(id);
    }

    /**
     * Stops counting a batch against its slot, its results having come; true when that left
     * the slot holding nothing of this job.
     */
    boolean release(Batch batch) {
        chunks -= batch.size;
        SlotLoad load = loads.get(batch.slot.ref());
        if (load == null) return false;
        load.batches--;
        load.chunks -= batch.size;
        if (load.batches > 0) return false;
        loads.remove(batch.slot.ref());
        return true;
    }

    /** Gives up on a batch still out: its chunks go elsewhere, its slot's load is released. */
    void abandon(Batch batch) {
        batch.abandoned = true;
        release(batch);
    }

    /** Abandons every batch still counted that {@code lost} selects (those of a lost slot or node). */
    List<Batch> abandonWhere(Predicate<Batch> lost) {
        List<Batch> abandoned = new ArrayList<>();
        for (Batch b : batches.values()) {
            if (b.abandoned || !lost.test(b)) continue;
            abandon(b);
            abandoned.add(b);
        }
        return abandoned;
    }

    /**
     * For each slot of the node, the batch of this job it received first and has not answered:
     * the one it was running, unless it was running another job's batch ahead of it. A slot runs
     * its batches one at a time, in the order they came.
     */
    List<Batch> runningOn(Address node) {
        Map<ActorRef<SlotCommand>, Batch> oldest = new HashMap<>();
        for (Batch b : batches.values()) {
            if (b.abandoned || !b.slot.node().equals(node)) continue;
            oldest.merge(b.slot.ref(), b, (x, y) -> x.id < y.id ? x : y);
        }
        return new ArrayList<>(oldest.values());
    }

    /** Whether the node runs (or holds) a suspect batch of this job now. */
    boolean suspectOn(Address node) {
        for (Batch b : batches.values()) {
            if (b.suspect && !b.abandoned && b.slot.node().equals(node)) return true;
        }
        return false;
    }

    /** Batches not abandoned whose deadline has passed. */
    List<Batch> pastDeadline(long nowNanos) {
        List<Batch> late = new ArrayList<>(0);
        for (Batch b : batches.values()) {
            if (!b.abandoned && nowNanos - b.deadlineNanos > 0) late.add(b);
        }
        return late;
    }

    /**
     * The batch most overdue by {@code slowerThanNanos(batch)} that a speculative copy could help:
     * out, not abandoned, not a suspect, neither a copy nor copied already, and not on {@code idle}
     * itself. Null when none is.
     */
    Batch slowest(long nowNanos, java.util.function.ToLongFunction<Batch> slowerThanNanos, ActorRef<SlotCommand> idle) {
        // Batches queued on a slot behind one already copied wait for that straggler: they are late at once.
        Map<ActorRef<SlotCommand>, Long> straggling = new HashMap<>();
        for (Batch b : batches.values()) {
            if (b.twin != null && !b.speculative && !b.abandoned) straggling.merge(b.slot.ref(), b.id, Math::min);
        }
        Batch slowest = null;
        long most = 0;
        for (Batch b : batches.values()) {
            // A suspect may be what killed a node: a copy could kill another.
            if (b.abandoned || b.twin != null || b.suspect || b.slot.ref().equals(idle)) continue;
            Long behind = straggling.get(b.slot.ref());
            long allowed = behind != null && behind < b.id ? 0 : slowerThanNanos.applyAsLong(b);
            long over = (nowNanos - b.dispatchedNanos) - allowed;
            if (over > most) {
                most = over;
                slowest = b;
            }
        }
        return slowest;
    }

    /** Batches this slot holds. */
    int batchesOn(ActorRef<SlotCommand> slot) {
        SlotLoad load = loads.get(slot);
        return load == null ? 0 : load.batches;
    }

    /** Chunks this slot holds. */
    long chunksOn(ActorRef<SlotCommand> slot) {
        SlotLoad load = loads.get(slot);
        return load == null ? 0 : load.chunks;
    }

    /** Slots of this node that hold a batch of this job. */
    int busySlotsOn(Address node) {
        int busy = 0;
        for (SlotLoad l : loads.values()) {
            if (l.batches > 0 && l.node.equals(node)) busy++;
        }
        return busy;
    }

    /** Chunks out on slots and not abandoned. */
    long chunks() {
        return chunks;
    }

    /** Every slot that was ever sent a batch of this job: they are told when it ends. */
    Set<ActorRef<SlotCommand>> slotsUsed() {
        return slotsUsed;
    }
}
