package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node whose Pekko pool has a thread taken (a blocking call in an actor, a long fold in a job's
 * runner) keeps its place in the cluster and goes on working: the pool has a second thread for
 * heartbeats, gossip and Artery (pekko-grid.conf).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BlockedPoolTest {

    /**
     * Longer than the failure detector tolerates (a heartbeat a second, 3 s of acceptable pause):
     * with a pool of one thread the head marked such a worker unreachable within 5 s.
     */
    private static final Duration BLOCKED = Duration.ofSeconds(8);

    @Test
    void aWorkerWithABlockingCallOnItsPekkoPoolStaysReachableAndWorking() throws Exception {
        try (LoopbackGrid grid = LoopbackGrid.startHead(Map.of())) {
            GridNodes.Worker worker = grid.addWorker(1, List.of());
            Executor pool = worker.system().executionContext();
            TestProbe<ClusterEvent.ReachabilityEvent> reachability = TestProbe.create(grid.headSystem());
            Cluster.get(grid.headSystem()).subscriptions()
                .tell(Subscribe.create(reachability.getRef(), ClusterEvent.ReachabilityEvent.class));
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture.runAsync(() -> awaitQuietly(release), pool);
            try {
                try {
                    CompletableFuture.runAsync(() -> { }, pool).get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("the worker's Pekko pool ran nothing more while one of its threads was blocked");
                }
                reachability.expectNoMessage(BLOCKED);
            } finally {
                release.countDown();
            }
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
