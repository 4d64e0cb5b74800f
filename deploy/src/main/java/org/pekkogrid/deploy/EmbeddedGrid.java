package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.GridUnavailableException;
import org.pekkogrid.client.LocalGridProvider;
import org.pekkogrid.protocol.ClusterStatus;

/**
 * A whole grid in this JVM: a head and worker nodes, each its own actor system on loopback,
 * talking over Artery exactly as separate machines would.
 */
public final class EmbeddedGrid implements LocalGridProvider.LocalGrid {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final GridNodes.Head head;
    private final List<GridNodes.Worker> workers;
    private final GridClient client;
    private final String seed;

    private EmbeddedGrid(GridNodes.Head head, List<GridNodes.Worker> workers, String seed) {
        this.head = head;
        this.workers = workers;
        this.seed = seed;
        this.client = GridClient.attach(head.system(), head.coordinator(), this::stop);
    }

    /** The provider {@link GridClient#local} finds with ServiceLoader. */
    public static final class Provider implements LocalGridProvider {
        @Override
        public LocalGrid start(int workerNodes, int coresPerNode) {
            return EmbeddedGrid.start(org.pekkogrid.protocol.GridConfig.defaults(), workerNodes, coresPerNode);
        }
    }

    /**
     * Starts the head, then the workers, and returns once every worker slot has registered
     * with the coordinator, so that a job's time counts no start-up.
     */
    public static EmbeddedGrid start(Config base, int workerNodes, int coresPerNode) {
        if (workerNodes < 1) throw new IllegalArgumentException("--nodes must be at least 1, got " + workerNodes);
        GridNodes.Head head = GridNodes.startHead(GridNodes.embedded(base, List.of(), coresPerNode));
        List<GridNodes.Worker> workers = new ArrayList<>();
        try {
            Address address = head.system().address();
            String seed = address.getHost().get() + ":" + address.getPort().get();
            head.up().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 0; i < workerNodes; i++) {
                workers.add(GridNodes.startWorker(GridNodes.embedded(base, List.of(seed), coresPerNode)));
            }
            CompletableFuture.allOf(workers.stream().map(GridNodes.Worker::ready).toArray(CompletableFuture[]::new))
                .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            EmbeddedGrid grid = new EmbeddedGrid(head, workers, seed);
            grid.awaitSlots(workerNodes * coresPerNode);
            return grid;
        } catch (Exception e) {
            workers.forEach(w -> w.system().terminate());
            head.system().terminate();
            if (e instanceof RuntimeException re) throw re;
            throw new GridUnavailableException("the embedded grid did not start: " + e);
        }
    }

    private void awaitSlots(int expected) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ClusterStatus status = client.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
            int slots = status.members().stream().mapToInt(ClusterStatus.Member::slots).sum();
            if (slots >= expected) return;
            Thread.sleep(50);  // polling a local actor until start-up settles; there is no event for "all slots in"
        }
        throw new GridUnavailableException("the embedded grid's " + expected + " slots did not all register within "
            + START_TIMEOUT.toSeconds() + "s");
    }

    @Override
    public GridClient client() {
        return client;
    }

    /** The head's {@code host:port}, for clients in other JVMs. */
    public String seed() {
        return seed;
    }

    /** The head: its system, coordinator and the ports it serves metrics and its HTTP API on (0 when off). */
    public GridNodes.Head head() {
        return head;
    }

    public ActorSystem<Void> headSystem() {
        return head.system();
    }

    public List<GridNodes.Worker> workers() {
        return workers;
    }

    @Override
    public void close() {
        client.close();
    }

    private void stop() {
        // Youngest first, one at a time: workers leaving together hand their shards to each other
        // and wait for a shard coordinator that is leaving too (seconds of stall).
        for (int i = workers.size() - 1; i >= 0; i--) {
            ActorSystem<Void> system = workers.get(i).system();
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the others go anyway
            }
        }
        head.system().terminate();
        try {
            head.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // nothing more to do
        }
    }
}
