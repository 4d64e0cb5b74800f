package org.pekkogrid.worker;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Repeats a round of kernel warm-up until the JIT compiled nothing during a round, or a cap is
 * reached. A time budget alone is not enough: while a node starts, the JIT's queue is long (Pekko,
 * the cluster, every workload's warm-up), HotSpot raises its thresholds for the optimising
 * compiler with that queue, and a kernel left in its profiling tier ran a 2e9-term leibniz-pi job,
 * the worker's first, at its slow speed until the optimised code came during that job.
 */
final class JitSettle {

    private final LongSupplier compileMillis;
    private final Duration cap;

    JitSettle(LongSupplier compileMillis, Duration cap) {
        this.compileMillis = compileMillis;
        this.cap = cap;
    }

    /** The JVM's own count of time spent compiling; null when this JVM does not keep it. */
    static LongSupplier jvmCompileMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return null;
        return jit::getTotalCompilationTime;
    }

    /**
     * Runs rounds (each started by {@code round}, none blocking a thread while another runs) until
     * one saw no compilation end, or the cap passed; completes with the number of rounds run.
     */
    CompletableFuture<Integer> run(Supplier<CompletableFuture<Void>> round) {
        return next(round, System.nanoTime() + cap.toNanos(), 0);
    }

    private CompletableFuture<Integer> next(Supplier<CompletableFuture<Void>> round, long deadline, int done) {
        if (System.nanoTime() >= deadline) return CompletableFuture.completedFuture(done);
        long before = compileMillis.getAsLong();
        return round.get().thenCompose(v -> compileMillis.getAsLong() == before
            ? CompletableFuture.completedFuture(done + 1)
            : next(round, deadline, done + 1));
    }
}
