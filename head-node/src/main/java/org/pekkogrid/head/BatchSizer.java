package org.pekkogrid.head;

/**
 * Sizes batches from what chunks of this job have cost so far: about {@code targetBatch} of
 * work per batch, results well under a frame, and never so large that the tail of the job
 * leaves slots idle. Until the first result arrives, batches hold one chunk.
 */
final class BatchSizer {

    private static final double WEIGHT = 0.3;

    private final long targetBatchNanos;
    private final int maxBatchChunks;
    private final long resultBytesPerBatch;
    private double chunkNanos = -1;
    private double resultBytesPerChunk = -1;

    BatchSizer(long targetBatchNanos, int maxBatchChunks, long resultBytesPerBatch) {
        this.targetBatchNanos = targetBatchNanos;
        this.maxBatchChunks = maxBatchChunks;
        this.resultBytesPerBatch = resultBytesPerBatch;
    }

    void observe(int chunks, long runNanos, int resultBytes) {
        if (chunks == 0) return;
        double perChunk = (double) runNanos / chunks;
        chunkNanos = chunkNanos < 0 ? perChunk : chunkNanos + WEIGHT * (perChunk - chunkNanos);
        double bytes = (double) resultBytes / chunks;
        resultBytesPerChunk = resultBytesPerChunk < 0 ? bytes : resultBytesPerChunk + WEIGHT * (bytes - resultBytesPerChunk);
    }

    /** Estimated run time of one chunk, or -1 before any result. */
    double chunkNanos() {
        return chunkNanos;
    }

    int next(long undispatched, int eligibleSlots) {
        if (chunkNanos < 0) return 1;
        double size = Math.min(maxBatchChunks, targetBatchNanos / Math.max(chunkNanos, 1.0));
        if (resultBytesPerChunk > 0) size = Math.min(size, resultBytesPerBatch / resultBytesPerChunk);
        double tail = Math.ceil(undispatched / (2.0 * Math.max(1, eligibleSlots)));
        return (int) Math.max(1, Math.min(size, tail));
    }
}
