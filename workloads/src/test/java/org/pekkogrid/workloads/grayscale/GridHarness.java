package org.pekkogrid.workloads.grayscale;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalChunkContext;

/**
 * Runs a job the way the grid does, without actors: a head and a worker node each bind and
 * split the job for themselves, the worker runs chunks on two threads sharing its split, the
 * results cross the wire in CBOR batches, and the head folds them in an order that is not the
 * chunks' order.
 */
final class GridHarness {

    static final long MAX_CHUNKS = 100_000_000;
    private static final int BATCH = 3;

    record Run(Summary answer, List<LocalChunkContext.Failure> failures, long items) {}

    private record Done(long index, Object result, LocalChunkContext ctx) {}

    private GridHarness() {}

    static Run run(Map<String, String> params, long chunks) throws Exception {
        BoundJob<?, ?, ?, ?> head = BoundJob.bind("grayscale", params, chunks, MAX_CHUNKS);
        BoundJob<?, ?, ?, ?> worker = BoundJob.bind("grayscale", params, chunks, MAX_CHUNKS);
        ExecutorService slots = Executors.newFixedThreadPool(2);
        List<Done> done = new ArrayList<>();
        try {
            List<Future<Done>> running = new ArrayList<>();
            for (long i = 0; i < worker.chunks(); i++) {
                long index = i;
                running.add(slots.submit(() -> {
                    LocalChunkContext ctx = new LocalChunkContext(index, 0);
                    return new Done(index, worker.runChunk(index, ctx), ctx);
                }));
            }
            for (Future<Done> f : running) done.add(f.get(60, TimeUnit.SECONDS));
        } finally {
            slots.shutdownNow();
        }
        Collections.reverse(done);
        var fold = head.newFold();
        List<LocalChunkContext.Failure> failures = new ArrayList<>();
        long items = 0;
        for (int from = 0; from < done.size(); from += BATCH) {
            List<Done> batch = done.subList(from, Math.min(done.size(), from + BATCH));
            // The codec refuses a plain Object[] ("declared root type"): a batch is an R[].
            byte[] wire = worker.encodeResults(batch.stream().map(Done::result).toArray(ChunkOutcome[]::new));
            Object[] decoded = head.decodeResults(wire);
            for (int k = 0; k < batch.size(); k++) {
                fold.add(batch.get(k).index(), decoded[k]);
                failures.addAll(batch.get(k).ctx().failures());
                items += batch.get(k).ctx().itemCount();
            }
        }
        return new Run((Summary) fold.answer(), failures, items);
    }

    static Summary runSequential(Map<String, String> params) throws Exception {
        return (Summary) BoundJob.bind("grayscale", params, 1, MAX_CHUNKS).runSequential(java.nio.file.Path.of(params.get("output")));
    }
}
