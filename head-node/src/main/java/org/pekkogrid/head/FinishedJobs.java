package org.pekkogrid.head;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobDetail;

/**
 * The coordinator's memory of finished jobs: the last {@code kept} of them, and the full report
 * of only the last {@code reportsKept} (a report with per-chunk rows may weigh megabytes).
 */
final class FinishedJobs {

    private final int kept;
    private final int reportsKept;
    private final ArrayDeque<JobDetail> jobs = new ArrayDeque<>();
    private int withReport;

    FinishedJobs(int kept, int reportsKept) {
        if (kept < 0) throw new IllegalArgumentException("grid.head.finished-jobs-kept must be at least 0, got " + kept);
        if (reportsKept < 0) {
            throw new IllegalArgumentException("grid.head.reports-kept must be at least 0, got " + reportsKept);
        }
        this.kept = kept;
        this.reportsKept = reportsKept;
    }

    void add(JobDetail job) {
        jobs.addLast(job);
        if (job.report() != null) withReport++;
        while (jobs.size() > kept) {
            if (jobs.removeFirst().report() != null) withReport--;
        }
        if (withReport <= reportsKept) return;
        // Oldest first: drop reports until only the newest reportsKept remain.
        ArrayDeque<JobDetail> trimmed = new ArrayDeque<>(jobs.size());
        for (Iterator<JobDetail> it = jobs.iterator(); it.hasNext(); ) {
            JobDetail j = it.next();
            if (withReport > reportsKept && j.report() != null) {
                j = j.withoutReport();
                withReport--;
            }
            trimmed.addLast(j);
        }
        jobs.clear();
        jobs.addAll(trimmed);
    }

    Optional<JobDetail> find(String jobId) {
        for (Iterator<JobDetail> it = jobs.descendingIterator(); it.hasNext(); ) {
            JobDetail j = it.next();
            if (jobId.equals(j.job())) return Optional.of(j);
        }
        return Optional.empty();
    }

    /** Oldest first, as status lists them. */
    List<ClusterStatus.Job> rows() {
        return jobs.stream().map(JobDetail::row).toList();
    }
}
