package org.pekkogrid.head;

import java.util.ArrayList;
import java.util.List;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobReport;

/**
 * Keeps a job's answer to a remote asker within one Artery frame (1 MiB, pekko-grid.conf): a
 * report keeps up to {@code grid.head.report.chunk-rows} rows (10,000 by default, about 1.5 MB
 * as CBOR) and thousands of queue points and samples, so its long lists are thinned evenly to
 * these bounds. Askers on the coordinator's own node get the report whole.
 */
final class FrameBudget {

    static final int MAX_ROWS = 2000;
    static final int MAX_POINTS = 1000;

    private FrameBudget() {}

    static JobDetail fit(JobDetail job) {
        JobReport r = job.report();
        if (r == null || (r.chunkRows().size() <= MAX_ROWS && r.queue().size() <= MAX_POINTS
                && r.samples().size() <= MAX_POINTS)) {
            return job;
        }
        return job.withReport(r.withSeries(thin(r.chunkRows(), MAX_ROWS), thin(r.queue(), MAX_POINTS),
            thin(r.samples(), MAX_POINTS)), true);
    }

    /** Every k-th element, the first included, so that at most {@code max} remain spread over the whole list. */
    static <T> List<T> thin(List<T> all, int max) {
        if (all.size() <= max) return all;
        int step = (all.size() + max - 1) / max;
        List<T> kept = new ArrayList<>(max);
        for (int i = 0; i < all.size(); i += step) kept.add(all.get(i));
        return List.copyOf(kept);
    }
}
