package org.pekkogrid.worker;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkCount;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Workload;

/** Chunks that count themselves, of a workload that asks to be warmed up. Registered for this module's tests only. */
public final class WarmedTally implements Workload<WarmedTally.Params, Long, Long, Long> {

    public record Params() {}

    private static final AtomicLong CHUNKS_RUN = new AtomicLong();

    /** Chunks run in this JVM so far. */
    public static long chunksRun() {
        return CHUNKS_RUN.get();
    }

    @Override
    public String name() {
        return "warmed-tally";
    }

    @Override
    public String description() {
        return "counts the chunks it runs; asks to be warmed with its defaults";
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
        CHUNKS_RUN.incrementAndGet();
        return chunk;
    }

    @Override
    public Aggregator<Long, Long> aggregator(Params params, long chunks) {
        return ChunkCount.fold(new ChunkCount(0));
    }

    @Override
    public Long runSequential(Params params) {
        return 0L;
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of();
    }
}
