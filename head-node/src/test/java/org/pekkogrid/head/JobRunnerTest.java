package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pekkogrid.head.RunnerRig.CLIENT;
import static org.pekkogrid.head.RunnerRig.COORDINATOR;
import static org.pekkogrid.head.RunnerRig.chunksOf;
import static org.pekkogrid.head.RunnerRig.node;
import static org.pekkogrid.head.RunnerRig.settings;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.head.JobCoordinator.GrantDone;
import org.pekkogrid.head.JobCoordinator.JobFinished;
import org.pekkogrid.head.JobCoordinator.WorkAvailable;
import org.pekkogrid.head.JobRunner.Decline;
import org.pekkogrid.head.RunnerRig.FakeSlot;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.RunnerCommand.ChunkOverdue;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.pekkogrid.protocol.SlotCommand.DropJob;
import org.pekkogrid.protocol.SlotCommand.RunChunks;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * The job runner driven directly: the test plays the client, the coordinator and the worker
 * slots. Every wire message crosses Pekko's serializer on its way (serialize-messages), so these
 * tests also show that each one survives the wire format; the coordinator's own messages to its
 * runner (Grant, NodeLost ...) are LocalOnly and skip the check: they never leave the head.
 */
class JobRunnerTest {

    private static final ActorTestKit testKit = ActorTestKit.create("JobRunnerTest", ConfigFactory.parseString("""
            pekko.actor.provider = local
            pekko.actor.serialize-messages = on
            """).withFallback(GridConfig.defaults()));

    private static final long TERMS = 1_000_000;
    private static final double PI_OF_TERMS = LeibnizPi.expected(TERMS);

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static RunnerRig leibniz(long chunks, int maxRetries) {
        return new RunnerRig(testKit, "leibniz-pi", Map.of("terms", Long.toString(TERMS)), chunks, maxRetries,
            settings());
    }

    private static double pi(JobEvent outcome) {
        JobEvent.Completed done = assertInstanceOf(JobEvent.Completed.class, outcome, "the job's outcome");
        return done.result().doubleValue();
    }

    @Test
    void messagesCrossTheSerializerInTheseTests() {
        assertTrue(testKit.system().settings().classicSettings().SerializeAllMessages());
    }

    @Test
    void aJobCompletesWithTheExactAnswerCountingEveryChunkOnce() {
        RunnerRig rig = leibniz(200, 3);
        FakeSlot a = rig.slot("a", node(1), 1);
        FakeSlot b = rig.slot("b", node(2), 1);
        JobEvent.Accepted accepted = rig.expect(CLIENT, JobEvent.Accepted.class);
        assertEquals(new JobEvent.Accepted(rig.jobId, "leibniz-pi", 200, accepted.requires(), rig.runner), accepted);

        RunnerDriver driver = new RunnerDriver(rig, List.of(a, b), 4, 1).grantAll().run();

        assertEquals(PI_OF_TERMS, pi(driver.outcome), 1e-12);
        JobReport report = ((JobEvent.Completed) driver.outcome).report();
        assertEquals(200, report.chunks());
        assertEquals(200, report.chunksDone());
        assertEquals(TERMS, report.items(), "leibniz counts its terms as items");
        assertEquals(200, driver.chunksDispatched());
        assertEquals(0, driver.redispatched, "no chunk was sent twice");
        assertEquals(0, report.duplicates());
        assertEquals(0, report.retries());
        assertEquals(200, report.nodes().stream().mapToLong(JobReport.NodeReport::chunks).sum());
        assertEquals(2, report.nodes().size());
        assertEquals(200, report.runMillis().count());
        assertEquals(200, report.chunkRows().size(), "a short series travels inside the final event");
        assertEquals(0, driver.reportParts);
        JobFinished finished = driver.finished;
        assertEquals(new JobFinished(rig.jobId, "COMPLETED", 200, 200, finished.outcome(), finished.result(),
            finished.report()), finished);
        assertEquals(PI_OF_TERMS, finished.result().asDouble(), 1e-12, "the answer is kept for those who ask later");
        assertEquals(200, finished.report().chunksDone());
        assertTrue(finished.outcome().startsWith("pi ~ 3.14159"), finished.outcome());
    }

