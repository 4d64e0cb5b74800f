package org.pekkogrid.workloads;

/** What a running chunk may know and report besides its result. */
public interface ChunkContext {

    long chunkIndex();

    /** 0 for the first attempt, then 1, 2 ... */
    int attempt();

    /** Counts the items this chunk processed, for items/s (a chunk is one item unless it says). */
    void items(long count);

    /** One item failed (a corrupt image, say); the chunk goes on and the job counts it. */
    void itemFailed(String item, String reason);

    /** A context for running a chunk outside the grid: tests and sequential baselines. */
    static LocalChunkContext local(long index) {
        return new LocalChunkContext(index, 0);
    }
}
