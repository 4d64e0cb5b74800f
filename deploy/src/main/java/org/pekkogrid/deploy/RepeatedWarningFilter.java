package org.pekkogrid.deploy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.util.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Keeps a peer that makes a node warn in a loop from filling its disk or its memory: per logger
 * and window, the first {@code perMessage} warnings or errors of each message and
 * {@code perLogger} in all are written, the rest dropped, and when the window ends one line per
 * message says how many were. Info and debug lines pass untouched.
 *
 * <p>Not logback's {@code DuplicateMessageFilter}: it keys on the format string, and Pekko logs
 * every info line with the format {@code "{}"} (warnings with the formatted message), so it would
 * silence all of Pekko's info lines after the fifth, and for good.
 *
 * <p>Pekko asks {@code isWarnEnabled()} before it formats a warning and queues it for its logger
 * actor, whose mailbox is unbounded: once a logger has dropped a warning in this window the answer
 * is no, so a flood stops at its source rather than piling up in that mailbox.
 */
public final class RepeatedWarningFilter extends TurboFilter {

    /** Marks this filter's own summary lines, which it lets through. */
    static final Marker SUMMARY = MarkerFactory.getMarker("SUPPRESSED_WARNINGS");
    private static final int MAX_QUOTED_CHARS = 300;

    private int perMessage = 5;
    private int perLogger = 50;
    private Duration window = Duration.buildBySeconds(10);
    private volatile WarningBudget budget;
    private ScheduledExecutorService windows;

    public void setPerMessage(int perMessage) {
        this.perMessage = perMessage;
    }

    public void setPerLogger(int perLogger) {
        this.perLogger = perLogger;
    }

    public void setWindow(Duration window) {
        this.window = window;
    }

    @Override
    public void start() {
        budget = new WarningBudget(perMessage, perLogger);
        windows = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "repeated-warning-filter");
            t.setDaemon(true);
            return t;
        });
        long millis = window.getMilliseconds();
        windows.scheduleAtFixedRate(this::endWindow, millis, millis, TimeUnit.MILLISECONDS);
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        if (windows != null) windows.shutdownNow();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (!isStarted() || level == null || !level.isGreaterOrEqual(Level.WARN) || marker == SUMMARY) {
            return FilterReply.NEUTRAL;
        }
        boolean error = level.isGreaterOrEqual(Level.ERROR);
        boolean admitted = format == null
            ? budget.admitsAny(logger.getName(), error)
            : budget.admit(logger.getName(), format, error);
        return admitted ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    /** Writes what the window dropped and starts the next; the scheduler calls it every window. */
    void endWindow() {
        LoggerContext context = (LoggerContext) getContext();
        for (WarningBudget.Suppressed s : budget.endWindow()) {
            String what = s.message() == null
                ? s.count() + " other " + (s.errors() ? "warnings and errors" : "warnings") + " of this logger"
                : s.count() + " more of: " + quote(s.message());
            Logger logger = context.getLogger(s.logger());
            String last = window.getMilliseconds() % 1000 == 0
                ? window.getMilliseconds() / 1000 + " s" : window.getMilliseconds() + " ms";
            if (s.errors()) logger.error(SUMMARY, "In the last {}, suppressed {}", last, what);
            else logger.warn(SUMMARY, "In the last {}, suppressed {}", last, what);
        }
    }

    private static String quote(String message) {
        return message.length() <= MAX_QUOTED_CHARS ? message : message.substring(0, MAX_QUOTED_CHARS) + "...";
    }
}