    @Test
    void creditIsNeverExceededAndWhatIsNotUsedComesBack() {
        // Short batches and a small queued-work limit make the runner decline credit as SLOT_FULL;
        // node 1 has two slots and one core, so one of them is always NODE_BLOCKED.
        RunnerRig rig = new RunnerRig(testKit, "noop", Map.of(), 20_000, 3,
            settings(Duration.ofMillis(5), 2048, Duration.ofMillis(5)));
        rig.runNanosPerChunk = 200_000;
        List<FakeSlot> slots = List.of(rig.slot("a1", node(1), 1), rig.slot("a2", node(1), 1),
            rig.slot("b1", node(2), 2), rig.slot("b2", node(2), 2), rig.slot("c1", node(3), 1));

        RunnerDriver driver = new RunnerDriver(rig, slots, 4, 7).grantAll().run();

        assertEquals(20_000L, assertInstanceOf(JobEvent.Completed.class, driver.outcome).result().longValue());
        assertTrue(driver.batchesAnswered > 300, "a long run of grants and results: " + driver.batchesAnswered);
        for (RunnerDriver.Book b : driver.books()) {
            // Every batch of credit was used for a batch, handed back to the coordinator, or was
            // in a grant the runner never read because the job had ended (the coordinator reclaims it).
            assertEquals(b.given, b.received + b.returned + b.unreadGrant, "credit of " + b);
            assertTrue(b.mostHeld <= 4, b + " held " + b.mostHeld);
        }
        assertTrue(driver.declines.getOrDefault(Decline.SLOT_FULL, 0) > 0, "declines: " + driver.declines);
        assertTrue(driver.declines.getOrDefault(Decline.NODE_BLOCKED, 0) > 0, "declines: " + driver.declines);
        assertTrue(driver.declines.getOrDefault(Decline.NO_WORK, 0) > 0, "declines: " + driver.declines);
        assertEquals(20_000, driver.chunksDispatched());
        assertEquals(0, driver.redispatched);
        JobReport report = ((JobEvent.Completed) driver.outcome).report();
        assertTrue(driver.reportParts > 0 && report.chunkRows().isEmpty(),
            "a long series travels in parts ahead of the final event: " + driver.reportParts);
        assertTrue(driver.reportRows > ReportStream.INLINE_SERIES, "rows: " + driver.reportRows);
    }

    @Test
    void untilAChunksCostIsKnownASlotTakesOneBatchAndCreditBeyondTheWorkLeftIsReturnedAsNoWork() {
        RunnerRig rig = leibniz(2, 3);
        FakeSlot a = rig.slot("a", node(1), 1);
        rig.grant(a, 5, 1, 1);
        RunChunks first = rig.expect(a, RunChunks.class);
        assertEquals(List.of(0L), chunksOf(first));
        assertEquals(new GrantDone(rig.jobId, a.ref(), 4, Decline.SLOT_FULL, false), rig.expect(COORDINATOR, GrantDone.class));

        // The first result drains the slot that was full: the coordinator hears there is work for
        // its credit again. The result's own credit takes the last chunk; the rest finds no work.
        rig.answer(a, first, 3);
        rig.expect(COORDINATOR, WorkAvailable.class);
        RunChunks second = rig.expect(a, RunChunks.class);
        assertEquals(List.of(1L), chunksOf(second));
        assertEquals(new GrantDone(rig.jobId, a.ref(), 2, Decline.NO_WORK, true), rig.expect(COORDINATOR, GrantDone.class));
        rig.answer(a, second, 2);
        // The job's last result: its credit goes back as the job ends.
        assertEquals(new GrantDone(rig.jobId, a.ref(), 2, Decline.NO_WORK, true), rig.expect(COORDINATOR, GrantDone.class));
        assertEquals(PI_OF_TERMS, pi(rig.expectSkipping(CLIENT, JobEvent.Completed.class, JobEvent.Accepted.class)), 1e-12);
    }

