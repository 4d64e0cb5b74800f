package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.pekkogrid.worker.StuckThreadsExit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a head or worker node until the process is told to stop (SIGTERM, or the end of stdin
 * with {@code --exit-on-stdin-eof}). The node is one actor system at a time: when it ends
 * without being asked to (the cluster downed the node, or a worker saw no head for a while), a
 * new one starts on the same address and ports after a {@link RestartBackoff} and joins the
 * seeds again, forever once the node has been a member. Only a first start that never joins
 * gives up, after {@code grid.join-timeout}: that is a wrong seed, not a failure.
 *
 * <p>What outlives a restart is what the launcher keeps outside the actor system: the process,
 * its metrics endpoint, its ports and, for a worker, its capacity. Stdout says {@code ready} once
 * and {@code rejoined} after each restart that made the node a member again; each restart logs
 * one line: why, which restart since the node was last a member, and how long it waits.
 */
final class RestartingNode {

    private static final Logger log = LoggerFactory.getLogger(RestartingNode.class);

    /** One actor system of the node, and when it is a member ready to work. */
    record Incarnation(ActorSystem<?> system, CompletionStage<?> ready) {}

    /** What the launcher gets to start one incarnation. */
    static final class Attempt {
        private final Config config;
        private final boolean restart;
        private volatile String restartReason;

        private Attempt(Config config, boolean restart) {
            this.config = config;
            this.restart = restart;
        }

        /** False for the process's first actor system, true for those after it. */
        boolean restart() {
            return restart;
        }

        /** The node's config; on a restart its {@code grid.port} is the one the first system bound. */
        Config config() {
            return config;
        }

        /**
         * Says why this incarnation may soon end (a worker in a cluster with no head), for the
         * restart's log line; null when that no longer holds.
         */
        void willEndBecause(String why) {
            restartReason = why;
        }
    }

    /** Starts an incarnation; may throw (a port taken, say). */
    @FunctionalInterface
    interface Starter {
        Incarnation start(Attempt attempt);
    }

    private final String role;
    private final Config config;
    private final RestartBackoff backoff;
    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    private volatile ActorSystem<?> current;

    /**
     * @param role           {@code head} or {@code worker}, for messages
     * @param exitOnStdinEof also stop when standard input ends (tests and benches start nodes so)
     */
    RestartingNode(String role, Config config, boolean exitOnStdinEof) {
        this.role = role;
        this.config = config;
        this.backoff = RestartBackoff.from(config);
        // On SIGTERM Pekko's own hook runs the current system's coordinated shutdown (the node leaves);
        // this one only keeps the loop from starting another.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopRequested.complete(null), "grid-shutdown-flag"));
        if (exitOnStdinEof) watchStdin();
    }

