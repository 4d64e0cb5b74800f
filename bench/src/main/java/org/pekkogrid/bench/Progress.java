package org.pekkogrid.bench;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far a benchmark has got. On a terminal, a progress bar on stderr; elsewhere (a log file,
 * CI) one plain line per measured run, since a bar would write one endless line of carriage
 * returns into the log.
 */
final class Progress implements AutoCloseable {

    private final PrintStream log;
    private final long total;
    private final ProgressBar bar;
    private long done;

    Progress(long total, boolean bar, PrintStream log) {
        this.log = log;
        this.total = total;
        this.bar = bar ? new ProgressBarBuilder().setTaskName("bench").setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(log))
            .setUpdateIntervalMillis(250).build() : null;
    }

    /** One measured run finished. */
    synchronized void step(String experiment, String what) {
        done++;
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(" " + experiment + ": " + what);
        } else {
            log.printf("[%d/%d] %s: %s%n", done, total, experiment, what);
            log.flush();
        }
    }

    /** Something a watcher should read: a warm-up starting, images being generated. */
    synchronized void note(String experiment, String what) {
        if (bar != null) {
            bar.setExtraMessage(" " + experiment + ": " + what);
        } else {
            log.println(experiment + ": " + what);
            log.flush();
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) bar.close();
    }
}
