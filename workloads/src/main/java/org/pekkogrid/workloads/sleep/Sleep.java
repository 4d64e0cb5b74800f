package org.pekkogrid.workloads.sleep;

import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkCount;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Workload;

/**
 * Chunks that sleep: work that takes time but no CPU. With {@code stragglerEvery} some chunks'
 * first attempt sleeps far longer, as a stuck task would, to exercise the chunk timeout.
 */
public final class Sleep implements Workload<Sleep.Params, Sleep.Nap, Void, Long> {

    static final long MAX_MILLIS = 3_600_000;

    public record Params(
            @Param(value = "sleep per chunk, ms", defaultValue = "10") long millis,
            @Param(value = "every n-th chunk straggles on its first attempt; 0 for none", defaultValue = "0")
            long stragglerEvery,
            @Param(value = "how long a straggler sleeps, ms", defaultValue = "60000") long stragglerMillis) {
        public Params {
            if (millis < 0 || millis > MAX_MILLIS) {
                throw new IllegalArgumentException("millis must be between 0 and " + MAX_MILLIS + ", got " + millis);
            }
            if (stragglerEvery < 0) {
                throw new IllegalArgumentException("stragglerEvery cannot be negative, got " + stragglerEvery);
            }
            if (stragglerMillis < 0 || stragglerMillis > MAX_MILLIS) {
                throw new IllegalArgumentException(
                    "stragglerMillis must be between 0 and " + MAX_MILLIS + ", got " + stragglerMillis);
            }
        }
    }

    public record Nap(long millis, boolean straggler, long stragglerMillis) {}

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public String description() {
        return "chunks that sleep (millis); stragglers exercise the chunk timeout";
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
        return 100;
    }

    @Override
    public ChunkSource<Nap> split(Params params, long chunks) {
        return ChunkSource.indices(chunks).map(index -> new Nap(params.millis(),
            params.stragglerEvery() > 0 && index % params.stragglerEvery() == 0, params.stragglerMillis()));
    }

    @Override
    public Void run(Nap nap, ChunkContext ctx) throws InterruptedException {
        Thread.sleep(nap.straggler() && ctx.attempt() == 0 ? nap.stragglerMillis() : nap.millis());
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
    public Long runSequential(Params params) throws InterruptedException {
        Thread.sleep(params.millis() * defaultChunks(params));
        return defaultChunks(params);
    }

    @Override
    public String summarize(Params params, Long done) {
        return done + " chunks slept " + params.millis() + " ms each";
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of("millis", "0");
    }
}
