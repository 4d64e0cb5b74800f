package org.pekkogrid.deploy;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.pekkogrid.protocol.JobEvent;

/**
 * A job's progress on stderr while it waits and runs. On a terminal, a live bar; otherwise (a log,
 * a pipe, CI) a plain line every few seconds, such as {@code job-1f-3 (leibniz-pi): 41% 105/256
 * chunks, 512 chunks/s, eta 3 s}, never a line of carriage returns. Nothing with --no-progress.
 * When the job ends, {@link #finish} brings the bar (or a last line) to the count the job reached:
 * 100% for a job that completed, although its last progress event came before its last chunks.
 */
final class ProgressLine implements Consumer<JobEvent.Progress>, AutoCloseable {

    /** How progress shows. */
    enum Mode { OFF, BAR, LINES }

    /** Between two plain lines. */
    static final Duration LINE_INTERVAL = Duration.ofSeconds(5);

    private final String name;
    private final Mode mode;
    private final PrintStream err;
    private final long lineIntervalNanos;
    private final LongSupplier nanoClock;
    private ProgressBar bar;
    /** Length of the queued line on screen, to blank it when the bar takes over; 0 when none is. */
    private int queuedLineLength;
    private String jobId;
    private long lastLineNanos;
    private int lastQueuedPosition = -1;
    private JobEvent.Progress last;

    ProgressLine(String name, boolean wanted) {
        this(name, !wanted ? Mode.OFF : System.console() != null ? Mode.BAR : Mode.LINES, System.err, LINE_INTERVAL,
            System::nanoTime);
    }

    ProgressLine(String name, Mode mode, PrintStream err, Duration lineInterval, LongSupplier nanoClock) {
        this.name = name;
        this.mode = mode;
        this.err = err;
        this.lineIntervalNanos = lineInterval.toNanos();
        this.nanoClock = nanoClock;
        this.lastLineNanos = nanoClock.getAsLong();
    }

    /** The job waits in the head's queue. */
    synchronized void queued(JobEvent.Queued q) {
        jobId = q.jobId();
        if (mode == Mode.LINES) {
            // The first word at once, then a move up at most every interval.
            long now = nanoClock.getAsLong();
            if (q.position() == lastQueuedPosition) return;
            if (lastQueuedPosition >= 0 && now - lastLineNanos < lineIntervalNanos) return;
            lastQueuedPosition = q.position();
            lastLineNanos = now;
            err.println(label() + ": queued, position " + q.position());
            err.flush();
            return;
        }
        if (mode != Mode.BAR || bar != null) return;
        String line = text(name, q);
        err.print("\r" + line + " ".repeat(Math.max(0, queuedLineLength - line.length())));
        err.flush();
        queuedLineLength = line.length();
    }

    static String text(String name, JobEvent.Queued q) {
        return name + ": queued, position " + q.position();
    }

    @Override
    public synchronized void accept(JobEvent.Progress p) {
        jobId = p.jobId();
        last = p;
        if (mode == Mode.LINES) {
            long now = nanoClock.getAsLong();
            if (now - lastLineNanos < lineIntervalNanos) return;
            lastLineNanos = now;
            err.println(line(label(), p.chunksDone(), p.chunksTotal(), p.elapsedMillis(), false));
            err.flush();
            return;
        }
        if (mode != Mode.BAR) return;
        bar(p.chunksTotal());
        bar.stepTo(p.chunksDone());
        bar.setExtraMessage(p.retries() > 0 ? " " + p.retries() + " retries" : "");
    }

    /**
     * The job ended having done {@code chunksDone} of {@code chunksTotal} in {@code elapsedMillis}:
     * the bar steps there, or one last line says so (a job that ended before it started says nothing).
     */
    synchronized void finish(String endedJobId, long chunksDone, long chunksTotal, long elapsedMillis) {
        if (endedJobId != null) jobId = endedJobId;
        if (chunksTotal <= 0) return;
        if (mode == Mode.LINES) {
            err.println(line(label(), chunksDone, chunksTotal, elapsedMillis, true));
            err.flush();
        } else if (mode == Mode.BAR) {
            bar(chunksTotal);
            bar.stepTo(chunksDone);
            bar.refresh();
        }
    }

    /** The job ended: the bar, or a last line, shows where it got (100% once it completed). */
    void finish(org.pekkogrid.client.JobResult r) {
        org.pekkogrid.protocol.JobReport report = r.report();
        if (report != null) finish(r.jobId(), report.chunksDone(), report.chunks(), Math.round(report.makespanMillis()));
    }

    /** A word between the grid's run and what follows (the baseline), on a line of its own. */
    synchronized void say(String message) {
        if (mode == Mode.OFF) return;
        closeBar();
        err.println(message);
        err.flush();
    }

    private void bar(long total) {
        if (bar != null) return;
        if (queuedLineLength > 0) err.print("\r" + " ".repeat(queuedLineLength) + "\r");
        queuedLineLength = 0;
        bar = new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(total)
            .setUnit(" chunks", 1)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(err))
            .setUpdateIntervalMillis(200)
            .showSpeed()
            .build();
    }

    private String label() {
        return jobId == null ? name : jobId + " (" + name + ")";
    }

    /** {@code job-1 (noop): 41% 105/256 chunks, 512 chunks/s, eta 3 s}; at the end {@code ... in 2.1 s}. */
    static String line(String label, long done, long total, long elapsedMillis, boolean ended) {
        double percent = total == 0 ? 0 : 100.0 * done / total;
        double perSecond = elapsedMillis <= 0 ? 0 : done * 1000.0 / elapsedMillis;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: %.0f%% %d/%d chunks, %s chunks/s", label,
            Math.floor(percent), done, total, rate(perSecond)));
        if (ended) {
            b.append(String.format(Locale.ROOT, ", in %s", JobsCommand.duration(elapsedMillis)));
        } else if (perSecond > 0) {
            b.append(", eta ").append(JobsCommand.duration((long) ((total - done) * 1000 / perSecond)));
        }
        return b.toString();
    }

    private static String rate(double perSecond) {
        return perSecond >= 100 ? String.format(Locale.ROOT, "%.0f", perSecond)
            : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    private void closeBar() {
        if (bar != null) bar.close();
        bar = null;
        if (queuedLineLength > 0) err.println();
        queuedLineLength = 0;
    }

    @Override
    public synchronized void close() {
        closeBar();
    }

    /** The last progress event heard; null before the first. */
    synchronized JobEvent.Progress last() {
        return last;
    }
}
