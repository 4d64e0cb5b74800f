package org.pekkogrid.workloads;

import java.util.function.Function;
import java.util.function.LongFunction;

/** A job's chunk plan with random access: chunk {@code i} is computed, not stored. */
public interface ChunkSource<C> {

    long count();

    C chunk(long index);

    /** {@code count} chunks, chunk {@code i} being {@code chunk.apply(i)}. */
    static <C> ChunkSource<C> of(long count, LongFunction<C> chunk) {
        return new ChunkSource<>() {
            @Override
            public long count() {
                return count;
            }

            @Override
            public C chunk(long index) {
                return chunk.apply(index);
            }
        };
    }

    /** Chunks 0 .. count-1, each its own index: for workloads whose chunk is just its number. */
    static ChunkSource<Long> indices(long count) {
        if (count < 1) throw new IllegalArgumentException("chunks must be at least 1, got " + count);
        return of(count, index -> index);
    }

    /** The same plan with each chunk turned into another description. */
    default <D> ChunkSource<D> map(Function<? super C, ? extends D> f) {
        return of(count(), index -> f.apply(chunk(index)));
    }
}
