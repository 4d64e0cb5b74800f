package org.pekkogrid.workloads;

/**
 * The fold of workloads whose chunks return nothing, and its saved state: the answer is how
 * many chunks were folded.
 */
public record ChunkCount(long chunks) {

    public static <R> Aggregator<R, Long> fold(ChunkCount from) {
        return new ValueFold<>(from, (count, nothing) -> new ChunkCount(count.chunks() + 1), ChunkCount::chunks);
    }
}
