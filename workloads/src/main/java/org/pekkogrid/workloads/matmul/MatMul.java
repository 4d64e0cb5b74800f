package org.pekkogrid.workloads.matmul;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.pekkogrid.protocol.ByteSize;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.ExactSum;
import org.pekkogrid.workloads.Param;
import org.pekkogrid.workloads.Range;
import org.pekkogrid.workloads.Workload;

/**
 * C = A B for seeded n x n matrices of doubles. Chunks are blocks of rows of C: a chunk
 * generates its rows of A, multiplies them by B (generated once per node and job, then shared)
 * and returns a summary of its block, never the block itself: its checksum, sum of squares and
 * the sampled entries that fall in it. The head checks each block's checksum and each sample
 * against values it derives from A and B in O(n) per row, without the product.
 */
public final class MatMul implements Workload<MatMul.Params, MatMul.Rows, MatMul.Block, MatMul.Product> {

    /** n^2 doubles in one Java array. */
    static final int MAX_N = 46_340;
    /** A block whose checksum or samples stray further than this, relative to their scale, fails. */
    static final double TOLERANCE = 1e-9;

    public record Params(
            @Param(value = "size of the square matrices", defaultValue = "2000") int n,
            @Param(value = "random seed of A and B", defaultValue = "42") long seed) {
        public Params {
            if (n < 1 || n > MAX_N) {
                throw new IllegalArgumentException("n must be between 1 and " + MAX_N
                    + " (an n x n matrix is one Java array of n^2 doubles), got " + n);
            }
            long needed = memoryBytes(n);
            long heap = Runtime.getRuntime().maxMemory();
            if (needed > heap) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "n=%d needs %s for A, B and C (3 n^2 doubles) but this JVM's maximum heap is %s:"
                        + " lower n or raise -Xmx", n, ByteSize.format(needed), ByteSize.format(heap)));
            }
        }
    }

    /** Rows {@code [start, end)} of C. */
    public record Rows(int start, int end, int n, long seed, SharedMatrix b) {}

    /**
     * A block's summary.
     *
     * @param sampleIds    indices (into the job's samples) of the sampled entries in this block
     * @param sampleValues their values, in the same order
     */
    public record Block(int start, int end, double checksum, double sumOfSquares, int[] sampleIds, double[] sampleValues) {}

    /**
     * @param checksum                the sum of C's entries
     * @param sumOfSquares            the sum of their squares (the Frobenius norm squared)
     * @param samples                 the sampled entries of C, in sample order
     * @param maxSampleAbsDiff        the largest difference between a sample and the head's dot product
     * @param maxBlockChecksumRelDiff the largest difference between a block's checksum and the head's,
     *                                relative to the sum of the absolute values of its products
     * @param verified                every row covered once, every sample seen, both differences
     *                                within {@link #TOLERANCE} of their scale
     */
    public record Product(int n, double checksum, double sumOfSquares, double[] samples, double maxSampleAbsDiff,
                          double maxBlockChecksumRelDiff, boolean verified) {}

    static long memoryBytes(int n) {
        return 3L * 8 * n * n;
    }

    @Override
    public String name() {
        return "matmul";
    }

    @Override
    public String description() {
        return "C = A x B for seeded n x n matrices; chunks are row blocks of C";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Class<Block> resultType() {
        return Block.class;
    }

    @Override
    public long defaultChunks(Params params) {
        return Math.max(1, Math.min(256, params.n() / 16));
    }

    /** Every node that runs a chunk holds all of B; a chunk adds only its own rows of A and C. */
    @Override
    public Requirements requirements(Params params) {
        return new Requirements(1, 8L * params.n() * params.n(), Set.of());
    }

    @Override
    public ChunkSource<Rows> split(Params params, long chunks) {
        int n = params.n();
        SharedMatrix b = new SharedMatrix(SeededMatrix.b(params.seed(), n));
        return Range.split(n, chunks, "rows (n)")
            .map(r -> new Rows((int) r.start(), (int) r.end(), n, params.seed(), b));
    }

    @Override
    public Block run(Rows rows, ChunkContext ctx) {
        int n = rows.n();
        int count = rows.end() - rows.start();
        double[] a = SeededMatrix.a(rows.seed(), n).rows(rows.start(), rows.end());
        double[] c = new double[Math.multiplyExact(count, n)];
        BlockProduct.multiplyAdd(a, rows.b().values(), c, count, n);
        ctx.items(count);
        return summarize(c, rows.start(), rows.end(), Samples.of(rows.seed(), n), n);
    }

    static Block summarize(double[] c, int start, int end, Samples samples, int n) {
        double checksum = 0;
        double squares = 0;
        for (double v : c) {
            checksum += v;
            squares += v * v;
        }
        int[] ids = new int[Samples.COUNT];
        double[] values = new double[Samples.COUNT];
        int found = 0;
        for (int s = 0; s < Samples.COUNT; s++) {
            int row = samples.rows()[s];
            if (row >= start && row < end) {
                ids[found] = s;
                values[found++] = c[(row - start) * n + samples.columns()[s]];
            }
        }
        return new Block(start, end, checksum, squares, Arrays.copyOf(ids, found), Arrays.copyOf(values, found));
    }

    /**
     * The fold's saved state. Checksum and sum of squares are exact sums, so blocks may come in
     * any order; the rest are per-sample values and maxima, which no order changes either.
     */
    public record Folded(ExactSum checksum, ExactSum squares, long rows, double[] sampled, boolean[] seen,
                         double maxSampleAbsDiff, double maxSampleRelDiff, double maxChecksumRelDiff) {

        static Folded empty() {
            return new Folded(ExactSum.ZERO, ExactSum.ZERO, 0, new double[Samples.COUNT], new boolean[Samples.COUNT],
                0, 0, 0);
        }
    }

    @Override
    public Aggregator<Block, Product> aggregator(Params params, long chunks) {
        return new Fold(params, Folded.empty());
    }

    @Override
    public Class<Folded> foldStateType() {
        return Folded.class;
    }

    @Override
    public Aggregator<Block, Product> resumeAggregator(Params params, long chunks, Object state) {
        Folded from = (Folded) state;
        if (from.sampled().length != Samples.COUNT || from.seen().length != Samples.COUNT || from.rows() > params.n()) {
            throw new IllegalArgumentException("a state of " + from.rows() + " rows and " + from.sampled().length
                + " samples does not fit n=" + params.n() + " and " + Samples.COUNT + " samples");
        }
        return new Fold(params, from);
    }

    /** Checks each block against the head's own values from A and B, and sums the blocks. */
    private static final class Fold implements Aggregator<Block, Product> {
        private final int n;
        private final Samples samples;
        private final Reference reference;
        private ExactSum checksum;
        private ExactSum squares;
        private long rows;
        private final double[] sampled;
        private final boolean[] seen;
        private double maxSampleAbsDiff;
        private double maxSampleRelDiff;
        private double maxChecksumRelDiff;

        Fold(Params params, Folded from) {
            n = params.n();
            samples = Samples.of(params.seed(), n);
            reference = new Reference(SeededMatrix.a(params.seed(), n), SeededMatrix.b(params.seed(), n));
            checksum = from.checksum();
            squares = from.squares();
            rows = from.rows();
            sampled = from.sampled().clone();
            seen = from.seen().clone();
            maxSampleAbsDiff = from.maxSampleAbsDiff();
            maxSampleRelDiff = from.maxSampleRelDiff();
            maxChecksumRelDiff = from.maxChecksumRelDiff();
        }

        @Override
        public void add(long chunkIndex, Block block) {
            checksum = checksum.plus(block.checksum());
            squares = squares.plus(block.sumOfSquares());
            rows += block.end() - block.start();
            Reference.Value expected = reference.blockSum(block.start(), block.end());
            maxChecksumRelDiff = Math.max(maxChecksumRelDiff, expected.relativeDifference(block.checksum()));
            for (int k = 0; k < block.sampleIds().length; k++) {
                int s = block.sampleIds()[k];
                double value = block.sampleValues()[k];
                Reference.Value entry = reference.entry(samples.rows()[s], samples.columns()[s]);
                sampled[s] = value;
                seen[s] = true;
                maxSampleAbsDiff = Math.max(maxSampleAbsDiff, Math.abs(value - entry.value()));
                maxSampleRelDiff = Math.max(maxSampleRelDiff, entry.relativeDifference(value));
            }
        }

        @Override
        public Product result() {
            boolean allSeen = true;
            for (boolean s : seen) allSeen &= s;
            boolean verified = rows == n && allSeen
                && maxSampleRelDiff <= TOLERANCE && maxChecksumRelDiff <= TOLERANCE;
            return new Product(n, checksum.value(), squares.value(), sampled.clone(), maxSampleAbsDiff,
                maxChecksumRelDiff, verified);
        }

        @Override
        public Folded state() {
            return new Folded(checksum, squares, rows, sampled.clone(), seen.clone(), maxSampleAbsDiff,
                maxSampleRelDiff, maxChecksumRelDiff);
        }
    }

    @Override
    public Product runSequential(Params params) {
        int n = params.n();
        double[] a = SeededMatrix.a(params.seed(), n).rows(0, n);
        double[] b = SeededMatrix.b(params.seed(), n).rows(0, n);
        double[] c = new double[n * n];
        BlockProduct.multiplyAdd(a, b, c, n, n);
        Aggregator<Block, Product> head = aggregator(params, 1);
        head.add(0, summarize(c, 0, n, Samples.of(params.seed(), n), n));
        return head.result();
    }

    @Override
    public Object resultValue(Product answer) {
        return answer;
    }

    @Override
    public String summarize(Params params, Product p) {
        return String.format(Locale.ROOT,
            "C = A x B, %d x %d: checksum %.9e, sum of squares %.9e; %d sampled entries within %.1e of the head's"
                + " dot products, block checksums within %.1e relative: %s",
            p.n(), p.n(), p.checksum(), p.sumOfSquares(), p.samples().length, p.maxSampleAbsDiff(),
            p.maxBlockChecksumRelDiff(), p.verified() ? "verified" : "NOT VERIFIED");
    }

    @Override
    public Map<String, String> warmUpParams() {
        return Map.of("n", "400");
    }
}
