package org.pekkogrid.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.pekkogrid.protocol.JobReport;

/**
 * How a job ended, as its client saw it.
 *
 * @param result          the workload's answer as JSON; null unless COMPLETED
 * @param error           why it failed, was rejected or cancelled; null when COMPLETED
 * @param report          how the grid ran it; null when REJECTED, and when it ended before it started
 *                        (cancelled while it waited in the head's queue)
 * @param roundTripNanos  submit to final answer, measured by the client
 */
public record JobResult(String jobId, String workload, Status status, JsonNode result, String summary,
                        String error, JobReport report, long roundTripNanos) {

    public enum Status {
        COMPLETED,
        FAILED,
        /** Bad input: the head started nothing (or, watching a job, the head knows no job by that id). */
        REJECTED,
        /**
         * Stopped on request: {@code grid cancel}, {@code DELETE /v1/jobs/{id}}, {@link JobHandle#cancel}, or
         * its client left. The report says how far it got (none when it was cancelled while queued).
         */
        CANCELLED
    }

    public boolean completed() {
        return status == Status.COMPLETED;
    }
}
