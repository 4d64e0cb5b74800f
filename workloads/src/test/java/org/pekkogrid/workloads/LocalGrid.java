package org.pekkogrid.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a job the way the grid does, in one JVM: chunks derived from their index on worker
 * threads, results encoded in batches with the wire codec and decoded again, and folded on the
 * "head" once per chunk in a shuffled order.
 */
public final class LocalGrid {

    /** Artery's frame for a batch of results; one chunk's result must stay well below it. */
    public static final int MAX_CHUNK_RESULT_BYTES = 256 * 1024;
    private static final int BATCH = 16;

    private LocalGrid() {}

    /** Binds the job (throws what the head would at submit), runs it and returns the answer. */
    public static Object run(String workload, Map<String, String> params, long chunks) throws Exception {
        return run(BoundJob.bind(workload, params, chunks, 100_000_000));
    }

    public static Object run(BoundJob<?, ?, ?, ?> job) throws Exception {
        int chunks = Math.toIntExact(job.chunks());
        int threads = Math.min(chunks, Runtime.getRuntime().availableProcessors());
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        Object[] results = new Object[chunks];
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < chunks; i++) {
                int index = i;
                running.add(workers.submit(() -> {
                    results[index] = job.runChunk(index, ChunkContext.local(index));
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } finally {
            workers.shutdownNow();
        }
        var fold = job.newFold();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < chunks; i++) order.add(i);
        Collections.shuffle(order, new Random(chunks));
        for (int from = 0; from < chunks; from += BATCH) {
            int to = Math.min(chunks, from + BATCH);
            Object[] batch = typedArray(job, to - from);
            for (int k = from; k < to; k++) {
                int index = order.get(k);
                batch[k - from] = results[index];
                Object[] single = typedArray(job, 1);
                single[0] = results[index];
                byte[] one = job.encodeResults(single);
                assertTrue(one.length < MAX_CHUNK_RESULT_BYTES,
                    "chunk " + index + "'s result takes " + one.length + " bytes on the wire");
            }
            Object[] decoded = job.decodeResults(job.encodeResults(batch));
            assertEquals(batch.length, decoded.length);
            for (int k = from; k < to; k++) fold.add(order.get(k), decoded[k - from]);
        }
        return fold.answer();
    }

    /**
     * The codec writes arrays of the declared result type: a plain {@code Object[]} is refused
     * ("Incompatible types: declared root type"), so a batch must be built as {@code R[]}.
     */
    private static Object[] typedArray(BoundJob<?, ?, ?, ?> job, int length) {
        return (Object[]) Array.newInstance(job.workload().resultType(), length);
    }
}
