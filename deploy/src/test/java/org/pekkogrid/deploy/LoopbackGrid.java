package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.NodeAddress;

/**
 * A grid of several actor systems in this JVM on 127.0.0.1, each on a free port, talking over
 * Artery as separate machines would: a head, and worker nodes added one by one with their own
 * cores and tags.
 */
final class LoopbackGrid implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final GridNodes.Head head;
    private final List<GridNodes.Worker> workers = new ArrayList<>();
    private final GridClient client;

    private LoopbackGrid(GridNodes.Head head) {
        this.head = head;
        this.client = GridClient.attach(head.system(), head.coordinator());
    }

    /** A node's settings: the defaults, loopback on a free port, no warm-up, these overrides on top. */
    static Config config(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>();
        values.put("grid.host", "127.0.0.1");
        values.put("grid.port", 0);
        values.put("grid.worker.warm-up", "0s");
        // Tags are what each test gives; not what the workloads would probe (opencv loads here).
        values.put("grid.worker.probe-tags", false);
        values.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
        values.putAll(overrides);
        return ConfigFactory.parseMap(values).withFallback(GridConfig.defaults());
    }

    /** Starts a head that founds the cluster, and returns once it is Up. */
    static LoopbackGrid startHead(Map<String, Object> overrides) throws Exception {
        Map<String, Object> values = new HashMap<>(overrides);
        values.put("grid.seeds", List.of());
        // With its workers gone, the head's sharding proxy has no coordinator to hand its buffered
        // messages to, and its graceful stop would wait Pekko's 10 s for it.
        values.putIfAbsent("pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout", "1s");
        GridNodes.Head head = GridNodes.startHead(config(values));
        try {
            head.up().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            head.system().terminate();
            throw e;
        }
        return new LoopbackGrid(head);
    }

    /** Starts a worker node that joins the head, and returns once its slots' region is started. */
    GridNodes.Worker addWorker(int cores, List<String> tags) throws Exception {
        return addWorker(cores, tags, Map.of());
    }

    /** A worker node with these settings of its own on top. */
    GridNodes.Worker addWorker(int cores, List<String> tags, Map<String, Object> overrides) throws Exception {
        Map<String, Object> values = new HashMap<>(overrides);
        values.put("grid.seeds", List.of(seed()));
        values.put("grid.worker.cores", cores);
        values.put("grid.worker.tags", tags);
        GridNodes.Worker worker = GridNodes.startWorker(config(values));
        workers.add(worker);
        worker.ready().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return worker;
    }

    /** The head's {@code host:port}. */
    String seed() {
        return NodeAddress.of(head.system().address());
    }

    ActorSystem<Void> headSystem() {
        return head.system();
    }

    GridNodes.Head head() {
        return head;
    }

    /** A client on the head node itself. */
    GridClient client() {
        return client;
    }

    ClusterStatus status() throws Exception {
        return client.status().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /**
     * Waits until the head's status satisfies {@code settled}. Slots register with the head as
     * sharding places them; no event says "all placed", so this polls the head's status.
     */
    ClusterStatus awaitStatus(String what, Predicate<ClusterStatus> settled) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        ClusterStatus last = null;
        while (System.nanoTime() < deadline) {
            last = status();
            if (settled.test(last)) return last;
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)).join();
        }
        return fail("the grid never reached: " + what + "; last status " + last);
    }

    /** The member of the head's status that this node is. */
    static ClusterStatus.Member member(ClusterStatus status, Address node) {
        return status.members().stream().filter(m -> m.address().equals(node.toString())).findFirst()
            .orElseGet(() -> fail(node + " is not a member: " + status.members()));
    }

    /** Registered slots across the grid. */
    static int slots(ClusterStatus status) {
        return status.members().stream().mapToInt(ClusterStatus.Member::slots).sum();
    }

    /**
     * Stops the workers one by one, so that each leaves through the head (two leaving at once
     * waited out Pekko's 10 s cluster-exiting timeout), then the head.
     */
    @Override
    public void close() {
        for (GridNodes.Worker w : workers) {
            w.system().terminate();
            try {
                w.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the head goes anyway
            }
        }
        head.system().terminate();
        try {
            head.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the loopback grid's head did not stop within 30s", e);
        }
    }
}
