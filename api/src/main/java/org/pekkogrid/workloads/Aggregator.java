package org.pekkogrid.workloads;

/**
 * Folds chunk results into a job's answer on the head. The grid calls {@link #add} exactly
 * once per chunk, in any order: results are deduplicated by chunk index before they get here.
 */
public interface Aggregator<R, A> {

    void add(long chunkIndex, R result);

    A result();

    /**
     * The fold so far, as a value Jackson can write and read back as {@link Workload#foldStateType}
     * (a record, usually), for the job journal: a standby head resumes the job with
     * {@link Workload#resumeAggregator}. Exact, so that the resumed fold ends on the answer an
     * uninterrupted one gives, and small: the head saves it every few seconds, so it holds what
     * the answer needs, never a list that grows with the chunks (a list of the answer's items
     * only with a fixed bound: prime-search lists at most 32 KiB of primes; a longer answer goes
     * to a file, see {@link ItemLinesFile}). A copy, not the live fields.
     */
    default Object state() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot save its partial state");
    }
}