    @Test
    void twoChunksOnTwoIdleSlotsRunOneOnEach() {
        RunnerRig rig = leibniz(2, 3);
        FakeSlot a = rig.slot("a", node(1), 2);
        FakeSlot b = rig.slot("b", node(1), 2);
        rig.grant(a, 4, 2, 1);
        assertEquals(List.of(0L), chunksOf(rig.expect(a, RunChunks.class)));
        assertEquals(new GrantDone(rig.jobId, a.ref(), 3, Decline.SLOT_FULL, false), rig.expect(COORDINATOR, GrantDone.class));
        rig.grant(b, 4, 2, 1);
        assertEquals(List.of(1L), chunksOf(rig.expect(b, RunChunks.class)));
        assertEquals(new GrantDone(rig.jobId, b.ref(), 3, Decline.NO_WORK, false), rig.expect(COORDINATOR, GrantDone.class));
    }

    @Test
    void nearTheEndASlotWithWorkLeavesTheRestToTheOthers() {
        RunnerRig rig = leibniz(4, 3);
        FakeSlot a = rig.slot("a", node(1), 2);
        FakeSlot b = rig.slot("b", node(1), 2);
        rig.grant(a, 1, 2, 1);
        RunChunks a0 = rig.expect(a, RunChunks.class);
        rig.expect(COORDINATOR, GrantDone.class);
        rig.grant(b, 1, 2, 1);
        RunChunks b0 = rig.expect(b, RunChunks.class);
        rig.expect(COORDINATOR, GrantDone.class);
        // a finishes first with credit for four batches: it takes one of the two chunks left, not both.
        rig.answer(a, a0, 4);
        assertEquals(List.of(2L), chunksOf(rig.expect(a, RunChunks.class)));
        assertEquals(new GrantDone(rig.jobId, a.ref(), 3, Decline.SLOT_FULL, true), rig.expect(COORDINATOR, GrantDone.class));
        rig.answer(b, b0, 1);
        assertEquals(List.of(3L), chunksOf(rig.expect(b, RunChunks.class)));
    }

    @Test
    void aSlotOfABusyNodeIsDeclinedAsNodeBlockedAndOfferedAgainWhenTheNodeFrees() {
        RunnerRig rig = leibniz(10, 3);
        FakeSlot a1 = rig.slot("a1", node(1), 1);
        FakeSlot a2 = rig.slot("a2", node(1), 1);
        rig.grant(a1, 1, 2, 1);
        RunChunks batch = rig.expect(a1, RunChunks.class);
        assertEquals(new GrantDone(rig.jobId, a1.ref(), 0, Decline.NONE, false), rig.expect(COORDINATOR, GrantDone.class));
        rig.grant(a2, 2, 2, 1);
        assertEquals(new GrantDone(rig.jobId, a2.ref(), 2, Decline.NODE_BLOCKED, false),
            rig.expect(COORDINATOR, GrantDone.class));
        // a1's result frees the node: the runner says it has work again.
        rig.answer(a1, batch, 0);
        rig.expect(COORDINATOR, WorkAvailable.class);
    }

    @Test
    void whileOtherJobsRunFreshCreditGoesBackToTheCoordinator() {
        RunnerRig rig = leibniz(10, 3);
        FakeSlot a = rig.slot("a", node(1), 1);
        rig.runner.tell(new JobRunner.Contention(true));
        rig.grant(a, 1, 1, 1);
        RunChunks batch = rig.expect(a, RunChunks.class);
        rig.expect(COORDINATOR, GrantDone.class);
        rig.answer(a, batch, 1);
        assertEquals(new GrantDone(rig.jobId, a.ref(), 1, Decline.NONE, true), rig.expect(COORDINATOR, GrantDone.class));
        // Alone again, the job keeps the credit its slots send.
        rig.runner.tell(new JobRunner.Contention(false));
        rig.grant(a, 1, 1, 1);
        RunChunks next = rig.expect(a, RunChunks.class);
        rig.expect(COORDINATOR, GrantDone.class);
        rig.answer(a, next, 1);
        List<Long> nextChunks = chunksOf(next);
        RunChunks kept = rig.expect(a, RunChunks.class);
        assertEquals(nextChunks.get(nextChunks.size() - 1) + 1, chunksOf(kept).get(0), "the chunks that follow");
    }

