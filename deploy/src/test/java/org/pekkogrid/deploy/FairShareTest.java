package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobSpec;

/**
 * Running jobs share the worker slots in turn: one job of a hundred thousand chunks does not
 * starve ten small jobs submitted while it runs, by other clients.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FairShareTest {

    private static final long BIG_CHUNKS = 100_000;
    private static final int SMALL_JOBS = 10;
    private static final long SMALL_CHUNKS = 10;

    @Test
    void tenSmallJobsFinishWhileOneHugeJobHasBarelyStarted() throws Exception {
        try (LoopbackGrid grid = LoopbackGrid.startHead(Map.of())) {
            grid.addWorker(2, List.of());
            grid.awaitStatus("the worker's two slots registered", s -> LoopbackGrid.slots(s) == 2);
            // 100 s of 1 ms chunks on two slots, were it alone.
            AtomicLong bigDone = new AtomicLong();
            CompletableFuture<Void> bigRunning = new CompletableFuture<>();
            JobHandle big = grid.client().submit(JobSpec.of("sleep").param("millis", 1).withChunks(BIG_CHUNKS), p -> {
                bigDone.set(p.chunksDone());
                if (p.chunksDone() > 1000) bigRunning.complete(null);
            });
            bigRunning.get(60, TimeUnit.SECONDS);

            List<GridClient> others = new ArrayList<>();
            List<JobHandle> small = new ArrayList<>();
            long submitted = System.nanoTime();
            for (int i = 0; i < SMALL_JOBS; i++) {
                GridClient other = GridClient.attach(grid.headSystem(), grid.head().coordinator());
                others.add(other);
                small.add(other.submit(JobSpec.of("sleep").param("millis", 20).withChunks(SMALL_CHUNKS)));
            }
            List<JobResult> results = new ArrayList<>();
            for (JobHandle h : small) results.add(h.result().toCompletableFuture().get(60, TimeUnit.SECONDS));
            double smallSeconds = (System.nanoTime() - submitted) / 1e9;
            long bigDoneThen = bigDone.get();

            for (JobResult r : results) {
                assertEquals(JobResult.Status.COMPLETED, r.status(), () -> r.jobId() + ": " + r.error());
                assertEquals(SMALL_CHUNKS, r.result().asLong());
            }
            assertFalse(big.result().toCompletableFuture().isDone(), "the huge job still runs");
            // Alone on the two slots the small jobs need 10 x 10 x 20 ms / 2 = 1 s; sharing them with the
            // huge job in turn, about 1.1 s. Starved, each would wait for the huge job's batches.
            assertTrue(smallSeconds < 15, "the small jobs took " + smallSeconds + " s");
            assertTrue(bigDoneThen < BIG_CHUNKS / 4, "the huge job had done " + bigDoneThen + " chunks");

            big.cancel("the test is over");
            JobResult cancelled = big.result().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(JobResult.Status.CANCELLED, cancelled.status());
            others.forEach(GridClient::close);
        }
    }
}
