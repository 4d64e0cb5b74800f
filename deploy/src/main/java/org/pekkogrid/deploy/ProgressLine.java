package org.pekkogrid.deploy;

import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.pekkogrid.protocol.JobEvent;

/**
 * A live progress line on stderr while a job waits and runs, only when a person is watching: on
 * a terminal, and never with --no-progress (otherwise it would write a long line of
 * carriage returns into logs). While the job is queued the line says its position.
 */
final class ProgressLine implements Consumer<JobEvent.Progress>, AutoCloseable {

    private final String name;
    private final boolean enabled;
    private ProgressBar bar;
    /** Length of the queued line on screen, to blank it when the bar takes over; 0 when none is. */
    private int queuedLineLength;

    ProgressLine(String name, boolean wanted) {
        this.name = name;
        this.enabled = wanted && System.console() != null;
    }

    /** The job waits in the head's queue. */
    synchronized void queued(JobEvent.Queued q) {
        if (!enabled || bar != null) return;
        String line = text(name, q);
        System.err.print("\r" + line + " ".repeat(Math.max(0, queuedLineLength - line.length())));
        System.err.flush();
        queuedLineLength = line.length();
    }

    static String text(String name, JobEvent.Queued q) {
        return name + ": queued, position " + q.position();
    }

    @Override
    public synchronized void accept(JobEvent.Progress p) {
        if (!enabled) return;
        if (bar == null) {
            if (queuedLineLength > 0) System.err.print("\r" + " ".repeat(queuedLineLength) + "\r");
            queuedLineLength = 0;
            bar = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(p.chunksTotal())
                .setUnit(" chunks", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .build();
        }
        bar.stepTo(p.chunksDone());
        bar.setExtraMessage(p.retries() > 0 ? " " + p.retries() + " retries" : "");
    }

    @Override
    public synchronized void close() {
        if (bar != null) bar.close();
        bar = null;
        if (queuedLineLength > 0) System.err.println();
        queuedLineLength = 0;
    }
}
