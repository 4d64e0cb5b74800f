package org.pekkogrid.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalRun;

/**
 * The single-thread baseline of a job: the workload's own sequential run, same kernel, no grid,
 * in this JVM. Files it writes go to a scratch directory deleted afterwards.
 *
 * @param summary the answer in one line, to set beside the grid's
 */
record SequentialRun(double millis, String summary) {

    static SequentialRun of(String workload, Map<String, String> params) throws Exception {
        LocalRun run = LocalRun.sequential(BoundJob.bind(workload, params, 0, Long.MAX_VALUE));
        return new SequentialRun(run.millis(), run.summary());
    }

    /**
     * Warms the kernel up ({@link #warmUp}),
     * then runs the baseline {@code --repeat} times, telling {@code onRun} each run's number and time.
     *
     * @return the median time, ms
     */
    static double repeated(BenchContext context, String workload, Map<String, String> params,
                           Map<String, String> warmUpParams, java.util.function.ObjIntConsumer<SequentialRun> onRun)
            throws Exception {
        context.note("sequential baseline: warming up");
        warmUp(context, workload, warmUpParams);
        java.util.List<Double> millis = new java.util.ArrayList<>();
        for (int run = 1; run <= context.repeat(); run++) {
            SequentialRun s = of(workload, params);
            millis.add(s.millis());
            onRun.accept(s, run);
            context.step("sequential run " + run + ": " + Figures.millis(s.millis()) + " ms");
        }
        return Spread.of(millis).median();
    }

    /**
     * Runs the kernel at a small size at least three times, and for about a second without --quick:
     * one run leaves the JIT mid-way (a CI run once saw a stats baseline at 2.3x its warm time).
     */
    static void warmUp(BenchContext context, String workload, Map<String, String> warmUpParams) throws Exception {
        long until = System.nanoTime() + (context.quick() ? 0 : 1_000_000_000L);
        for (int runs = 0; runs < 3 || System.nanoTime() < until; runs++) of(workload, warmUpParams);
    }

    static void deleteTree(Path dir) throws IOException {
        LocalRun.deleteTree(dir);
    }
}
