package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pekkogrid.workloads.Workloads;

/** A worker warms, before it takes work, only the workloads that ask for it. */
class WarmUpTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        Stubborn.openAll();
        pool.shutdownNow();
    }

    @Test
    void aWorkloadThatAsksForNoWarmUpIsNotRunAtStart() throws Exception {
        assertNull(Workloads.find("stubborn").warmUpParams());
        long tallied = WarmedTally.chunksRun();
        // Run with its defaults, stubborn's first chunk would wait forever: warm-up would never end.
        WarmUp.all(pool, Duration.ofMillis(20)).get(60, TimeUnit.SECONDS);
        assertEquals(0, Stubborn.gate("default").started());
        assertTrue(WarmedTally.chunksRun() > tallied, "a workload that asks is warmed");
    }
}
