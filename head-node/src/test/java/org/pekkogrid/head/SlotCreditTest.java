package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pekkogrid.head.InFlightBatchesTest.A;
import static org.pekkogrid.head.InFlightBatchesTest.B;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.head.InFlightBatches.Batch;
import org.pekkogrid.head.JobCoordinator.GrantDone;
import org.pekkogrid.head.JobCoordinator.WorkAvailable;
import org.pekkogrid.head.JobRunner.Decline;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.Requirements;

/** A job's use of slot credit, without the runner: batches sent, credit handed back and why, work noticed. */
class SlotCreditTest {

    private static final ActorTestKit testKit = ActorTestKit.create("SlotCreditTest");
    private static final String JOB = "job-1";
    private static final long FOLD_BACKLOG_BYTES = 1000;

    private final TestProbe<CoordinatorCommand> coordinator = testKit.createTestProbe();
    private final List<Batch> sent = new ArrayList<>();
    private final InFlightBatches inFlight = new InFlightBatches();
    private final BatchSizer sizer = new BatchSizer(Duration.ofMillis(100).toNanos(), 2048, 256 * 1024);
    private ChunkQueue queue;
    private ChunkLedger ledger;

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private SlotCredit credit(long chunks) {
        queue = new ChunkQueue(chunks);
        ledger = new ChunkLedger(chunks);
        return new SlotCredit(JOB, false, Requirements.NONE, Duration.ofMillis(5).toNanos(), queue, ledger, inFlight,
            sizer, FOLD_BACKLOG_BYTES, coordinator.ref(), sent::add, Duration.ofSeconds(60).toNanos(),
            Duration.ofSeconds(30).toNanos(), new HeadSettings.Speculation(false, 4, Duration.ofSeconds(1)),
            new JobMetrics(System.nanoTime(), 100));
    }

    private static Slot slot(String name, org.apache.pekko.actor.Address node, int cores) {
        return InFlightBatchesTest.slot(testKit, name, node, cores);
    }

    private void chunksCost(long nanos) {
        sizer.observe(1, nanos, 0);
    }

    @Test
    void untilAChunksCostIsKnownASlotTakesOneBatchOfOneChunk() {
        SlotCredit credit = credit(100);
        Slot a = slot("a", A, 1);
        credit.granted(new JobRunner.Grant(a, 4, 1, 1));
        assertEquals(1, sent.size());
        assertArrayEquals(new long[] {0, 1}, sent.get(0).ranges);
        coordinator.expectMessage(new GrantDone(JOB, a.ref(), 3, Decline.SLOT_FULL, false));
    }

    @Test
    void aSlotTakesNoMoreThanItsFairShareOfTheWorkLeft() {
        SlotCredit credit = credit(10);
        chunksCost(1_000_000);
        Slot a = slot("a", A, 1);
        // Two eligible slots: a batch holds ceil(left / 4) chunks, and a slot stops at half of what is left.
        credit.granted(new JobRunner.Grant(a, 4, 2, 1));
        assertEquals(List.of(3, 2), sent.stream().map(b -> b.size).toList());
        coordinator.expectMessage(new GrantDone(JOB, a.ref(), 2, Decline.SLOT_FULL, false));
    }

    @Test
    void aSlotOfANodeWhoseCoresAreAllBusyIsNodeBlocked() {
        SlotCredit credit = credit(100);
        Slot a1 = slot("a1", A, 1);
        Slot a2 = slot("a2", A, 1);
        credit.granted(new JobRunner.Grant(a1, 1, 2, 1));
        coordinator.expectMessage(new GrantDone(JOB, a1.ref(), 0, Decline.NONE, false));
        credit.granted(new JobRunner.Grant(a2, 2, 2, 1));
        coordinator.expectMessage(new GrantDone(JOB, a2.ref(), 2, Decline.NODE_BLOCKED, false));
        assertEquals(1, sent.size());
    }

    @Test
    void creditBeyondTheWorkLeftIsHandedBackAsNoWork() {
        SlotCredit credit = credit(1);
        Slot b = slot("b", B, 1);
        credit.granted(new JobRunner.Grant(b, 1, 1, 1));
        coordinator.expectMessage(new GrantDone(JOB, b.ref(), 0, Decline.NONE, false));
        credit.fromResults(b, 2);
        coordinator.expectMessage(new GrantDone(JOB, b.ref(), 2, Decline.NO_WORK, true));
        credit.giveBack(b, 3);
        coordinator.expectMessage(new GrantDone(JOB, b.ref(), 3, Decline.NO_WORK, true));
    }

    @Test
    void freshCreditUsedInFullIsNotReportedAndWhileOtherJobsRunItGoesBackUnused() {
        SlotCredit credit = credit(1000);
        chunksCost(1_000);
        Slot a = slot("a", A, 1);
        credit.fromResults(a, 1);
        assertEquals(1, sent.size());
        coordinator.expectNoMessage(Duration.ofMillis(50));

        credit.contention(true);
        credit.fromResults(a, 2);
        coordinator.expectMessage(new GrantDone(JOB, a.ref(), 2, Decline.NONE, true));
        assertEquals(1, sent.size());
    }

    @Test
    void aJobThatDeclinedSaysSoOnceWhenItHasWorkAgain() {
        SlotCredit credit = credit(100);
        Slot a = slot("a", A, 1);
        credit.noticeWorkIfDeclined();
        coordinator.expectNoMessage(Duration.ofMillis(50));
        credit.granted(new JobRunner.Grant(a, 2, 1, 1));
        coordinator.expectMessageClass(GrantDone.class);

        credit.noticeWorkIfDeclined();
        coordinator.expectMessage(new WorkAvailable(JOB));
        credit.noticeWorkIfDeclined();
        credit.retryQueued();
        credit.noticeWorkIfDeclined();
        coordinator.expectMessage(new WorkAvailable(JOB));
        coordinator.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void whileResultsPileUpForTheFoldTheJobTakesNoMoreAndSaysSoWhenItCaughtUp() {
        SlotCredit credit = credit(1000);
        chunksCost(1_000);
        Slot a = slot("a", A, 1);
        credit.foldQueued(600);
        credit.foldQueued(600);
        credit.fromResults(a, 2);
        coordinator.expectMessage(new GrantDone(JOB, a.ref(), 2, Decline.FOLD_BEHIND, true));
        assertEquals(0, sent.size());

        credit.folded(600);
        coordinator.expectMessage(new WorkAvailable(JOB));
        credit.granted(new JobRunner.Grant(a, 1, 1, 1));
        assertEquals(1, sent.size());
        credit.folded(600);
        coordinator.expectMessage(new GrantDone(JOB, a.ref(), 0, Decline.NONE, false));
        coordinator.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void aJobWhoseEveryChunkIsDoneHasNoWorkWhateverItsQueueStillLists() {
        SlotCredit credit = credit(2);
        Slot a = slot("a", A, 1);
        Slot b = slot("b", B, 1);
        credit.granted(new JobRunner.Grant(a, 1, 2, 2));
        credit.granted(new JobRunner.Grant(b, 1, 2, 2));
        coordinator.receiveSeveralMessages(2);
        // a's node was lost, its chunk queued again; then its late result came, and b's.
        queue.requeue(0, 0, 0);
        ledger.markDone(0);
        ledger.markDone(1);

        credit.retryQueued();
        credit.noticeWorkIfDeclined();
        credit.noticeWork();
        coordinator.expectNoMessage(Duration.ofMillis(50));
        credit.fromResults(b, 1);
        coordinator.expectMessage(new GrantDone(JOB, b.ref(), 1, Decline.NO_WORK, true));
    }
}
