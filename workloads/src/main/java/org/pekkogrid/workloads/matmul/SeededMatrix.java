package org.pekkogrid.workloads.matmul;

/**
 * An n x n matrix whose entry (i, j) is a pure function of (key, n, i, j), uniform in [-1, 1):
 * SplitMix64's mixer over a counter. Any node can generate any rows without the others.
 */
record SeededMatrix(long key, int n) {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double TO_UNIT = 0x1.0p-53;

    static SeededMatrix a(long seed, int n) {
        return new SeededMatrix(mix64(seed ^ 0xA11CEL), n);
    }

    static SeededMatrix b(long seed, int n) {
        return new SeededMatrix(mix64(seed ^ 0xB0BL), n);
    }

    double entry(int i, int j) {
        long z = mix64(key + ((long) i * n + j) * GOLDEN_GAMMA);
        return (z >>> 11) * TO_UNIT * 2 - 1;
    }

    /** Rows {@code [from, to)}, row-major. */
    double[] rows(int from, int to) {
        double[] values = new double[Math.multiplyExact(to - from, n)];
        int k = 0;
        for (int i = from; i < to; i++) {
            for (int j = 0; j < n; j++) values[k++] = entry(i, j);
        }
        return values;
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
