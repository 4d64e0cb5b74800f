package org.pekkogrid.workloads.flaky;

import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.ValueFold;
import org.pekkogrid.workloads.Workload;

/**
 * Chunks that fail a seeded fraction of their attempts, for testing retries. Whether attempt a
 * of chunk i fails is a pure function of (seed, i, a), so a run is repeatable. Each chunk
 * returns its index; the answer checks that every chunk was counted exactly once.
 */
public final class Flaky implements Workload<Flaky.Params, Flaky.Attempted, Long, Flaky.Tally> {

    public record Params(
            @Param(value = "fraction of chunk attempts that throw, 0..1", defaultValue = "0.2") double rate,
            @Param(value = "random seed of the failures", defaultValue = "1") long seed,
            @Param(value = "busy work per chunk, ms", defaultValue = "0") long millis) {
        public Params {
            if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("rate must be within 0..1, got " + rate);
            if (millis < 0 || millis > 60_000) {
                throw new IllegalArgumentException("millis must be between 0 and 60000, got " + millis);
            }
        }
    }

    public record Attempted(long index, double rate, long seed, long millis) {}

    /**
     * @param chunks   results counted
     * @param indexSum the sum of their indices: n(n-1)/2 exactly when each chunk counted once
     * @param exact    whether both match the job's chunk count
     */
    public record Tally(long chunks, long indexSum, boolean exact) {}

    @Override
    public String name() {
        return "flaky";
    }

    @Override
    public String description() {
        return "chunks that fail a seeded fraction (rate) of attempts: exercises retries";
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
    public long defaultChunks(Params params) {
        return 100;
    }

    @Override
    public ChunkSource<Attempted> split(Params params, long chunks) {
        return ChunkSource.indices(chunks)
            .map(index -> new Attempted(index, params.rate(), params.seed(), params.millis()));
    }

    /** Whether this attempt of this chunk fails. */
    public static boolean fails(long seed, long index, int attempt, double rate) {
        long z = seed * 0x9e3779b97f4a7c15L + index * 0xc2b2ae3d27d4eb4fL + attempt * 0x165667b19e3779f9L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 < rate;
    }

    @Override
    public Long run(Attempted chunk, ChunkContext ctx) {
        if (chunk.millis() > 0) {
            long until = System.nanoTime() + chunk.millis() * 1_000_000;
            while (System.nanoTime() < until) Thread.onSpinWait();
        }
        if (fails(chunk.seed(), chunk.index(), ctx.attempt(), chunk.rate())) {
            throw new IllegalStateException("flaky: chunk " + chunk.index() + " attempt " + ctx.attempt()
                + " fails by design (rate " + chunk.rate() + ")");
        }
        return chunk.index();
    }

    /** The fold's saved state: the chunks counted so far and the sum of their indices. */
    public record Counted(long chunks, long indexSum) {}

    @Override
    public Aggregator<Long, Tally> aggregator(Params params, long chunks) {
        return fold(chunks, new Counted(0, 0));
    }

    @Override
    public Class<Counted> foldStateType() {
        return Counted.class;
    }

    @Override
    public Aggregator<Long, Tally> resumeAggregator(Params params, long chunks, Object state) {
        return fold(chunks, (Counted) state);
    }

    private static Aggregator<Long, Tally> fold(long chunks, Counted from) {
        return new ValueFold<>(from, (folded, index) -> new Counted(folded.chunks() + 1, folded.indexSum() + index),
            folded -> new Tally(folded.chunks(), folded.indexSum(),
                folded.chunks() == chunks && folded.indexSum() == chunks * (chunks - 1) / 2));
    }

    @Override
    public Tally runSequential(Params params) {
        long n = defaultChunks(params);
        return new Tally(n, n * (n - 1) / 2, true);
    }

    @Override
    public String summarize(Params params, Tally t) {
        return t.chunks() + " chunks counted" + (t.exact() ? ", each exactly once" : ", NOT each exactly once");
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of("rate", "0");
    }
}
