package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * User code at its worst, on a head and two one-core workers (JVMs of their own, production
 * settings): chunk 5 of the test workload {@link Poison} throws, runs out of memory, never
 * returns, or ends its JVM, on every attempt. Each job ends FAILED naming chunk 5 within a
 * bounded time, and the grid runs the next job exactly (workers a mode killed restarted first).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PoisonTest {

    private static final long TERMS = 100_000_000L;

    private ChildGrid grid;
    private GridClient client;
    private ChildNode worker1;
    private ChildNode worker2;
    private List<String> workers;

    @BeforeAll
    void start() throws Exception {
        grid = new ChildGrid(1);
        grid.startHead("poison-head", 1, false);
        worker1 = grid.startWorker("poison-worker-1");
        worker2 = grid.startWorker("poison-worker-2");
        workers = List.of(ChildGrid.readyAddress(worker1, "worker"), ChildGrid.readyAddress(worker2, "worker"));
        client = grid.connect(1);
        awaitBothSlots();
    }

    @AfterAll
    void stop() {
        if (grid != null) grid.close();
    }

    private void awaitBothSlots() throws Exception {
        ChildGrid.awaitStatus(client, s -> ChildGrid.oneSlotEach(s, workers) && ChildGrid.settled(s),
            ChildGrid.READY_TIMEOUT);
    }

    private JobResult poison(String mode, JobSpec tuned) throws Exception {
        long started = System.nanoTime();
        JobResult r = client.submit(tuned.param("mode", mode)).result().toCompletableFuture().get(120, TimeUnit.SECONDS);
        System.out.printf("MEASURED poison mode=%s: job ended %s after %.1f s: %s%n", mode, r.status(),
            (System.nanoTime() - started) / 1e9, r.error());
        return r;
    }

    private static JobSpec spec() {
        return JobSpec.of("poison").withChunks(20).withMaxRetries(1);
    }

    /** The grid still computes, exactly, on both workers. */
    private void nextJobRunsExactly() throws Exception {
        JobResult r = client.submit(JobSpec.of("leibniz-pi").param("terms", TERMS).withChunks(16))
            .result().toCompletableFuture().get(120, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.COMPLETED, r.status(), () -> "error: " + r.error());
        assertEquals(LeibnizPi.expected(TERMS), r.result().asDouble(), 1e-12);
    }

    @Test
    @Order(1)
    void aChunkThatThrowsFailsTheJobNamingIt() throws Exception {
        JobResult r = poison("throw", spec());
        assertEquals(JobResult.Status.FAILED, r.status());
        assertTrue(r.error().startsWith("chunk 5 failed 2 times") && r.error().contains("throws by design"), r.error());
        nextJobRunsExactly();
    }

    @Test
    @Order(2)
    void aChunkThatRunsOutOfMemoryFailsTheJobAndLeavesItsNodeHealthy() throws Exception {
        JobResult r = poison("oom", spec());
        assertEquals(JobResult.Status.FAILED, r.status());
        assertTrue(r.error().startsWith("chunk 5 failed 2 times") && r.error().contains("OutOfMemoryError"), r.error());
        assertTrue(worker1.isAlive() && worker2.isAlive());
        nextJobRunsExactly();
    }

    @Test
    @Order(3)
    void aChunkThatNeverReturnsFailsTheJobByItsTimeoutAndNoSlotIsLost() throws Exception {
        JobResult r = poison("loop", spec().withChunkTimeout(Duration.ofSeconds(2)));
        assertEquals(JobResult.Status.FAILED, r.status());
        assertTrue(r.error().startsWith("chunk 5 ran past the chunk timeout of 2s on 2 attempts"), r.error());
        // Each worker now has a thread that will never come back; both still offer their core.
        nextJobRunsExactly();
    }

    @Test
    @Order(4)
    void aChunkThatEndsItsJvmIsSuspectedPoisonAndStopsKillingNodes() throws Exception {
        long started = System.nanoTime();
        CompletableFuture<JobResult> job = client.submit(spec().param("mode", "exit")).result().toCompletableFuture();
        int restarts = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (!job.isDone() && System.nanoTime() < deadline) {
            // Their supervisor would restart workers the poison killed; the test does, once both are gone.
            if (!worker1.isAlive() && !worker2.isAlive()) {
                startDeadWorkers();
                // A restarted worker may take the poison chunk and die again before the job fails,
                // so this waits for the job to end or both slots to show, whichever comes first.
                ChildGrid.awaitStatus(client, s -> job.isDone()
                    || ChildGrid.oneSlotEach(s, workers) && ChildGrid.settled(s), ChildGrid.READY_TIMEOUT);
                restarts++;
            }
            Thread.sleep(200);
        }
        JobResult r = job.get(1, TimeUnit.SECONDS);
        System.out.printf("MEASURED poison mode=exit: job ended %s after %.1f s, %d worker deaths, workers restarted "
            + "%d times: %s%n", r.status(), (System.nanoTime() - started) / 1e9, r.report().workerDeaths(), restarts,
            r.error());
        assertEquals(JobResult.Status.FAILED, r.status());
        assertTrue(r.error().startsWith("chunk 5 is suspected poison: "), r.error());
        assertTrue(r.report().workerDeaths() >= 2, "the deaths it caused are counted: " + r.report().workerDeaths());
        assertTrue(restarts <= 1, "it stopped killing nodes: " + restarts + " restarts");

        for (ChildNode w : List.of(worker1, worker2)) {
            if (w.isAlive()) continue;
            restartWorkers();
            break;
        }
        nextJobRunsExactly();
    }

    /** Workers the poison killed start again, as their supervisor would start them. */
    private void restartWorkers() throws Exception {
        startDeadWorkers();
        awaitBothSlots();
    }

    private void startDeadWorkers() throws Exception {
        if (!worker1.isAlive()) worker1 = grid.startWorker("poison-worker-1-again-" + System.nanoTime());
        if (!worker2.isAlive()) worker2 = grid.startWorker("poison-worker-2-again-" + System.nanoTime());
        workers = List.of(ChildGrid.readyAddress(worker1, "worker"), ChildGrid.readyAddress(worker2, "worker"));
    }
}
