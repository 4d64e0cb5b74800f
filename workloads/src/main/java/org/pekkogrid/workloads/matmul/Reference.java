package org.pekkogrid.workloads.matmul;

/**
 * What the head knows of C = A B without computing it, from the generated A and B alone:
 * a block of rows sums to sum_k (column sums of A's rows)_k (row sums of B)_k, O(n) per row,
 * and one entry is a dot product, O(n). Each comes with its scale, the same sums over absolute
 * values, which bounds the rounding error of any order of summation.
 */
final class Reference {

    /** An exact value (to rounding) and the sum of the absolute values of its terms. */
    record Value(double value, double scale) {

        double relativeDifference(double computed) {
            return scale == 0 ? Math.abs(computed - value) : Math.abs(computed - value) / scale;
        }
    }

    private final SeededMatrix a;
    private final SeededMatrix b;
    private double[] bRowSums;
    private double[] bRowAbsSums;

    Reference(SeededMatrix a, SeededMatrix b) {
        this.a = a;
        this.b = b;
    }

    /** The sum of the entries of C's rows {@code [from, to)}. */
    Value blockSum(int from, int to) {
        int n = a.n();
        if (bRowSums == null) {
            bRowSums = new double[n];
            bRowAbsSums = new double[n];
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    double v = b.entry(k, j);
                    bRowSums[k] += v;
                    bRowAbsSums[k] += Math.abs(v);
                }
            }
        }
        double[] columnSums = new double[n];
        double[] columnAbsSums = new double[n];
        for (int i = from; i < to; i++) {
            for (int k = 0; k < n; k++) {
                double v = a.entry(i, k);
                columnSums[k] += v;
                columnAbsSums[k] += Math.abs(v);
            }
        }
        double value = 0;
        double scale = 0;
        for (int k = 0; k < n; k++) {
            value += columnSums[k] * bRowSums[k];
            scale += columnAbsSums[k] * bRowAbsSums[k];
        }
        return new Value(value, scale);
    }

    Value entry(int i, int j) {
        double value = 0;
        double scale = 0;
        for (int k = 0; k < a.n(); k++) {
            double term = a.entry(i, k) * b.entry(k, j);
            value += term;
            scale += Math.abs(term);
        }
        return new Value(value, scale);
    }
}
