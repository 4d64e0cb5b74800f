package org.pekkogrid.workloads;

import java.util.function.Function;

/** A job's chunk plan with random access: chunk {@code i} is computed, not stored. */
public interface ChunkSource<C> {

    long count();

    C chunk(long index);

    /** Chunks 0 .. count-1, each its own index: for workloads whose chunk is just its number. */
    static ChunkSource<Long> indices(long count) {
        if (count < 1) throw new IllegalArgumentException("chunks must be at least 1, got " + count);
        return new ChunkSource<>() {
            @Override
            public long count() {
                return count;
            }

            @Override
            public Long chunk(long index) {
                return index;
            }
        };
    }

    /** The same plan with each chunk turned into another description. */
    default <D> ChunkSource<D> map(Function<? super C, ? extends D> f) {
        ChunkSource<C> self = this;
        return new ChunkSource<>() {
            @Override
            public long count() {
                return self.count();
            }

            @Override
            public D chunk(long index) {
                return f.apply(self.chunk(index));
            }
        };
    }
}