    @Test
    void duplicateResultsAreFoldedOnceAndCounted() {
        RunnerRig rig = leibniz(4, 3);
        FakeSlot a = rig.slot("a", node(1), 1);
        FakeSlot b = rig.slot("b", node(2), 1);
        rig.grant(a, 2, 2, 2);
        RunChunks a0 = rig.expect(a, RunChunks.class);
        assertEquals(List.of(0L), chunksOf(a0));
        rig.expect(COORDINATOR, GrantDone.class);
        ChunkResults a0Results = rig.answer(a, a0, 1);
        RunChunks a1 = rig.expect(a, RunChunks.class);
        assertEquals(List.of(1L), chunksOf(a1));

        // The same batch answered twice.
        rig.runner.tell(a0Results);
        // a's node is lost: chunk 1 goes to b, which answers first; a's late answer still arrives.
        rig.runner.tell(new JobRunner.NodeLost(node(1)));
        rig.expect(COORDINATOR, WorkAvailable.class);
        rig.grant(b, 2, 2, 2);
        RunChunks b0 = rig.expect(b, RunChunks.class);
        assertEquals(List.of(1L), chunksOf(b0), "the lost chunk goes first");
        rig.answer(b, b0, 1);
        RunChunks b1 = rig.expect(b, RunChunks.class);
        rig.answer(a, a1, 0);
        rig.answer(b, b1, 1);
        RunChunks b2 = rig.expect(b, RunChunks.class);
        rig.answer(b, b2, 0);

        JobEvent.Completed done = rig.expectSkipping(CLIENT, JobEvent.Completed.class, JobEvent.Accepted.class);
        assertEquals(PI_OF_TERMS, done.result().doubleValue(), 1e-12);
        assertEquals(4, done.report().chunksDone());
        assertEquals(2, done.report().duplicates(), "the repeated batch and the late answer of the lost one");
        assertEquals(1, done.report().requeued());
        assertEquals(Set.of(0L, 1L, 2L, 3L), new TreeSet<>(List.of(chunksOf(a0).get(0), chunksOf(b0).get(0),
            chunksOf(b1).get(0), chunksOf(b2).get(0))));
    }

