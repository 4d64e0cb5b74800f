package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkLedgerTest {

    @Test
    void aChunkIsDoneOnceAndItsDuplicatesAreRefused() {
        ChunkLedger ledger = new ChunkLedger(10);
        assertFalse(ledger.isDone(5));
        assertTrue(ledger.markDone(5));
        assertTrue(ledger.isDone(5));
        assertFalse(ledger.markDone(5));
        assertFalse(ledger.markDone(5));
        assertEquals(1, ledger.done());
        assertFalse(ledger.complete());
    }

    @Test
    void chunksMayBeMarkedInAnyOrder() {
        ChunkLedger ledger = new ChunkLedger(200);
        long[] order = {199, 100, 3, 64, 63, 0, 1, 2, 128, 127};
        for (long c : order) assertTrue(ledger.markDone(c), "chunk " + c);
        for (long c = 0; c < 200; c++) {
            boolean marked = false;
            for (long o : order) marked |= o == c;
            assertEquals(marked, ledger.isDone(c), "chunk " + c);
        }
        for (long c : order) assertFalse(ledger.markDone(c), "chunk " + c + " again");
        assertEquals(order.length, ledger.done());
    }

    @Test
    void theJobIsCompleteExactlyWhenEveryChunkIsDoneWhateverTheDuplicates() {
        int total = 50_000;
        ChunkLedger ledger = new ChunkLedger(total);
        BitSet seen = new BitSet(total);
        Random random = new Random(11);
        long duplicates = 0;
        while (seen.cardinality() < total) {
            int c = random.nextInt(total);
            boolean fresh = !seen.get(c);
            seen.set(c);
            assertEquals(fresh, ledger.markDone(c), "chunk " + c);
            if (!fresh) duplicates++;
            assertEquals(seen.cardinality(), ledger.done());
            if (ledger.done() < total) assertFalse(ledger.complete());
        }
        assertTrue(ledger.complete());
        assertTrue(duplicates > total, "a random order repeats chunks often: " + duplicates);
        for (int c = 0; c < total; c++) assertTrue(ledger.isDone(c));
    }

    @Test
    void theWindowStaysSmallWhenChunksFinishRoughlyInOrder() {
        long total = 1_000_000;
        int inFlight = 4096;  // four slots holding four batches of 256
        ChunkLedger ledger = new ChunkLedger(total);
        Random random = new Random(3);
        int maxWords = 0;
        long[] window = new long[inFlight];
        for (long start = 0; start < total; start += inFlight) {
            int n = (int) Math.min(inFlight, total - start);
            for (int i = 0; i < n; i++) window[i] = start + i;
            for (int i = n - 1; i > 0; i--) {  // results arrive in any order among the chunks in flight
                int j = random.nextInt(i + 1);
                long t = window[i];
                window[i] = window[j];
                window[j] = t;
            }
            for (int i = 0; i < n; i++) {
                assertTrue(ledger.markDone(window[i]));
                maxWords = Math.max(maxWords, ledger.windowWords());
            }
        }
        assertTrue(ledger.complete());
        assertEquals(total, ledger.done());
        // 4096 chunks in flight span 64 words; a million chunks would take 15,625.
        assertTrue(maxWords <= 256, "the ledger held " + maxWords + " words");
    }

    @Test
    void theWindowGrowsToCoverAMissingEarlyChunkAndStillCountsExactly() {
        int total = 100_001;
        ChunkLedger ledger = new ChunkLedger(total);
        for (long c = 1; c < total; c++) assertTrue(ledger.markDone(c));
        assertTrue(ledger.windowWords() >= total / 64, "window of " + ledger.windowWords() + " words");
        assertFalse(ledger.isDone(0));
        assertFalse(ledger.complete());
        assertEquals(total - 1, ledger.done());
        assertTrue(ledger.markDone(0));
        assertTrue(ledger.complete());
        for (long c = 0; c < total; c++) assertFalse(ledger.markDone(c), "chunk " + c + " again");
        assertEquals(total, ledger.done());
    }

    @Test
    void theWindowIsReusedOnceTheGapCloses() {
        ChunkLedger ledger = new ChunkLedger(10_000_000);
        for (long c = 1; c < 10_000; c++) ledger.markDone(c);
        ledger.markDone(0);
        int words = ledger.windowWords();
        for (long c = 10_000; c < 5_000_000; c++) assertTrue(ledger.markDone(c));
        assertEquals(words, ledger.windowWords(), "in-order marks after the gap closed need no more room");
        assertEquals(5_000_000, ledger.done());
        assertTrue(ledger.isDone(4_999_999));
        assertFalse(ledger.isDone(5_000_000));
    }
}
