package org.pekkogrid.workloads.montecarlo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalGrid;
import org.pekkogrid.workloads.montecarlo.MonteCarloPi.Estimate;

class MonteCarloPiTest {

    private static final long SAMPLES = 3_000_000;
    private static final Map<String, String> PARAMS = Map.of("samples", Long.toString(SAMPLES), "seed", "42");

    /** The sequential run: every chunking must count exactly these hits. */
    private static final long HITS = MonteCarloPi.hits(42, 0, SAMPLES);

    @ParameterizedTest(name = "{0} chunks")
    @ValueSource(longs = {1, 3, 64, 1000})
    void theHitCountIsTheSameIntegerForAnyChunking(long chunks) throws Exception {
        Estimate e = (Estimate) LocalGrid.run("monte-carlo-pi", PARAMS, chunks);
        assertEquals(HITS, e.hits());
        assertEquals(SAMPLES, e.samples());
        assertEquals(4.0 * HITS / SAMPLES, e.pi());
    }

    @Test
    void theSequentialBaselineCountsTheSameHits() throws Exception {
        Estimate sequential = (Estimate) BoundJob.bind("monte-carlo-pi", PARAMS, 1, Long.MAX_VALUE).runSequential();
        assertEquals(HITS, sequential.hits());
        Estimate grid = (Estimate) LocalGrid.run("monte-carlo-pi", PARAMS, 7);
        assertEquals(sequential, grid);
    }

    @Test
    void theEstimateIsWithinFourStandardErrorsOfPi() {
        double p = Math.PI / 4;
        double standardError = 4 * Math.sqrt(p * (1 - p) / SAMPLES);
        assertEquals(Math.PI, 4.0 * HITS / SAMPLES, 4 * standardError);
    }

    @Test
    void samplesDependOnlyOnSeedAndIndex() {
        long split = 0;
        for (long cut : new long[] {1, 17, 1_000, 99_999}) {
            split = MonteCarloPi.hits(7, 0, cut) + MonteCarloPi.hits(7, cut, 100_000);
            assertEquals(MonteCarloPi.hits(7, 0, 100_000), split, "cut at " + cut);
        }
        assertNotEquals(MonteCarloPi.hits(7, 0, 100_000), MonteCarloPi.hits(8, 0, 100_000),
            "another seed draws other points");
    }
}
