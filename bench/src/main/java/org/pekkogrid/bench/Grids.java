package org.pekkogrid.bench;

import java.util.concurrent.TimeUnit;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.Roles;

/**
 * The grids the experiments run on. Without {@code --seed}, an embedded grid in this JVM (one
 * worker node with all processors, started once and shared by the experiments that use it) or
 * one of a given shape; with {@code --seed}, the grid there.
 */
final class Grids implements AutoCloseable {

    private final BenchOptions options;
    private GridClient shared;

    Grids(BenchOptions options) {
        this.options = options;
    }

    /** One worker node with every processor here, or the --seed grid. Started on first use. */
    synchronized GridClient shared() {
        if (shared == null) {
            shared = options.remote() ? options.connect()
                : GridClient.local(1, processors());
        }
        return shared;
    }

    /** A new embedded grid of this shape; the caller closes it. */
    GridClient embedded(int nodes, int coresPerNode) {
        return GridClient.local(nodes, coresPerNode);
    }

    /** Stops the shared grid (it starts again when next asked for), so it idles nowhere near a measurement. */
    synchronized void closeShared() {
        if (shared != null) shared.close();
        shared = null;
    }

    boolean remote() {
        return options.remote();
    }

    static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** What the head knows of its workers: nodes and slots. */
    record Size(int workerNodes, int slots, int cores) {}

    static Size size(GridClient client) throws Exception {
        ClusterStatus status = client.status().toCompletableFuture().get(15, TimeUnit.SECONDS);
        int nodes = 0;
        int slots = 0;
        int cores = 0;
        for (ClusterStatus.Member m : status.members()) {
            if (!m.roles().contains(Roles.WORKER) || !m.status().equalsIgnoreCase("up")) continue;
            nodes++;
            slots += m.slots();
            cores += m.cores();
        }
        return new Size(nodes, slots, cores);
    }

    /** Waits until the head counts at least {@code slots} worker slots: a node that just joined is not yet in use. */
    static void awaitSlots(GridClient client, int slots, java.time.Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Size size = size(client);
        while (size.slots() < slots) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the head counts " + size.slots() + " worker slots, not " + slots
                    + ", " + timeout.toSeconds() + "s after the workers were ready");
            }
            Thread.sleep(100);  // polling the head: the client hears no event when a slot registers
            size = size(client);
        }
    }

    @Override
    public synchronized void close() {
        closeShared();
    }
}
