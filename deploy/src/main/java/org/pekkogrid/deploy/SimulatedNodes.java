package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.pekkogrid.protocol.GridConfig;

/**
 * Many light worker nodes in one JVM, for {@code grid bench scale}: each its own actor system,
 * a real cluster member on its own loopback port, whose slots' chunks are expected to sleep, not
 * compute (so more slots than this machine has processors are allowed). Not a user command: the
 * bench starts it as {@code java -cp grid.jar org.pekkogrid.deploy.SimulatedNodes SEED}.
 *
 * <p>It reads commands from standard input: {@code add C1 C2 ...} starts one more node per number,
 * with that many slots, and once every one is a member with its slots started, prints
 * {@code added K started-at MS ready-at MS}
 * (wall-clock ms: when the last of them began to join, when all were ready). When standard input
 * closes, it stops its nodes and exits.
 */
public final class SimulatedNodes {

    public static final String READY = "simulated nodes ready";
    public static final String ADDED = "added ";
    private static final long READY_SECONDS = 180;
    private static final long STOP_SECONDS = 30;

    private final Config base;
    private final String seed;
    private final List<ActorSystem<Void>> systems = new ArrayList<>();

    private SimulatedNodes(Config base, String seed) {
        this.base = base;
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SimulatedNodes SEED");
            System.exit(2);
        }
        Config base = ConfigFactory.parseMap(Map.of(
                "grid.worker.cores-beyond-processors", true,
                // Sleep chunks need no kernel warmed and no OpenCV probed (each probe unpacks ~65 MB).
                "grid.worker.warm-up", "0s",
                "grid.worker.probe-tags", false,
                "grid.metrics.enabled", false))
            .withFallback(GridConfig.defaults());
        SimulatedNodes nodes = new SimulatedNodes(base, args[0]);
        System.out.println(READY);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.trim();
                if (command.startsWith("add ")) nodes.add(command.substring(4).trim().split("\\s+"));
                else if (!command.isEmpty()) System.err.println("unknown command: " + command);
            }
        } finally {
            nodes.stop();
        }
        System.exit(0);
    }

    private void add(String[] coresPerNode) throws Exception {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (String cores : coresPerNode) {
            GridNodes.Worker worker = GridNodes.startWorker(
                GridNodes.embedded(base, List.of(seed), Integer.parseInt(cores)));
            systems.add(worker.system());
            ready.add(worker.ready());
        }
        long startedAt = System.currentTimeMillis();
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(READY_SECONDS, TimeUnit.SECONDS);
        long readyAt = System.currentTimeMillis();
        System.out.println(ADDED + coresPerNode.length + " started-at " + startedAt + " ready-at " + readyAt);
        System.out.flush();
    }

    /**
     * All together: this is the end of a benchmark, not a rolling restart, and one at a time
     * would take a gossip round or two per node.
     */
    private void stop() {
        systems.forEach(ActorSystem::terminate);
        try {
            CompletableFuture.allOf(systems.stream().map(s -> s.getWhenTerminated().toCompletableFuture())
                .toArray(CompletableFuture[]::new)).get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the JVM exits anyway
        }
    }
}
