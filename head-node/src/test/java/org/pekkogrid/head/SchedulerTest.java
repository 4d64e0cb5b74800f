package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.head.JobRunner.Decline;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.protocol.SlotCommand;

/** The coordinator's book of credit, without the coordinator: lending, turns, declines, reclaims. */
class SchedulerTest {

    private static final ActorTestKit testKit = ActorTestKit.create("SchedulerTest");
    private static final Address A = new Address("pekko", "grid", "10.0.0.1", 2552);
    private static final Address B = new Address("pekko", "grid", "10.0.0.2", 2552);
    private static final NodeCapacity PLAIN = new NodeCapacity(2, 4L << 30, Set.of());
    private static final NodeCapacity GPU = new NodeCapacity(2, 4L << 30, Set.of("gpu"));

    private final Scheduler scheduler = new Scheduler();
    private int slots;

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private Scheduler.SlotState slot(Address node, NodeCapacity capacity, int parked) {
        ActorRef<SlotCommand> ref = testKit.<SlotCommand>createTestProbe().ref();
        Scheduler.SlotState s = scheduler.register(new Slot(ref, ref, "slot-" + slots++, node, capacity));
        s.parked = parked;
        return s;
    }

    private Scheduler.JobState job(String id, String requires) {
        Scheduler.JobState job = new Scheduler.JobState(id, "noop", null, Requirements.parse(requires), 100, null, null);
        scheduler.addJob(job);
        return job;
    }

    /** What a runner does with a grant it uses in full. */
    private void usedAll(Scheduler.Lend lend) {
        scheduler.returned(lend.slot(), lend.job().jobId, 0, Decline.NONE, false);
    }

    @Test
    void aJobsEligibleSlotsAndNodesFollowTheSlotsAndTheirReachability() {
        Scheduler.JobState plain = job("j1", "");
        Scheduler.JobState gpu = job("j2", "tags=gpu");
        slot(A, PLAIN, 0);
        Scheduler.SlotState a2 = slot(A, PLAIN, 0);
        slot(B, GPU, 0);
        assertEquals(List.of(3, 2, 1, 1), eligible(plain, gpu));
        slot(B, GPU, 0);
        assertEquals(List.of(4, 2, 2, 1), eligible(plain, gpu), "a slot registered");
        scheduler.unreachable(B);
        assertEquals(List.of(2, 1, 0, 0), eligible(plain, gpu), "a node unreachable");
        scheduler.reachable(B);
        assertEquals(List.of(4, 2, 2, 1), eligible(plain, gpu), "reachable again");
        scheduler.remove(a2.slot.ref());
        assertEquals(List.of(3, 2, 2, 1), eligible(plain, gpu), "a slot stopped");
        scheduler.removeNode(B);
        assertEquals(List.of(1, 1, 0, 0), eligible(plain, gpu), "a node left");
    }

    /** Eligible slots and nodes of each job, asked twice: the second answer is the counted one kept. */
    private List<Integer> eligible(Scheduler.JobState first, Scheduler.JobState second) {
        List<Integer> counts = List.of(scheduler.eligibleSlots(first), scheduler.eligibleNodes(first),
            scheduler.eligibleSlots(second), scheduler.eligibleNodes(second));
        assertEquals(counts, List.of(scheduler.eligibleSlots(first), scheduler.eligibleNodes(first),
            scheduler.eligibleSlots(second), scheduler.eligibleNodes(second)));
        return counts;
    }

