package org.pekkogrid.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many warnings and errors each logger may write in the current window: {@code perMessage} of
 * each message and {@code perLogger} in all. The rest are counted, to be reported as one line each
 * when the window ends. What it tracks is bounded by {@code perLogger} messages per logger.
 */
final class WarningBudget {

    /**
     * Warnings and errors dropped in a window: of one message, or (message null) of several;
     * {@code errors} if any of them was an error.
     */
    record Suppressed(String logger, String message, long count, boolean errors) {}

    private final int perMessage;
    private final int perLogger;
    private final Map<String, LoggerCount> loggers = new HashMap<>();

    private static final class LoggerCount {
        final Map<String, MessageCount> messages = new LinkedHashMap<>();
        int admitted;
        long droppedOthers;
        boolean droppedOtherErrors;
        boolean dropping;

        boolean drop(boolean error) {
            droppedOthers++;
            droppedOtherErrors |= error;
            dropping = true;
            return false;
        }
    }

    private static final class MessageCount {
        int admitted;
        long dropped;
        boolean droppedErrors;
    }

    WarningBudget(int perMessage, int perLogger) {
        if (perMessage < 1 || perLogger < perMessage) {
            throw new IllegalArgumentException("need 1 <= perMessage <= perLogger, got perMessage " + perMessage
                + " and perLogger " + perLogger);
        }
        this.perMessage = perMessage;
        this.perLogger = perLogger;
    }

    /** Whether this warning (or error) may be written; if not, it is counted. */
    synchronized boolean admit(String logger, String message, boolean error) {
        LoggerCount count = loggers.computeIfAbsent(logger, l -> new LoggerCount());
        MessageCount m = count.messages.get(message);
        if (m == null && count.admitted < perLogger) {
            m = new MessageCount();
            count.messages.put(message, m);
        }
        if (m == null) return count.drop(error);
        if (m.admitted >= perMessage || count.admitted >= perLogger) {
            m.dropped++;
            m.droppedErrors |= error;
            count.dropping = true;
            return false;
        }
        m.admitted++;
        count.admitted++;
        return true;
    }

    /**
     * Whether the logger may write warnings at all, asked before a message exists (Pekko asks so
     * before it formats and queues a log event): not once it has dropped one in this window. The
     * ones refused here are counted with the logger's other suppressed messages.
     */
    synchronized boolean admitsAny(String logger, boolean error) {
        LoggerCount count = loggers.get(logger);
        return count == null || !count.dropping || count.drop(error);
    }

    /** Ends the window: what was dropped in it, and every budget full again. */
    synchronized List<Suppressed> endWindow() {
        List<Suppressed> suppressed = new ArrayList<>();
        loggers.forEach((logger, count) -> {
            count.messages.forEach((message, m) -> {
                if (m.dropped > 0) suppressed.add(new Suppressed(logger, message, m.dropped, m.droppedErrors));
            });
            if (count.droppedOthers > 0) {
                suppressed.add(new Suppressed(logger, null, count.droppedOthers, count.droppedOtherErrors));
            }
        });
        loggers.clear();
        return suppressed;
    }
}