    private void watchStdin() {
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // only the end of input matters
                }
            } catch (IOException e) {
                // treated as the end of input
            }
            stopRequested.complete(null);
            ActorSystem<?> system = current;
            if (system != null) system.terminate();
        }, "grid-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Runs the node until it is told to stop, and returns the exit status: 0 when asked to stop
     * (or when a member asked it to leave), 2 when its first start could not join or the cluster
     * refused its configuration, 3 when a worker had more stuck threads than cores (a new actor
     * system in this JVM would share it with them). A first start that throws propagates.
     *
     * @param onFirstReady runs once, when the node is first a member and ready (prints the ready line)
     */
    int run(Starter starter, Consumer<ActorSystem<?>> onFirstReady) throws InterruptedException {
        int configuredPort = config.getInt("grid.port");
        int port = configuredPort;
        AtomicBoolean announced = new AtomicBoolean();
        int restarts = 0;  // since the node was last a member
        for (int incarnations = 0; ; incarnations++) {
            Attempt attempt = new Attempt(config.withValue("grid.port", ConfigValueFactory.fromAnyRef(port)), incarnations > 0);
            Incarnation node;
            if (incarnations == 0) {
                node = starter.start(attempt);
            } else {
                try {
                    node = starter.start(attempt);
                } catch (RuntimeException e) {
                    // A worker's random port taken meanwhile: take any free one next time.
                    if (configuredPort == 0) port = 0;
                    restarts++;
                    if (awaitStop(restartAfter("its new actor system did not start (" + e.getMessage() + ")", restarts))) {
                        return GridMain.COMPLETED;
                    }
                    continue;
                }
            }
            current = node.system();
            if (stopRequested.isDone()) node.system().terminate();
            port = node.system().address().getPort().get();
            int restartsSoFar = restarts;
            AtomicBoolean ready = new AtomicBoolean();
            node.ready().thenRun(() -> {
                ready.set(true);
                if (announced.compareAndSet(false, true)) onFirstReady.accept(node.system());
                else announceRejoin(node.system(), restartsSoFar);
            });

            awaitTermination(node.system());
            current = null;
            if (stopRequested.isDone()) return GridMain.COMPLETED;
            if (ready.get()) restarts = 0;
            CoordinatedShutdown.Reason reason = CoordinatedShutdown.get(node.system().classicSystem()).getShutdownReason()
                .orElse(CoordinatedShutdown.unknownReason());
            if (reason == CoordinatedShutdown.jvmExitReason()) return GridMain.COMPLETED;
            if (reason == CoordinatedShutdown.clusterLeavingReason()) {
                System.err.println(role + ": a member asked this node to leave the cluster; stopped");
                return GridMain.COMPLETED;
            }
            if (reason == StuckThreadsExit.REASON) {
                System.err.println(role + ": more of its compute threads were stuck in chunks than it has cores (the "
                    + "log names the chunks); exits with status " + StuckThreadsExit.EXIT_STATUS
                    + " for its supervisor to start it again");
                return GridMain.STUCK_THREADS;
            }
            if (reason == CoordinatedShutdown.incompatibleConfigurationDetectedReason()) {
                System.err.println(role + ": the cluster refused this node's configuration (the log says which "
                    + "setting differs); stopped");
                return GridMain.BAD_INPUT;
            }
            // Only the first system can fail to join having never been a member: that is a wrong seed.
            if (reason == CoordinatedShutdown.clusterJoinUnsuccessfulReason() && incarnations == 0) {
                System.err.println(role + ": could not join the grid at " + config.getStringList("grid.seeds")
                    + " (no node answered within grid.join-timeout, " + config.getString("grid.join-timeout") + "; "
                    + (config.getString("pekko.remote.artery.transport").equals("tls-tcp")
                        ? "with --tls, the log says if a handshake failed"
                        : "if the grid runs with --tls, this node needs --tls too") + "); stopped");
                return GridMain.BAD_INPUT;
            }
            restarts++;
            if (awaitStop(restartAfter(why(attempt, reason), restarts))) return GridMain.COMPLETED;
        }
    }

    /** Logs the restart and returns how long to wait before it. */
    private Duration restartAfter(String why, int restart) {
        Duration delay = backoff.delay(restart);
        log.warn("{}: {}; starting a new actor system in {} s to join {} (restart {} since it was last a member)",
            role, why, delay.toMillis() / 1000.0, ClusterBootstrapping.joinTarget(config), restart);
        return delay;
    }

    private String why(Attempt attempt, CoordinatedShutdown.Reason reason) {
        if (attempt.restartReason != null) return attempt.restartReason;
        if (reason == CoordinatedShutdown.clusterDowningReason()) {
            return "this node was downed (the split brain resolver's decision, or a node that found it unreachable)";
        }
        if (reason == CoordinatedShutdown.clusterJoinUnsuccessfulReason()) {
            return "it could not rejoin within grid.join-timeout (" + config.getString("grid.join-timeout") + ")";
        }
        return "its actor system stopped (" + reason + ")";
    }

    private void announceRejoin(ActorSystem<?> system, int restarts) {
        System.out.println(role + " rejoined at " + system.address().getHost().get() + ":" + system.address().getPort().get()
            + " after " + restarts + (restarts == 1 ? " restart" : " restarts"));
        System.out.flush();
    }

    private static void awaitTermination(ActorSystem<?> system) throws InterruptedException {
        try {
            system.getWhenTerminated().toCompletableFuture().get();
        } catch (java.util.concurrent.ExecutionException e) {
            // terminated all the same
        }
    }

    /** Waits {@code delay}; true if the node was told to stop meanwhile. */
    private boolean awaitStop(Duration delay) throws InterruptedException {
        try {
            stopRequested.get(delay.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }
}
