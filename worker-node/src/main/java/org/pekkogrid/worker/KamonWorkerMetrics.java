package org.pekkogrid.worker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.tag.TagSet;

/**
 * A worker node's metrics as Kamon instruments, tagged with the node ({@code host:port}: one JVM
 * may run several nodes, and Kamon is one per JVM) and, for chunks, the workload. Prometheus
 * names: {@code grid_worker_chunks_total{outcome="ok"|"failed"}},
 * {@code grid_worker_chunk_run_time_seconds}, {@code grid_worker_slots},
 * {@code grid_worker_slots_busy}, {@code grid_worker_batches_queued} and
 * {@code grid_worker_stuck_threads}. Slots run on several
 * threads: instruments are thread-safe, and the per-workload ones are cached.
 * Create it after Kamon started: stopping Kamon drops every instrument.
 */
public final class KamonWorkerMetrics implements WorkerMetrics {

    private record ChunkInstruments(Counter ok, Counter failed, Histogram runTime) {}

    private final TagSet node;
    private final Gauge slots;
    private final Gauge busy;
    private final Gauge queued;
    private final Gauge stuck;
    private final ConcurrentMap<String, ChunkInstruments> byWorkload = new ConcurrentHashMap<>();

    public KamonWorkerMetrics(String nodeAddress) {
        this.node = TagSet.of("node", nodeAddress);
        this.slots = Kamon.gauge("grid.worker.slots", "Worker slots running on this node").withTags(node);
        this.busy = Kamon.gauge("grid.worker.slots.busy", "Slots running a batch now").withTags(node);
        this.queued = Kamon.gauge("grid.worker.batches.queued", "Batches waiting in this node's slots").withTags(node);
        this.stuck = Kamon.gauge("grid.worker.stuck-threads",
            "Compute threads stuck in chunks that ignored their interrupt; the node exits when they outnumber its cores")
            .withTags(node);
    }

    @Override
    public void stuckThreads(int threads) {
        stuck.update(threads);
    }

    @Override
    public void batchRan(String workload, long[] runNanos, int failed) {
        ChunkInstruments c = byWorkload.computeIfAbsent(workload, this::instruments);
        for (long nanos : runNanos) c.runTime().record(Math.max(0, nanos));
        if (runNanos.length - failed > 0) c.ok().increment(runNanos.length - failed);
        if (failed > 0) c.failed().increment(failed);
    }

    private ChunkInstruments instruments(String workload) {
        TagSet tags = node.withTag("workload", workload);
        String chunks = "Chunks run on this node, by outcome";
        return new ChunkInstruments(
            Kamon.counter("grid.worker.chunks", chunks).withTags(tags.withTag("outcome", "ok")),
            Kamon.counter("grid.worker.chunks", chunks).withTags(tags.withTag("outcome", "failed")),
            Kamon.histogram("grid.worker.chunk.run-time", "Run time of one chunk on its slot",
                MeasurementUnit.time().nanoseconds()).withTags(tags));
    }

    @Override
    public SlotLoad slotStarted() {
        slots.increment();
        return new Load();
    }

    /** Gauges are node totals: each slot adds what changed in its own share. */
    private final class Load implements SlotLoad {
        private int queuedShown;
        private boolean busyShown;
        private boolean closed;

        @Override
        public void update(int queuedBatches, boolean isBusy) {
            if (closed) return;
            if (queuedBatches != queuedShown) queued.increment(queuedBatches - queuedShown);
            if (isBusy != busyShown) {
                if (isBusy) busy.increment();
                else busy.decrement();
            }
            queuedShown = queuedBatches;
            busyShown = isBusy;
        }

        @Override
        public void close() {
            update(0, false);
            if (!closed) slots.decrement();
            closed = true;
        }
    }
}
