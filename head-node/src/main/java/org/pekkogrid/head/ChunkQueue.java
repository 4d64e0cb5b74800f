package org.pekkogrid.head;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.apache.pekko.actor.Address;

/**
 * The chunks of a job still to dispatch: a cursor over the fresh ones, and the ones to run
 * again (failed, timed out, or lost with their node), which go first. Chunks suspected of
 * killing their node wait apart: each runs alone, one per node at a time, so that the next
 * death points at one chunk.
 */
final class ChunkQueue {

    /** A chunk to run again; {@code avoid} is the node it failed on, avoided until the deadline. */
    private record Retry(long chunk, int attempt, Address avoid, long avoidUntilNanos, long queuedNanos) {}

    /**
     * What one batch will hold: chunk ranges as {@code start, count} pairs, attempts (empty when
     * all 0), and when each chunk was queued again (null when none was: fresh chunks wait from the job's start).
     */
    record Planned(long[] ranges, int[] attempts, long[] queuedNanos, int size, boolean suspect) {

        Planned(long[] ranges, int[] attempts, long[] queuedNanos, int size) {
            this(ranges, attempts, queuedNanos, size, false);
        }
    }

    private final long total;
    private long nextFresh;
    private final ArrayDeque<Retry> retries = new ArrayDeque<>();
    private final ArrayDeque<Retry> suspects = new ArrayDeque<>();

    ChunkQueue(long total) {
        this.total = total;
    }

    /** The chunks a resumed job has left: those the ledger does not hold, the gaps below its frontier first. */
    static ChunkQueue resuming(long total, ChunkLedger ledger, long nowNanos) {
        ChunkQueue queue = new ChunkQueue(total);
        long frontier = ledger.frontier();
        for (long chunk = ledger.save().base(); chunk < frontier; chunk++) {
            if (!ledger.isDone(chunk)) queue.requeue(chunk, 0, nowNanos);
        }
        queue.nextFresh = frontier;
        return queue;
    }

    /** Every fresh chunk below this has been handed out at least once. */
    long frontier() {
        return nextFresh;
    }

    long undispatched() {
        return (total - nextFresh) + retries.size() + suspects.size();
    }

    boolean isEmpty() {
        return nextFresh == total && retries.isEmpty() && suspects.isEmpty();
    }

    /** Runs the chunk again alone: its node died while it ran, and it may be what killed it. */
    void suspect(long chunk, int attempt, long nowNanos) {
        suspects.add(new Retry(chunk, attempt, null, 0, nowNanos));
    }

    /** Whether suspects wait: the caller gives one to a node that runs none, alone. */
    boolean hasSuspects() {
        return !suspects.isEmpty();
    }

    /** The next suspect, as a batch of its own; null when none waits (done ones are dropped). */
    Planned takeSuspect(java.util.function.LongPredicate alreadyDone) {
        for (Retry r; (r = suspects.poll()) != null; ) {
            if (alreadyDone.test(r.chunk)) continue;
            return new Planned(new long[] {r.chunk, 1}, r.attempt > 0 ? new int[] {r.attempt} : new int[0],
                new long[] {r.queuedNanos}, 1, true);
        }
        return null;
    }

    /** Runs the chunk again with the same attempt number: it never ran to an end. */
    void requeue(long chunk, int attempt, long nowNanos) {
        retries.add(new Retry(chunk, attempt, null, 0, nowNanos));
    }

    /** Runs the chunk again, preferably on another node than {@code failedOn}. */
    void retryElsewhere(long chunk, int attempt, Address failedOn, long avoidUntilNanos, long nowNanos) {
        retries.add(new Retry(chunk, attempt, failedOn, avoidUntilNanos, nowNanos));
    }

    /** Whether a slot on this node could be given anything now. */
    boolean hasWorkFor(Address node, long nowNanos) {
        if (nextFresh < total || !suspects.isEmpty()) return true;
        for (Retry r : retries) {
            if (!avoids(r, node, nowNanos)) return true;
        }
        return false;
    }

    /** Whether some retry waits only because it avoids a node; it becomes available when that expires. */
    boolean hasAvoidedRetries(long nowNanos) {
        for (Retry r : retries) {
            if (r.avoid != null && nowNanos < r.avoidUntilNanos) return true;
        }
        return false;
    }

    /** Takes up to {@code max} chunks for a slot on {@code node}; null when there is nothing for it. */
    Planned take(Address node, int max, long nowNanos, java.util.function.LongPredicate alreadyDone,
                 boolean honourAvoidance) {
        if (retries.isEmpty()) {
            if (nextFresh >= total) return null;
            int n = (int) Math.min(max, total - nextFresh);
            long start = nextFresh;
            nextFresh += n;
            return new Planned(new long[] {start, n}, new int[0], null, n);
        }
        long[] chunks = new long[Math.min(max, retries.size() + (int) Math.min(max, total - nextFresh))];
        int[] attempts = new int[chunks.length];
        long[] queued = new long[chunks.length];
        java.util.Arrays.fill(queued, -1);
        int n = 0;
        boolean anyRetry = false;
        for (Iterator<Retry> it = retries.iterator(); it.hasNext() && n < chunks.length; ) {
            Retry r = it.next();
            if (alreadyDone.test(r.chunk)) {  // a late result came in after the chunk was re-queued
                it.remove();
                continue;
            }
            if (honourAvoidance && avoids(r, node, nowNanos)) continue;
            it.remove();
            chunks[n] = r.chunk;
            attempts[n] = r.attempt;
            queued[n] = r.queuedNanos;
            anyRetry |= r.attempt > 0;
            n++;
        }
        while (n < chunks.length && nextFresh < total) {
            chunks[n++] = nextFresh++;
        }
        if (n == 0) return null;
        return new Planned(toRanges(chunks, n), anyRetry ? java.util.Arrays.copyOf(attempts, n) : new int[0],
            java.util.Arrays.copyOf(queued, n), n);
    }

    private static boolean avoids(Retry r, Address node, long nowNanos) {
        return r.avoid != null && r.avoid.equals(node) && nowNanos < r.avoidUntilNanos;
    }

    /** Consecutive chunks become one range, in order; the attempts array keeps the same order. */
    static long[] toRanges(long[] chunks, int n) {
        long[] ranges = new long[2 * n];
        int r = 0;
        for (int i = 0; i < n; i++) {
            if (r > 0 && ranges[r - 2] + ranges[r - 1] == chunks[i]) {
                ranges[r - 1]++;
            } else {
                ranges[r++] = chunks[i];
                ranges[r++] = 1;
            }
        }
        return java.util.Arrays.copyOf(ranges, r);
    }
}
