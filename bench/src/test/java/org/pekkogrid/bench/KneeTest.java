package org.pekkogrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KneeTest {

    private static final long[] CHUNKS = {1, 4, 16, 64, 256, 1024, 4096};

    @Test
    void theKneeIsTheLastCountWithinTenPercentOfTheMinimum() {
        double[] makespans = {2000, 1000, 900, 905, 980, 1200, 3000};

        Knee knee = Knee.find(CHUNKS, makespans, 0.10);

        assertEquals(16, knee.bestChunks());
        assertEquals(900, knee.bestMillis());
        assertEquals(256, knee.lastWithin());  // 980 <= 990
        assertEquals(1024L, knee.firstBeyond());
        assertEquals(1200, knee.firstBeyondMillis());
        assertTrue(knee.sentence().startsWith("The knee: beyond 256 chunks"), knee.sentence());
        assertTrue(knee.sentence().contains("33 % over its minimum of 900 ms (at 16 chunks)"), knee.sentence());
    }

    @Test
    void oneNoisyPointAboveTheLimitIsNotTheKneeWhenLargerCountsComeBackWithinIt() {
        double[] makespans = {2000, 1000, 900, 1000, 950, 1200, 3000};

        assertEquals(256, Knee.find(CHUNKS, makespans, 0.10).lastWithin());
    }

    @Test
    void noKneeWhenTheLargestCountIsStillWithinTheLimit() {
        double[] makespans = {2000, 1000, 900, 905, 910, 920, 950};

        Knee knee = Knee.find(CHUNKS, makespans, 0.10);

        assertFalse(knee.found());
        assertNull(knee.firstBeyond());
        assertEquals(4096, knee.lastWithin());
        assertTrue(knee.sentence().startsWith("No knee within the counts measured"), knee.sentence());
    }

    @Test
    void theMinimumAtTheLastCountHasNothingBeyondIt() {
        Knee knee = Knee.find(new long[] {1, 2}, new double[] {10, 5}, 0.1);

        assertEquals(2, knee.bestChunks());
        assertFalse(knee.found());
    }

    @Test
    void mismatchedInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Knee.find(new long[] {1, 2}, new double[] {1}, 0.1));
    }
}
