package org.pekkogrid.workloads.leibniz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.LocalChunkContext;
import org.pekkogrid.workloads.LocalGrid;

class LeibnizPiTest {

    private static final long TEN_MILLION = 10_000_000;

    /** pi - (-1)^N / N is the partial sum to within 1/N^3; what is left is rounding. */
    private static final double DIGITS = 1e-12;

    @ParameterizedTest(name = "{0} chunks")
    @ValueSource(longs = {1, 7, 256, 4096})
    void tenMillionTermsGiveTheClosedValueForAnyChunking(long chunks) throws Exception {
        double pi = (Double) LocalGrid.run("leibniz-pi", Map.of("terms", Long.toString(TEN_MILLION)), chunks);
        assertEquals(Math.PI - 1.0 / TEN_MILLION, pi, DIGITS);
        assertEquals(LeibnizPi.expected(TEN_MILLION), pi, DIGITS);
    }

    @Test
    void anOddNumberOfTermsOvershoots() throws Exception {
        long terms = 1_000_001;
        double pi = (Double) LocalGrid.run("leibniz-pi", Map.of("terms", Long.toString(terms)), 13);
        assertEquals(Math.PI + 1.0 / terms, pi, DIGITS);
    }

    @Test
    void theSequentialBaselineEqualsTheChunkedSum() throws Exception {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("leibniz-pi", Map.of("terms", "1e7"), 4096, Long.MAX_VALUE);
        double sequential = (Double) job.runSequential();
        double chunked = (Double) LocalGrid.run(job);
        assertEquals(sequential, chunked, DIGITS);
        assertEquals(LeibnizPi.expected(TEN_MILLION), sequential, DIGITS);
    }

    @Test
    void partialSumsAddUpAcrossAnySplitPoint() {
        double whole = LeibnizPi.partialSum(0, 1001);
        for (long cut : new long[] {0, 1, 2, 3, 500, 999, 1000, 1001}) {
            assertEquals(whole, LeibnizPi.partialSum(0, cut) + LeibnizPi.partialSum(cut, 1001), 1e-15, "cut at " + cut);
        }
        assertEquals(1.0, LeibnizPi.partialSum(0, 1));
        assertEquals(-1.0 / 3, LeibnizPi.partialSum(1, 2), 1e-17);
        assertEquals(1.0 - 1.0 / 3 + 1.0 / 5, LeibnizPi.partialSum(0, 3), 1e-16);
        assertEquals(0.0, LeibnizPi.partialSum(5, 5));
    }

    @Test
    void aChunkCountsItsTermsAsItems() throws Exception {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("leibniz-pi", Map.of("terms", "1000"), 3, Long.MAX_VALUE);
        long items = 0;
        for (long i = 0; i < 3; i++) {
            LocalChunkContext ctx = ChunkContext.local(i);
            job.runChunk(i, ctx);
            items += ctx.itemCount();
        }
        assertEquals(1000, items);
    }

    @Test
    void termsOutOfRangeAndEmptyChunksAreRefused() {
        assertEquals("terms must be at most 10000000000000, got 10000000000001",
            assertThrows(IllegalArgumentException.class,
                () -> BoundJob.bind("leibniz-pi", Map.of("terms", "10000000000001"), 1, Long.MAX_VALUE)).getMessage());
        assertEquals("chunks (11) exceeds terms (10): a chunk would be empty",
            assertThrows(IllegalArgumentException.class,
                () -> BoundJob.bind("leibniz-pi", Map.of("terms", "10"), 11, Long.MAX_VALUE)).getMessage());
    }
}
