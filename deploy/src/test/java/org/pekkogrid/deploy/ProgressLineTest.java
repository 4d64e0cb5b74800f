package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.JobEvent;

/** The progress a job shows on stderr: plain lines when stderr is not a terminal, and 100% at the end. */
class ProgressLineTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private ProgressLine line(ProgressLine.Mode mode) {
        return new ProgressLine("leibniz-pi", mode, err, Duration.ofSeconds(5), nanos::get);
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private static JobEvent.Progress progress(long done, long total, long elapsedMillis) {
        return new JobEvent.Progress("job-1f-3", done, total, 0, 0, elapsedMillis, 2);
    }

    @Test
    void withoutATerminalAPlainLineEveryFiveSecondsThenOneAtTheEnd() {
        try (ProgressLine p = line(ProgressLine.Mode.LINES)) {
            p.accept(progress(20, 256, 1_000));
            advance(Duration.ofSeconds(2));
            p.accept(progress(50, 256, 3_000));
            assertEquals(List.of(), lines(), "nothing before the first five seconds");

            advance(Duration.ofSeconds(4));
            p.accept(progress(105, 256, 205));
            advance(Duration.ofSeconds(1));
            p.accept(progress(110, 256, 6_000));
            assertEquals(List.of("job-1f-3 (leibniz-pi): 41% 105/256 chunks, 512 chunks/s, eta 294 ms"), lines());

            p.finish("job-1f-3", 256, 256, 2_100);
        }
        List<String> all = lines();
        assertEquals(2, all.size(), String.join("\n", all));
        assertEquals("job-1f-3 (leibniz-pi): 100% 256/256 chunks, 122 chunks/s, in 2.1 s", all.get(1));
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"), "no carriage returns in a log");
    }

    @Test
    void aQueuedJobSaysItsPlaceAtOnceAndAgainWhenItMovesUpAtMostEveryInterval() {
        try (ProgressLine p = line(ProgressLine.Mode.LINES)) {
            p.queued(new JobEvent.Queued("job-1f-3", 3));
            p.queued(new JobEvent.Queued("job-1f-3", 2));
            advance(Duration.ofSeconds(6));
            p.queued(new JobEvent.Queued("job-1f-3", 1));
        }
        assertEquals(List.of("job-1f-3 (leibniz-pi): queued, position 3", "job-1f-3 (leibniz-pi): queued, position 1"),
            lines());
    }

    /** The last progress event came at 85%; the job then completed: the bar must say 100%. */
    @Test
    void theBarEndsAtOneHundredPercentWhenTheJobCompleted() {
        try (ProgressLine p = line(ProgressLine.Mode.BAR)) {
            p.accept(progress(218, 256, 800));
            p.finish("job-1f-3", 256, 256, 1_000);
        }
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("100%") && shown.contains("256/256"), shown);
    }

    @Test
    void offSaysNothing() {
        try (ProgressLine p = line(ProgressLine.Mode.OFF)) {
            p.accept(progress(1, 2, 10));
            p.finish("job-1f-3", 2, 2, 20);
            p.say("running the single-thread baseline...");
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
