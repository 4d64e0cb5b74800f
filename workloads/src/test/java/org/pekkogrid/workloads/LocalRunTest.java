package org.pekkogrid.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

class LocalRunTest {

    @Test
    void theCeilingRunsEveryChunkOnThePoolAndFoldsTheGridsAnswer() throws Exception {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("leibniz-pi", Map.of("terms", "3000001"), 97, Long.MAX_VALUE);
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            LocalRun ceiling = LocalRun.ceiling(job, pool);
            LocalRun sequential = LocalRun.sequential(job);
            assertEquals(LeibnizPi.expected(3_000_001), (Double) ceiling.answer(), 1e-12);
            assertEquals((Double) sequential.answer(), (Double) ceiling.answer(), 1e-12);
            assertTrue(ceiling.millis() > 0 && sequential.millis() > 0);
            assertTrue(ceiling.summary().startsWith("pi ~ 3.14159"), ceiling.summary());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aChunkThatThrowsFailsTheCeilingWithItsError() {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("flaky", Map.of("rate", "1"), 8, Long.MAX_VALUE);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            Exception e = assertThrows(Exception.class, () -> LocalRun.ceiling(job, pool));
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), e.toString());
        } finally {
            pool.shutdownNow();
        }
    }
}
