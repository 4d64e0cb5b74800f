package org.pekkogrid.workloads.factor;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.ItemLinesFile;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Range;
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

    /** The result lists each number and its factors for jobs of at most this many numbers. */
    static final long MAX_LISTED = 1000;

    public record Params(
            @Param(value = "size of each semiprime, bits (16..100)", defaultValue = "60") int bits,
            @Param(value = "how many semiprimes to factor", defaultValue = "10000") long count,
            @Param(value = "random seed of the semiprimes", defaultValue = "42") long seed,
            @Param(value = "a file the head writes \"n p q\" to, one number per line in item order", optional = true)
            Path out) {
        public Params {
            if (bits < MIN_BITS || bits > MAX_BITS) {
                throw new IllegalArgumentException("bits must be between " + MIN_BITS + " and " + MAX_BITS
                    + " (Pollard rho takes ~2^(bits/4) steps: 100 bits is ~20 s per number), got " + bits);
            }
            if (count < 1 || count > MAX_COUNT) {
                throw new IllegalArgumentException("count must be between 1 and " + MAX_COUNT + ", got " + count);
            }
        }

        public Params(int bits, long count, long seed) {
            this(bits, count, seed, null);
        }

        boolean listed() {
            return count <= MAX_LISTED;
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
     * @param factors  each number and its factors in item order, for a job of at most
     *                 {@link #MAX_LISTED} numbers; else null
     * @param out      the file the head wrote them to (--param out), or null
     */
    public record Factored(int bits, long count, long verified, long failed, long steps,
                           List<Factorisation> factors, String out) {}

    /** One number (in decimal: it may pass a long) and its two prime factors, smaller first. */
    public record Factorisation(String n, long p, long q) {}

    @Override
    public String name() {
        return "factor";
    }

    @Override
    public String description() {
        return "factors seeded semiprimes by Pollard rho (Brent), products checked on the head; lists them (or writes them to out)";
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

    /**
     * The fold's saved state: the counts of the items folded so far and, for a job that lists
     * its factors, those found so far by item (0 where not yet folded); empty arrays for a job
     * that does not list them.
     */
    public record Checked(long verified, long failed, long steps, long[] smaller, long[] larger) {

        /** Checks a chunk's factors against the inputs the head derives itself. */
        Checked plus(Factors f, Params params, ItemLinesFile file) {
            long verified = this.verified;
            long failed = this.failed;
            long[] smaller = this.smaller.length == 0 ? this.smaller : this.smaller.clone();
            long[] larger = this.larger.length == 0 ? this.larger : this.larger.clone();
            List<String> lines = file == null ? null : new ArrayList<>(f.smaller().length);
            for (int i = 0; i < f.smaller().length; i++) {
                long item = f.first() + i;
                Semiprimes.Pair input = Semiprimes.pair(params.seed(), item, params.bits());
                boolean ok = splits(input, f.smaller()[i], f.larger()[i]);
                if (ok) verified++; else failed++;
                if (smaller.length > 0 && ok) {
                    smaller[Math.toIntExact(item)] = f.smaller()[i];
                    larger[Math.toIntExact(item)] = f.larger()[i];
                }
                if (lines != null) {
                    lines.add(ok ? line(input, f.smaller()[i], f.larger()[i])
                        : "# item " + item + ": " + f.smaller()[i] + " x " + f.larger()[i] + " is not " + Semiprimes.product(input));
                }
            }
            if (file != null) file.write(f.first(), lines);
            return new Checked(verified, failed, steps + f.steps(), smaller, larger);
        }
    }

    private static String line(Semiprimes.Pair input, long p, long q) {
        return Semiprimes.product(input) + " " + p + " " + q;
    }

    @Override
    public Aggregator<Factors, Factored> aggregator(Params params, long chunks) {
        int listed = params.listed() ? (int) params.count() : 0;
        return new FactorFold(params, new Checked(0, 0, 0, new long[listed], new long[listed]));
    }

    @Override
    public Class<Checked> foldStateType() {
        return Checked.class;
    }

    @Override
    public Aggregator<Factors, Factored> resumeAggregator(Params params, long chunks, Object state) {
        Checked checked = (Checked) state;
        long listed = params.listed() ? params.count() : 0;
        if (checked.smaller().length != listed || checked.larger().length != listed) {
            throw new IllegalArgumentException("the saved state's factors are not those of a job of " + params.count() + " numbers");
        }
        return new FactorFold(params, checked);
    }

    /** Folds chunks into {@link Checked}; with {@code out}, also writes their lines, and the file once all are in. */
    private static final class FactorFold implements Aggregator<Factors, Factored> {

        private final Params params;
        private final ItemLinesFile file;
        private Checked folded;
        private boolean joined;

        FactorFold(Params params, Checked from) {
            this.params = params;
            this.folded = from;
            // a missing part is made again from the seed: the only factors of p q are p and q
            this.file = params.out() == null ? null : new ItemLinesFile(params.out(),
                "factor-" + params.bits() + "-" + params.seed(), params.count(), item -> {
                    Semiprimes.Pair pair = Semiprimes.pair(params.seed(), item, params.bits());
                    return line(pair, Math.min(pair.p(), pair.q()), Math.max(pair.p(), pair.q()));
                });
        }

        @Override
        public void add(long chunkIndex, Factors result) {
            folded = folded.plus(result, params, file);
        }

        @Override
        public Factored result() {
            if (file != null && !joined && folded.verified() + folded.failed() == params.count()) {
                file.join();
                joined = true;
            }
            List<Factorisation> factors = null;
            if (folded.smaller().length > 0) {
                factors = new ArrayList<>();
                for (int i = 0; i < folded.smaller().length; i++) {
                    long p = folded.smaller()[i];
                    long q = folded.larger()[i];
                    if (p > 1) factors.add(new Factorisation(BigInteger.valueOf(p).multiply(BigInteger.valueOf(q)).toString(), p, q));
                }
            }
            return new Factored(params.bits(), params.count(), folded.verified(), folded.failed(), folded.steps(),
                factors, joined ? file.file().toString() : null);
        }

        @Override
        public Object state() {
            return folded;
        }
    }

    @Override
    public Params baselineParams(Params params, Path scratch) {
        return params.out() == null ? params
            : new Params(params.bits(), params.count(), params.seed(), scratch.resolve("factors.txt"));
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
        String where = f.out() != null ? "; written to " + f.out()
            : f.factors() != null ? "; listed in the result"
            : "; too many to list in the result: --param out=FILE writes them";
        return String.format("%d semiprimes of %d bits factored, %s on the head (product = input); %,d rho steps, %.0f per number%s",
            f.count(), f.bits(), check, f.steps(), (double) f.steps() / f.count(), where);
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of("bits", "48", "count", "200");
    }
}
