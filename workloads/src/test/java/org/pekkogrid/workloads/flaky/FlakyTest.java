package org.pekkogrid.workloads.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalChunkContext;
import org.pekkogrid.workloads.LocalGrid;
import org.pekkogrid.workloads.flaky.Flaky.Tally;

class FlakyTest {

    @Test
    void whetherAnAttemptFailsIsAPureFunctionOfSeedChunkAndAttempt() {
        for (long i = 0; i < 1000; i++) {
            for (int attempt = 0; attempt < 3; attempt++) {
                assertEquals(Flaky.fails(9, i, attempt, 0.3), Flaky.fails(9, i, attempt, 0.3));
            }
        }
        int differ = 0;
        for (long i = 0; i < 1000; i++) if (Flaky.fails(9, i, 0, 0.5) != Flaky.fails(10, i, 0, 0.5)) differ++;
        assertTrue(differ > 400 && differ < 600, "another seed fails other chunks: " + differ + " of 1000 differ");
    }

    @Test
    void aboutTheRateOfAttemptsFail() {
        int attempts = 100_000;
        for (double rate : new double[] {0.05, 0.2, 0.5}) {
            int failed = 0;
            for (int n = 0; n < attempts; n++) if (Flaky.fails(1, n / 4, n % 4, rate)) failed++;
            double sd = Math.sqrt(rate * (1 - rate) / attempts);
            assertEquals(rate, (double) failed / attempts, 5 * sd, "rate " + rate);
        }
    }

    @Test
    void rateZeroNeverFailsAndRateOneAlwaysDoes() {
        for (long i = 0; i < 10_000; i++) {
            assertFalse(Flaky.fails(3, i, (int) (i % 5), 0));
            assertTrue(Flaky.fails(3, i, (int) (i % 5), 1));
        }
    }

    @Test
    void aFailingAttemptThrowsNamingTheChunkAndTheAttempt() throws Exception {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("flaky", Map.of("rate", "1"), 10, Long.MAX_VALUE);
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> job.runChunk(4, new LocalChunkContext(4, 2)));
        assertEquals("flaky: chunk 4 attempt 2 fails by design (rate 1.0)", e.getMessage());
    }

    @Test
    void aSucceedingAttemptReturnsItsIndexAndTheTallyChecksEachCountedOnce() throws Exception {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("flaky", Map.of("rate", "0"), 50, Long.MAX_VALUE);
        assertEquals(17L, job.runChunk(17, new LocalChunkContext(17, 0)));
        assertEquals(new Tally(50, 50 * 49 / 2, true), LocalGrid.run(job));

        var fold = job.newFold();
        for (long i = 0; i < 50; i++) fold.add(i, i);
        fold.add(3, 3L);  // a chunk counted twice
        assertFalse(((Tally) fold.answer()).exact());
    }

    @Test
    void attemptsOfTheSameChunkFailIndependently() {
        long firstOnly = 0;
        for (long i = 0; i < 10_000; i++) {
            if (Flaky.fails(1, i, 0, 0.5) && !Flaky.fails(1, i, 1, 0.5)) firstOnly++;
        }
        assertEquals(0.25, firstOnly / 10_000.0, 0.03, "a retry succeeds as often as any attempt");
    }

    @Test
    void aRateOutsideZeroToOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("flaky", Map.of("rate", "1.5"), 1, Long.MAX_VALUE));
        assertEquals("rate must be within 0..1, got 1.5", e.getMessage());
    }
}
