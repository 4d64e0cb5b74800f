package org.pekkogrid.deploy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * A head's or worker's log file besides stderr ({@code grid.log}, {@code --log-dir DIR},
 * {@code GRID_LOG_DIR}): a rolling file, by size and by day, whose rolled files are gzipped and
 * bounded in number and in total size. Added to the root logger, below the same
 * {@link RepeatedWarningFilter} as stderr; stdout keeps results only.
 */
final class NodeLog implements AutoCloseable {

    static final String APPENDER = "NODE-FILE";

    private final RollingFileAppender<ILoggingEvent> appender;
    private final Path file;

    private NodeLog(RollingFileAppender<ILoggingEvent> appender, Path file) {
        this.appender = appender;
        this.file = file;
    }

    /** The file this node logs to. */
    Path file() {
        return file;
    }

    /**
     * Starts logging to {@code grid.log.dir}, when set: null when it is not (stderr only).
     *
     * @param role head or worker: the file's name, with the node's port (or this JVM's pid when the port is 0)
     * @throws IllegalArgumentException when the directory cannot be made or written
     */
    static NodeLog start(Config config, String role) {
        String dirSetting = config.getString("grid.log.dir").trim();
        if (dirSetting.isEmpty()) return null;
        Path dir = Path.of(dirSetting).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--log-dir " + dirSetting + ": cannot make the directory: " + e.getMessage());
        }
        if (!Files.isWritable(dir)) throw new IllegalArgumentException("--log-dir " + dirSetting + ": not writable");
        int port = config.getInt("grid.port");
        String base = role + "-" + (port > 0 ? Integer.toString(port) : "pid" + ProcessHandle.current().pid());
        Path file = dir.resolve(base + ".log");

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n");
        encoder.start();

        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setFile(file.toString());
        appender.setEncoder(encoder);

        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(dir.resolve(base + ".%d{yyyy-MM-dd}.%i.log.gz").toString());
        policy.setMaxFileSize(FileSize.valueOf(config.getString("grid.log.max-file-size")));
        policy.setMaxHistory(config.getInt("grid.log.max-history"));
        policy.setTotalSizeCap(FileSize.valueOf(config.getString("grid.log.total-size-cap")));
        policy.start();
        appender.setRollingPolicy(policy);
        appender.start();
        if (!appender.isStarted()) {
            throw new IllegalArgumentException("--log-dir " + dirSetting + ": cannot log to " + file);
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return new NodeLog(appender, file);
    }

    /** Detaches and closes the file (tests; a node's file stays open until its JVM ends). */
    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }

    RollingFileAppender<ILoggingEvent> appender() {
        return appender;
    }
}
