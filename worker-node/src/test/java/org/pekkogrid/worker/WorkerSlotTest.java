package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.CoordinatorCommand.SlotDemand;
import org.pekkogrid.protocol.CoordinatorCommand.SlotReady;
import org.pekkogrid.protocol.CoordinatorCommand.StuckThreads;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.RunnerCommand.BatchesReturned;
import org.pekkogrid.protocol.RunnerCommand.ChunkError;
import org.pekkogrid.protocol.RunnerCommand.ChunkOverdue;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.protocol.SlotCommand.DropJob;
import org.pekkogrid.protocol.SlotCommand.Retire;
import org.pekkogrid.protocol.SlotCommand.RunChunks;
import org.pekkogrid.protocol.SlotCommand.Wake;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalChunkContext;

/**
 * One worker slot spawned directly, with the coordinator and the job runners played by probes.
 * Every wire message crosses Pekko's serializer (serialize-messages), as it would between nodes;
 * the slot's messages to itself are LocalOnly and skip the check.
 */
class WorkerSlotTest {

    private static final ActorTestKit testKit = ActorTestKit.create("WorkerSlotTest", ConfigFactory.parseString("""
            pekko.actor.provider = local
            pekko.actor.serialize-messages = on
            """).withFallback(GridConfig.defaults()));
    private static final Duration LONG_TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> LEIBNIZ = Map.of("terms", "1000000");
    private static final Duration CHUNK_TIMEOUT = Duration.ofMillis(200);
    private static final Duration STUCK_GRACE = Duration.ofMillis(300);

    /** The node's stuck threads as its metrics last heard. */
    private final AtomicInteger stuckGauge = new AtomicInteger(-1);
    private final CompletableFuture<String> exited = new CompletableFuture<>();
    /** One core, so that a stuck thread would leave the node none. */
    private final ComputePool pool = new ComputePool("test-compute", 1, new WorkerMetrics() {
        @Override
        public void stuckThreads(int threads) {
            stuckGauge.set(threads);
        }
    }, exited::complete);
    private final TestProbe<CoordinatorCommand> coordinator = testKit.createTestProbe(CoordinatorCommand.class);
    private final TestProbe<RunnerCommand> runner = testKit.createTestProbe(RunnerCommand.class);
    private long nextBatch;

