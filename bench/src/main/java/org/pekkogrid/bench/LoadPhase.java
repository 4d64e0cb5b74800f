package org.pekkogrid.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * One phase of {@code grid bench load}: its jobs as they ended, and the figures the report gives.
 *
 * @param clients client JVMs that submitted them
 */
record LoadPhase(Kind kind, int clients, List<LoadJob> jobs) {

    enum Kind {
        /** Several client JVMs, each with several jobs of the mixed workloads, all submitted at once. */
        MIXED("mixed"),
        /** One client with many one-chunk jobs in flight at once. */
        ONE_CHUNK("one-chunk");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    LoadPhase {
        jobs = List.copyOf(jobs);
    }

    long count(LoadJob.Outcome outcome) {
        return jobs.stream().filter(j -> j.outcome() == outcome).count();
    }

    /** Jobs that did not end exact for a reason of the grid's: wrong answers, failures, jobs lost. */
    long broken() {
        return count(LoadJob.Outcome.WRONG) + count(LoadJob.Outcome.FAILED) + count(LoadJob.Outcome.LOST);
    }

    List<LoadJob> exact() {
        return jobs.stream().filter(j -> j.outcome() == LoadJob.Outcome.EXACT).toList();
    }

    /** When the first job was submitted, µs since the epoch. */
    long startMicros() {
        return jobs.stream().mapToLong(LoadJob::submittedAtMicros).filter(t -> t > 0).min().orElse(0);
    }

    /** First submit → last exact answer, in seconds; NaN when no job ended exact. */
    double wallSeconds() {
        double end = exact().stream().mapToDouble(LoadJob::endedAtMicros).max().orElse(Double.NaN);
        return (end - startMicros()) / 1e6;
    }

    /** Exact answers per second of {@link #wallSeconds}. */
    double jobsPerSecond() {
        return exact().size() / wallSeconds();
    }

    /** Round trip of the exact jobs at percentile {@code p}, ms; NaN when there are none. */
    double percentileMillis(double p) {
        return percentileMillis(exact(), p);
    }

    static double percentileMillis(List<LoadJob> jobs, double p) {
        if (jobs.isEmpty()) return Double.NaN;
        return histogram(jobs).getValueAtPercentile(p) / 1000.0;
    }

    static Histogram histogram(List<LoadJob> jobs) {
        return LatencyExperiment.histogram(jobs.stream().map(LoadJob::roundTripMillis).toList());
    }

    double maxMillis() {
        return exact().stream().mapToDouble(LoadJob::roundTripMillis).max().orElse(Double.NaN);
    }

    /** Chunks the jobs asked for, of the jobs that ran (not rejected). */
    long chunksAsked() {
        return jobs.stream().filter(j -> j.outcome() != LoadJob.Outcome.REJECTED).mapToLong(j -> j.spec().chunks()).sum();
    }

    /** Chunks the head counted done, each once, over every job that reported. */
    long chunksDone() {
        return jobs.stream().mapToLong(j -> Math.max(0, j.chunksDone())).sum();
    }

    long duplicates() {
        return jobs.stream().mapToLong(LoadJob::duplicates).sum();
    }

    long retries() {
        return jobs.stream().mapToLong(LoadJob::retries).sum();
    }

    /** The exact jobs by workload, in name order. */
    Map<String, List<LoadJob>> exactByWorkload() {
        Map<String, List<LoadJob>> by = new TreeMap<>();
        for (LoadJob j : exact()) by.computeIfAbsent(j.spec().workload(), w -> new java.util.ArrayList<>()).add(j);
        return by;
    }

    /** Why jobs did not end exact, each reason with how many: the head's rejections name its limit. */
    Map<String, Long> reasons() {
        Map<String, Long> why = new TreeMap<>();
        for (LoadJob j : jobs) {
            if (j.outcome() == LoadJob.Outcome.EXACT) continue;
            String reason = j.outcome() + ": " + (j.error() == null ? "(no error given)" : j.error());
            why.merge(reason, 1L, Long::sum);
        }
        return why;
    }
}
