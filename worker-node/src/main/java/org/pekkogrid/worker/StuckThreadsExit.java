package org.pekkogrid.worker;

import java.time.Duration;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What a worker node does when more of its compute threads are stuck than it has cores
 * ({@link ComputePool}): its actor system stops with {@link #REASON}, so it leaves the cluster and
 * the head runs its chunks elsewhere, as for any node lost; and {@code grid worker}, seeing that
 * reason, exits with {@link #EXIT_STATUS} instead of starting a new actor system in a JVM that
 * still holds the stuck threads. Its supervisor (systemd, compose, Kubernetes) starts a fresh one.
 */
public final class StuckThreadsExit {

    /** The exit status of {@code grid worker} that stopped for stuck threads. */
    public static final int EXIT_STATUS = 3;

    /** Why the node's actor system stopped: its coordinated shutdown's reason. */
    public static final CoordinatedShutdown.Reason REASON = new CoordinatedShutdown.Reason() {
        @Override
        public String toString() {
            return "StuckThreads";
        }
    };

    /** Only stops the node: for a node that shares its JVM (an embedded grid's, a test's). */
    public static final StuckThreadsExit STOP_NODE = new StuckThreadsExit(null);

    /** Null: never halt the JVM. */
    private final Duration haltMargin;

    private StuckThreadsExit(Duration haltMargin) {
        this.haltMargin = haltMargin;
    }

    /**
     * Stops the node and, if the JVM still runs {@code margin} after the coordinated shutdown
     * should have ended (its phases' timeouts), halts it with {@link #EXIT_STATUS}: for the
     * process of {@code grid worker}, which nothing must keep alive.
     */
    public static StuckThreadsExit haltingJvm(Duration margin) {
        return new StuckThreadsExit(margin);
    }

    /**
     * Stops the node's actor system with {@link #REASON}.
     *
     * @param why which threads are stuck, in which chunks of which jobs (logged by the pool)
     */
    public void exit(ActorSystem<?> system, String why) {
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        if (haltMargin != null) {
            Duration after = Duration.ofMillis(shutdown.totalTimeout().toMillis()).plus(haltMargin);
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(after.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                System.err.println("worker: still running " + after.toSeconds() + " s after it began to stop for "
                    + "stuck threads (" + why + "); halted");
                Runtime.getRuntime().halt(EXIT_STATUS);
            }, "grid-stuck-threads-halt");
            halt.setDaemon(true);
            halt.start();
        }
        shutdown.runAll(REASON);
    }
}
