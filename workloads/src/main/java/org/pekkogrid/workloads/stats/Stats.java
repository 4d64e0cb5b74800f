package org.pekkogrid.workloads.stats;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Range;
import org.pekkogrid.workloads.Workload;

/**
 * A chunked multi-step pipeline over a generated dataset: each chunk generates its rows as CSV
 * lines, parses them, drops unreadable, flagged and negative readings, and returns count, mean
 * and M2 (Welford), extremes and a histogram; the head adds these partial aggregates up exactly
 * and rounds the mean and M2 once, so the answer has the same bits for any order of chunks. The
 * rows are a function of (seed, row), so every chunking sees the same data.
 */
public final class Stats implements Workload<Stats.Params, Stats.Slice, Partial, Stats.Summary> {

    /** About 200 ns a row on one core: 10^10 rows is half an hour. */
    static final long MAX_ROWS = 10_000_000_000L;
    static final int MAX_BINS = 4096;

    public record Params(
            @Param(value = "records in the generated dataset", defaultValue = "20000000") long rows,
            @Param(value = "random seed of the dataset", defaultValue = "42") long seed,
            @Param(value = "histogram bins over readings 0..100", defaultValue = "50") int bins) {
        public Params {
            if (rows < 1 || rows > MAX_ROWS) {
                throw new IllegalArgumentException("rows must be between 1 and " + MAX_ROWS + ", got " + rows);
            }
            if (bins < 1 || bins > MAX_BINS) {
                throw new IllegalArgumentException("bins must be between 1 and " + MAX_BINS + ", got " + bins);
            }
        }
    }

    /** Rows {@code [start, end)} of the dataset. */
    public record Slice(long seed, int bins, long start, long end) {}

