package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.pekkogrid.protocol.SlotCommand.RunChunks;

/** A batch run on its own thread while the test, as the slot would, watches and interrupts it. */
class BatchRunTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        Stubborn.openAll();
        thread.shutdownNow();
    }

    private static BatchRun stubborn(String gate, long waitFrom, boolean honourInterrupts, long[] ranges) {
        JobTicket job = new JobTicket("job-" + gate, "stubborn", Map.of("gate", gate, "waitFrom", Long.toString(waitFrom),
            "honourInterrupts", Boolean.toString(honourInterrupts)), 16, Duration.ofSeconds(1));
        return new BatchRun(new RunChunks(job, 7, 77, ranges, new int[0], null, null), System.nanoTime(), "slot-0",
            new JobBindings(4));
    }

    private CompletableFuture<ChunkResults> start(BatchRun run) {
        return CompletableFuture.supplyAsync(run::run, thread);
    }

    @Test
    void anInterruptEndsItsChunkAndNoLaterChunkOfTheBatchStarts() throws Exception {
        Stubborn.Gate gate = Stubborn.gate("honours");
        BatchRun run = stubborn("honours", 0, true, new long[] {4, 3});
        CompletableFuture<ChunkResults> done = start(run);
        assertTrue(gate.awaitWaiting(1, WAIT));
        assertEquals(0, run.runningChunk().position());

        assertTrue(run.interrupt(0));
        ChunkResults r = done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1, r.errors().size());
        assertEquals(4, r.errors().get(0).chunk());
        assertTrue(r.errors().get(0).error().startsWith("java.lang.InterruptedException"), r.errors().get(0).error());
        assertEquals(1, gate.started(), "chunks 5 and 6 never started");
        assertEquals(0, r.runNanos()[1]);
        assertEquals(0, r.runNanos()[2]);
        assertTrue(run.finished());
        assertNull(run.runningChunk());
        assertFalse(run.interrupt(0), "nothing is left to interrupt");
    }

    @Test
    void anInterruptMeantForAChunkThatEndedReachesNoOtherChunk() throws Exception {
        Stubborn.Gate gate = Stubborn.gate("later");
        // Chunks 0 and 1 return at once; chunk 2 waits at the gate.
        BatchRun run = stubborn("later", 2, false, new long[] {0, 3});
        CompletableFuture<ChunkResults> done = start(run);
        assertTrue(gate.awaitWaiting(1, WAIT));
        assertEquals(2, run.runningChunk().position());

        // The slot saw chunk 0 run too long, but it has ended since: the interrupt is not sent.
        assertFalse(run.interrupt(0));
        assertFalse(run.interrupt(1));
        gate.open();
        ChunkResults r = done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of(), r.errors());
        assertEquals(0, gate.interrupts(), "chunk 2 was never interrupted");
        assertEquals(3, gate.started());
    }

    @Test
    void aChunkThatSwallowsItsInterruptLeavesTheThreadClearOfIt() throws Exception {
        Stubborn.Gate gate = Stubborn.gate("swallows");
        BatchRun run = stubborn("swallows", 0, false, new long[] {0, 1});
        // Whether the thread is still interrupted when the batch returns, before the pool clears it.
        CompletableFuture<Boolean> leftInterrupted = CompletableFuture.supplyAsync(() -> {
            run.run();
            return Thread.currentThread().isInterrupted();
        }, thread);
        assertTrue(gate.awaitWaiting(1, WAIT));
        assertTrue(run.interrupt(0));
        gate.open();
        // The chunk swallowed the interrupt, finished, and noted the interrupt again as polite code
        // does: the flag was for that chunk only, and is cleared with it.
        assertFalse(leftInterrupted.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, gate.interrupts());
    }
}
