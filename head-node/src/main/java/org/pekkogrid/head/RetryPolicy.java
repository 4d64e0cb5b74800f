package org.pekkogrid.head;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.pekkogrid.head.InFlightBatches.Batch;
import org.pekkogrid.head.InFlightBatches.Chunks;
import org.pekkogrid.protocol.NodeAddress;

/**
 * What becomes of chunks that did not come back done. A chunk that threw, or ran past the chunk
 * timeout, runs again with its next attempt, preferably on another node, until its retries are
 * spent; then the job fails with a reason that names the chunk. The other chunks of a lost,
 * returned or overdue batch run again with the same attempt: they never ran to an end. Chunks
 * the ledger holds are done and are left alone. Each decision is counted in the job's metrics.
 *
 * <p>A chunk whose node died while running it spent that attempt too: it may be what killed the
 * node (a chunk that calls {@code System.exit}, or crashes native code). It becomes a suspect and
 * runs alone from then on ({@link ChunkQueue#suspect}); when its node dies on its last attempt,
 * the job fails naming it and the nodes it took down, instead of killing node after node.
 */
final class RetryPolicy {

    private final int maxRetries;
    private final Duration retryElsewhereFor;
    private final Duration chunkTimeout;
    private final ChunkQueue queue;
    private final ChunkLedger ledger;
    private final JobMetrics metrics;
    /** Chunks whose node died while they ran, with those nodes, in order. */
    private final Map<Long, List<String>> deathsByChunk = new LinkedHashMap<>();

    /**
     * @param maxRetries        extra attempts a chunk gets before its job fails
     * @param retryElsewhereFor how long a retry waits for a node other than the one it failed on
     * @param chunkTimeout      the job's chunk timeout, named when a chunk overran it too often
     */
    RetryPolicy(int maxRetries, Duration retryElsewhereFor, Duration chunkTimeout, ChunkQueue queue, ChunkLedger ledger,
                JobMetrics metrics) {
        this.maxRetries = maxRetries;
        this.retryElsewhereFor = retryElsewhereFor;
        this.chunkTimeout = chunkTimeout;
        this.queue = queue;
        this.ledger = ledger;
        this.metrics = metrics;
    }

    /** A chunk threw on {@code node}: null when it runs again, else why the job fails. */
    String chunkFailed(long chunk, int attempt, Address node, String error, long nowNanos) {
        metrics.attemptFailed();
        if (attempt >= maxRetries) {
            metrics.failedChunks++;
            return "chunk " + chunk + " failed " + plural(attempt + 1, "time") + "; last error on "
                + NodeAddress.of(node) + ": " + error;
        }
        metrics.retries++;
        queue.retryElsewhere(chunk, attempt + 1, node, nowNanos + retryElsewhereFor.toNanos(), nowNanos);
        return null;
    }

    /**
     * The chunk at {@code position} of an abandoned batch ran past the chunk timeout; the chunks
     * behind it waited, or finished without being reported. Null when they all run again, else
     * why the job fails (and then nothing is queued).
     */
    String overdue(Batch batch, int position, long nowNanos) {
        long stuck = batch.chunkAt(position);
        int attempt = batch.attemptAt(position);
        if (!ledger.isDone(stuck)) {
            metrics.timedOut++;
            if (attempt >= maxRetries) {
                metrics.failedChunks++;
                return "chunk " + stuck + " ran past the chunk timeout of " + format(chunkTimeout) + " on "
                    + plural(attempt + 1, "attempt") + ", the last on " + NodeAddress.of(batch.slot.node());
            }
        }
        for (Chunks c = batch.chunks(); c.next(); ) {
            if (ledger.isDone(c.chunk())) continue;
            metrics.retries++;
            if (c.position() == position) {
                queue.retryElsewhere(c.chunk(), attempt + 1, batch.slot.node(),
                    nowNanos + retryElsewhereFor.toNanos(), nowNanos);
            } else {
                metrics.requeued++;
                queue.requeue(c.chunk(), batch.attemptAt(c.position()), nowNanos);
            }
        }
        return null;
    }

    /**
     * The batch was running (as far as the head can tell) when its node died. Its chunks not done
     * become suspects: each runs again alone, as its next attempt. When the batch held only one
     * such chunk, that chunk alone can have killed the node: the death spends its attempt, and on
     * its last attempt the job fails. (A death shared by several chunks blames none of them; run
     * alone, the culprit is found by its next death.) Null when they all run again, else why the
     * job fails.
     */
    String diedRunning(Batch batch, long nowNanos) {
        String node = NodeAddress.of(batch.slot.node());
        int undone = 0;
        for (Chunks c = batch.chunks(); c.next(); ) {
            if (ledger.isDone(c.chunk())) continue;
            undone++;
            deathsByChunk.computeIfAbsent(c.chunk(), k -> new ArrayList<>(2)).add(node);
        }
        for (Chunks c = batch.chunks(); c.next(); ) {
            if (ledger.isDone(c.chunk())) continue;
            int attempt = batch.attemptAt(c.position());
            if (undone == 1) {
                metrics.attemptFailed();
                if (attempt >= maxRetries) {
                    metrics.failedChunks++;
                    List<String> deaths = deathsByChunk.get(c.chunk());
                    return "chunk " + c.chunk() + " is suspected poison: " + plural(deaths.size(), "node")
                        + " died while running it (" + String.join(", ", deaths) + "); its "
                        + plural(attempt + 1, "attempt") + (attempt == 0 ? " is" : " are") + " spent (max-retries "
                        + maxRetries + ")";
                }
            }
            metrics.retries++;
            metrics.requeued++;
            queue.suspect(c.chunk(), attempt + 1, nowNanos);
        }
        return null;
    }

    /**
     * What the job's end should say of chunks whose nodes died while they ran, or "" when none
     * did: a job that fails for want of workers after its chunks killed them says which.
     */
    String suspectsNote() {
        if (deathsByChunk.isEmpty()) return "";
        Map.Entry<Long, List<String>> worst = null;
        for (Map.Entry<Long, List<String>> e : deathsByChunk.entrySet()) {
            if (worst == null || e.getValue().size() > worst.getValue().size()) worst = e;
        }
        return "; suspected poison: chunk " + worst.getKey() + " was running on " + worst.getValue().size()
            + " node" + (worst.getValue().size() == 1 ? "" : "s") + " that died (" + String.join(", ", worst.getValue())
            + ")" + (deathsByChunk.size() > 1 ? " (" + (deathsByChunk.size() - 1) + " more chunks ran on a node that died)" : "");
    }

    /** A batch lost with its slot or node: its chunks not done run again, each counted as a retry. */
    void lost(Batch batch, long nowNanos) {
        requeueUndone(batch, true, nowNanos);
    }

    /** A batch its slot handed back unrun: its chunks not done run again, as if never sent. */
    void returned(Batch batch, long nowNanos) {
        requeueUndone(batch, false, nowNanos);
    }

    private void requeueUndone(Batch batch, boolean countAsRetry, long nowNanos) {
        for (Chunks c = batch.chunks(); c.next(); ) {
            if (ledger.isDone(c.chunk())) continue;
            queue.requeue(c.chunk(), batch.attemptAt(c.position()), nowNanos);
            if (countAsRetry) {
                metrics.requeued++;
                metrics.retries++;
            }
        }
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