    @Test
    void aFailingChunkIsRetriedOnAnotherNodeThenFailsTheJobNamingChunkAndError() {
        RunnerRig rig = new RunnerRig(testKit, "flaky", Map.of("rate", "1"), 1, 2, settings());
        FakeSlot a = rig.slot("a", node(1), 1);
        FakeSlot b = rig.slot("b", node(2), 1);

        rig.grant(a, 1, 2, 2);
        RunChunks first = rig.expect(a, RunChunks.class);
        assertArrayEquals(new int[0], first.attempts());
        rig.expect(COORDINATOR, GrantDone.class);
        rig.answer(a, first, 1);
        // The retry avoids node 1, so the credit a sent with its error finds nothing for it.
        assertEquals(new GrantDone(rig.jobId, a.ref(), 1, Decline.NODE_BLOCKED, true), rig.expect(COORDINATOR, GrantDone.class));
        rig.expect(COORDINATOR, WorkAvailable.class);

        rig.grant(b, 1, 2, 2);
        RunChunks second = rig.expect(b, RunChunks.class);
        assertEquals(List.of(0L), chunksOf(second));
        assertArrayEquals(new int[] {1}, second.attempts());
        rig.expect(COORDINATOR, GrantDone.class);
        rig.answer(b, second, 1);
        assertEquals(new GrantDone(rig.jobId, b.ref(), 1, Decline.NODE_BLOCKED, true), rig.expect(COORDINATOR, GrantDone.class));
        rig.expect(COORDINATOR, WorkAvailable.class);

        rig.grant(a, 1, 2, 2);
        RunChunks third = rig.expect(a, RunChunks.class);
        assertArrayEquals(new int[] {2}, third.attempts());
        rig.expect(COORDINATOR, GrantDone.class);
        rig.answer(a, third, 1);

        JobEvent.Failed failed = rig.expectSkipping(CLIENT, JobEvent.Failed.class, JobEvent.Accepted.class);
        assertEquals("chunk 0 failed 3 times; last error on 10.0.0.1:2552: java.lang.IllegalStateException: "
            + "flaky: chunk 0 attempt 2 fails by design (rate 1.0)", failed.reason());
        assertEquals(3, failed.report().failedAttempts());
        assertEquals(2, failed.report().retries());
        assertEquals(1, failed.report().failedChunks());
        assertEquals(0, failed.report().chunksDone());
        assertEquals(new GrantDone(rig.jobId, a.ref(), 1, Decline.NO_WORK, true), rig.expect(COORDINATOR, GrantDone.class));
        assertEquals("FAILED", rig.expect(COORDINATOR, JobFinished.class).state());
        rig.expect(a, DropJob.class);
        rig.expect(b, DropJob.class);
    }

    @Test
    void withOneNodeARetryRunsOnTheNodeItFailedOn() {
        RunnerRig rig = new RunnerRig(testKit, "flaky", Map.of("rate", "1"), 1, 1, settings());
        FakeSlot a = rig.slot("a", node(1), 1);
        rig.grant(a, 1, 1, 1);
        RunChunks first = rig.expect(a, RunChunks.class);
        rig.expect(COORDINATOR, GrantDone.class);
        rig.answer(a, first, 1);
        RunChunks retry = rig.expect(a, RunChunks.class);
        assertArrayEquals(new int[] {1}, retry.attempts());
        rig.answer(a, retry, 1);
        JobEvent.Failed failed = rig.expectSkipping(CLIENT, JobEvent.Failed.class, JobEvent.Accepted.class);
        assertTrue(failed.reason().startsWith("chunk 0 failed 2 times"), failed.reason());
    }

    @Test
    void anOverdueChunkIsRunAgainAndTheFirstResultWins() {
        RunnerRig rig = leibniz(64, 2);
        FakeSlot a = rig.slot("a", node(1), 1);
        FakeSlot b = rig.slot("b", node(2), 1);
        rig.grant(a, 1, 2, 2);
        RunChunks warm = rig.expect(a, RunChunks.class);
        rig.expect(COORDINATOR, GrantDone.class);
        rig.answer(a, warm, 1);
        // Now that chunk times are known, a batch holds a quarter of the rest: ceil(63 / (2 x 2)).
        RunChunks stuck = rig.expect(a, RunChunks.class);
        List<Long> stuckChunks = chunksOf(stuck);
        assertEquals(16, stuckChunks.size());

        rig.runner.tell(new ChunkOverdue(stuck.batchId(), stuck.token(), 3, "slot-a", 250));
        rig.expect(COORDINATOR, WorkAvailable.class);
        rig.grant(b, 1, 2, 2);
        RunChunks again = rig.expect(b, RunChunks.class);
        assertEquals(stuckChunks, chunksOf(again), "the whole unfinished batch runs again");
        int[] attempts = new int[16];
        attempts[3] = 1;  // only the overdue chunk counts an attempt
        assertArrayEquals(attempts, again.attempts());
        rig.expect(COORDINATOR, GrantDone.class);

        rig.answer(b, again, 0);
        rig.answer(a, stuck, 0);  // the straggler finishes after all

        RunnerDriver driver = new RunnerDriver(rig, List.of(a, b), 2, 3);
        driver.grantAll().run();
        assertEquals(PI_OF_TERMS, pi(driver.outcome), 1e-12);
        JobReport report = ((JobEvent.Completed) driver.outcome).report();
        assertEquals(64, report.chunksDone());
        assertEquals(1, report.timedOut());
        assertEquals(16, report.duplicates(), "the straggler's late batch");
        assertEquals(16, report.retries());
        assertEquals(15, report.requeued());
    }

