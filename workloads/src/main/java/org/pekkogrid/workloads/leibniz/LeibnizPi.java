package org.pekkogrid.workloads.leibniz;

import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.ExactSum;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Range;
import org.pekkogrid.workloads.ValueFold;
import org.pekkogrid.workloads.Workload;

/**
 * pi = 4 (1 - 1/3 + 1/5 - 1/7 ...). After N terms the estimate is off by about 1/N, with the
 * sign of (-1)^N, so the answer of a run is known in closed form: pi - (-1)^N / N, to within
 * 1/N^3.
 */
public final class LeibnizPi implements Workload<LeibnizPi.Params, Range, Double, Double> {

    /** A day on one core is about 10^14 terms; beyond 10^13 a job is a typo, not a plan. */
    static final long MAX_TERMS = 10_000_000_000_000L;

    public record Params(@Param(value = "number of series terms", defaultValue = "100000000") long terms) {
        public Params {
            if (terms < 1) throw new IllegalArgumentException("terms must be at least 1, got " + terms);
            if (terms > MAX_TERMS) {
                throw new IllegalArgumentException("terms must be at most " + MAX_TERMS + ", got " + terms);
            }
        }
    }

    @Override
    public String name() {
        return "leibniz-pi";
    }

    @Override
    public String description() {
        return "pi by the Leibniz series; chunks are ranges of terms";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Class<Double> resultType() {
        return Double.class;
    }

    @Override
    public ChunkSource<Range> split(Params params, long chunks) {
        return Range.split(params.terms(), chunks, "terms");
    }

    @Override
    public Double run(Range chunk, ChunkContext ctx) {
        ctx.items(chunk.size());
        return partialSum(chunk.start(), chunk.end());
    }

    @Override
    public Aggregator<Double, Double> aggregator(Params params, long chunks) {
        return fold(ExactSum.ZERO);
    }

    /** The fold's saved state is the exact sum of the partial sums folded so far. */
    @Override
    public Class<ExactSum> foldStateType() {
        return ExactSum.class;
    }

    @Override
    public Aggregator<Double, Double> resumeAggregator(Params params, long chunks, Object state) {
        return fold((ExactSum) state);
    }

    /** Partial sums add exactly, rounded once at the end: the same bits for any order of chunks. */
    private static Aggregator<Double, Double> fold(ExactSum from) {
        return new ValueFold<>(from, ExactSum::plus, sum -> 4 * sum.value());
    }

    @Override
    public Double runSequential(Params params) {
        return 4 * partialSum(0, params.terms());
    }

    @Override
    public String summarize(Params params, Double pi) {
        return String.format("pi ~ %.12f  (off by %.2e; the series after %d terms is off by ~%.1e)",
            pi, pi - Math.PI, params.terms(), 1.0 / params.terms());
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of("terms", "20000000");
    }

    /** The estimate N terms of the series give, in closed form to within 1/N^3. */
    public static double expected(long terms) {
        return Math.PI - ((terms & 1) == 0 ? 1.0 : -1.0) / terms;
    }

    /** Pairs summed plainly before their sum joins the total: small enough to keep rounding local. */
    private static final long BLOCK_PAIRS = 1024;

    /**
     * Sum of (-1)^k / (2k+1) for k in [start, end). Terms are paired, 1/d - 1/(d+2) =
     * 2/(d(d+2)), so the loop divides once per two terms and adds only positive numbers.
     * Pairs are summed in blocks of similar magnitude, and blocks are added with Kahan's
     * compensation: a plain running sum of 10^9 terms would lose about 10^-9 of pi.
     */
    static double partialSum(long start, long end) {
        double head = 0;
        long k = start;
        if (k < end && (k & 1) == 1) {
            head = -1.0 / (2.0 * k + 1);
            k++;
        }
        long pairs = (end - k) / 2;
        double d = 2.0 * k + 1;  // exact: 2k+1 stays below 2^53
        double total = 0;
        double compensation = 0;
        for (long done = 0; done < pairs; ) {
            long n = Math.min(BLOCK_PAIRS, pairs - done);
            double s0 = 0;
            double s1 = 0;
            long p = 0;
            for (; p + 1 < n; p += 2, d += 8) {
                s0 += 1.0 / (d * (d + 2));
                s1 += 1.0 / ((d + 4) * (d + 6));
            }
            if (p < n) {
                s0 += 1.0 / (d * (d + 2));
                d += 4;
            }
            double y = 2 * (s0 + s1) - compensation;
            double t = total + y;
            compensation = (t - total) - y;
            total = t;
            done += n;
        }
        k += 2 * pairs;
        double tail = k < end ? 1.0 / (2.0 * k + 1) : 0;  // k is even here: a positive term
        return head + total + tail;
    }
}
