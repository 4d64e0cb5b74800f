package org.pekkogrid.deploy;

import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.pekkogrid.protocol.JobEvent;

/**
 * A live progress line on stderr while a job runs, only when a person is watching: on a
 * terminal, and never with --no-progress (otherwise it would write a long line of
 * carriage returns into logs).
 */
final class ProgressLine implements Consumer<JobEvent.Progress>, AutoCloseable {

    private final String name;
    private final boolean enabled;
    private ProgressBar bar;

    ProgressLine(String name, boolean wanted) {
        this.name = name;
        this.enabled = wanted && System.console() != null;
    }

    @Override
    public synchronized void accept(JobEvent.Progress p) {
        if (!enabled) return;
        if (bar == null) {
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
    }
}