    @Test
    void answersForABatchWithoutItsTokenOrFromAnotherSlotCountForNothing() {
        RunnerRig rig = leibniz(64, 3);
        FakeSlot a = rig.slot("a", node(1), 1);
        FakeSlot b = rig.slot("b", node(2), 1);
        rig.grant(a, 1, 2, 2);
        RunChunks batch = rig.expect(a, RunChunks.class);
        rig.expect(COORDINATOR, GrantDone.class);
        ChunkResults real = rig.run(a, batch, 0);
        byte[] unreadable = {(byte) 0xff, 1};

        // Someone who knows the sequential batch id and the slot's name, but not the batch's token;
        // and the token with another slot's name. Results this unreadable would fail the job if folded.
        for (long token : new long[] {batch.token() + 1, 0, ~batch.token()}) {
            rig.runner.tell(new ChunkResults(batch.batchId(), token, real.slotId(), 0, real.runNanos(), unreadable,
                real.errors(), real.itemFailures(), real.items(), 5));
            rig.runner.tell(new ChunkOverdue(batch.batchId(), token, 0, real.slotId(), 60_000));
            rig.runner.tell(new RunnerCommand.BatchesReturned(new long[] {batch.batchId()}, new long[] {token},
                real.slotId()));
        }
        rig.runner.tell(new ChunkResults(batch.batchId(), batch.token(), "slot-b", 0, real.runNanos(), unreadable,
            real.errors(), real.itemFailures(), real.items(), 5));
        rig.runner.tell(new ChunkOverdue(batch.batchId(), batch.token(), 0, "slot-b", 60_000));
        rig.runner.tell(new RunnerCommand.BatchesReturned(new long[] {batch.batchId()}, new long[0], "slot-a"));

        rig.runner.tell(real);
        RunnerDriver driver = new RunnerDriver(rig, List.of(a, b), 2, 3);
        driver.grantAll().run();
        assertEquals(PI_OF_TERMS, pi(driver.outcome), 1e-12);
        JobReport report = ((JobEvent.Completed) driver.outcome).report();
        assertEquals(64, report.chunksDone());
        assertEquals(0, report.timedOut(), "no forged overdue report counted");
        assertEquals(0, report.duplicates(), "the batch was not taken back by a forged return");
        assertEquals(0, report.retries());
    }

    @Test
    void aChunkOverduePastItsRetriesFailsTheJobNamingTheChunkAndTheTimeout() {
        RunnerRig rig = leibniz(4, 1);
        FakeSlot a = rig.slot("a", node(1), 1);
        FakeSlot b = rig.slot("b", node(2), 1);
        rig.grant(a, 1, 2, 2);
        RunChunks first = rig.expect(a, RunChunks.class);
        rig.expect(COORDINATOR, GrantDone.class);
        rig.runner.tell(new ChunkOverdue(first.batchId(), first.token(), 0, "slot-a", 210));
        rig.expect(COORDINATOR, WorkAvailable.class);
        rig.grant(b, 1, 2, 2);
        RunChunks second = rig.expect(b, RunChunks.class);
        assertEquals(List.of(0L), chunksOf(second));
        assertArrayEquals(new int[] {1}, second.attempts());
        rig.expect(COORDINATOR, GrantDone.class);
        rig.runner.tell(new ChunkOverdue(second.batchId(), second.token(), 0, "slot-b", 205));

        JobEvent.Failed failed = rig.expectSkipping(CLIENT, JobEvent.Failed.class, JobEvent.Accepted.class);
        assertEquals("chunk 0 ran past the chunk timeout of 200ms on 2 attempts, the last on 10.0.0.2:2552",
            failed.reason());
        assertEquals(2, failed.report().timedOut());
        assertEquals(1, failed.report().failedChunks());
        rig.expect(a, DropJob.class);
        rig.expect(b, DropJob.class);
    }

