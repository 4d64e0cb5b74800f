package org.pekkogrid.bench;

import java.util.Locale;
import org.pekkogrid.protocol.JobReport.ChunkRow;

/**
 * The columns of a chunk's timings, shared by {@code chunks.csv} of a report and the file
 * {@code --timings} streams, so that one script reads both. Times are ms from the job's start
 * on the head's clock.
 */
public final class ChunkRowsCsv {

    public static final String HEADER = "chunk,attempt,node,slot,queued_ms,dispatched_ms,started_ms,finished_ms,outcome";

    private ChunkRowsCsv() {}

    public static String line(ChunkRow r) {
        return String.format(Locale.ROOT, "%d,%d,%s,%s,%.3f,%.3f,%.3f,%.3f,%s", r.chunk(), r.attempt(), r.node(),
            r.slot(), r.queuedMillis(), r.dispatchedMillis(), r.startedMillis(), r.finishedMillis(), r.outcome());
    }
}
