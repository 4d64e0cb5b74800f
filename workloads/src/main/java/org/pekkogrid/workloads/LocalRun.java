package org.pekkogrid.workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A job run in this JVM with no grid, to set beside the grid's run of it: the single-thread
 * baseline (the workload's own sequential run) and the ceiling (the job's own chunks, run by the
 * workload's own kernel on a plain {@link ForkJoinPool} and folded by its own aggregator). The
 * ceiling is what this machine's cores give without any grid: scheduling, messages, encoding.
 * Files either writes go to a scratch directory, deleted afterwards.
 *
 * @param millis  wall time of the run
 * @param answer  the job's answer, as the grid's fold makes it
 * @param summary the answer in one line
 */
public record LocalRun(double millis, Object answer, String summary) {

    /** The workload's sequential run over the whole input, on this thread. */
    public static LocalRun sequential(BoundJob<?, ?, ?, ?> job) throws Exception {
        Path scratch = Files.createTempDirectory("grid-baseline-");
        try {
            long start = System.nanoTime();
            Object answer = job.runSequential(scratch);
            return new LocalRun((System.nanoTime() - start) / 1e6, answer, job.summarize(answer));
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * The job's chunks on every thread of {@code pool}, each thread taking the next chunk as it
     * finishes one (as the grid's slots pull), the results folded as they come.
     */
    public static LocalRun ceiling(BoundJob<?, ?, ?, ?> bound, ForkJoinPool pool) throws Exception {
        Path scratch = Files.createTempDirectory("grid-ceiling-");
        try {
            BoundJob<?, ?, ?, ?> job = bound.inScratch(scratch);
            BoundJob<?, ?, ?, ?>.Fold fold = job.newFold();
            AtomicLong next = new AtomicLong();
            long start = System.nanoTime();
            List<Future<Void>> threads = new ArrayList<>();
            for (int t = 0; t < pool.getParallelism(); t++) {
                threads.add(pool.submit(() -> {
                    for (long i = next.getAndIncrement(); i < job.chunks(); i = next.getAndIncrement()) {
                        Object result = job.runChunk(i, new LocalChunkContext(i, 0));
                        synchronized (fold) {
                            fold.add(i, result);
                        }
                    }
                    return null;
                }));
            }
            try {
                for (Future<Void> f : threads) f.get();
            } catch (ExecutionException e) {
                next.set(job.chunks());  // the other threads stop after their current chunk
                if (e.getCause() instanceof Exception cause) throw cause;
                throw e;
            }
            Object answer;
            synchronized (fold) {
                answer = fold.answer();
            }
            return new LocalRun((System.nanoTime() - start) / 1e6, answer, job.summarize(answer));
        } finally {
            deleteTree(scratch);
        }
    }

    /** A pool of one thread per processor of this JVM: the ceiling's. */
    public static ForkJoinPool ceilingPool() {
        return new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    }

    /** Deletes a directory and all it holds; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
