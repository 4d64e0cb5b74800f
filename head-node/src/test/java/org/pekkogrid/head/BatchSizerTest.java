package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BatchSizerTest {

    private static final long MS = 1_000_000;
    private static final long TARGET = 100 * MS;
    private static final long LOTS = 1_000_000_000L;

    private final BatchSizer sizer = new BatchSizer(TARGET, 2048, 256 * 1024);

    @Test
    void oneChunkUntilAResultSaysWhatChunksCost() {
        assertEquals(-1, sizer.chunkNanos());
        assertEquals(1, sizer.next(LOTS, 4));
    }

    @Test
    void thenAboutTheTargetTimeOfWork() {
        sizer.observe(4, 4 * MS, 32);
        assertEquals(MS, sizer.chunkNanos(), 1e-6);
        assertEquals(100, sizer.next(LOTS, 4));
        // Later results move the estimate part of the way (weight 0.3): 1 ms -> 1.3 ms.
        sizer.observe(10, 20 * MS, 80);
        assertEquals(1.3 * MS, sizer.chunkNanos(), 1e-3);
        assertEquals(76, sizer.next(LOTS, 4));
    }

    @Test
    void neverMoreThanTheMaximumChunks() {
        sizer.observe(1000, 0, 0);
        assertEquals(2048, sizer.next(LOTS, 4));
        sizer.observe(1000, 1000 * 10, 0);
        assertEquals(2048, sizer.next(LOTS, 4));
    }

    @Test
    void resultsStayUnderTheBytesOfABatch() {
        sizer.observe(10, 10 * 1000, 10 * 10 * 1024);  // 10 KiB of results per chunk
        assertEquals(25, sizer.next(LOTS, 4));
    }

    @Test
    void theTailIsSplitSoEverySlotGetsSome() {
        sizer.observe(10, 0, 0);
        assertEquals(13, sizer.next(100, 4));  // ceil(100 / (2 * 4))
        assertEquals(50, sizer.next(100, 1));
        assertEquals(50, sizer.next(100, 0));
        assertEquals(1, sizer.next(3, 4));
        assertEquals(1, sizer.next(0, 4));
    }

    @Test
    void emptyObservationsChangeNothing() {
        sizer.observe(0, 5 * MS, 100);
        assertEquals(-1, sizer.chunkNanos());
        assertEquals(1, sizer.next(LOTS, 1));
    }
}
