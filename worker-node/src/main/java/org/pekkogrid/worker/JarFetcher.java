package org.pekkogrid.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.pekkogrid.protocol.JarCommand;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.workloads.WorkloadJars;

/**
 * Brings a job's workload jar to this worker the first time one of its chunks runs here: piece by
 * piece from the jar store of the head that runs the job, into this node's {@link WorkloadJars},
 * where later jobs of the same jar find it. Called on compute threads, which it blocks while it
 * fetches; two threads that need the same jar fetch it once.
 */
final class JarFetcher {

    private final ActorSystem<?> system;
    private final WorkloadJars jars;
    private final Duration pieceTimeout;
    /** One lock per jar this node ever fetched: a few objects for the node's life. */
    private final ConcurrentHashMap<String, Object> fetching = new ConcurrentHashMap<>();

    JarFetcher(ActorSystem<?> system, WorkloadJars jars, Duration pieceTimeout) {
        this.system = system;
        this.jars = jars;
        this.pieceTimeout = pieceTimeout;
    }

    WorkloadJars jars() {
        return jars;
    }

    /** Makes sure this node has the ticket's jar; throws {@link IllegalStateException} saying why not. */
    void ensure(JobTicket ticket) {
        String sha = ticket.jar();
        if (jars.has(sha)) return;
        if (ticket.jarSource() == null) throw new IllegalStateException("the job ships a jar but says not where it is");
        Object lock = fetching.computeIfAbsent(sha, s -> new Object());
        synchronized (lock) {
            if (jars.has(sha)) return;
            long t0 = System.nanoTime();
            byte[] bytes = fetch(sha, ticket.jarSource());
            try {
                jars.store(sha, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep workload jar " + WorkloadJars.shortName(sha) + ": "
                    + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the workload jar fetched from the head is not the one named: "
                    + e.getMessage(), e);
            }
            system.log().info("fetched workload jar {} ({} bytes) from {} in {} ms", sha, bytes.length,
                NodeAddress.of(ticket.jarSource().path().address()), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private byte[] fetch(String sha, ActorRef<JarCommand> source) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long size = -1;
        while (size < 0 || bytes.size() < size) {
            long offset = bytes.size();
            JarCommand.Piece piece;
            try {
                piece = AskPattern.<JarCommand, JarCommand.Piece>ask(source,
                        replyTo -> new JarCommand.Get(sha, offset, replyTo), pieceTimeout, system.scheduler())
                    .toCompletableFuture().get(pieceTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching workload jar " + WorkloadJars.shortName(sha));
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the head did not send workload jar " + WorkloadJars.shortName(sha)
                    + " (byte " + offset + ") within " + pieceTimeout.toSeconds() + "s (grid.jars.fetch-timeout)");
            }
            if (piece.error() != null) throw new IllegalStateException(piece.error());
            if (size < 0) {
                size = piece.sizeBytes();
                if (size < 1 || size > jars.maxJarBytes()) {
                    throw new IllegalStateException("the head offers workload jar " + WorkloadJars.shortName(sha) + " of "
                        + size + " bytes; this node takes at most " + jars.maxJarBytes() + " (grid.jars.max-bytes)");
                }
            }
            if (piece.offset() != offset || piece.bytes() == null || piece.bytes().length == 0) {
                throw new IllegalStateException("the head sent workload jar " + WorkloadJars.shortName(sha)
                    + " out of order (byte " + piece.offset() + " for " + offset + ")");
            }
            bytes.writeBytes(piece.bytes());
        }
        return bytes.toByteArray();
    }
}
