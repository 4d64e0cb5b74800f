package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.CounterValue;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.NodeAddress;

/** A head and two worker nodes in this JVM, their counters' journal one H2 file: clients racing each other. */
class CounterClusterTest {

    @TempDir
    Path dir;

    /** Stopped in reverse order, one at a time: nodes that leave together stall each other's exit. */
    private final Deque<ActorSystem<?>> systems = new ArrayDeque<>();
    private GridClient first;
    private GridClient second;

    @AfterEach
    void stop() {
        if (first != null) first.system().terminate();  // clients leave together
        if (second != null) second.system().terminate();
        while (!systems.isEmpty()) {
            ActorSystem<?> system = systems.pop();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    private <S extends ActorSystem<?>> S started(S system) {
        systems.push(system);
        return system;
    }

    private Config config() {
        return ConfigFactory.parseMap(Map.of(
                "grid.data-dir", dir.toString(),
                "grid.worker.warm-up", "0ms",
                "grid.worker.probe-tags", "off",
                "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
            .withFallback(GridConfig.defaults());
    }

    @Test
    void twoClientsIncrementingAtOnceGetAnExactTotal() throws Exception {
        GridNodes.Head head = GridNodes.startHead(GridNodes.embedded(config(), List.of(), 1));
        started(head.system());
        head.up().get(60, TimeUnit.SECONDS);
        String seed = NodeAddress.of(head.system().address());
        for (int i = 0; i < 2; i++) {
            GridNodes.Worker worker = GridNodes.startWorker(GridNodes.embedded(config(), List.of(seed), 1));
            started(worker.system());
            worker.ready().get(60, TimeUnit.SECONDS);
        }
        Config client = ConfigFactory.parseMap(Map.of("grid.seeds", List.of(seed))).withFallback(config());
        first = GridClient.connect(client);
        started(first.system());
        second = GridClient.connect(client);
        started(second.system());

        Set<String> nodes = ConcurrentHashMap.newKeySet();
        Increments a = new Increments(first.counter("race"), 1, 8, 500, v -> nodes.add(v.node())).start();
        Increments b = new Increments(second.counter("race"), 2, 8, 500, v -> nodes.add(v.node())).start();
        a.done().get(90, TimeUnit.SECONDS);
        b.done().get(90, TimeUnit.SECONDS);

        assertEquals(500, a.acknowledged());
        assertEquals(500, b.acknowledged());
        CounterValue total = first.counter("race").get().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(a.acknowledgedSum() + b.acknowledgedSum(), total.value(), "every acknowledged increment, once");
        assertEquals(total, second.counter("race").get().toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertEquals(Set.of(total.node()), nodes, "one worker holds the counter");
        assertTrue(Files.size(dir.resolve("counters.mv.db")) > 0, "the events are in the shared H2 file");
    }
}
