package org.pekkogrid.workloads.stats;

/**
 * The pipeline's aggregate over some rows; partials merge in any order.
 *
 * @param rows      lines read
 * @param malformed lines whose reading was not a number
 * @param flagged   lines dropped for their {@code bad} flag
 * @param negative  lines dropped for a negative reading
 * @param kept      readings that passed the filter, the count the moments are over
 * @param mean      mean of the kept readings
 * @param m2        sum of squared deviations from that mean (Welford's M2)
 * @param histogram counts over [0, {@link StatsPipeline#HISTOGRAM_MAX}) in equal bins
 * @param overflow  kept readings at or above the histogram's top
 */
public record Partial(long rows, long malformed, long flagged, long negative, long kept, double mean, double m2,
                      double min, double max, long[] histogram, long overflow) {

    static Partial empty(int bins) {
        return new Partial(0, 0, 0, 0, 0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, new long[bins], 0);
    }

    /** Chan, Golub and LeVeque's pairwise update: exact in exact arithmetic, stable in doubles. */
    Partial merge(Partial o) {
        if (histogram.length != o.histogram.length) {
            throw new IllegalArgumentException("histograms of " + histogram.length + " and " + o.histogram.length + " bins");
        }
        long n = kept + o.kept;
        double mergedMean;
        double mergedM2;
        if (n == 0) {
            mergedMean = 0;
            mergedM2 = 0;
        } else {
            double delta = o.mean - mean;
            mergedMean = mean + delta * o.kept / n;
            mergedM2 = m2 + o.m2 + delta * delta * ((double) kept * o.kept / n);
        }
        long[] bins = histogram.clone();
        for (int i = 0; i < bins.length; i++) bins[i] += o.histogram[i];
        return new Partial(rows + o.rows, malformed + o.malformed, flagged + o.flagged, negative + o.negative, n,
            mergedMean, mergedM2, Math.min(min, o.min), Math.max(max, o.max), bins, overflow + o.overflow);
    }
}
