package org.pekkogrid.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the long lists of a finished job's report, which arrive in {@link JobEvent.ReportPart}s
 * just before its end, and puts them back into the report the end carries.
 */
public final class ReportParts {

    private final List<JobReport.ChunkRow> rows = new ArrayList<>();
    private final List<JobReport.QueuePoint> queue = new ArrayList<>();
    private final List<JobReport.NodeSample> samples = new ArrayList<>();
    private boolean any;

    public void add(JobEvent.ReportPart part) {
        any = true;
        rows.addAll(part.chunkRows());
        queue.addAll(part.queue());
        samples.addAll(part.samples());
    }

    /** The report with the series gathered so far; as it is when none came in parts. */
    public JobReport complete(JobReport report) {
        if (report == null || !any) return report;
        return report.withSeries(List.copyOf(rows), List.copyOf(queue), List.copyOf(samples));
    }
}