    /**
     * The job's answer. Mean, extremes and variance are null when too few readings were kept to
     * define them.
     *
     * @param variance the sample variance (divided by kept - 1)
     */
    public record Summary(long rows, long kept, long malformed, long flagged, long negative, Double mean,
                          Double variance, Double standardDeviation, Double min, Double max,
                          long[] histogram, long overflow) {

        static Summary of(Partial p) {
            boolean any = p.kept() > 0;
            Double variance = p.kept() > 1 ? p.m2() / (p.kept() - 1) : null;
            return new Summary(p.rows(), p.kept(), p.malformed(), p.flagged(), p.negative(),
                any ? p.mean() : null, variance, variance == null ? null : Math.sqrt(variance),
                any ? p.min() : null, any ? p.max() : null, p.histogram(), p.overflow());
        }
    }

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String description() {
        return "generate, parse and filter CSV rows, then mean, variance and histogram merged from partials";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Class<Partial> resultType() {
        return Partial.class;
    }

    @Override
    public long defaultChunks(Params params) {
        return Math.max(1, Math.min(256, params.rows() / 100_000));
    }

    @Override
    public ChunkSource<Slice> split(Params params, long chunks) {
        return Range.split(params.rows(), chunks, "rows")
            .map(r -> new Slice(params.seed(), params.bins(), r.start(), r.end()));
    }

    @Override
    public Partial run(Slice slice, ChunkContext ctx) {
        ctx.items(slice.end() - slice.start());
        return StatsPipeline.run(slice.seed(), slice.bins(), slice.start(), slice.end());
    }

    /**
     * The fold's saved state. The moments are exact sums over the chunks' partials, so that
     * partials may come in any order: Chan's pairwise merge of means and M2s rounds at each
     * step, differently for each order. Counts, extremes and the histogram are exact already.
     *
     * @param sum     the sum of kept x mean over the partials, exactly: the sum of the readings
     * @param squares the sum of M2 + kept x mean^2 over the partials, exactly: the sum of their squares
     */
    public record Folded(long rows, long malformed, long flagged, long negative, long kept, BigDecimal sum,
                         BigDecimal squares, double min, double max, long[] histogram, long overflow) {}

    @Override
    public Aggregator<Partial, Summary> aggregator(Params params, long chunks) {
        Partial none = Partial.empty(params.bins());
        return new Fold(new Folded(0, 0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, none.min(), none.max(),
            none.histogram(), 0));
    }

    @Override
    public Class<Folded> foldStateType() {
        return Folded.class;
    }

    @Override
    public Aggregator<Partial, Summary> resumeAggregator(Params params, long chunks, Object state) {
        Folded from = (Folded) state;
        if (from.histogram().length != params.bins()) {
            throw new IllegalArgumentException("a state of " + from.histogram().length + " bins does not fit bins="
                + params.bins());
        }
        return new Fold(from);
    }

    /** Adds partials exactly; the mean and M2 are rounded once, when the answer is read. */
    private static final class Fold implements Aggregator<Partial, Summary> {
        private long rows;
        private long malformed;
        private long flagged;
        private long negative;
        private long kept;
        private BigDecimal sum;
        private BigDecimal squares;
        private double min;
        private double max;
        private final long[] histogram;
        private long overflow;

        Fold(Folded from) {
            rows = from.rows();
            malformed = from.malformed();
            flagged = from.flagged();
            negative = from.negative();
            kept = from.kept();
            sum = from.sum();
            squares = from.squares();
            min = from.min();
            max = from.max();
            histogram = from.histogram().clone();
            overflow = from.overflow();
        }

        @Override
        public void add(long chunkIndex, Partial p) {
            if (p.histogram().length != histogram.length) {
                throw new IllegalArgumentException("a partial of " + p.histogram().length + " bins for a job of "
                    + histogram.length);
            }
            rows += p.rows();
            malformed += p.malformed();
            flagged += p.flagged();
            negative += p.negative();
            if (p.kept() > 0) {
                BigDecimal mean = new BigDecimal(p.mean());  // exact, as every double converts
                BigDecimal count = BigDecimal.valueOf(p.kept());
                kept += p.kept();
                sum = sum.add(count.multiply(mean));
                squares = squares.add(new BigDecimal(p.m2())).add(count.multiply(mean.multiply(mean)));
            }
            min = Math.min(min, p.min());
            max = Math.max(max, p.max());
            for (int i = 0; i < histogram.length; i++) histogram[i] += p.histogram()[i];
            overflow += p.overflow();
        }

        @Override
        public Summary result() {
            double mean = 0;
            double m2 = 0;
            if (kept > 0) {
                BigDecimal n = BigDecimal.valueOf(kept);
                mean = sum.divide(n, MathContext.DECIMAL128).doubleValue();
                // n M2 = n squares - sum^2, exactly: never negative, and rounded only by the division
                m2 = n.multiply(squares).subtract(sum.multiply(sum)).divide(n, MathContext.DECIMAL128).doubleValue();
            }
            return Summary.of(new Partial(rows, malformed, flagged, negative, kept, mean, m2, min, max,
                histogram.clone(), overflow));
        }

        @Override
        public Folded state() {
            return new Folded(rows, malformed, flagged, negative, kept, sum, squares, min, max, histogram.clone(),
                overflow);
        }
    }

    @Override
    public Summary runSequential(Params params) {
        return Summary.of(StatsPipeline.run(params.seed(), params.bins(), 0, params.rows()));
    }

    @Override
    public String summarize(Params params, Summary s) {
        if (s.mean() == null) {
            return String.format(Locale.ROOT, "%,d rows, none kept (%,d unreadable, %,d flagged, %,d negative)",
                s.rows(), s.malformed(), s.flagged(), s.negative());
        }
        return String.format(Locale.ROOT,
            "%,d rows, %,d kept (%,d unreadable, %,d flagged, %,d negative): mean %.6f, sd %s, min %.6f, max %.6f,"
                + " %d bins + %,d over %s",
            s.rows(), s.kept(), s.malformed(), s.flagged(), s.negative(), s.mean(),
            s.standardDeviation() == null ? "n/a" : String.format(Locale.ROOT, "%.6f", s.standardDeviation()),
            s.min(), s.max(), s.histogram().length, s.overflow(), (long) StatsPipeline.HISTOGRAM_MAX);
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of("rows", "1000000");
    }
}