    @Test
    void aLostNodesChunksAreRequeuedAtOnceAndTheJobCompletesExactly() {
        RunnerRig rig = leibniz(64, 3);
        FakeSlot a1 = rig.slot("a1", node(1), 2);
        FakeSlot a2 = rig.slot("a2", node(1), 2);
        FakeSlot b = rig.slot("b", node(2), 1);
        rig.grant(a1, 2, 3, 2);
        rig.grant(a2, 2, 3, 2);
        Set<Long> onNode1 = new HashSet<>();
        for (FakeSlot s : List.of(a1, a2)) onNode1.addAll(chunksOf(rig.expect(s, RunChunks.class)));
        assertEquals(Set.of(0L, 1L), onNode1);

        rig.runner.tell(new JobRunner.NodeLost(node(1)));
        rig.expectSkipping(COORDINATOR, WorkAvailable.class, GrantDone.class);
        rig.grant(b, 4, 3, 1);
        RunChunks onB = rig.expect(b, RunChunks.class);
        assertTrue(onNode1.containsAll(chunksOf(onB)), "the lost node's chunks go first: " + chunksOf(onB));
        assertEquals(new GrantDone(rig.jobId, b.ref(), 3, Decline.SLOT_FULL, false), rig.expect(COORDINATOR, GrantDone.class));

        RunnerDriver driver = new RunnerDriver(rig, List.of(a1, a2, b), 4, 5);
        driver.book(b).unanswered.add(onB);
        driver.run();
        assertEquals(PI_OF_TERMS, pi(driver.outcome), 1e-12);
        JobReport report = ((JobEvent.Completed) driver.outcome).report();
        assertEquals(64, report.chunksDone());
        assertEquals(2, report.requeued());
        assertEquals(2, report.retries());
        assertEquals(0, report.duplicates());
        // The lost node is listed (it was part of the job until lost) with no chunk to its name.
        assertEquals(List.of("10.0.0.1:2552", "10.0.0.2:2552"),
            report.nodes().stream().map(JobReport.NodeReport::address).toList());
        assertEquals(0, report.nodes().get(0).chunks());
        assertEquals(64, report.nodes().get(1).chunks());
    }

    @Test
    void aLostSlotsBatchesAreRequeuedAndItsNeighboursKeepTheirs() {
        RunnerRig rig = leibniz(16, 3);
        FakeSlot a1 = rig.slot("a1", node(1), 2);
        FakeSlot a2 = rig.slot("a2", node(1), 2);
        rig.grant(a1, 1, 2, 1);
        RunChunks lost = rig.expect(a1, RunChunks.class);
        rig.grant(a2, 1, 2, 1);
        RunChunks kept = rig.expect(a2, RunChunks.class);
        rig.runner.tell(new JobRunner.SlotLost(a1.ref()));
        rig.expectSkipping(COORDINATOR, WorkAvailable.class, GrantDone.class);
        rig.answer(a2, kept, 2);
        List<Long> next = chunksOf(rig.expect(a2, RunChunks.class));
        assertEquals(chunksOf(lost).get(0), next.get(0), "the lost slot's chunk goes first");
        assertNotEquals(chunksOf(kept).get(0), next.get(0));
    }

