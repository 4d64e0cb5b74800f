package org.pekkogrid.workloads.noop;

import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkCount;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Workload;

/** Chunks that do nothing: what is left is the grid's own cost per chunk. */
public final class Noop implements Workload<Noop.Params, Long, Void, Long> {

    public record Params() {}

    @Override
    public String name() {
        return "noop";
    }

    @Override
    public String description() {
        return "empty chunks: measures the grid's per-chunk overhead";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Class<Void> resultType() {
        return Void.class;
    }

    @Override
    public long defaultChunks(Params params) {
        return 1000;
    }

    @Override
    public ChunkSource<Long> split(Params params, long chunks) {
        return ChunkSource.indices(chunks);
    }

    @Override
    public Void run(Long chunk, ChunkContext ctx) {
        return null;
    }

    @Override
    public Aggregator<Void, Long> aggregator(Params params, long chunks) {
        return ChunkCount.fold(new ChunkCount(0));
    }

    @Override
    public Class<ChunkCount> foldStateType() {
        return ChunkCount.class;
    }

    @Override
    public Aggregator<Void, Long> resumeAggregator(Params params, long chunks, Object state) {
        return ChunkCount.fold((ChunkCount) state);
    }

    @Override
    public Long runSequential(Params params) {
        return 0L;
    }

    @Override
    public String summarize(Params params, Long done) {
        return done + " empty chunks";
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of();
    }
}
