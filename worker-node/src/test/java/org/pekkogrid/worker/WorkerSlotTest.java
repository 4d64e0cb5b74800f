package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.CoordinatorCommand.SlotDemand;
import org.pekkogrid.protocol.CoordinatorCommand.SlotReady;
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
 * Every message crosses Pekko's serializer (serialize-messages), as it would between nodes.
 */
class WorkerSlotTest {

    private static final ActorTestKit testKit = ActorTestKit.create("WorkerSlotTest", ConfigFactory.parseString("""
            pekko.actor.provider = local
            pekko.actor.serialize-messages = on
            """).withFallback(GridConfig.defaults()));
    private static final Duration LONG_TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> LEIBNIZ = Map.of("terms", "1000000");

    private final ExecutorService compute = Executors.newFixedThreadPool(1);
    private final TestProbe<CoordinatorCommand> coordinator = testKit.createTestProbe(CoordinatorCommand.class);
    private final TestProbe<RunnerCommand> runner = testKit.createTestProbe(RunnerCommand.class);
    private long nextBatch;

    @AfterEach
    void stopCompute() {
        compute.shutdownNow();  // interrupts a straggler still sleeping
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** A slot registered with the coordinator probe; its first demand is checked and consumed. */
    private ActorRef<SlotCommand> wokenSlot(Executor executor, int prefetch) {
        ActorRef<SlotCommand> slot = testKit.spawn(WorkerSlot.create("slot-0", executor, new JobBindings(8), prefetch));
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
        return new RunChunks(job, nextBatch++, ranges, attempts, null, runner.ref());
    }

    private ChunkResults results() {
        return runner.expectMessageClass(ChunkResults.class, LONG_TIMEOUT);
    }

    @Test
    void onWakeASlotRegistersAndAsksForItsPrefetch() {
        ActorRef<SlotCommand> slot = testKit.spawn(WorkerSlot.create("slot-3", compute, new JobBindings(8), 4));
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
        ActorRef<SlotCommand> slot = wokenSlot(compute, 3);
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
        ActorRef<SlotCommand> slot = wokenSlot(compute, prefetch);
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
        ActorRef<SlotCommand> slot = wokenSlot(compute, 2);
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
        ActorRef<SlotCommand> slot = wokenSlot(compute, 2);
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
    void aStragglerPastTheChunkTimeoutIsReportedAndTheQueuedBatchesGoBack() {
        ActorRef<SlotCommand> slot = wokenSlot(compute, 4);
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
    void droppingAJobRemovesItsQueuedBatchesAndFreesTheirCredit() {
        GatedExecutor gate = new GatedExecutor(compute);
        ActorRef<SlotCommand> slot = wokenSlot(gate, 4);
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

        gate.open();
        // The batch that had started finishes; the next to run is job-b's, not the dropped ones.
        assertEquals(running.batchId(), results().batchId());
        assertEquals(other.batchId(), results().batchId());
    }

    @Test
    void aRetiringSlotGivesBackWhatItHasNotStartedAndStopsAfterItsBatch() {
        GatedExecutor gate = new GatedExecutor(compute);
        ActorRef<SlotCommand> slot = wokenSlot(gate, 3);
        JobTicket job = leibniz("job-r");
        RunChunks running = batch(job, new long[] {0, 1}, new int[0]);
        RunChunks queued = batch(job, new long[] {1, 1}, new int[0]);
        slot.tell(running);
        slot.tell(queued);
        slot.tell(new Retire());
        BatchesReturned returned = runner.expectMessageClass(BatchesReturned.class);
        assertArrayEquals(new long[] {queued.batchId()}, returned.batchIds());
        gate.open();
        ChunkResults last = results();
        assertEquals(running.batchId(), last.batchId());
        assertEquals(0, last.demand(), "a retiring slot asks for nothing");
        runner.expectTerminated(slot, LONG_TIMEOUT);
    }

    @Test
    void anIdleSlotWhoseCreditWentUnansweredResyncsWithTheCoordinator() {
        ActorRef<SlotCommand> slot = wokenSlot(compute, 4);
        // No batch comes: after a while the slot says all it has asked for, so no credit is lost.
        SlotDemand resync = coordinator.expectMessageClass(SlotDemand.class, LONG_TIMEOUT);
        assertEquals(new SlotDemand(slot, 4, true), resync);
    }

    /** Holds the tasks given to it until opened, so a test decides when a batch may run. */
    private static final class GatedExecutor implements Executor {
        private final Executor target;
        private final List<Runnable> held = new ArrayList<>();
        private boolean open;

        GatedExecutor(Executor target) {
            this.target = target;
        }

        @Override
        public synchronized void execute(Runnable task) {
            if (open) target.execute(task);
            else held.add(task);
        }

        synchronized void open() {
            open = true;
            held.forEach(target::execute);
            held.clear();
        }
    }

    /** A slot registers itself and its large-batch inbox, a child of its own. */
    private static void assertReady(Object message, String slotId, ActorRef<SlotCommand> slot) {
        SlotReady ready = assertInstanceOf(SlotReady.class, message);
        assertEquals(slotId, ready.slotId());
        assertEquals(slot, ready.slot());
        assertEquals(slot.path().child(WorkerSlot.LARGE_INBOX), ready.largeInbox().path());
    }
}
