package org.pekkogrid.workloads.montecarlo;

import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Range;
import org.pekkogrid.workloads.ValueFold;
import org.pekkogrid.workloads.Workload;

/**
 * pi from random points in the unit square. The point of sample i is a pure function of
 * (seed, i) (a counter-based generator: SplitMix64's mixer over seed + i), so the hit count
 * is the same integer for any chunking, any order and any retry.
 */
public final class MonteCarloPi implements Workload<MonteCarloPi.Params, MonteCarloPi.Samples, Long, MonteCarloPi.Estimate> {

    static final long MAX_SAMPLES = 10_000_000_000_000L;
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

    public record Params(
            @Param(value = "number of random points", defaultValue = "100000000") long samples,
            @Param(value = "random seed; the same seed gives the same estimate", defaultValue = "42") long seed) {
        public Params {
            if (samples < 1) throw new IllegalArgumentException("samples must be at least 1, got " + samples);
            if (samples > MAX_SAMPLES) {
                throw new IllegalArgumentException("samples must be at most " + MAX_SAMPLES + ", got " + samples);
            }
        }
    }

    /** Samples {@code [start, end)} of the seed's sequence. */
    public record Samples(long seed, long start, long end) {}

    /** @param pi 4 hits / samples */
    public record Estimate(double pi, long hits, long samples) {}

    @Override
    public String name() {
        return "monte-carlo-pi";
    }

    @Override
    public String description() {
        return "pi from seeded random points; identical for any chunking";
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
    public ChunkSource<Samples> split(Params params, long chunks) {
        return Range.split(params.samples(), chunks, "samples")
            .map(r -> new Samples(params.seed(), r.start(), r.end()));
    }

    @Override
    public Long run(Samples chunk, ChunkContext ctx) {
        ctx.items(chunk.end() - chunk.start());
        return hits(chunk.seed(), chunk.start(), chunk.end());
    }

    /** Counts points inside the quarter circle among samples [start, end) of this seed. */
    public static long hits(long seed, long start, long end) {
        long hits = 0;
        long state = seed + start * GOLDEN_GAMMA;
        for (long left = end - start; left > 0; ) {
            // An int-counted inner loop: the form the JIT optimises fully wherever it is inlined.
            int n = (int) Math.min(left, 1 << 20);
            hits += hitsIn(state, n);
            state += n * GOLDEN_GAMMA;
            left -= n;
        }
        return hits;
    }

    private static int hitsIn(long state, int n) {
        int hits = 0;
        for (int i = 0; i < n; i++) {
            state += GOLDEN_GAMMA;
            long z = mix64(state);
            double x = unit(z >>> 32);
            double y = unit(z & 0xffffffffL);
            // Inside when x^2 + y^2 - 1 is negative: its sign bit, added without a branch (a branch
            // mispredicts on one sample in five).
            hits += (int) (Double.doubleToRawLongBits(x * x + y * y - 1.0) >>> 63);
        }
        return hits;
    }

    /**
     * {@code bits32 / 2^32}, exactly, built from the bits of 1 + bits32 / 2^32 rather than by
     * converting an integer: x86's conversion keeps a false dependency on its target register,
     * and depending on how the JIT allocated registers the same loop ran at 1.3 or 2.9 ns a sample.
     */
    private static double unit(long bits32) {
        return Double.longBitsToDouble(ONE_BITS | bits32 << 20) - 1.0;
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The fold's saved state: the points inside among the chunks folded so far. */
    public record Hits(long hits) {}

    @Override
    public Aggregator<Long, Estimate> aggregator(Params params, long chunks) {
        return fold(params, new Hits(0));
    }

    @Override
    public Class<Hits> foldStateType() {
        return Hits.class;
    }

    @Override
    public Aggregator<Long, Estimate> resumeAggregator(Params params, long chunks, Object state) {
        return fold(params, (Hits) state);
    }

    private static Aggregator<Long, Estimate> fold(Params params, Hits from) {
        return new ValueFold<>(from, (folded, hits) -> new Hits(folded.hits() + hits),
            folded -> new Estimate(4.0 * folded.hits() / params.samples(), folded.hits(), params.samples()));
    }

    @Override
    public Estimate runSequential(Params params) {
        long hits = hits(params.seed(), 0, params.samples());
        return new Estimate(4.0 * hits / params.samples(), hits, params.samples());
    }

    @Override
    public Object resultValue(Estimate answer) {
        return answer.pi();
    }

    @Override
    public String summarize(Params params, Estimate e) {
        double p = Math.PI / 4;
        double standardError = 4 * Math.sqrt(p * (1 - p) / e.samples());
        return String.format("pi ~ %.9f  (%d of %d points inside; off by %.2e, standard error %.1e)",
            e.pi(), e.hits(), e.samples(), e.pi() - Math.PI, standardError);
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of("samples", "5000000");
    }
}
