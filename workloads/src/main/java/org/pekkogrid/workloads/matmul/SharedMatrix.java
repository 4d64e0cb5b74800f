package org.pekkogrid.workloads.matmul;

/**
 * A seeded matrix generated on first use and then shared, read-only, by every chunk of the job
 * on this node. Nothing is generated where no chunk runs (the head).
 */
public final class SharedMatrix {

    private final SeededMatrix matrix;
    private volatile double[] values;

    SharedMatrix(SeededMatrix matrix) {
        this.matrix = matrix;
    }

    double[] values() {
        double[] v = values;
        if (v == null) {
            synchronized (this) {
                v = values;
                if (v == null) {
                    v = matrix.rows(0, matrix.n());
                    values = v;
                }
            }
        }
        return v;
    }
}
