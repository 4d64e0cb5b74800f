package org.pekkogrid.head;

import org.pekkogrid.workloads.BoundJob;

/**
 * What a job has done that a standby head needs to go on with it: which chunks are folded, the
 * fold so far, and the counts its report carries on. One value, owned by the job's runner, and
 * the only thing of a running job that the job journal keeps ({@link Saved}).
 */
public final class JobProgress {

    /**
     * A checkpoint: the progress as the journal keeps it.
     *
     * @param foldState      the workload's fold so far (CBOR), or null when its folds cannot be
     *                       saved: the job then runs again from its first chunk
     * @param dispatchedUpTo chunks below this had been handed to slots when the checkpoint was taken
     * @param savedAtMillis  wall-clock time of the checkpoint
     */
    public record Saved(ChunkLedger.Saved ledger, byte[] foldState, long items, long retries, long failedItems,
                        long dispatchedUpTo, long savedAtMillis) {}

    private final BoundJob<?, ?, ?, ?> job;
    private final ChunkLedger ledger;
    private final BoundJob<?, ?, ?, ?>.Fold fold;

    private JobProgress(BoundJob<?, ?, ?, ?> job, ChunkLedger ledger, BoundJob<?, ?, ?, ?>.Fold fold) {
        this.job = job;
        this.ledger = ledger;
        this.fold = fold;
    }

    static JobProgress start(BoundJob<?, ?, ?, ?> job) {
        return new JobProgress(job, new ChunkLedger(job.chunks()), job.newFold());
    }

    /**
     * The progress a checkpoint holds; a fresh start when the workload's folds cannot be resumed
     * ({@link #resumable}), since chunks folded without their fold would be lost.
     */
    static JobProgress resume(BoundJob<?, ?, ?, ?> job, Saved saved) {
        if (saved == null || saved.foldState() == null || !job.foldResumes()) return start(job);
        return new JobProgress(job, new ChunkLedger(job.chunks(), saved.ledger()), job.resumeFold(saved.foldState()));
    }

    /** Whether a checkpoint of this job can carry its fold. */
    boolean resumable() {
        return job.foldResumes();
    }

    /** Folds a chunk's result; false when it was folded already (a duplicate), and nothing changes. */
    boolean fold(long chunk, Object result) {
        if (!ledger.markDone(chunk)) return false;
        fold.add(chunk, result);
        return true;
    }

    boolean isDone(long chunk) {
        return ledger.isDone(chunk);
    }

    long done() {
        return ledger.done();
    }

    boolean complete() {
        return ledger.complete();
    }

    ChunkLedger ledger() {
        return ledger;
    }

    BoundJob<?, ?, ?, ?>.Fold fold() {
        return fold;
    }

    /** A checkpoint of this progress, with the report's counts and the queue's frontier. */
    Saved save(long items, long retries, long failedItems, long dispatchedUpTo) {
        byte[] state = job.foldResumes() ? fold.saveState() : null;
        return new Saved(ledger.save(), state, items, retries, failedItems, dispatchedUpTo, System.currentTimeMillis());
    }
}