    @AfterEach
    void stopCompute() {
        Stubborn.openAll();
        pool.close();  // interrupts a straggler still sleeping
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** A slot registered with the coordinator probe; its first demand is checked and consumed. */
    private ActorRef<SlotCommand> wokenSlot(int prefetch) {
        return wokenSlot(prefetch, STUCK_GRACE);
    }

    private ActorRef<SlotCommand> wokenSlot(int prefetch, Duration stuckGrace) {
        ActorRef<SlotCommand> slot = testKit.spawn(
            WorkerSlot.create("slot-0", pool, new JobBindings(8), prefetch, stuckGrace));
        slot.tell(new Wake(coordinator.ref(), 42));
        assertReady(coordinator.expectMessageClass(SlotReady.class), "slot-0", slot);
        coordinator.expectMessage(new SlotDemand(slot, prefetch, false));
        return slot;
    }

    private static JobTicket ticket(String jobId, String workload, Map<String, String> params, long chunks,
                                    Duration chunkTimeout) {
        return new JobTicket(jobId, workload, params, chunks, chunkTimeout);
    }

    private static JobTicket leibniz(String jobId) {
        return ticket(jobId, "leibniz-pi", LEIBNIZ, 64, Duration.ofSeconds(60));
    }

    private RunChunks batch(JobTicket job, long[] ranges, int[] attempts) {
        return new RunChunks(job, nextBatch, 1000 + nextBatch++, ranges, attempts, null, runner.ref());
    }

    private ChunkResults results() {
        return runner.expectMessageClass(ChunkResults.class, LONG_TIMEOUT);
    }

    @Test
    void onWakeASlotRegistersAndAsksForItsPrefetch() {
        ActorRef<SlotCommand> slot = testKit.spawn(WorkerSlot.create("slot-3", pool, new JobBindings(8), 4, STUCK_GRACE));
        slot.tell(new Wake(coordinator.ref(), 7));
        assertReady(coordinator.receiveMessage(), "slot-3", slot);
        assertEquals(new SlotDemand(slot, 4, false), coordinator.receiveMessage());
        // Woken again by the same coordinator, it registers again but asks for nothing more.
        slot.tell(new Wake(coordinator.ref(), 7));
        assertReady(coordinator.receiveMessage(), "slot-3", slot);
        // A new coordinator knows nothing of earlier credit: the slot asks it for all of it.
        TestProbe<CoordinatorCommand> successor = testKit.createTestProbe(CoordinatorCommand.class);
        slot.tell(new Wake(successor.ref(), 8));
        assertReady(successor.receiveMessage(), "slot-3", slot);
        assertEquals(new SlotDemand(slot, 4, false), successor.receiveMessage());
    }

    @Test
    void aBatchComesBackWithTheWorkersResultsAndFreshCredit() throws Exception {
        ActorRef<SlotCommand> slot = wokenSlot(3);
        JobTicket job = leibniz("job-1");
        RunChunks batch = batch(job, new long[] {0, 4, 10, 2}, new int[0]);
        slot.tell(batch);

        ChunkResults r = results();
        assertEquals(batch.batchId(), r.batchId());
        assertEquals("slot-0", r.slotId());
        assertEquals(List.of(), r.errors());
        assertEquals(6, r.runNanos().length);
        assertEquals(1, r.demand(), "the batch's credit travels back with its results");
        BoundJob<?, ?, ?, ?> head = BoundJob.bind("leibniz-pi", LEIBNIZ, 64, Long.MAX_VALUE);
        Object[] decoded = head.decodeResults(r.results());
        long[] indices = {0, 1, 2, 3, 10, 11};
        long[] items = new long[6];
        for (int k = 0; k < 6; k++) {
            LocalChunkContext ctx = new LocalChunkContext(indices[k], 0);
            assertEquals(head.runChunk(indices[k], ctx), decoded[k], "chunk " + indices[k]);
            items[k] = ctx.itemCount();
        }
        assertArrayEquals(items, r.items());
        assertEquals(15_625, r.items()[0], "a million terms in 64 chunks: each chunk counts its terms");
    }

    @Test
    void aSlotNeverAsksForMoreThanItsPrefetch() {
        int prefetch = 3;
        ActorRef<SlotCommand> slot = wokenSlot(prefetch);
        JobTicket job = leibniz("job-2");
        int credit = prefetch;  // asked for and not yet sent
        int held = 0;           // sent and not yet answered
        int sent = 0;
        int answered = 0;
        while (answered < 40) {
            while (credit > 0 && sent < 40) {
                slot.tell(batch(job, new long[] {sent % 64, 1}, new int[0]));
                credit--;
                held++;
                sent++;
            }
            ChunkResults r = results();
            held--;
            answered++;
            credit += r.demand();
            assertTrue(credit + held <= prefetch, "credit " + credit + " + held " + held + " > prefetch");
        }
        // Nothing held: what it has asked for and not been sent is its whole prefetch again.
        assertEquals(0, held);
        assertEquals(prefetch, credit);
    }

    @Test
    void aChunkThatThrowsComesBackAsAnErrorAndTheSlotRunsOn() throws Exception {
        ActorRef<SlotCommand> slot = wokenSlot(2);
        JobTicket failing = ticket("job-f", "flaky", Map.of("rate", "1"), 10, Duration.ofSeconds(60));
        slot.tell(batch(failing, new long[] {3, 2}, new int[] {0, 2}));
        ChunkResults r = results();
        assertEquals(2, r.errors().size());
        ChunkError first = r.errors().get(0);
        assertEquals(3, first.chunk());
        assertEquals(0, first.attempt());
        assertTrue(first.error().startsWith(
            "java.lang.IllegalStateException: flaky: chunk 3 attempt 0 fails by design (rate 1.0)"), first.error());
        assertEquals(new ChunkError(4, 2, r.errors().get(1).error()), r.errors().get(1));
        assertTrue(r.errors().get(1).error().contains("chunk 4 attempt 2"), r.errors().get(1).error());
        Object[] decoded = BoundJob.bind("flaky", Map.of("rate", "1"), 10, Long.MAX_VALUE).decodeResults(r.results());
        assertArrayEquals(new Object[] {null, null}, decoded);

        // The same slot runs the next batch.
        JobTicket fine = ticket("job-ok", "flaky", Map.of("rate", "0"), 10, Duration.ofSeconds(60));
        slot.tell(batch(fine, new long[] {7, 1}, new int[0]));
        ChunkResults ok = results();
        assertEquals(List.of(), ok.errors());
        assertArrayEquals(new Object[] {7L},
            BoundJob.bind("flaky", Map.of("rate", "0"), 10, Long.MAX_VALUE).decodeResults(ok.results()));
    }

    @Test
    void aWorkloadThisNodeCannotRunFailsEachChunkSayingWhy() {
        ActorRef<SlotCommand> slot = wokenSlot(2);
        JobTicket unknown = ticket("job-u", "no-such-workload", Map.of(), 10, Duration.ofSeconds(60));
        slot.tell(batch(unknown, new long[] {0, 3}, new int[0]));
        ChunkResults r = results();
        assertEquals(3, r.errors().size());
        for (ChunkError e : r.errors()) {
            assertTrue(e.error().startsWith("cannot run no-such-workload on this node: "), e.error());
            assertTrue(e.error().contains("unknown workload \"no-such-workload\""), e.error());
        }
        assertNull(r.results());
    }

    @Test
    void theBatchPathWarmUpSendsRealBatchesThroughTheSerializerAndBack() {
        long rounds = PathWarmUp.run(testKit.system(), Duration.ofMillis(50));
        assertTrue(rounds >= 300, "at least 300 checked round trips, made " + rounds);
        assertEquals(0, PathWarmUp.run(testKit.system(), Duration.ZERO), "no warm-up asked for, none made");
    }

    /** The handoff that spares a slot's next batch the wait for its actor: same thread, in order, both told. */
    @Test
    void aChainRunsTheBatchItIsHandedNextOnTheSameThread() throws Exception {
        JobBindings bindings = new JobBindings(8);
        BatchRun first = new BatchRun(batch(leibniz("job-c"), new long[] {0, 2}, new int[0]), System.nanoTime(),
            "slot-0", bindings);
        BatchRun second = new BatchRun(batch(leibniz("job-c"), new long[] {2, 3}, new int[0]), System.nanoTime(),
            "slot-0", bindings);
        List<String> ended = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> done = new CompletableFuture<>();
        pool.runChain(first, run -> run == first ? second : null, (run, results, failure, following) -> {
            ended.add((run == first ? "first" : "second") + " on " + Thread.currentThread().getName() + ", "
                + results.runNanos().length + " chunks, failure " + failure + ", then "
                + (following == null ? "none" : following == second ? "second" : "another"));
            if (following == null) done.complete(null);
        });
        done.get(LONG_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertEquals(2, ended.size(), ended.toString());
        String thread = ended.get(0).substring("first on ".length(), ended.get(0).indexOf(','));
        assertEquals(List.of("first on " + thread + ", 2 chunks, failure null, then second",
            "second on " + thread + ", 3 chunks, failure null, then none"), ended);
    }

    @Test
    void aStragglerPastTheChunkTimeoutIsReportedAndTheQueuedBatchesGoBack() {
        ActorRef<SlotCommand> slot = wokenSlot(4);
        JobTicket sleepy = ticket("job-s", "sleep",
            Map.of("millis", "0", "stragglerEvery", "1", "stragglerMillis", "5000"), 8, Duration.ofMillis(200));
        RunChunks stuck = batch(sleepy, new long[] {0, 1}, new int[0]);
        RunChunks queued1 = batch(sleepy, new long[] {1, 1}, new int[0]);
        RunChunks queued2 = batch(sleepy, new long[] {2, 1}, new int[0]);
        slot.tell(stuck);
        slot.tell(queued1);
        slot.tell(queued2);

        List<RunnerCommand> got = new ArrayList<>(runner.receiveSeveralMessages(2, LONG_TIMEOUT));
        ChunkOverdue overdue = (ChunkOverdue) got.stream().filter(m -> m instanceof ChunkOverdue).findFirst().orElseThrow();
        BatchesReturned returned = (BatchesReturned) got.stream().filter(m -> m instanceof BatchesReturned).findFirst()
            .orElseThrow();
        assertEquals(stuck.batchId(), overdue.batchId());
        assertEquals(0, overdue.position());
        assertEquals("slot-0", overdue.slotId());
        assertTrue(overdue.runningMillis() >= 200, "reported after the timeout: " + overdue.runningMillis() + " ms");
        assertArrayEquals(new long[] {queued1.batchId(), queued2.batchId()}, returned.batchIds());
        assertEquals("slot-0", returned.slotId());
    }

    @Test
    void aChunkThatIgnoresItsInterruptCostsTheNodeAThreadNotASlot() throws Exception {
        ActorRef<SlotCommand> slot = wokenSlot(2);
        Stubborn.Gate gate = Stubborn.gate("ignores");
        JobTicket stubborn = ticket("job-st", "stubborn", Map.of("gate", "ignores"), 8, CHUNK_TIMEOUT);
        RunChunks stuck = batch(stubborn, new long[] {3, 2}, new int[0]);
        slot.tell(stuck);

        ChunkOverdue overdue = runner.expectMessageClass(ChunkOverdue.class, LONG_TIMEOUT);
        assertEquals(stuck.batchId(), overdue.batchId());
        assertEquals(0, overdue.position());
        // Past the grace the thread is declared stuck: the head and the node's metrics hear of it.
        assertEquals(new StuckThreads(slot, 1), stuckReport());
        assertEquals(1, pool.stuckThreads());
        assertEquals(1, stuckGauge.get());
        assertEquals(1, gate.interrupts(), "the chunk was interrupted once");

        // The node's only thread is stuck, yet the slot runs its next batch: on a fresh thread.
        RunChunks next = batch(leibniz("job-next"), new long[] {5, 2}, new int[0]);
        slot.tell(next);
        ChunkResults r = results();
        assertEquals(next.batchId(), r.batchId());
        assertEquals(List.of(), r.errors());
        BoundJob<?, ?, ?, ?> head = BoundJob.bind("leibniz-pi", LEIBNIZ, 64, Long.MAX_VALUE);
        Object[] decoded = head.decodeResults(r.results());
        assertEquals(head.runChunk(5, new LocalChunkContext(5, 0)), decoded[0]);
        assertEquals(head.runChunk(6, new LocalChunkContext(6, 0)), decoded[1]);
        assertEquals(2, pool.threadCount(), "the stuck thread and the one in its place");

        // The stuck thread comes back at last: the count goes down, and the results of its batch,
        // which the head has run elsewhere, are dropped. The chunk behind the stuck one never started.
        gate.open();
        assertEquals(new StuckThreads(slot, 0), stuckReport());
        assertEquals(0, pool.stuckThreads());
        assertEquals(0, stuckGauge.get());
        assertEquals(1, gate.started());
        runner.expectNoMessage(Duration.ofMillis(200));
        assertFalse(exited.isDone(), "one stuck thread is not more than the node's one core");
    }

    @Test
    void aChunkThatHonoursItsInterruptEndsAtOnceAndNoThreadIsStuck() {
        // A grace far beyond the test's patience: only the interrupt can give the slot back in time.
        ActorRef<SlotCommand> slot = wokenSlot(2, Duration.ofMinutes(5));
        JobTicket sleepy = ticket("job-sl", "sleep",
            Map.of("millis", "0", "stragglerEvery", "1", "stragglerMillis", "600000"), 8, CHUNK_TIMEOUT);
        RunChunks straggler = batch(sleepy, new long[] {0, 2}, new int[0]);
        slot.tell(straggler);

        assertEquals(straggler.batchId(), runner.expectMessageClass(ChunkOverdue.class, LONG_TIMEOUT).batchId());
        // The interrupted chunk ended the batch: the slot asks again for the credit it no longer holds.
        assertEquals(new SlotDemand(slot, 1, false), coordinator.expectMessageClass(SlotDemand.class, LONG_TIMEOUT));
        RunChunks next = batch(leibniz("job-after"), new long[] {0, 1}, new int[0]);
        slot.tell(next);
        assertEquals(next.batchId(), results().batchId(), "the interrupted batch's results are dropped");
        assertEquals(0, pool.stuckThreads());
        assertEquals(0, stuckGauge.get());
        assertEquals(1, pool.threadCount());
    }

    @Test
    void aNodeWithMoreStuckThreadsThanCoresExitsNamingTheirChunks() throws Exception {
        ActorRef<SlotCommand> slot = wokenSlot(1);
        slot.tell(batch(ticket("job-x", "stubborn", Map.of("gate", "exit-x"), 8, CHUNK_TIMEOUT), new long[] {3, 1},
            new int[0]));
        assertEquals(new StuckThreads(slot, 1), stuckReport());
        assertFalse(exited.isDone(), "one stuck thread on one core: the node goes on");

        slot.tell(batch(ticket("job-y", "stubborn", Map.of("gate", "exit-y"), 8, CHUNK_TIMEOUT), new long[] {5, 1},
            new int[0]));
        assertEquals(new StuckThreads(slot, 2), stuckReport());
        String why = exited.get(LONG_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("2 compute threads are stuck, more than this node has cores (1): "
            + "slot-0: chunk 3 (position 0 of batch 0) of job job-x (stubborn); "
            + "slot-0: chunk 5 (position 0 of batch 1) of job job-y (stubborn)", why);
        assertEquals(2, stuckGauge.get());
    }

    @Test
    void droppingAJobRemovesItsQueuedBatchesAndFreesTheirCredit() {
        CountDownLatch gate = occupyThePool();
        ActorRef<SlotCommand> slot = wokenSlot(4);
        JobTicket a = leibniz("job-a");
        JobTicket b = leibniz("job-b");
        RunChunks running = batch(a, new long[] {0, 1}, new int[0]);
        slot.tell(running);
        slot.tell(batch(a, new long[] {1, 1}, new int[0]));
        slot.tell(batch(a, new long[] {2, 1}, new int[0]));
        slot.tell(new DropJob("job-a"));
        RunChunks other = batch(b, new long[] {0, 1}, new int[0]);
        slot.tell(other);
        // The two dropped batches' credit is asked for again at once.
        assertEquals(new SlotDemand(slot, 2, false), coordinator.receiveMessage());

        gate.countDown();
        // The batch that had started finishes; the next to run is job-b's, not the dropped ones.
        assertEquals(running.batchId(), results().batchId());
        assertEquals(other.batchId(), results().batchId());
    }

    @Test
    void aRetiringSlotGivesBackWhatItHasNotStartedAndStopsAfterItsBatch() {
        CountDownLatch gate = occupyThePool();
        ActorRef<SlotCommand> slot = wokenSlot(3);
        JobTicket job = leibniz("job-r");
        RunChunks running = batch(job, new long[] {0, 1}, new int[0]);
        RunChunks queued = batch(job, new long[] {1, 1}, new int[0]);
        slot.tell(running);
        slot.tell(queued);
        slot.tell(new Retire());
        BatchesReturned returned = runner.expectMessageClass(BatchesReturned.class);
        assertArrayEquals(new long[] {queued.batchId()}, returned.batchIds());
        gate.countDown();
        ChunkResults last = results();
        assertEquals(running.batchId(), last.batchId());
        assertEquals(0, last.demand(), "a retiring slot asks for nothing");
        runner.expectTerminated(slot, LONG_TIMEOUT);
    }

    @Test
    void anIdleSlotWhoseCreditWentUnansweredResyncsWithTheCoordinator() {
        ActorRef<SlotCommand> slot = wokenSlot(4);
        // No batch comes: after a while the slot says all it has asked for, so no credit is lost.
        SlotDemand resync = coordinator.expectMessageClass(SlotDemand.class, LONG_TIMEOUT);
        assertEquals(new SlotDemand(slot, 4, true), resync);
    }

    /** Holds the pool's only thread until the returned gate opens: batches sent meanwhile wait for it. */
    private CountDownLatch occupyThePool() {
        CountDownLatch gate = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return gate;
    }

    /** The next StuckThreads report to the coordinator, past the slot's demands. */
    private StuckThreads stuckReport() {
        List<CoordinatorCommand> seen = coordinator.fishForMessage(LONG_TIMEOUT, m ->
            m instanceof StuckThreads ? FishingOutcomes.complete() : m instanceof SlotDemand
                ? FishingOutcomes.continueAndIgnore() : FishingOutcomes.fail("unexpected " + m));
        return (StuckThreads) seen.get(seen.size() - 1);
    }

    /** A slot registers itself and its large-batch inbox, a child of its own. */
    private static void assertReady(Object message, String slotId, ActorRef<SlotCommand> slot) {
        SlotReady ready = assertInstanceOf(SlotReady.class, message);
        assertEquals(slotId, ready.slotId());
        assertEquals(slot, ready.slot());
        assertEquals(slot.path().child(WorkerSlot.LARGE_INBOX), ready.largeInbox().path());
    }
}
