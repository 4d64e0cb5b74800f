package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter as logback.xml configures it, on a logger context of its own that writes to a list. */
class RepeatedWarningFilterTest {

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> written = new ListAppender<>();
    private RepeatedWarningFilter filter;

    @BeforeEach
    void configure() throws Exception {
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        // A window longer than the test: the test ends windows itself.
        configurator.doConfigure(new ByteArrayInputStream("""
            <configuration>
              <turboFilter class="org.pekkogrid.deploy.RepeatedWarningFilter">
                <perMessage>5</perMessage>
                <perLogger>50</perLogger>
                <window>1 hour</window>
              </turboFilter>
            </configuration>
            """.getBytes(StandardCharsets.UTF_8)));
        filter = (RepeatedWarningFilter) context.getTurboFilterList().get(0);
        written.setContext(context);
        written.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.DEBUG);
        root.addAppender(written);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void aWarningInALoopIsWrittenFiveTimesThenSummarisedInOneLine() {
        Logger decoder = context.getLogger("org.apache.pekko.remote.artery.Decoder");
        for (int i = 0; i < 100_000; i++) decoder.warn("Dropping message due to: java.lang.IndexOutOfBoundsException");

        filter.endWindow();

        List<String> lines = messages();
        assertEquals(6, lines.size(), lines::toString);
        assertEquals("In the last 3600 s, suppressed 99995 more of: Dropping message due to: "
            + "java.lang.IndexOutOfBoundsException", lines.get(5));
        assertEquals(Level.WARN, written.list.get(5).getLevel());
    }

    @Test
    void infoLinesAreNeverSuppressedThoughPekkoGivesThemAllTheSameFormat() {
        Logger cluster = context.getLogger("org.apache.pekko.cluster.Cluster");
        for (int i = 0; i < 1000; i++) cluster.info("{}", "Cluster Node [pekko://grid@127.0.0.1:2551] - Welcome");

        assertEquals(1000, written.list.size());
    }

    @Test
    void aFloodingLoggerSaysWarningsAreOffUntilTheWindowEndsSoPekkoDropsThemBeforeQueueing() {
        Logger decoder = context.getLogger("org.apache.pekko.remote.artery.Decoder");
        for (int i = 0; i < 6; i++) decoder.error("Decoding failed");

        assertFalse(decoder.isWarnEnabled());
        assertFalse(decoder.isErrorEnabled());
        assertTrue(decoder.isInfoEnabled());
        assertTrue(context.getLogger("org.apache.pekko.cluster.Cluster").isWarnEnabled());

        filter.endWindow();

        assertTrue(decoder.isWarnEnabled());
        assertEquals(List.of("In the last 3600 s, suppressed 1 more of: Decoding failed",
            "In the last 3600 s, suppressed 2 other warnings and errors of this logger"), messages().subList(5, 7));
        assertEquals(Level.ERROR, written.list.get(6).getLevel());
    }

    private List<String> messages() {
        return written.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
