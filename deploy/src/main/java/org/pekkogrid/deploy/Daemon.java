package org.pekkogrid.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/** Keeps a head or worker process alive until it is told to stop, and says why it stopped. */
final class Daemon {

    private final ActorSystem<?> system;
    private final AtomicBoolean asked = new AtomicBoolean();

    Daemon(ActorSystem<?> system, boolean exitOnStdinEof) {
        this.system = system;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> asked.set(true), "grid-shutdown-flag"));
        if (exitOnStdinEof) {
            Thread watcher = new Thread(() -> {
                try {
                    InputStream in = System.in;
                    while (in.read() >= 0) {
                        // only the end of input matters
                    }
                } catch (IOException e) {
                    // treated as the end of input
                }
                asked.set(true);
                system.terminate();
            }, "grid-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    /** Blocks until the node's system ends; 0 when asked to stop, else 1 (downed, or never joined: 2). */
    int awaitTermination(String role) throws Exception {
        boolean joined = false;
        while (!system.getWhenTerminated().toCompletableFuture().isDone()) {
            MemberStatus s = Cluster.get(system).selfMember().status();
            joined |= s == MemberStatus.up() || s == MemberStatus.weaklyUp();
            try {
                system.getWhenTerminated().toCompletableFuture().get(500, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // poll again
            }
        }
        if (asked.get()) return GridMain.COMPLETED;
        if (!joined) {
            System.err.println(role + ": could not join the grid at " + system.settings().config().getStringList("grid.seeds")
                + " (no node answered); stopped");
            return GridMain.BAD_INPUT;
        }
        System.err.println(role + ": this node was removed from the cluster (downed or partitioned away); stopped");
        return GridMain.FAILED;
    }
}
