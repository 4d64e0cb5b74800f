package org.pekkogrid.head;

import com.fasterxml.jackson.databind.JsonNode;
import org.pekkogrid.workloads.BoundJob;

/**
 * What a job has done that a standby head needs to go on with it. It is kept in two halves, each
 * with one owner, and joined in a checkpoint ({@link Saved}), the only thing of a running job
 * that the job journal keeps:
 * <ul>
 *   <li>which chunks are folded: a {@link ChunkLedger}, owned by the job's runner, whose
 *       dispatch and retry decisions need it at once;</li>
 *   <li>the workload's fold so far: an instance of this class, owned by the job's
 *       {@link JobFolder}, which decodes and folds results off the dispatcher that carries the
 *       grid's messages.</li>
 * </ul>
 * The runner marks a chunk done in its ledger and then sends the chunk's result to the folder;
 * a checkpoint's ledger snapshot, taken with the report's counts at one moment, follows down the
 * same ordered channel. The folder adds its fold when the snapshot arrives, so a {@link Saved}
 * holds the fold of exactly the chunks its ledger holds. Both halves start from one rule
 * ({@link #resumes}), so a resumed job's ledger and fold agree too.
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
    private final BoundJob<?, ?, ?, ?>.Fold fold;

    private JobProgress(BoundJob<?, ?, ?, ?> job, BoundJob<?, ?, ?, ?>.Fold fold) {
        this.job = job;
        this.fold = fold;
    }

    /**
     * Whether a job goes on from this checkpoint: there is one, with a fold the workload can
     * resume. Otherwise it starts again from its first chunk, since chunks folded without their
     * fold would be lost.
     */
    static boolean resumes(BoundJob<?, ?, ?, ?> job, Saved saved) {
        return saved != null && saved.foldState() != null && job.foldResumes();
    }

    /** The runner's half: the ledger a job starts from, the checkpoint's when it {@link #resumes}. */
    static ChunkLedger ledger(BoundJob<?, ?, ?, ?> job, Saved saved) {
        return resumes(job, saved) ? new ChunkLedger(job.chunks(), saved.ledger()) : new ChunkLedger(job.chunks());
    }

    /** The folder's half of a new job: an empty fold. */
    static JobProgress start(BoundJob<?, ?, ?, ?> job) {
        return new JobProgress(job, job.newFold());
    }

    /**
     * The folder's half of a job that goes on from a checkpoint (null: none was taken): the
     * saved fold when the job {@link #resumes}, else an empty one. Decoding a saved fold can
     * take a while; damaged bytes throw (see {@link BoundJob#resumeFold}).
     */
    static JobProgress resume(BoundJob<?, ?, ?, ?> job, Saved saved) {
        return resumes(job, saved) ? new JobProgress(job, job.resumeFold(saved.foldState())) : start(job);
    }

    /** Whether a checkpoint of this job can carry its fold. */
    boolean resumable() {
        return job.foldResumes();
    }

    /** Folds one chunk's result; the runner's ledger decided it is folded this once. */
    void add(long chunk, Object result) {
        fold.add(chunk, result);
    }

    JsonNode answerJson() {
        return fold.answerJson();
    }

    String summary() {
        return fold.summary();
    }

    /** A checkpoint of the fold as it is now, joined with the runner's ledger and counts of the same moment. */
    Saved save(ChunkLedger.Saved ledger, long items, long retries, long failedItems, long dispatchedUpTo) {
        return new Saved(ledger, fold.saveState(), items, retries, failedItems, dispatchedUpTo,
            System.currentTimeMillis());
    }
}
