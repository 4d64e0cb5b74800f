package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobSpec;

/**
 * The only head, a JVM of its own, is killed with SIGKILL while a client in this JVM waits for
 * a job: the job must end FAILED with a reason, not leave the client waiting.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HeadCrashTest {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private ChildNode head;
    private ChildNode worker;
    private GridClient client;

    @AfterEach
    void stop() {
        try {
            if (client != null) client.close();
        } finally {
            ChildNode.stopAll(java.util.stream.Stream.of(worker, head).filter(java.util.Objects::nonNull).toList());
        }
    }

    @Test
    void aHeadKilledMidJobFailsTheJobAtTheClientWithAReason() throws Exception {
        int port = ChildNode.freePort();
        String seed = "127.0.0.1:" + port;
        head = ChildNode.start("head", "head", "--port", String.valueOf(port), "--exit-on-stdin-eof");
        worker = ChildNode.start("worker", "worker", "--seed", seed, "--cores", "1", "--exit-on-stdin-eof");
        head.awaitLine("head ready at " + seed, READY_TIMEOUT);
        worker.awaitLine("worker ready at ", READY_TIMEOUT);
        // The client gives up on a job no head knows after 10 s, not the default 30 s: CI time.
        client = GridClient.connect(ConfigFactory.parseMap(Map.of("grid.seeds", List.of(seed),
                "grid.client.lost-after", "10s"))
            .withFallback(GridConfig.defaults()));

        // 600 chunks of 100 ms on one slot: a minute of work, far longer than this test waits.
        CompletableFuture<JobEvent.Progress> running = new CompletableFuture<>();
        JobHandle job = client.submit(JobSpec.of("sleep").param("millis", 100).withChunks(600), p -> {
            if (p.chunksDone() >= 15) running.complete(p);
        });
        running.get(60, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        head.crash();

        JobResult r = job.result().toCompletableFuture().get(90, TimeUnit.SECONDS);
        double secondsToFail = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("the job failed at its client %.1f s after its only head was killed: %s%n", secondsToFail,
            r.error());

        assertEquals(JobResult.Status.FAILED, r.status(), () -> "result: " + r);
        assertNotNull(r.error());
        assertTrue(r.error().contains("head") && r.error().length() > 20, r.error());
        // The client waits grid.client.lost-after (10 s here) for a head that knows the job, and margin.
        assertTrue(secondsToFail < 40, "failed " + secondsToFail + " s after the head died");
    }
}
