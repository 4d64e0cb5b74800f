package org.pekkogrid.head;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorRef;
import org.pekkogrid.head.InFlightBatches.Batch;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobReport.ChunkRow;
import org.pekkogrid.protocol.NodeAddress;

/**
 * Who hears a job's events (its client, then whoever followed it since), and what of its report
 * travels to them: each chunk's row as the job runs, when the client asked for its timings, and
 * at the end the report's long lists in parts ahead of the final event. Every message stays well
 * under a frame whatever the job's size.
 */
final class ReportStream {

    /** How a chunk's attempt ended, as its row says. */
    enum Outcome {
        OK, DUPLICATE, FAILED;

        final String row = name().toLowerCase(Locale.ROOT);
    }

    /** Series up to this length travel inside the final event: well under a frame. */
    static final int INLINE_SERIES = 256;

    /** Rows, queue points or samples per message. */
    private static final int PIECE = 2000;

    private final String jobId;
    private final JobMetrics metrics;
    private final boolean streamTimings;
    private final List<ActorRef<JobEvent>> listeners = new ArrayList<>(2);
    private final List<ChunkRow> pendingRows = new ArrayList<>();
    /** Whether the first listener is the job's client, still there. */
    private boolean clientPresent = true;

    /** @param streamTimings send every chunk's row to the listeners as the job runs */
    ReportStream(String jobId, ActorRef<JobEvent> client, boolean streamTimings, JobMetrics metrics) {
        this.jobId = jobId;
        this.metrics = metrics;
        this.streamTimings = streamTimings;
        listeners.add(client);
    }

    /** Tells the job's client, unless it has gone. */
    void tellClient(JobEvent event) {
        if (clientPresent) listeners.get(0).tell(event);
    }

    /** Listeners at this address (a client that closed) hear nothing more. */
    void unfollow(org.apache.pekko.actor.Address client) {
        if (clientPresent && listeners.get(0).path().address().equals(client)) clientPresent = false;
        listeners.removeIf(l -> l.path().address().equals(client));
    }

    /** Adds a listener; one that listens already is not added twice. */
    void follow(ActorRef<JobEvent> listener) {
        if (!listeners.contains(listener)) listeners.add(listener);
    }

    void tell(JobEvent event) {
        for (ActorRef<JobEvent> listener : listeners) listener.tell(event);
    }

    /** Whether rows are wanted at all: streamed, or kept in the report while it has room. */
    boolean wantsRows() {
        return streamTimings || metrics.wantsRows();
    }

    /**
     * The row of the chunk at {@code position} of a batch, kept in the report while it has room
     * and streamed when asked.
     *
     * @param startedNanos when it started, on the head's clock
     */
    void row(Batch batch, int position, long chunk, long startedNanos, long runNanos, Outcome outcome) {
        long queued = batch.queuedNanosAt(position);
        ChunkRow row = new ChunkRow(chunk, batch.attemptAt(position), NodeAddress.of(batch.slot.node()),
            batch.slot.slotId(), queued < 0 ? 0 : metrics.sinceStartMillis(queued),
            metrics.sinceStartMillis(batch.dispatchedNanos), metrics.sinceStartMillis(startedNanos),
            metrics.sinceStartMillis(startedNanos + runNanos), outcome.row);
        metrics.row(row);
        if (streamTimings) pendingRows.add(row);
    }

    /** Sends the rows gathered since the last flush. */
    void flushTimings() {
        if (pendingRows.isEmpty()) return;
        for (int from = 0; from < pendingRows.size(); from += PIECE) {
            tell(new JobEvent.Timings(jobId, slice(pendingRows, from)));
        }
        pendingRows.clear();
    }

    /**
     * Ends the stream ahead of the final event: the last rows, then the report's long lists in
     * parts. Returns the report without them, for the final event; short lists stay in it, so a
     * small job's outcome is one message.
     */
    JobReport beforeTheEnd(JobReport report) {
        flushTimings();
        int longest = Math.max(report.chunkRows().size(), Math.max(report.queue().size(), report.samples().size()));
        if (longest <= INLINE_SERIES) return report;
        for (int from = 0; from < longest; from += PIECE) {
            tell(new JobEvent.ReportPart(jobId, slice(report.chunkRows(), from), slice(report.queue(), from),
                slice(report.samples(), from)));
        }
        return report.withoutSeries();
    }

    private static <T> List<T> slice(List<T> list, int from) {
        return from >= list.size() ? List.of() : List.copyOf(list.subList(from, Math.min(list.size(), from + PIECE)));
    }
}
