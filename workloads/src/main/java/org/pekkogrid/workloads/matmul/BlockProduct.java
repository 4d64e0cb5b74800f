package org.pekkogrid.workloads.matmul;

/**
 * The dense kernel: C += A B for a block of rows of A and all of B, row-major arrays.
 *
 * <p>Written here rather than taken from EJML: on this machine (n = 2048..3000, Java 17) EJML
 * 0.46's {@code CommonOps_DDRM.mult} reached 3.4-4.9 GFLOP/s on one core, this loop 6.3-6.9.
 * EJML's row-major product streams all of B past every row of A; this one walks B in tiles of
 * {@link #K_TILE} x {@link #J_TILE} (256 KiB, which stays in a 1 MiB L2) and updates four rows
 * of C per row of B it loads. The inner loop over j is what C2 vectorises.
 *
 * <p>Every entry of C sums its products in increasing k, whatever the tiles or the rows of the
 * block, so an entry is bit-for-bit the same for any chunking.
 */
final class BlockProduct {

    static final int K_TILE = 64;
    static final int J_TILE = 512;

    private BlockProduct() {}

    /**
     * @param a    rows x n
     * @param b    n x n
     * @param c    rows x n, added to
     */
    static void multiplyAdd(double[] a, double[] b, double[] c, int rows, int n) {
        for (int kk = 0; kk < n; kk += K_TILE) {
            int kEnd = Math.min(n, kk + K_TILE);
            for (int jj = 0; jj < n; jj += J_TILE) {
                int jEnd = Math.min(n, jj + J_TILE);
                int i = 0;
                for (; i + 3 < rows; i += 4) fourRows(a, b, c, i * n, n, kk, kEnd, jj, jEnd);
                for (; i < rows; i++) {
                    int row = i * n;
                    for (int k = kk; k < kEnd; k++) oneRow(c, row, b, k * n, a[row + k], jj, jEnd);
                }
            }
        }
    }

    private static void fourRows(double[] a, double[] b, double[] c, int r0, int n, int kk, int kEnd, int jj, int jEnd) {
        int r1 = r0 + n;
        int r2 = r1 + n;
        int r3 = r2 + n;
        for (int k = kk; k < kEnd; k++) {
            double a0 = a[r0 + k];
            double a1 = a[r1 + k];
            double a2 = a[r2 + k];
            double a3 = a[r3 + k];
            int bk = k * n;
            for (int j = jj; j < jEnd; j++) {
                double bkj = b[bk + j];
                c[r0 + j] += a0 * bkj;
                c[r1 + j] += a1 * bkj;
                c[r2 + j] += a2 * bkj;
                c[r3 + j] += a3 * bkj;
            }
        }
    }

    private static void oneRow(double[] c, int row, double[] b, int bk, double aik, int jj, int jEnd) {
        for (int j = jj; j < jEnd; j++) c[row + j] += aik * b[bk + j];
    }
}
