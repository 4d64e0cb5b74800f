package org.pekkogrid.workloads.matmul;

/**
 * The entries of C that the job reports and the head recomputes on its own: {@link #COUNT}
 * positions drawn from the seed, the same whatever the chunking.
 */
record Samples(int[] rows, int[] columns) {

    static final int COUNT = 32;

    static Samples of(long seed, int n) {
        int[] rows = new int[COUNT];
        int[] columns = new int[COUNT];
        long state = SeededMatrix.mix64(seed ^ 0x5A3913L);
        for (int s = 0; s < COUNT; s++) {
            long z = SeededMatrix.mix64(state + s);
            rows[s] = (int) Long.remainderUnsigned(z, n);
            columns[s] = (int) Long.remainderUnsigned(z >>> 20 ^ z << 7, n);
        }
        return new Samples(rows, columns);
    }
}
