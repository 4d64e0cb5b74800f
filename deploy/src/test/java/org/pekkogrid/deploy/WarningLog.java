package org.pekkogrid.deploy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** Warnings and errors logged in this JVM while it is attached, for tests that expect one. */
final class WarningLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private record Watch(Predicate<String> matches, CompletableFuture<String> seen) {}

    private final List<String> messages = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();

    static WarningLog attach() {
        WarningLog log = new WarningLog();
        log.setName("warning-log");
        log.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
        log.start();
        root().addAppender(log);
        return log;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.WARN)) return;
        String message = event.getFormattedMessage();
        messages.add(message);
        for (Watch w : watches) if (w.matches().test(message)) w.seen().complete(message);
    }

    /** Completes with the first warning, logged before or after this call, that matches. */
    synchronized CompletableFuture<String> first(Predicate<String> matches) {
        CompletableFuture<String> seen = new CompletableFuture<>();
        for (String m : messages) {
            if (matches.test(m)) {
                seen.complete(m);
                return seen;
            }
        }
        watches.add(new Watch(matches, seen));
        return seen;
    }

    synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }
}
