package org.pekkogrid.client;

import java.util.List;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;

/**
 * What a program hears while its job waits and runs. All run on the client's actor thread, in order:
 * keep them short (hand heavy work to another thread).
 */
public interface JobListener {

    /**
     * The job waits in the head's queue for running jobs to end: when it is queued, and as it
     * moves up (about every 250 ms at most). Progress follows once it starts.
     */
    default void onQueued(JobEvent.Queued queued) {}

    /** About every 250 ms while chunks complete. */
    default void onProgress(JobEvent.Progress progress) {}

    /** Per-chunk timings, when the job asked for them ({@code JobSpec.withTimings(true)}). */
    default void onTimings(List<JobReport.ChunkRow> rows) {}

    static JobListener progress(java.util.function.Consumer<JobEvent.Progress> onProgress) {
        return new JobListener() {
            @Override
            public void onProgress(JobEvent.Progress progress) {
                onProgress.accept(progress);
            }
        };
    }
}
