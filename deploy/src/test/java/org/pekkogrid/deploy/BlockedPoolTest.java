package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node whose default Pekko pool is taken over (a blocking call in an actor, a long fold in a
 * job's runner) keeps its place in the cluster: heartbeats and the cluster's own actors run on a
 * pool of their own (pekko-grid.conf).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BlockedPoolTest {

    /**
     * Longer than the failure detector tolerates (a heartbeat a second, 3 s of acceptable pause):
     * with one pool for everything the head marked a blocked worker unreachable within 5 s.
     */
    private static final Duration BLOCKED = Duration.ofSeconds(8);

    @Test
    void aWorkerWhoseDefaultPoolIsBlockedStaysReachable() throws Exception {
        try (LoopbackGrid grid = LoopbackGrid.startHead(Map.of())) {
            GridNodes.Worker worker = grid.addWorker(1, List.of());
            TestProbe<ClusterEvent.ReachabilityEvent> reachability = TestProbe.create(grid.headSystem());
            Cluster.get(grid.headSystem()).subscriptions()
                .tell(Subscribe.create(reachability.getRef(), ClusterEvent.ReachabilityEvent.class));
            CountDownLatch release = new CountDownLatch(1);
            int threads = worker.system().settings().config()
                .getInt("pekko.actor.default-dispatcher.fork-join-executor.parallelism-max");
            for (int i = 0; i < threads; i++) {
                CompletableFuture.runAsync(() -> awaitQuietly(release), worker.system().executionContext());
            }
            CompletableFuture<Void> queuedBehind = CompletableFuture.runAsync(() -> { }, worker.system().executionContext());
            try {
                reachability.expectNoMessage(BLOCKED);
                assertFalse(queuedBehind.isDone(), "the worker's default pool was not blocked");
            } finally {
                release.countDown();
            }
            queuedBehind.get(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
