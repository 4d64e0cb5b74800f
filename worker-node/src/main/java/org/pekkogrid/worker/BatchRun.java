package org.pekkogrid.worker;

import java.util.ArrayList;
import java.util.List;
import org.pekkogrid.protocol.RunnerCommand.ChunkError;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.pekkogrid.protocol.RunnerCommand.ItemFailure;
import org.pekkogrid.protocol.SlotCommand.RunChunks;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.ChunkContext;

/**
 * Runs one batch on a compute thread, chunk after chunk. The slot actor reads {@link #position()}
 * and {@link #chunkStartedNanos()} from its own thread to notice a chunk past its timeout.
 */
final class BatchRun {

    /** Longest error text sent back per chunk: enough for the exception and where it came from. */
    private static final int MAX_ERROR_CHARS = 2000;

    final RunChunks batch;
    final long receivedNanos;
    private final String slotId;
    private final JobBindings bindings;
    private volatile int position = -1;
    private volatile long chunkStartedNanos;

    BatchRun(RunChunks batch, long receivedNanos, String slotId, JobBindings bindings) {
        this.batch = batch;
        this.receivedNanos = receivedNanos;
        this.slotId = slotId;
        this.bindings = bindings;
    }

    int position() {
        return position;
    }

    long chunkStartedNanos() {
        return chunkStartedNanos;
    }

    ChunkResults run() {
        long startNanos = System.nanoTime();
        int size = batch.size();
        long[] runNanos = new long[size];
        long[] items = null;
        List<ChunkError> errors = new ArrayList<>(0);
        List<ItemFailure> itemFailures = new ArrayList<>(0);
        BoundJob<?, ?, ?, ?> job;
        try {
            job = bindings.bind(batch.job());
        } catch (RuntimeException | LinkageError e) {
            String why = "cannot run " + batch.job().workload() + " on this node: " + describe(e);
            forEachChunk((k, index, attempt) -> errors.add(new ChunkError(index, attempt, why)));
            return new ChunkResults(batch.batchId(), slotId, startNanos - receivedNanos, runNanos, null,
                errors, itemFailures, new long[0], 0);
        }
        Object[] shipped = null;
        if (batch.chunkData() != null) {
            try {
                shipped = job.decodeChunks(batch.chunkData());
                if (shipped.length != size) throw new IllegalStateException(shipped.length + " chunks for " + size + " indices");
            } catch (RuntimeException e) {
                String why = "cannot read the chunks the head sent: " + describe(e);
                forEachChunk((k, index, attempt) -> errors.add(new ChunkError(index, attempt, why)));
                return new ChunkResults(batch.batchId(), slotId, startNanos - receivedNanos, runNanos, null,
                    errors, itemFailures, new long[0], 0);
            }
        }
        Object[] results = job.hasResults() ? new Object[size] : null;
        int k = 0;
        long[] ranges = batch.ranges();
        int[] attempts = batch.attempts();
        for (int r = 0; r < ranges.length; r += 2) {
            long end = ranges[r] + ranges[r + 1];
            for (long index = ranges[r]; index < end; index++, k++) {
                int attempt = attempts.length == 0 ? 0 : attempts[k];
                Context ctx = new Context(index, attempt, itemFailures);
                int failuresBefore = itemFailures.size();
                long t0 = System.nanoTime();
                chunkStartedNanos = t0;
                position = k;
                try {
                    Object result = shipped == null ? job.runChunk(index, ctx) : job.runTravelledChunk(shipped[k], ctx);
                    if (results != null) results[k] = result;
                } catch (Throwable e) {
                    if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError || e instanceof StackOverflowError)) {
                        throw (VirtualMachineError) e;
                    }
                    if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                    // The chunk will be retried whole; its item failures are reported by the attempt that finishes.
                    itemFailures.subList(failuresBefore, itemFailures.size()).clear();
                    errors.add(new ChunkError(index, attempt, describe(e)));
                }
                runNanos[k] = System.nanoTime() - t0;
                if (ctx.items >= 0) {
                    if (items == null) {
                        items = new long[size];
                        java.util.Arrays.fill(items, 1);
                    }
                    items[k] = ctx.items;
                }
            }
        }
        byte[] encoded;
        try {
            encoded = results == null ? null : job.encodeResults(results);
        } catch (RuntimeException e) {
            // A result the codec cannot write fails every chunk of the batch, visibly.
            String why = "cannot encode results: " + describe(e);
            errors.clear();
            forEachChunk((pos, index, attempt) -> errors.add(new ChunkError(index, attempt, why)));
            encoded = null;
        }
        return new ChunkResults(batch.batchId(), slotId, startNanos - receivedNanos, runNanos, encoded, errors,
            itemFailures, items == null ? new long[0] : items, 0);
    }

    private interface ChunkVisitor {
        void visit(int position, long index, int attempt);
    }

    private void forEachChunk(ChunkVisitor visitor) {
        long[] ranges = batch.ranges();
        int[] attempts = batch.attempts();
        int k = 0;
        for (int r = 0; r < ranges.length; r += 2) {
            for (long index = ranges[r]; index < ranges[r] + ranges[r + 1]; index++, k++) {
                visitor.visit(k, index, attempts.length == 0 ? 0 : attempts[k]);
            }
        }
    }

    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getName());
        if (e.getMessage() != null) b.append(": ").append(e.getMessage());
        StackTraceElement[] trace = e.getStackTrace();
        if (trace.length > 0) b.append(" (at ").append(trace[0]).append(')');
        if (e.getCause() != null && e.getCause() != e) {
            b.append("; caused by ").append(e.getCause().getClass().getName());
            if (e.getCause().getMessage() != null) b.append(": ").append(e.getCause().getMessage());
        }
        return b.length() > MAX_ERROR_CHARS ? b.substring(0, MAX_ERROR_CHARS) + "..." : b.toString();
    }

    private static final class Context implements ChunkContext {
        private final long index;
        private final int attempt;
        private final List<ItemFailure> failures;
        long items = -1;

        Context(long index, int attempt, List<ItemFailure> failures) {
            this.index = index;
            this.attempt = attempt;
            this.failures = failures;
        }

        @Override
        public long chunkIndex() {
            return index;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public void items(long count) {
            items = count;
        }

        @Override
        public void itemFailed(String item, String reason) {
            failures.add(new ItemFailure(index, item, reason));
        }
    }
}
