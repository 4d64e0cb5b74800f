package org.pekkogrid.workloads.stats;

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
 * and M2 (Welford), extremes and a histogram; the head merges these partial aggregates with
 * Chan's formula. The rows are a function of (seed, row), so every chunking sees the same data.
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

    @Override
    public Aggregator<Partial, Summary> aggregator(Params params, long chunks) {
        return new Aggregator<>() {
            private Partial total = Partial.empty(params.bins());

            @Override
            public void add(long chunkIndex, Partial partial) {
                total = total.merge(partial);
            }

            @Override
            public Summary result() {
                return Summary.of(total);
            }
        };
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