    @Test
    void aFollowerHearsTheJobFromWhereItIsToItsEndAlongsideItsClient() {
        RunnerRig rig = leibniz(2, 3);
        FakeSlot a = rig.slot("a", node(1), 1);
        rig.expect(CLIENT, JobEvent.Accepted.class);
        ActorRef<JobEvent> follower = rig.listener("follower");

        rig.runner.tell(new JobRunner.Follow(follower));
        rig.runner.tell(new JobRunner.Follow(follower));

        for (int twice = 0; twice < 2; twice++) {
            assertEquals(rig.jobId, rig.expect("follower", JobEvent.Accepted.class).jobId(), "where the job is");
            JobEvent.Progress progress = rig.expect("follower", JobEvent.Progress.class);
            assertEquals(0, progress.chunksDone());
            assertEquals(2, progress.chunksTotal());
        }
        rig.grant(a, 2, 1, 1);
        // Each result carries the credit its batch frees, as a slot's does.
        for (int batches = 0; batches < 2; batches++) rig.answer(a, rig.expect(a, RunChunks.class), 1);
        JobEvent.Completed heard = rig.expectSkipping("follower", JobEvent.Completed.class, JobEvent.Progress.class);
        JobEvent.Completed toClient = rig.expectSkipping(CLIENT, JobEvent.Completed.class, JobEvent.Progress.class);
        assertEquals(PI_OF_TERMS, heard.result().doubleValue(), 1e-12);
        assertEquals(toClient.result(), heard.result());
        testKit.createTestProbe().expectTerminated(rig.runner);
        assertTrue(rig.drain().stream().noneMatch(seen -> seen.message() instanceof JobEvent.Completed),
            "a listener that followed twice hears the end once");
    }

    @Test
    void cancellingEndsTheJobCancelledAndTellsItsSlotsToDropIt() {
        RunnerRig rig = leibniz(64, 3);
        FakeSlot a = rig.slot("a", node(1), 1);
        FakeSlot b = rig.slot("b", node(2), 1);
        rig.grant(a, 2, 2, 2);
        rig.grant(b, 1, 2, 2);
        RunChunks answered = rig.expect(a, RunChunks.class);
        rig.expect(b, RunChunks.class);
        rig.answer(a, answered, 0);

        rig.runner.tell(new RunnerCommand.Cancel("user asked"));

        JobEvent.Cancelled cancelled = rig.expectSkipping(CLIENT, JobEvent.Cancelled.class, JobEvent.Accepted.class);
        assertEquals("cancelled: user asked", cancelled.reason());
        assertEquals(1, cancelled.report().chunksDone());
        rig.expect(a, DropJob.class);
        rig.expect(b, DropJob.class);
        JobFinished finished = rig.expectSkipping(COORDINATOR, JobFinished.class, GrantDone.class, WorkAvailable.class);
        assertEquals(new JobFinished(rig.jobId, "CANCELLED", 1, 64, "cancelled: user asked", finished.result(),
            finished.report()), finished);
        assertTrue(finished.result() == null || finished.result().isNull(), "a cancelled job has no answer");
        testKit.createTestProbe().expectTerminated(rig.runner);
    }

    @Test
    void aMillionNoopChunksRunThroughTheRunnerInBigBatches() {
        RunnerRig rig = new RunnerRig(testKit, "noop", Map.of(), 1_000_000, 3, settings());
        rig.runNanosPerChunk = 0;
        FakeSlot a = rig.slot("a", node(1), 1);
        long startedNanos = System.nanoTime();
        RunnerDriver driver = new RunnerDriver(rig, List.of(a), 4, 9).grantAll().run();
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        // The figure to compare when the runner's hot path changes (in target/surefire-reports/*-output.txt).
        System.out.printf("a million noop chunks through the runner: %.2f s, %.0f chunks/s, %d batches%n",
            seconds, 1_000_000 / seconds, driver.batchesAnswered);
        JobEvent.Completed done = assertInstanceOf(JobEvent.Completed.class, driver.outcome);
        assertEquals(1_000_000L, done.result().longValue(), "noop counts each chunk it folds");
        assertEquals(1_000_000, done.report().chunksDone());
        assertEquals(0, done.report().duplicates());
        assertEquals(1_000_000, driver.chunksDispatched());
        assertTrue(driver.batchesAnswered < 1_000, "batches of up to 2048 chunks: " + driver.batchesAnswered);
    }
}
