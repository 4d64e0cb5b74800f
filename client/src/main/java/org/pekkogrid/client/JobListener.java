package org.pekkogrid.client;

import java.util.List;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;

/**
 * What a program hears while its job runs. Both run on the client's actor thread, in order:
 * keep them short (hand heavy work to another thread).
 */
public interface JobListener {

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
