package org.pekkogrid.workloads;

import java.util.function.Function;

/** A job's chunk plan with random access: chunk {@code i} is computed, not stored. */
public interface ChunkSource<C> {

    long count();

    C chunk(long index);

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
