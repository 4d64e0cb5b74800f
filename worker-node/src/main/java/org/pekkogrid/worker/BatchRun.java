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
 * Runs one batch on a compute thread, chunk after chunk. The slot actor watches it from its own
 * thread: {@link #runningChunk()} to notice a chunk past its timeout, {@link #interrupt} to stop
 * that chunk. What both threads touch is guarded by this object's lock, so that an interrupt
 * meant for one chunk can never reach a later one.
 */
final class BatchRun {

    /** The chunk running now: its position in the batch, and when it started ({@link System#nanoTime}). */
    record RunningChunk(int position, long startedNanos) {}

    /** Longest error text sent back per chunk: enough for the exception and where it came from. */
    private static final int MAX_ERROR_CHARS = 2000;

    final RunChunks batch;
    final long receivedNanos;
    private final String slotId;
    private final JobBindings bindings;
    // Guarded by this.
    private Thread thread;
    private int position = -1;
    private long chunkStartedNanos;
    private int interruptedAt = -1;
    private boolean finished;

    BatchRun(RunChunks batch, long receivedNanos, String slotId, JobBindings bindings) {
        this.batch = batch;
        this.receivedNanos = receivedNanos;
        this.slotId = slotId;
        this.bindings = bindings;
    }

    /** The chunk running now; null before, between and after the chunks. */
    synchronized RunningChunk runningChunk() {
        return position < 0 ? null : new RunningChunk(position, chunkStartedNanos);
    }

    /**
     * Interrupts the thread while it runs the chunk at {@code chunkPosition}, and lets no later
     * chunk of the batch start: the head runs them elsewhere. False when that chunk is no longer
     * running.
     */
    synchronized boolean interrupt(int chunkPosition) {
        if (chunkPosition < 0 || position != chunkPosition) return false;
        interruptedAt = chunkPosition;
        thread.interrupt();
        return true;
    }

    /** Whether {@link #run} has returned (or thrown). */
    synchronized boolean finished() {
        return finished;
    }

    /** The running thread's name and its top stack frames, for the log. */
    synchronized String threadAndStack(int frames) {
        if (thread == null) return "(no thread: the batch is not running)";
        StringBuilder b = new StringBuilder(thread.getName()).append(" (").append(thread.getState()).append(')');
        StackTraceElement[] stack = thread.getStackTrace();
        for (int i = 0; i < Math.min(frames, stack.length); i++) b.append("\n\tat ").append(stack[i]);
        if (stack.length > frames) b.append("\n\t... ").append(stack.length - frames).append(" more");
        return b.toString();
    }

    /** The chunk at {@code position}, with its batch and job, for people. */
    String describeChunk(int position) {
        long[] chunk = {-1};
        forEachChunk((k, index, attempt) -> {
            if (k == position) chunk[0] = index;
        });
        return "chunk " + chunk[0] + " (position " + position + " of batch " + batch.batchId() + ") of job "
            + batch.job().jobId() + " (" + batch.job().workload() + ")";
    }

    /** Runs the batch on this thread. */
    ChunkResults run() {
        synchronized (this) {
            thread = Thread.currentThread();
        }
        try {
            return runChunks();
        } finally {
            synchronized (this) {
                finished = true;
                position = -1;
                thread = null;
            }
        }
    }

    /** False when the batch was interrupted: no further chunk starts. */
    private synchronized boolean chunkStarts(int k, long startedNanos) {
        if (interruptedAt >= 0) return false;
        position = k;
        chunkStartedNanos = startedNanos;
        return true;
    }

    private synchronized void chunkEnded(int k) {
        position = -1;
        // The interrupt was for this chunk only: whether the chunk saw it or not, it goes no further.
        if (interruptedAt == k) Thread.interrupted();
    }

    private ChunkResults runChunks() {
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
            return new ChunkResults(batch.batchId(), batch.token(), slotId, startNanos - receivedNanos, runNanos, null,
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
                return new ChunkResults(batch.batchId(), batch.token(), slotId, startNanos - receivedNanos, runNanos, null,
                    errors, itemFailures, new long[0], 0);
            }
        }
        Object[] results = job.hasResults() ? new Object[size] : null;
        int k = 0;
        long[] ranges = batch.ranges();
        int[] attempts = batch.attempts();
        chunks:
        for (int r = 0; r < ranges.length; r += 2) {
            long end = ranges[r] + ranges[r + 1];
            for (long index = ranges[r]; index < end; index++, k++) {
                int attempt = attempts.length == 0 ? 0 : attempts[k];
                Context ctx = new Context(index, attempt, itemFailures);
                int failuresBefore = itemFailures.size();
                long t0 = System.nanoTime();
                if (!chunkStarts(k, t0)) break chunks;
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
                chunkEnded(k);
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
        return new ChunkResults(batch.batchId(), batch.token(), slotId, startNanos - receivedNanos, runNanos, encoded, errors,
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
