package org.pekkogrid.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * A repeated measurement: its median and how far the runs spread. With a handful of runs on a
 * shared machine the median is the figure to quote and min–max the honest error bar.
 */
public record Spread(double median, double min, double max, double p25, double p75, int count) {

    public static Spread of(Collection<Double> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("no values to summarise");
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Spread(quantile(v, 0.5), v[0], v[v.length - 1], quantile(v, 0.25), quantile(v, 0.75), v.length);
    }

    public static Spread of(double... values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    /** Linear interpolation between the closest ranks, over values sorted ascending. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 1) return sorted[0];
        double rank = q * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
