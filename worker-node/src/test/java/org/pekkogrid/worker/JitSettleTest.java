package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Warm-up rounds go on while the JIT is still compiling, and stop at the first quiet round or the cap. */
class JitSettleTest {

    @Test
    void roundsStopAtTheFirstInWhichNothingWasCompiled() throws Exception {
        AtomicLong compileMillis = new AtomicLong();
        AtomicLong rounds = new AtomicLong();
        // The JIT is busy during the first three rounds, quiet in the fourth.
        int run = new JitSettle(compileMillis::get, Duration.ofMinutes(1)).run(() -> {
            if (rounds.incrementAndGet() <= 3) compileMillis.addAndGet(5);
            return CompletableFuture.completedFuture(null);
        }).get(10, TimeUnit.SECONDS);
        assertEquals(4, run);
        assertEquals(4, rounds.get());
    }

    @Test
    void aJitThatNeverSettlesIsWaitedForOnlyUntilTheCap() throws Exception {
        AtomicLong compileMillis = new AtomicLong();
        int run = new JitSettle(compileMillis::get, Duration.ofMillis(200)).run(() -> CompletableFuture.runAsync(() -> {
            compileMillis.incrementAndGet();
            sleep(10);
        })).get(10, TimeUnit.SECONDS);
        // It ends (the get above would time out otherwise) after at least one round.
        assertTrue(run >= 1, "rounds run: " + run);
    }

    @Test
    void thisJvmKeepsItsCompileTime() {
        assertNotNull(JitSettle.jvmCompileMillis(), "HotSpot counts its compile time; warm-up would settle on nothing");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
