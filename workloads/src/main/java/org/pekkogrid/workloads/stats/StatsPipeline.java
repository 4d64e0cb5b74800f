package org.pekkogrid.workloads.stats;

/**
 * The kernel, one row at a time as a streaming job would: generate the line, parse it, filter
 * it, and fold the reading into running moments (Welford), extremes and a histogram.
 */
final class StatsPipeline {

    /** The histogram covers readings in [0, 100); higher ones are counted as overflow. */
    static final double HISTOGRAM_MAX = 100;

    private StatsPipeline() {}

    static Partial run(long seed, int bins, long from, long to) {
        Dataset data = new Dataset(seed);
        StringBuilder line = new StringBuilder(48);
        long malformed = 0;
        long flagged = 0;
        long negative = 0;
        long kept = 0;
        double mean = 0;
        double m2 = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long[] histogram = new long[bins];
        long overflow = 0;
        double binsPerUnit = bins / HISTOGRAM_MAX;
        for (long row = from; row < to; row++) {
            data.line(row, line);
            // parse: id,sensor,reading,flag
            int c1 = indexOf(line, ',', 0);
            int c2 = indexOf(line, ',', c1 + 1);
            int c3 = indexOf(line, ',', c2 + 1);
            if (c1 < 0 || c2 < 0 || c3 < 0 || Long.parseLong(line, 0, c1, 10) != row) {
                throw new IllegalStateException("row " + row + " generated an unreadable line: " + line);
            }
            double reading;
            try {
                reading = Double.parseDouble(line.substring(c2 + 1, c3));
            } catch (NumberFormatException e) {
                malformed++;
                continue;
            }
            // filter
            if (line.length() - c3 - 1 == 3 && line.charAt(c3 + 1) == 'b') {  // "bad"; the other flag is "ok"
                flagged++;
                continue;
            }
            if (reading < 0) {
                negative++;
                continue;
            }
            // aggregate
            kept++;
            double delta = reading - mean;
            mean += delta / kept;
            m2 += delta * (reading - mean);
            if (reading < min) min = reading;
            if (reading > max) max = reading;
            int bin = (int) (reading * binsPerUnit);
            if (bin < bins) histogram[bin]++; else overflow++;
        }
        return new Partial(to - from, malformed, flagged, negative, kept, mean, m2, min, max, histogram, overflow);
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) if (s.charAt(i) == c) return i;
        return -1;
    }
}
