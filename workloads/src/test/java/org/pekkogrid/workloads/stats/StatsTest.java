package org.pekkogrid.workloads.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalGrid;

class StatsTest {

    private static final double RELATIVE = 1e-9;

    private static Stats.Summary grid(long rows, long chunks) throws Exception {
        return (Stats.Summary) LocalGrid.run("stats",
            Map.of("rows", Long.toString(rows), "seed", "3", "bins", "20"), chunks);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, RELATIVE * Math.abs(expected), what);
    }

    private static void assertSameSummary(Stats.Summary expected, Stats.Summary actual) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.kept(), actual.kept());
        assertEquals(expected.malformed(), actual.malformed());
        assertEquals(expected.flagged(), actual.flagged());
        assertEquals(expected.negative(), actual.negative());
        assertEquals(expected.min(), actual.min());
        assertEquals(expected.max(), actual.max());
        assertArrayEquals(expected.histogram(), actual.histogram());
        assertEquals(expected.overflow(), actual.overflow());
        assertClose(expected.mean(), actual.mean(), "mean");
        assertClose(expected.variance(), actual.variance(), "variance");
    }

    @Test
    void anyChunkingGivesTheSequentialPipelinesAnswer() throws Exception {
        Stats.Summary sequential = new Stats().runSequential(new Stats.Params(300_000, 3, 20));
        for (long chunks : new long[] {1, 7, 64, 1000}) assertSameSummary(sequential, grid(300_000, chunks));
    }

    /** An independent oracle: split, parse, filter and two-pass moments over the same lines. */
    @Test
    void matchesAPlainTwoPassComputation() throws Exception {
        int rows = 200_000;
        Dataset data = new Dataset(3);
        StringBuilder line = new StringBuilder();
        double[] kept = new double[rows];
        int n = 0;
        long malformed = 0;
        long flagged = 0;
        long negative = 0;
        for (int r = 0; r < rows; r++) {
            data.line(r, line);
            String[] fields = line.toString().split(",");
            if (fields[2].equals("n/a")) {
                malformed++;
            } else if (fields[3].equals("bad")) {
                flagged++;
            } else if (Double.parseDouble(fields[2]) < 0) {
                negative++;
            } else {
                kept[n++] = Double.parseDouble(fields[2]);
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) sum += kept[i];
        double mean = sum / n;
        double squares = 0;
        long[] histogram = new long[20];
        long overflow = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            squares += (kept[i] - mean) * (kept[i] - mean);
            int bin = (int) Math.floor(kept[i] / 5);
            if (bin < 20) histogram[bin]++; else overflow++;
            min = Math.min(min, kept[i]);
            max = Math.max(max, kept[i]);
        }
        Stats.Summary s = grid(rows, 7);
        assertEquals(rows, s.rows());
        assertEquals(n, s.kept());
        assertEquals(malformed, s.malformed());
        assertEquals(flagged, s.flagged());
        assertEquals(negative, s.negative());
        assertClose(mean, s.mean(), "mean");
        assertClose(squares / (n - 1), s.variance(), "variance");
        assertEquals(min, s.min());
        assertEquals(max, s.max());
        assertArrayEquals(histogram, s.histogram());
        assertEquals(overflow, s.overflow());
        // the filter had something to do at each step; dropping negatives lifts the bell's mean of 40 by ~1
        assertTrue(malformed > 0 && flagged > 0 && negative > 0 && overflow > 0, s.toString());
        assertTrue(s.mean() > Dataset.MEAN && s.mean() < Dataset.MEAN + 2, "mean " + s.mean());
        assertEquals(Dataset.DEVIATION, s.standardDeviation(), 2.0);
    }

    @Test
    void linesLookLikeCsv() {
        Pattern csv = Pattern.compile("\\d+,s0\\d\\d,(-?\\d+\\.\\d{6}|n/a),(ok|bad)");
        Dataset data = new Dataset(1);
        StringBuilder line = new StringBuilder();
        for (long r = 0; r < 10_000; r++) {
            data.line(r, line);
            assertTrue(csv.matcher(line).matches(), line.toString());
        }
    }

    @Test
    void fixedPointTextIsWhatPrintfWouldWrite() {
        for (double v : new double[] {0, 1, -1, 0.5, 52.3718294, -0.0000004, -0.0000006, 99.9999996, 1e-6, 12.000001, -28.25}) {
            StringBuilder out = new StringBuilder();
            Dataset.appendFixed6(out, v);
            String printf = String.format(Locale.ROOT, "%.6f", v);
            assertEquals(Double.parseDouble(printf), Double.parseDouble(out.toString()), 0.0, v + " -> " + out);
        }
    }

    @Test
    void emptyPartialsSurviveTheWireAndFewRowsGiveNullMoments() throws Exception {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind("stats", Map.of("rows", "1", "bins", "3"), 1, 100_000_000);
        Partial empty = Partial.empty(3);
        Partial back = (Partial) job.decodeResults(job.encodeResults(new Partial[] {empty}))[0];
        assertEquals(Double.POSITIVE_INFINITY, back.min());
        assertEquals(Double.NEGATIVE_INFINITY, back.max());
        var fold = job.newFold();
        fold.add(0, back);
        Stats.Summary none = (Stats.Summary) fold.answer();
        assertNull(none.mean());
        assertNull(none.variance());
        Stats.Summary one = grid(1, 1);
        assertEquals(1, one.rows());
        assertNull(one.variance(), "one row has no sample variance");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rows| 0| rows must be between 1 and 10000000000, got 0",
        "rows| -5| rows must be between 1 and 10000000000, got -5",
        "rows| 1e11| rows must be between 1 and 10000000000, got 100000000000",
        "bins| 0| bins must be between 1 and 4096, got 0",
        "bins| 5000| bins must be between 1 and 4096, got 5000"})
    void rejectsBadParametersNamingThem(String name, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("stats", Map.of(name, value), 1, 100_000_000));
        assertEquals(message, e.getMessage());
    }

    @Test
    void rejectsMoreChunksThanRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BoundJob.bind("stats", Map.of("rows", "100"), 101, 100_000_000));
        assertTrue(e.getMessage().contains("chunks (101) exceeds rows (100)"), e.getMessage());
    }
}
