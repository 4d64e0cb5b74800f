package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.CounterValue;
import org.pekkogrid.protocol.GridConfig;

/**
 * The test: a head and two worker JVMs sharing an H2 journal; two clients increment one
 * counter; the worker JVM holding it is killed with {@code kill -9}; the clients go on, the
 * counter recovers on the other worker, and its total is exactly what was acknowledged.
 */
class CounterKillTest {

    @TempDir
    Path dir;

    private final List<ChildJvm> nodes = new ArrayList<>();
    private final List<GridClient> clients = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        try {
            clients.forEach(c -> c.system().terminate());  // all leave at once; close() then waits for each
            clients.forEach(GridClient::close);
        } finally {
            nodes.forEach(ChildJvm::askToStop);
            nodes.forEach(ChildJvm::close);  // by pid, if a node has not stopped within seconds
        }
    }

    @Test
    void aCounterKeepsItsExactTotalWhenTheWorkerHoldingItIsKilled() throws Exception {
        Path conf = dir.resolve("test.conf");
        // Down the dead node sooner than the default 7s; no kernel warm-up or OpenCV probe for a counter test.
        Files.writeString(conf, "pekko.cluster.split-brain-resolver.stable-after = 3s\ngrid.worker.warm-up = 0ms\n"
            + "grid.worker.probe-tags = off\n");
        Map<String, String> env = Map.of("GRID_DATA_DIR", dir.resolve("data").toString());
        int port = freePort();
        ChildJvm head = node("head", env, "head", "--port", String.valueOf(port), "--config", conf.toString(),
            "--exit-on-stdin-eof");
        String seed = head.awaitReady(60);
        ChildJvm workerA = node("worker-a", env, "worker", "--seed", seed, "--cores", "1", "--config", conf.toString(),
            "--exit-on-stdin-eof");
        ChildJvm workerB = node("worker-b", env, "worker", "--seed", seed, "--cores", "1", "--config", conf.toString(),
            "--exit-on-stdin-eof");
        Map<String, ChildJvm> workers = Map.of(workerA.awaitReady(60), workerA, workerB.awaitReady(60), workerB);

        Config clientConfig = ConfigFactory.parseMap(Map.of(
                "grid.seeds", List.of(seed),
                "grid.client.counter.attempt-timeout", "2s",
                "grid.client.counter.deadline", "90s",
                // Whichever member leads decides the downing, clients included: same setting everywhere.
                "pekko.cluster.split-brain-resolver.stable-after", "3s",
                "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
            .withFallback(GridConfig.defaults());
        GridClient one = client(clientConfig);
        GridClient two = client(clientConfig);

        // Phase 1: both clients count until each has 30 acknowledgements; the node that answered
        // them holds the counter.
        Tally tally1 = new Tally();
        Tally tally2 = new Tally();
        Increments a = new Increments(one.counter("survivor"), 11, 4, Long.MAX_VALUE, tally1::ack).start();
        Increments b = new Increments(two.counter("survivor"), 12, 4, Long.MAX_VALUE, tally2::ack).start();
        String holding = tally1.holder.get(60, TimeUnit.SECONDS);
        assertEquals(holding, tally2.holder.get(60, TimeUnit.SECONDS));
        ChildJvm victim = workers.get(holding);
        assertTrue(victim != null, "the counter is held by a worker, not " + holding + " (workers: " + workers.keySet() + ")");

        // Phase 2: kill -9 that worker, while both clients keep counting.
        killed = holding;
        killedAtNanos = System.nanoTime();
        victim.kill();

        // Phase 3: each client gets 30 acknowledgements from the counter on the surviving worker.
        CompletableFuture.allOf(tally1.recovered, tally2.recovered).get(90, TimeUnit.SECONDS);
        a.stop();
        b.stop();
        a.done().get(120, TimeUnit.SECONDS);
        b.done().get(120, TimeUnit.SECONDS);

        CounterValue total = one.counter("survivor").get().toCompletableFuture().get(30, TimeUnit.SECONDS);
        String survivor = workers.keySet().stream().filter(w -> !w.equals(holding)).findFirst().orElseThrow();
        assertEquals(survivor, total.node(), "the counter moved to the surviving worker");
        assertEquals(a.acknowledgedSum() + b.acknowledgedSum(), total.value(),
            "the total is exactly the sum of acknowledged increments, retried ones counted once");
        assertEquals(total.value(), two.counter("survivor").get().toCompletableFuture().get(30, TimeUnit.SECONDS).value());
        assertTrue(a.retried() + b.retried() > 0, "increments in flight at the kill were retried");

        System.out.printf("kill -9 of %s (%s): the counter answered from %s %.1f s later; %d + %d increments "
                + "acknowledged, %d + %d of them retried, %d + %d of those recognised as already applied; total %d%n",
            victim, holding, survivor, (firstAckElsewhereNanos.get() - killedAtNanos) / 1e9, a.acknowledged(),
            b.acknowledged(), a.retried(), b.retried(), a.deduplicated(), b.deduplicated(), total.value());
    }

    private volatile String killed;
    private volatile long killedAtNanos;
    private final AtomicLong firstAckElsewhereNanos = new AtomicLong();

    /** One client's acknowledgements: 30 before the kill name the holder; 30 from elsewhere after it. */
    private final class Tally {
        final CompletableFuture<String> holder = new CompletableFuture<>();
        final CompletableFuture<Void> recovered = new CompletableFuture<>();
        private final AtomicLong before = new AtomicLong();
        private final AtomicLong after = new AtomicLong();

        void ack(CounterValue v) {
            String dead = killed;
            if (dead == null) {
                if (before.incrementAndGet() == 30) holder.complete(v.node());
            } else if (!v.node().equals(dead)) {
                firstAckElsewhereNanos.compareAndSet(0, System.nanoTime());
                if (after.incrementAndGet() == 30) recovered.complete(null);
            }
        }
    }

    private ChildJvm node(String name, Map<String, String> env, String... args) throws IOException {
        // The nodes' logs stay in target/ for a failure's post-mortem.
        Path logs = Files.createDirectories(Path.of("target", "counter-kill-test"));
        ChildJvm n = ChildJvm.start(name, logs, env, args);
        nodes.add(0, n);  // stopped in reverse order
        return n;
    }

    private GridClient client(Config config) {
        GridClient c = GridClient.connect(config);
        clients.add(c);
        return c;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
