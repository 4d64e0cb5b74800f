package org.pekkogrid.workloads;

/**
 * A workload written before folds could be saved: it declares no {@link Workload#foldStateType},
 * so a job of it that a standby head takes over runs again from its first chunk. Registered for
 * this module's tests only.
 */
public final class UnsavedTally implements Workload<UnsavedTally.Params, Long, Long, Long> {

    public record Params() {}

    @Override
    public String name() {
        return "unsaved-tally";
    }

    @Override
    public String description() {
        return "sums its chunk indices; its fold cannot be saved";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Class<Long> resultType() {
        return Long.class;
    }

    @Override
    public ChunkSource<Long> split(Params params, long chunks) {
        return ChunkSource.indices(chunks);
    }

    @Override
    public Long run(Long chunk, ChunkContext ctx) {
        return chunk;
    }

    @Override
    public Aggregator<Long, Long> aggregator(Params params, long chunks) {
        return new Aggregator<>() {
            private long sum;

            @Override
            public void add(long chunkIndex, Long index) {
                sum += index;
            }

            @Override
            public Long result() {
                return sum;
            }
        };
    }

    @Override
    public Long runSequential(Params params) {
        return 0L;
    }
}
