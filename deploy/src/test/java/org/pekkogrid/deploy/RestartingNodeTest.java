package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.Roles;
import org.pekkogrid.worker.StuckThreadsExit;

/** How the launcher's loop of actor systems ends, one node on loopback that joins no one. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartingNodeTest {

    @Test
    void aWorkerStoppedForStuckThreadsExitsWithStatus3InsteadOfStartingAgain() throws Exception {
        Config config = LoopbackGrid.config(Map.of());
        AtomicInteger started = new AtomicInteger();
        RestartingNode worker = new RestartingNode("worker", config, false);

        int status = worker.run(attempt -> {
            started.incrementAndGet();
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "restarting-node-test",
                GridConfig.forNode(attempt.config(), List.of(Roles.WORKER)));
            return new RestartingNode.Incarnation(system, CompletableFuture.completedFuture(null));
        }, system -> StuckThreadsExit.STOP_NODE.exit(system, "2 compute threads are stuck, more than this node has "
            + "cores (1)"));

        assertEquals(StuckThreadsExit.EXIT_STATUS, status);
        assertEquals(3, GridMain.STUCK_THREADS);
        assertEquals(1, started.get(), "a JVM that holds stuck threads starts no new actor system");
    }
}
