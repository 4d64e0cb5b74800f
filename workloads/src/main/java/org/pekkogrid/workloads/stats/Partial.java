package org.pekkogrid.workloads.stats;

/**
 * The pipeline's aggregate over some rows: what a chunk returns. The head adds partials up
 * exactly ({@link Stats.Folded}), so they may come in any order.
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
}
