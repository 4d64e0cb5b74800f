package org.pekkogrid.workloads.factor;

import java.math.BigInteger;
import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Range;
import org.pekkogrid.workloads.ValueFold;
import org.pekkogrid.workloads.Workload;

/**
 * Factors seeded semiprimes with Pollard's rho (Brent). Chunks are ranges of items; a worker
 * derives each item's number from (seed, item), factors it without looking at how it was made,
 * and returns the two factors. The head derives the same numbers and checks that each pair of
 * factors is non-trivial and multiplies to its number.
 */
public final class Factor implements Workload<Factor.Params, Factor.Items, Factor.Factors, Factor.Factored> {

    static final int MIN_BITS = 16;
    /** Rho needs ~2^(bits/4) steps; at 100 bits on BigInteger (~0.3 us a step) that is ~20 s per number. */
    static final int MAX_BITS = 100;
    static final long MAX_COUNT = 100_000_000;
    /** Two longs per item: 4096 items are ~80 KiB on the wire, well inside a batch's frame. */
    static final long MAX_ITEMS_PER_CHUNK = 4096;

    public record Params(
            @Param(value = "size of each semiprime, bits (16..100)", defaultValue = "60") int bits,
            @Param(value = "how many semiprimes to factor", defaultValue = "10000") long count,
            @Param(value = "random seed of the semiprimes", defaultValue = "42") long seed) {
        public Params {
            if (bits < MIN_BITS || bits > MAX_BITS) {
                throw new IllegalArgumentException("bits must be between " + MIN_BITS + " and " + MAX_BITS
                    + " (Pollard rho takes ~2^(bits/4) steps: 100 bits is ~20 s per number), got " + bits);
            }
            if (count < 1 || count > MAX_COUNT) {
                throw new IllegalArgumentException("count must be between 1 and " + MAX_COUNT + ", got " + count);
            }
        }
    }

    /** Items {@code [start, end)} of the job. */
    public record Items(int bits, long seed, long start, long end) {}

    /**
     * The factors of items {@code first, first + 1, ...}, smaller one first.
     *
     * @param steps rho steps (evaluations of y^2 + c) over the chunk
     */
    public record Factors(long first, long[] smaller, long[] larger, long steps) {}

    /**
     * @param verified items whose factors the head checked: both above 1 and their product the input
     * @param failed   items whose factors did not pass
     * @param steps    rho steps over the job (the same for any chunking)
     */
    public record Factored(int bits, long count, long verified, long failed, long steps) {}

    @Override
    public String name() {
        return "factor";
    }

    @Override
    public String description() {
        return "factors seeded semiprimes by Pollard rho (Brent); products checked on the head";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Class<Factors> resultType() {
        return Factors.class;
    }

    @Override
    public long defaultChunks(Params params) {
        return Math.min(params.count(), Math.max(256, minChunks(params)));
    }

    @Override
    public ChunkSource<Items> split(Params params, long chunks) {
        long least = minChunks(params);
        if (chunks < least) {
            throw new IllegalArgumentException("chunks (" + chunks + ") too few for count=" + params.count()
                + ": a chunk may hold at most " + MAX_ITEMS_PER_CHUNK + " items to keep its result small; use at least "
                + least + " chunks");
        }
        return Range.split(params.count(), chunks, "semiprimes (count)")
            .map(r -> new Items(params.bits(), params.seed(), r.start(), r.end()));
    }

    static long minChunks(Params params) {
        return (params.count() + MAX_ITEMS_PER_CHUNK - 1) / MAX_ITEMS_PER_CHUNK;
    }

    @Override
    public Factors run(Items items, ChunkContext ctx) {
        int size = Math.toIntExact(items.end() - items.start());
        long[] smaller = new long[size];
        long[] larger = new long[size];
        long steps = 0;
        for (int i = 0; i < size; i++) {
            Semiprimes.Pair pair = Semiprimes.pair(items.seed(), items.start() + i, items.bits());
            long factor;
            long other;
            if (items.bits() <= Montgomery.MAX_BITS) {
                long n = pair.p() * pair.q();
                PollardRho.Split s = PollardRho.factor(n);
                factor = s.factor();
                other = n / factor;
                steps += s.steps();
            } else {
                BigInteger n = Semiprimes.product(pair);
                PollardRho.Split s = PollardRho.factor(n);
                factor = s.factor();
                other = n.divide(BigInteger.valueOf(factor)).longValueExact();
                steps += s.steps();
            }
            smaller[i] = Math.min(factor, other);
            larger[i] = Math.max(factor, other);
        }
        ctx.items(size);
        return new Factors(items.start(), smaller, larger, steps);
    }

    /** The fold's saved state: the counts of the items folded so far. */
    public record Checked(long verified, long failed, long steps) {

        /** Checks a chunk's factors against the inputs the head derives itself. */
        Checked plus(Factors f, Params params) {
            long verified = this.verified;
            long failed = this.failed;
            for (int i = 0; i < f.smaller().length; i++) {
                Semiprimes.Pair input = Semiprimes.pair(params.seed(), f.first() + i, params.bits());
                if (splits(input, f.smaller()[i], f.larger()[i])) verified++; else failed++;
            }
            return new Checked(verified, failed, steps + f.steps());
        }
    }

    @Override
    public Aggregator<Factors, Factored> aggregator(Params params, long chunks) {
        return fold(params, new Checked(0, 0, 0));
    }

    @Override
    public Class<Checked> foldStateType() {
        return Checked.class;
    }

    @Override
    public Aggregator<Factors, Factored> resumeAggregator(Params params, long chunks, Object state) {
        return fold(params, (Checked) state);
    }

    private static Aggregator<Factors, Factored> fold(Params params, Checked from) {
        return new ValueFold<>(from, (folded, factors) -> folded.plus(factors, params),
            folded -> new Factored(params.bits(), params.count(), folded.verified(), folded.failed(), folded.steps()));
    }

    /** Whether {@code a b} is the input p q with neither factor 1, compared as 128-bit products. */
    static boolean splits(Semiprimes.Pair input, long a, long b) {
        if (a <= 1 || b <= 1) return false;
        return a * b == input.p() * input.q()
            && Math.multiplyHigh(a, b) == Math.multiplyHigh(input.p(), input.q());
    }

    @Override
    public Factored runSequential(Params params) {
        Aggregator<Factors, Factored> head = aggregator(params, 1);
        long least = minChunks(params);
        // the same kernel in one pass; results are folded per item block only to bound memory
        for (long block = 0; block < least; block++) {
            long start = block * MAX_ITEMS_PER_CHUNK;
            long end = Math.min(params.count(), start + MAX_ITEMS_PER_CHUNK);
            head.add(block, run(new Items(params.bits(), params.seed(), start, end), ChunkContext.local(block)));
        }
        return head.result();
    }

    @Override
    public String summarize(Params params, Factored f) {
        String check = f.failed() == 0 ? "all verified" : f.failed() + " FAILED";
        return String.format("%d semiprimes of %d bits factored, %s on the head (product = input); %,d rho steps, %.0f per number",
            f.count(), f.bits(), check, f.steps(), (double) f.steps() / f.count());
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of("bits", "48", "count", "200");
    }
}
