package org.pekkogrid.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalChunkContext;
import org.pekkogrid.workloads.Workload;
import org.pekkogrid.workloads.Workloads;

/**
 * Runs the kernel of every workload that asks for it ({@link Workload#warmUpParams}) on a small
 * job for a while, so that the JIT has compiled it before the first real chunk arrives and the
 * first chunks are not billed for compilation. Workloads that do not ask are not run.
 */
public final class WarmUp {

    private static final long WARM_UP_CHUNKS = 1024;

    private WarmUp() {}

    /** Warms the workloads that ask for it in parallel on the executor; completes when all are done. */
    public static CompletableFuture<Void> all(Executor executor, Duration budgetPerWorkload) {
        if (budgetPerWorkload.isZero() || budgetPerWorkload.isNegative()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (Workload<?, ?, ?, ?> w : Workloads.all()) {
            runs.add(CompletableFuture.runAsync(() -> one(w.name(), budgetPerWorkload), executor));
        }
        return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new));
    }

    /**
     * Warms one workload on this thread, if it asks for it; a workload whose warm-up fails is left
     * cold, not fatal.
     */
    public static void one(String workload, Duration budget) {
        Workload<?, ?, ?, ?> w = Workloads.find(workload);
        if (w.warmUpParams() == null) return;
        BoundJob<?, ?, ?, ?> job;
        try {
            job = BoundJob.bind(workload, w.warmUpParams(), WARM_UP_CHUNKS, Long.MAX_VALUE);
        } catch (IllegalArgumentException tooManyChunks) {
            try {
                job = BoundJob.bind(workload, w.warmUpParams(), 0, Long.MAX_VALUE);
            } catch (RuntimeException e) {
                return;  // e.g. a workload whose warm-up needs inputs this node lacks
            }
        } catch (RuntimeException e) {
            return;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        try {
            do {
                BoundJob<?, ?, ?, ?>.Fold fold = job.newFold();
                int batch = 64;
                Object[] results = new Object[batch];
                for (long start = 0; start < job.chunks(); start += batch) {
                    int n = (int) Math.min(batch, job.chunks() - start);
                    for (int k = 0; k < n; k++) {
                        results[k] = job.runChunk(start + k, new LocalChunkContext(start + k, 0));
                    }
                    Object[] decoded = job.decodeResults(job.encodeResults(results));
                    for (int k = 0; k < n; k++) fold.add(start + k, decoded == null ? null : decoded[k]);
                    if (System.nanoTime() > deadline) break;
                }
                fold.answerJson();
            } while (System.nanoTime() < deadline);
        } catch (Exception e) {
            // Warm-up is best effort: a kernel that fails here will fail visibly on real chunks.
        }
    }
}
