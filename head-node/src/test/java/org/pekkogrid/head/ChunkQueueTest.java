package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

class ChunkQueueTest {

    private static final Address A = new Address("pekko", "grid", "10.0.0.1", 2552);
    private static final Address B = new Address("pekko", "grid", "10.0.0.2", 2552);
    private static final long NOW = 1_000_000_000L;
    private static final long LATER = NOW + 2_000_000_000L;

    private static ChunkQueue.Planned take(ChunkQueue q, Address node, int max, long now) {
        return q.take(node, max, now, c -> false, true);
    }

    @Test
    void freshChunksGoOutAsOneRangeInOrder() {
        ChunkQueue q = new ChunkQueue(25);
        assertEquals(25, q.undispatched());
        ChunkQueue.Planned p = take(q, A, 10, NOW);
        assertArrayEquals(new long[] {0, 10}, p.ranges());
        assertArrayEquals(new int[0], p.attempts());
        assertEquals(10, p.size());
        assertArrayEquals(new long[] {10, 10}, take(q, B, 10, NOW).ranges());
        ChunkQueue.Planned last = take(q, A, 10, NOW);
        assertArrayEquals(new long[] {20, 5}, last.ranges());
        assertEquals(5, last.size());
        assertTrue(q.isEmpty());
        assertEquals(0, q.undispatched());
        assertNull(take(q, A, 10, NOW));
    }

    @Test
    void chunksToRunAgainGoFirstWithTheirAttempts() {
        ChunkQueue q = new ChunkQueue(100);
        take(q, A, 10, NOW);
        q.retryElsewhere(3, 1, A, LATER, 0);
        q.requeue(7, 0, 0);
        q.requeue(8, 2, 0);
        assertEquals(93, q.undispatched());
        ChunkQueue.Planned p = take(q, B, 6, NOW);
        assertArrayEquals(new long[] {3, 1, 7, 2, 10, 3}, p.ranges());
        assertArrayEquals(new int[] {1, 0, 2, 0, 0, 0}, p.attempts());
        assertEquals(6, p.size());
        assertEquals(87, q.undispatched());
    }

    @Test
    void requeuedFirstAttemptsNeedNoAttemptNumbers() {
        ChunkQueue q = new ChunkQueue(20);
        take(q, A, 20, NOW);
        q.requeue(4, 0, 0);
        q.requeue(5, 0, 0);
        ChunkQueue.Planned p = take(q, B, 8, NOW);
        assertArrayEquals(new long[] {4, 2}, p.ranges());
        assertArrayEquals(new int[0], p.attempts());
    }

    @Test
    void aRetryAvoidsTheNodeItFailedOnUntilTheDeadline() {
        ChunkQueue q = new ChunkQueue(4);
        take(q, A, 4, NOW);
        q.retryElsewhere(2, 1, A, LATER, 0);
        assertFalse(q.hasWorkFor(A, NOW));
        assertTrue(q.hasWorkFor(B, NOW));
        assertTrue(q.hasAvoidedRetries(NOW));
        assertNull(take(q, A, 4, NOW));
        assertFalse(q.isEmpty());
        // After the deadline any node may run it.
        assertFalse(q.hasAvoidedRetries(LATER));
        assertTrue(q.hasWorkFor(A, LATER));
        ChunkQueue.Planned p = take(q, A, 4, LATER);
        assertArrayEquals(new long[] {2, 1}, p.ranges());
        assertArrayEquals(new int[] {1}, p.attempts());
        assertTrue(q.isEmpty());
    }

    @Test
    void anAvoidingRetryLetsFreshChunksPassOnItsNode() {
        ChunkQueue q = new ChunkQueue(10);
        take(q, A, 5, NOW);
        q.retryElsewhere(1, 1, A, LATER, 0);
        ChunkQueue.Planned onA = take(q, A, 3, NOW);
        assertArrayEquals(new long[] {5, 3}, onA.ranges());
        assertArrayEquals(new int[0], onA.attempts());
        ChunkQueue.Planned onB = take(q, B, 3, NOW);
        assertArrayEquals(new long[] {1, 1, 8, 2}, onB.ranges());
        assertArrayEquals(new int[] {1, 0, 0}, onB.attempts());
    }

    @Test
    void avoidanceIsIgnoredWhenThereIsNoOtherNode() {
        ChunkQueue q = new ChunkQueue(3);
        take(q, A, 3, NOW);
        q.retryElsewhere(0, 1, A, LATER, 0);
        ChunkQueue.Planned p = q.take(A, 3, NOW, c -> false, false);
        assertArrayEquals(new long[] {0, 1}, p.ranges());
        assertArrayEquals(new int[] {1}, p.attempts());
    }

    @Test
    void retriesOfChunksDoneMeanwhileAreDropped() {
        ChunkQueue q = new ChunkQueue(6);
        take(q, A, 6, NOW);
        q.requeue(2, 0, 0);
        q.retryElsewhere(4, 1, A, LATER, 0);
        q.requeue(5, 0, 0);
        ChunkQueue.Planned p = q.take(B, 6, NOW, c -> c == 2 || c == 4, true);
        assertArrayEquals(new long[] {5, 1}, p.ranges());
        assertTrue(q.isEmpty());
        q.requeue(1, 0, 0);
        assertNull(q.take(B, 6, NOW, c -> true, true));
        assertTrue(q.isEmpty(), "a retry found done is gone");
    }

    @Test
    void consecutiveChunksMergeIntoRangesInTheirOrder() {
        assertArrayEquals(new long[] {5, 3, 9, 2, 2, 1}, ChunkQueue.toRanges(new long[] {5, 6, 7, 9, 10, 2}, 6));
        assertArrayEquals(new long[] {0, 1}, ChunkQueue.toRanges(new long[] {0, 1, 2}, 1));
        assertArrayEquals(new long[] {3, 1, 2, 1}, ChunkQueue.toRanges(new long[] {3, 2}, 2));
        assertArrayEquals(new long[0], ChunkQueue.toRanges(new long[0], 0));
    }
}
