package org.pekkogrid.workloads.matmul;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pekkogrid.workloads.Aggregator;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.ChunkContext;
import org.pekkogrid.workloads.ChunkSource;
import org.pekkogrid.workloads.LocalGrid;

class MatMulTest {

    private static MatMul.Product grid(int n, long chunks) throws Exception {
        return (MatMul.Product) LocalGrid.run("matmul", Map.of("n", Integer.toString(n), "seed", "11"), chunks);
    }

    /** The textbook triple loop, summing each entry in increasing k as the kernel does. */
    private static double[] naiveProduct(int n, long seed) {
        SeededMatrix a = SeededMatrix.a(seed, n);
        SeededMatrix b = SeededMatrix.b(seed, n);
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += a.entry(i, k) * b.entry(k, j);
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 37, 130})
    void matchesTheTextbookProduct(int n) throws Exception {
        double[] c = naiveProduct(n, 11);
        double checksum = 0;
        double squares = 0;
        for (double v : c) {
            checksum += v;
            squares += v * v;
        }
        MatMul.Product p = grid(n, Math.min(n, 3));
        assertTrue(p.verified(), p.toString());
        assertEquals(checksum, p.checksum(), 1e-12 * Math.max(1, Math.abs(squares)));
        assertEquals(squares, p.sumOfSquares(), 1e-12 * squares);
        Samples samples = Samples.of(11, n);
        for (int s = 0; s < Samples.COUNT; s++) {
            assertEquals(c[samples.rows()[s] * n + samples.columns()[s]], p.samples()[s], 0.0, "sample " + s);
        }
        assertEquals(0.0, p.maxSampleAbsDiff());
    }

    @Test
    void anyChunkingGivesTheSameProductAsTheSequentialRun() throws Exception {
        MatMul.Product sequential = new MatMul().runSequential(new MatMul.Params(300, 11));
        assertTrue(sequential.verified());
        for (long chunks : new long[] {1, 7, 64, 300}) {
            MatMul.Product p = grid(300, chunks);
            assertTrue(p.verified(), chunks + " chunks: " + p);
            assertArrayEquals(sequential.samples(), p.samples(), "entries are summed in the same order for any rows");
            assertEquals(sequential.checksum(), p.checksum(), 1e-9 * Math.abs(sequential.checksum()));
            assertEquals(sequential.sumOfSquares(), p.sumOfSquares(), 1e-9 * sequential.sumOfSquares());
            assertTrue(p.maxBlockChecksumRelDiff() < 1e-12, "block checksums: " + p.maxBlockChecksumRelDiff());
        }
    }

    @Test
    void theHeadCatchesAWrongBlock() {
        MatMul w = new MatMul();
        MatMul.Params params = new MatMul.Params(40, 3);
        ChunkSource<MatMul.Rows> rows = w.split(params, 2);
        Aggregator<MatMul.Block, MatMul.Product> head = w.aggregator(params, 2);
        MatMul.Block good = w.run(rows.chunk(0), ChunkContext.local(0));
        MatMul.Block other = w.run(rows.chunk(1), ChunkContext.local(1));
        head.add(0, good);
        head.add(1, new MatMul.Block(other.start(), other.end(), other.checksum() + 1e-3, other.sumOfSquares(),
            other.sampleIds(), other.sampleValues()));
        MatMul.Product p = head.result();
        assertFalse(p.verified());
        assertTrue(p.maxBlockChecksumRelDiff() > 1e-9);
    }

    @Test
    void everyChunkOfANodeSharesOneB() {
        ChunkSource<MatMul.Rows> rows = new MatMul().split(new MatMul.Params(100, 1), 10);
        assertSame(rows.chunk(0).b(), rows.chunk(9).b());
        assertSame(rows.chunk(0).b().values(), rows.chunk(9).b().values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-4", "46341", "2000000000"})
    void rejectsSizesOutOfRangeNamingN(String n) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("matmul", Map.of("n", n), 1, 100_000_000));
        assertEquals("n must be between 1 and 46340 (an n x n matrix is one Java array of n^2 doubles), got " + n,
            e.getMessage());
    }

    @Test
    void rejectsMatricesTooLargeForTheHeap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("matmul", Map.of("n", "46340"), 1, 100_000_000));
        assertTrue(e.getMessage().startsWith("n=46340 needs "), e.getMessage());
        assertTrue(e.getMessage().contains("raise -Xmx"), e.getMessage());
    }

    @Test
    void rejectsMoreChunksThanRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("matmul", Map.of("n", "10"), 11, 100_000_000));
        assertTrue(e.getMessage().contains("chunks (11) exceeds rows (n) (10)"), e.getMessage());
    }
}
