package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobSpec;

/**
 * What the worker cannot report, on a head and two one-core workers in this JVM over Artery: a
 * straggling chunk near the job's end, and a batch lost on the wire.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StragglerTest {

    private static final int CHUNKS = 40;
    private static final long STRAGGLER_MILLIS = 15_000;

    /** 40 chunks of 50 ms; chunk 0's first attempt takes 15 s. */
    private static JobSpec straggling() {
        return JobSpec.of("sleep").param("millis", 50).param("stragglerEvery", CHUNKS)
            .param("stragglerMillis", STRAGGLER_MILLIS).withChunks(CHUNKS);
    }

    private static JobResult runOn(Map<String, Object> headSettings, JobSpec spec) throws Exception {
        try (LoopbackGrid grid = LoopbackGrid.startHead(headSettings)) {
            grid.addWorker(1, List.of());
            grid.addWorker(1, List.of());
            grid.awaitStatus("two slots", s -> LoopbackGrid.slots(s) == 2);
            return grid.client().submit(spec).result().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private static JobResult runOrFail(Map<String, Object> headSettings) {
        try {
            return runOn(headSettings, straggling());
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    @Test
    void anIdleSlotRunsACopyOfAStragglerAndTheJobEndsNearItsMedian() throws Exception {
        // Two grids side by side in this JVM (their chunks sleep): the test takes the straggler's time once, not twice.
        // (Threads of their own: the common pool has one thread on two cores.)
        ExecutorService twoAtOnce = Executors.newFixedThreadPool(2);
        JobResult speculated;
        JobResult waited;
        try {
            CompletableFuture<JobResult> withCopies = CompletableFuture.supplyAsync(() -> runOrFail(Map.of()), twoAtOnce);
            CompletableFuture<JobResult> withoutCopies = CompletableFuture.supplyAsync(
                () -> runOrFail(Map.of("grid.job.speculation.enabled", "off")), twoAtOnce);
            speculated = withCopies.get(90, TimeUnit.SECONDS);
            waited = withoutCopies.get(90, TimeUnit.SECONDS);
        } finally {
            twoAtOnce.shutdownNow();
        }

        System.out.printf("MEASURED straggler (%d chunks of 50 ms, chunk 0 first takes %d s), two 1-core workers: "
            + "makespan %.2f s with speculation (%d copies, %d won), %.2f s without%n", CHUNKS, STRAGGLER_MILLIS / 1000,
            speculated.report().makespanMillis() / 1000, speculated.report().speculativeLaunches(),
            speculated.report().speculativeWins(), waited.report().makespanMillis() / 1000);
        for (JobResult r : List.of(speculated, waited)) {
            assertEquals(JobResult.Status.COMPLETED, r.status(), () -> "error: " + r.error());
            assertEquals(CHUNKS, r.result().asLong(), "every chunk counted once: " + r.summary());
            assertEquals(CHUNKS, r.report().chunksDone());
        }
        // 2.3 to 5.0 s measured on the 2-core machine, with its other work: under half the straggler's time.
        assertTrue(speculated.report().makespanMillis() < STRAGGLER_MILLIS / 2.0,
            "speculation ends the job well before the straggler: " + speculated.report().makespanMillis() + " ms");
        assertTrue(speculated.report().speculativeWins() >= 1, "a copy won");
        assertTrue(waited.report().makespanMillis() >= STRAGGLER_MILLIS, "without it, the job waits for the straggler");
        assertEquals(0, waited.report().speculativeLaunches());
    }

    @Test
    void aBatchLostOnTheWireRunsAgainByItsDeadline() throws Exception {
        // Without speculation, which would run a copy of the lost batch sooner.
        JobResult r = runOn(Map.of("grid.head.testing.drop-batches", 1, "grid.job.batch-deadline-margin", "1s",
                "grid.job.speculation.enabled", "off"),
            JobSpec.of("sleep").param("millis", 20).withChunks(20).withChunkTimeout(Duration.ofSeconds(2)));
        System.out.printf("MEASURED first batch dropped on the wire (chunk timeout 2 s, margin 1 s): job %s in %.2f s, "
            + "%d chunks re-queued%n", r.status(), r.report().makespanMillis() / 1000, r.report().requeued());
        assertEquals(JobResult.Status.COMPLETED, r.status(), () -> "error: " + r.error());
        assertEquals(20, r.result().asLong());
        assertTrue(r.report().requeued() >= 1, "the dropped batch's chunk ran again: " + r.report().requeued());
        assertTrue(r.report().makespanMillis() >= 3000, "not before its deadline: " + r.report().makespanMillis());
    }
}
