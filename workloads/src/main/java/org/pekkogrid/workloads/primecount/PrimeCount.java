package org.pekkogrid.workloads.primecount;

import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Range;
import org.pekkogrid.workloads.ValueFold;
import org.pekkogrid.workloads.Workload;

/**
 * pi(n), the number of primes below n, by a segmented sieve. Chunks are ranges of [0, n); the
 * base primes up to sqrt(n) are sieved once per job and node (in {@link #split}) and shared by
 * the chunks.
 */
public final class PrimeCount implements Workload<PrimeCount.Params, PrimeCount.Span, Long, PrimeCount.Count> {

    /** 10^12 is about an hour on one core; beyond, base primes and time grow past a grid job. */
    static final long MAX_N = 1_000_000_000_000L;

    /** pi(10^k) for k = 0..12, from the literature (OEIS A006880). */
    private static final long[] PI_OF_POWERS_OF_TEN = {
        0, 4, 25, 168, 1_229, 9_592, 78_498, 664_579, 5_761_455, 50_847_534, 455_052_511,
        4_118_054_813L, 37_607_912_018L};

    public record Params(@Param(value = "count the primes below this number", defaultValue = "1000000000") long n) {
        public Params {
            if (n < 2) throw new IllegalArgumentException("n must be at least 2, got " + n);
            if (n > MAX_N) {
                throw new IllegalArgumentException("n must be at most " + MAX_N
                    + " (10^12, about an hour on one core), got " + n);
            }
        }
    }

    /** Numbers {@code [start, end)}, sieved with the job's shared base primes. */
    public record Span(long start, long end, SegmentedSieve sieve) {}

    /**
     * @param known pi(n) from the literature when n is a power of ten, else null
     */
    public record Count(long n, long primes, Long known) {

        public boolean matchesKnown() {
            return known == null || known == primes;
        }
    }

    @Override
    public String name() {
        return "prime-count";
    }

    @Override
    public String description() {
        return "primes below n by a segmented sieve; chunks are ranges of numbers";
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
        // at least a few segments per chunk, so a chunk's set-up stays small next to its sieving
        return Math.max(1, Math.min(256, params.n() / (8L * SegmentedSieve.SEGMENT_BITS)));
    }

    @Override
    public ChunkSource<Span> split(Params params, long chunks) {
        ChunkSource<Range> ranges = Range.split(params.n(), chunks, "numbers below n");
        SegmentedSieve sieve = new SegmentedSieve(params.n());  // primes up to 10^6: about a millisecond
        return ranges.map(r -> new Span(r.start(), r.end(), sieve));
    }

    @Override
    public Long run(Span span, ChunkContext ctx) {
        ctx.items(span.end() - span.start());
        return span.sieve().count(span.start(), span.end());
    }

    /** The fold's saved state: the primes in the chunks folded so far. */
    public record Counted(long primes) {}

    @Override
    public Aggregator<Long, Count> aggregator(Params params, long chunks) {
        return fold(params, new Counted(0));
    }

    @Override
    public Class<Counted> foldStateType() {
        return Counted.class;
    }

    @Override
    public Aggregator<Long, Count> resumeAggregator(Params params, long chunks, Object state) {
        return fold(params, (Counted) state);
    }

    private static Aggregator<Long, Count> fold(Params params, Counted from) {
        return new ValueFold<>(from, (folded, primes) -> new Counted(folded.primes() + primes),
            folded -> count(params.n(), folded.primes()));
    }

    @Override
    public Count runSequential(Params params) {
        return count(params.n(), new SegmentedSieve(params.n()).count(0, params.n()));
    }

    @Override
    public Object resultValue(Count answer) {
        return answer.primes();
    }

    @Override
    public String summarize(Params params, Count c) {
        String check = c.known() == null ? "no known value to compare"
            : c.matchesKnown() ? "matches the known value" : "MISMATCH: the known value is " + c.known();
        return String.format("%,d primes below %,d (%s)", c.primes(), c.n(), check);
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of("n", "100000000");
    }

    /** pi(n) from the literature, or null when n is not a power of ten up to 10^12. */
    public static Long known(long n) {
        long p = 1;
        for (long value : PI_OF_POWERS_OF_TEN) {
            if (p == n) return value;
            if (p > Long.MAX_VALUE / 10) break;
            p *= 10;
        }
        return null;
    }

    private static Count count(long n, long primes) {
        return new Count(n, primes, known(n));
    }
}
