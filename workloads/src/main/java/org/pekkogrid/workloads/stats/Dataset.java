package org.pekkogrid.workloads.stats;

/**
 * The generated dataset: row r is one CSV line, a pure function of (seed, r), so any chunk can
 * produce its rows alone and any chunking sees the same data. A line reads
 * {@code 1234,s042,52.371829,ok}: row id, sensor, a reading in fixed-point text, and a flag.
 * About 1 % of readings are unreadable ({@code n/a}), 2 % of rows are flagged {@code bad}, and
 * the readings, an Irwin-Hall bell of mean 40 and deviation 20 over [-29, 109], are negative in
 * about 2.5 % of rows, so the filter has work to do.
 */
final class Dataset {

    static final double MEAN = 40;
    static final double DEVIATION = 20;
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double IRWIN_HALL_4_SCALE = DEVIATION * Math.sqrt(3);  // the sum of 4 U(0,1) has variance 1/3
    private static final double FROM_16_BITS = 1.0 / 65536;

    private final long key;

    Dataset(long seed) {
        this.key = mix64(seed ^ 0x57A75L);
    }

    /** Writes row r's line into {@code line}, replacing what was there. */
    void line(long row, StringBuilder line) {
        long h = mix64(key + row * GOLDEN_GAMMA);
        long g = mix64(h ^ 0x6a09e667f3bcc909L);
        line.setLength(0);
        line.append(row).append(",s");
        int sensor = (int) ((g >>> 32) % 100);
        line.append(sensor < 10 ? "00" : "0").append(sensor).append(',');  // s000..s099
        int kind = (int) ((g & 0xffff) % 1000);
        if (kind < 10) {
            line.append("n/a");
        } else {
            double sum = ((h & 0xffff) + (h >>> 16 & 0xffff) + (h >>> 32 & 0xffff) + (h >>> 48)) * FROM_16_BITS;
            appendFixed6(line, MEAN + IRWIN_HALL_4_SCALE * (sum - 2));
        }
        line.append(',').append(kind >= 10 && kind < 30 ? "bad" : "ok");
    }

    /** The value with six decimals, as {@code %.6f} would print it but without its cost. */
    static void appendFixed6(StringBuilder out, double value) {
        long micros = Math.round(value * 1e6);
        if (micros < 0) {
            out.append('-');
            micros = -micros;
        }
        out.append(micros / 1_000_000).append('.');
        long fraction = micros % 1_000_000;
        for (long pad = 100_000; pad > fraction && pad > 1; pad /= 10) out.append('0');
        out.append(fraction);
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
