package org.pekkogrid.workloads;

/**
 * Folds chunk results into a job's answer on the head. The grid calls {@link #add} exactly
 * once per chunk, in any order: results are deduplicated by chunk index before they get here.
 */
public interface Aggregator<R, A> {

    void add(long chunkIndex, R result);

    A result();
}
