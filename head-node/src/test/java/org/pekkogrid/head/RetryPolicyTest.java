package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pekkogrid.head.InFlightBatchesTest.A;
import static org.pekkogrid.head.InFlightBatchesTest.B;
import static org.pekkogrid.head.InFlightBatchesTest.fresh;

import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.head.InFlightBatches.Batch;

/** What becomes of chunks that failed, ran too long, or were lost: retried, re-queued, or the job's end. */
class RetryPolicyTest {

    private static final ActorTestKit testKit = ActorTestKit.create("RetryPolicyTest");
    private static final long NOW = 1_000_000_000L;
    private static final long CHUNKS = 16;

    private final ChunkQueue queue = new ChunkQueue(CHUNKS);
    private final ChunkLedger ledger = new ChunkLedger(CHUNKS);
    private final JobMetrics metrics = new JobMetrics(0, 100);
    private final InFlightBatches inFlight = new InFlightBatches();
    private final Slot onA = InFlightBatchesTest.slot(testKit, "a", A, 1);

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private RetryPolicy policy(int maxRetries) {
        // Every fresh chunk is out already: what the queue holds is what the policy put there.
        queue.take(A, (int) CHUNKS, NOW, c -> false, true);
        return new RetryPolicy(maxRetries, Duration.ofSeconds(2), Duration.ofMillis(200), queue, ledger, metrics);
    }

    private ChunkQueue.Planned takeFor(org.apache.pekko.actor.Address node) {
        return queue.take(node, 100, NOW + 1, ledger::isDone, true);
    }

    @Test
    void aFailedChunkRunsAgainOnAnotherNodeUntilItsRetriesAreSpent() {
        RetryPolicy retries = policy(2);
        assertNull(retries.chunkFailed(5, 0, A, "boom", NOW));
        assertNull(takeFor(A), "the retry avoids the node it failed on");
        ChunkQueue.Planned again = takeFor(B);
        assertArrayEquals(new long[] {5, 1}, again.ranges());
        assertArrayEquals(new int[] {1}, again.attempts());

        assertNull(retries.chunkFailed(5, 1, B, "boom", NOW));
        assertEquals("chunk 5 failed 3 times; last error on 10.0.0.2:2552: boom",
            retries.chunkFailed(5, 2, B, "boom", NOW));
        assertEquals(3, metrics.failedAttempts);
        assertEquals(2, metrics.retries);
        assertEquals(1, metrics.failedChunks);
    }

    @Test
    void withoutRetriesTheFirstFailureEndsTheJob() {
        assertEquals("chunk 3 failed 1 time; last error on 10.0.0.1:2552: java.io.IOException: gone",
            policy(0).chunkFailed(3, 0, A, "java.io.IOException: gone", NOW));
        assertTrue(queue.isEmpty());
    }

    @Test
    void anOverdueChunkRunsAgainElsewhereAndTheChunksBehindItWithTheirAttempts() {
        RetryPolicy retries = policy(3);
        Batch batch = inFlight.add(onA, new ChunkQueue.Planned(new long[] {10, 4}, new int[] {0, 2, 1, 0}, null, 4), NOW);
        ledger.markDone(10);  // reported before the batch stalled

        assertNull(retries.overdue(batch, 1, NOW));

        ChunkQueue.Planned forA = takeFor(A);
        assertArrayEquals(new long[] {12, 2}, forA.ranges(), "the chunks behind the stuck one may stay on its node");
        assertArrayEquals(new int[] {1, 0}, forA.attempts(), "with the attempts they had");
        ChunkQueue.Planned forB = takeFor(B);
        assertArrayEquals(new long[] {11, 1}, forB.ranges());
        assertArrayEquals(new int[] {3}, forB.attempts(), "the stuck chunk counts an attempt");
        assertEquals(1, metrics.timedOut);
        assertEquals(3, metrics.retries);
        assertEquals(2, metrics.requeued);
    }

    @Test
    void anOverdueChunkPastItsRetriesEndsTheJobNamingTheTimeoutAndQueuesNothing() {
        RetryPolicy retries = policy(1);
        Batch batch = inFlight.add(onA, new ChunkQueue.Planned(new long[] {4, 3}, new int[] {0, 0, 1}, null, 3), NOW);
        assertEquals("chunk 6 ran past the chunk timeout of 200ms on 2 attempts, the last on 10.0.0.1:2552",
            retries.overdue(batch, 2, NOW));
        assertTrue(queue.isEmpty());
        assertEquals(1, metrics.timedOut);
        assertEquals(1, metrics.failedChunks);
    }

    @Test
    void aLostBatchsChunksCountAsRetriesAndAReturnedOnesDoNot() {
        RetryPolicy retries = policy(3);
        Batch lost = inFlight.add(onA, fresh(0, 4), NOW);
        Batch returned = inFlight.add(onA, fresh(4, 4), NOW);
        ledger.markDone(1);

        retries.lost(lost, NOW);
        assertEquals(3, metrics.requeued);
        assertEquals(3, metrics.retries);
        retries.returned(returned, NOW);
        assertEquals(3, metrics.retries, "a batch handed back never ran");

        ChunkQueue.Planned again = takeFor(A);
        assertArrayEquals(new long[] {0, 1, 2, 6}, again.ranges(), "all of them, on any node, but the done one");
    }
}