    @Test
    void jobsTakeTurnsOnTheCreditOfASlot() {
        Scheduler.SlotState s = slot(A, PLAIN, 0);
        job("j1", "");
        job("j2", "");
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            s.parked += 2;  // the slot asks again
            Scheduler.Lend lend = scheduler.lend(s);
            assertEquals(2, lend.batches());
            assertEquals(0, s.parked);
            order.append(lend.job().jobId).append(' ');
            usedAll(lend);
        }
        assertEquals("j1 j2 j1 j2 j1 j2 ", order.toString());
    }

    @Test
    void twoSlotsGoToTwoJobs() {
        Scheduler.SlotState s1 = slot(A, PLAIN, 4);
        Scheduler.SlotState s2 = slot(B, PLAIN, 4);
        job("j1", "");
        job("j2", "");
        assertEquals("j1", scheduler.lend(s1).job().jobId);
        assertEquals("j2", scheduler.lend(s2).job().jobId);
        assertEquals("j1", s1.lentTo);
        assertEquals(4, s1.lent);
    }

    @Test
    void aSlotLentToAJobIsNotLentAgainUntilTheRunnerAnswers() {
        Scheduler.SlotState s = slot(A, PLAIN, 3);
        job("j1", "");
        job("j2", "");
        Scheduler.Lend lend = scheduler.lend(s);
        s.parked += 1;  // more demand while the grant is out
        assertNull(scheduler.lend(s));
        // Credit that came with results does not answer the grant.
        scheduler.returned(s, "j1", 1, Decline.NONE, true);
        assertNull(scheduler.lend(s));
        assertEquals("j1", s.lentTo);
        usedAll(lend);
        assertEquals(2, s.parked);
        assertEquals("j2", scheduler.lend(s).job().jobId);
    }

    @Test
    void onlySlotsWhoseNodeHasTheTagsRunAJob() {
        Scheduler.SlotState plain = slot(A, PLAIN, 1);
        Scheduler.SlotState gpu = slot(B, GPU, 1);
        Scheduler.JobState needsGpu = job("gpu-job", "tags=gpu");
        assertNull(scheduler.lend(plain));
        assertEquals(1, plain.parked);
        assertSame(needsGpu, scheduler.lend(gpu).job());
        assertEquals(1, scheduler.eligibleSlots(needsGpu));
        assertEquals(1, scheduler.eligibleNodes(needsGpu));
        Scheduler.JobState any = job("any-job", "");
        assertSame(any, scheduler.lend(plain).job());
        assertEquals(2, scheduler.eligibleSlots(any));
        assertEquals(2, scheduler.eligibleNodes(any));
    }

    @Test
    void aJobWithNoWorkIsNotOfferedCreditUntilItHasSomeAgain() {
        Scheduler.SlotState s1 = slot(A, PLAIN, 2);
        Scheduler.SlotState s2 = slot(B, PLAIN, 2);
        Scheduler.JobState j1 = job("j1", "");
        Scheduler.Lend lend = scheduler.lend(s1);
        scheduler.returned(s1, "j1", 2, Decline.NO_WORK, false);
        assertFalse(j1.hasWork);
        assertEquals(2, s1.parked);
        assertNull(scheduler.lend(s1));
        assertNull(scheduler.lend(s2), "no work for j1 on any slot");
        Scheduler.JobState j2 = job("j2", "");
        assertSame(j2, scheduler.lend(s1).job());
        scheduler.workAvailable("j1");
        assertTrue(j1.hasWork);
        assertSame(j1, scheduler.lend(s2).job());
        assertSame(lend.job(), j1);
    }

    @Test
    void aJobBlockedOnANodeStillGetsSlotsOfOtherNodes() {
        Scheduler.SlotState onA = slot(A, PLAIN, 1);
        Scheduler.SlotState alsoOnA = slot(A, PLAIN, 1);
        Scheduler.SlotState onB = slot(B, PLAIN, 1);
        Scheduler.JobState j1 = job("j1", "");
        scheduler.lend(onA);
        scheduler.returned(onA, "j1", 1, Decline.NODE_BLOCKED, false);
        assertEquals(Set.of(A), j1.blockedNodes);
        assertNull(scheduler.lend(onA));
        assertNull(scheduler.lend(alsoOnA));
        assertSame(j1, scheduler.lend(onB).job());
        scheduler.workAvailable("j1");
        assertSame(j1, scheduler.lend(alsoOnA).job());
    }

    @Test
    void aSlotFullDeclineSkipsTheJobOnlyOnThatSlot() {
        Scheduler.SlotState s1 = slot(A, PLAIN, 1);
        Scheduler.SlotState s2 = slot(A, PLAIN, 1);
        Scheduler.JobState j1 = job("j1", "");
        scheduler.lend(s1);
        scheduler.returned(s1, "j1", 1, Decline.SLOT_FULL, false);
        assertTrue(j1.hasWork);
        assertTrue(j1.blockedNodes.isEmpty());
        assertNull(scheduler.lend(s1));
        assertSame(j1, scheduler.lend(s2).job());
        // New demand from the slot clears its declines (the coordinator does this on SlotDemand).
        s1.declined.clear();
        assertSame(j1, scheduler.lend(s1).job());
    }

    @Test
    void creditLentToAStoppedRunnerComesBack() {
        Scheduler.SlotState s1 = slot(A, PLAIN, 3);
        Scheduler.SlotState s2 = slot(B, PLAIN, 2);
        Scheduler.SlotState untouched = slot(B, PLAIN, 0);
        job("j1", "");
        scheduler.lend(s1);
        scheduler.lend(s2);
        List<Scheduler.SlotState> reclaimed = scheduler.reclaim("j1");
        assertEquals(List.of(s1, s2), reclaimed);
        assertEquals(3, s1.parked);
        assertEquals(2, s2.parked);
        assertNull(s1.lentTo);
        assertEquals(0, s1.lent);
        assertEquals(0, untouched.parked);
        scheduler.removeJob("j1");
        Scheduler.JobState j2 = job("j2", "");
        assertSame(j2, scheduler.lend(s1).job());
        assertEquals(2, scheduler.lend(s2).batches());
    }

    @Test
    void unreachableNodesGetNoCreditLent() {
        Scheduler.SlotState s = slot(A, PLAIN, 1);
        Scheduler.JobState j1 = job("j1", "");
        scheduler.unreachable(A);
        assertNull(scheduler.lend(s));
        assertEquals(0, scheduler.eligibleSlots(j1));
        scheduler.reachable(A);
        assertSame(j1, scheduler.lend(s).job());
    }

    @Test
    void removingANodeRemovesItsSlots() {
        Scheduler.SlotState a1 = slot(A, PLAIN, 0);
        Scheduler.SlotState a2 = slot(A, PLAIN, 0);
        Scheduler.SlotState b1 = slot(B, PLAIN, 0);
        assertEquals(List.of(a1, a2), scheduler.removeNode(A));
        assertEquals(List.of(b1), scheduler.slots());
        assertEquals(Set.of(b1.slot.slotId()), scheduler.registeredSlotIds());
    }

    @Test
    void removingAJobForgetsItsDeclines() {
        Scheduler.SlotState s = slot(A, PLAIN, 1);
        job("j1", "");
        scheduler.lend(s);
        scheduler.returned(s, "j1", 1, Decline.NO_WORK, false);
        assertEquals(Set.of("j1"), s.declined);
        scheduler.removeJob("j1");
        assertTrue(s.declined.isEmpty());
        assertNull(scheduler.job("j1"));
    }
}
