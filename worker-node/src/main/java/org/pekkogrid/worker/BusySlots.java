package org.pekkogrid.worker;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's slots running a batch now, counted as the slots tell their metrics, whatever those
 * metrics are (Prometheus or none): the node's sampler reports the count with its CPU and memory,
 * for the head's dashboard. Everything goes on to the metrics it wraps.
 */
final class BusySlots implements WorkerMetrics {

    private final WorkerMetrics metrics;
    private final AtomicInteger busy = new AtomicInteger();

    BusySlots(WorkerMetrics metrics) {
        this.metrics = metrics;
    }

    int now() {
        return busy.get();
    }

    @Override
    public void batchRan(String workload, long[] runNanos, int failed) {
        metrics.batchRan(workload, runNanos, failed);
    }

    @Override
    public void stuckThreads(int threads) {
        metrics.stuckThreads(threads);
    }

    @Override
    public SlotLoad slotStarted() {
        SlotLoad inner = metrics.slotStarted();
        return new SlotLoad() {
            private boolean shown;
            private boolean closed;

            @Override
            public void update(int queuedBatches, boolean isBusy) {
                if (closed) return;
                if (isBusy != shown) busy.addAndGet(isBusy ? 1 : -1);
                shown = isBusy;
                inner.update(queuedBatches, isBusy);
            }

            @Override
            public void close() {
                if (closed) return;
                update(0, false);
                closed = true;
                inner.close();
            }
        };
    }
}
