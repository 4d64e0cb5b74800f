package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.GridConfig;

class RestartBackoffTest {

    private final RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void theWaitDoublesFromTheMinimumUpToTheMaximum() {
        List<Long> seconds = IntStream.rangeClosed(1, 8).mapToObj(backoff::delay).map(Duration::toSeconds).toList();

        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), seconds);
    }

    @Test
    void aNodeRetryingForDaysWaitsTheMaximumWithoutOverflow() {
        assertEquals(Duration.ofSeconds(30), backoff.delay(100_000));
        assertEquals(Duration.ofSeconds(30), backoff.delay(Integer.MAX_VALUE));
    }

    @Test
    void aMaximumBelowTheMinimumIsRefusedNamingBothSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));

        assertTrue(e.getMessage().contains("grid.rejoin.max-backoff") && e.getMessage().contains("grid.rejoin.min-backoff"),
            e.getMessage());
    }

    @Test
    void restartsAreCountedFromOne() {
        assertThrows(IllegalArgumentException.class, () -> backoff.delay(0));
    }

    @Test
    void theDefaultsWaitOneSecondFirstAndHalfAMinuteAtMost() {
        RestartBackoff defaults = RestartBackoff.from(GridConfig.defaults());

        assertEquals(new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)), defaults);
    }
}
