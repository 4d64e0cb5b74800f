package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pekkogrid.head.RunnerRig.CLIENT;
import static org.pekkogrid.head.RunnerRig.COORDINATOR;
import static org.pekkogrid.head.RunnerRig.chunksOf;
import static org.pekkogrid.head.RunnerRig.node;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.head.JobCoordinator.ChunksDone;
import org.pekkogrid.head.JobCoordinator.GrantDone;
import org.pekkogrid.head.JobCoordinator.JobFinished;
import org.pekkogrid.head.JobCoordinator.WorkAvailable;
import org.pekkogrid.head.RunnerRig.FakeSlot;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.SlotCommand.RunChunks;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * The runner under trouble the worker cannot report: a node that dies while running a chunk
 * (perhaps because of it), a batch lost on the way, and a straggler near the job's end.
 */
class JobRunnerFaultsTest {

    private static final ActorTestKit testKit = ActorTestKit.create("JobRunnerFaultsTest", ConfigFactory.parseString("""
            pekko.actor.provider = local
            pekko.actor.serialize-messages = on
            """).withFallback(GridConfig.defaults()));

    private static final long TERMS = 1_000_000;

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** Settings whose ticks fire (deadlines and speculation are checked on them). */
    private static HeadSettings ticking(Duration deadlineMargin, int dropBatches, HeadSettings.Speculation speculation) {
        HeadSettings s = RunnerRig.settings();
        return new HeadSettings(s.maxChunks(), s.maxRetries(), s.chunkTimeout(), s.maxJobs(), Duration.ofMillis(50),
            s.targetBatch(), s.maxBatchChunks(), s.queuedWorkPerSlot(), s.noWorkerTimeout(), s.retryElsewhereFor(),
            s.wakeInterval(), s.finishedJobsKept(), s.reportsKept(), s.resultBytesPerBatch(), s.sampleInterval(),
            s.chunkRows(), s.clientTimeout(), s.foldBacklogBytes(), speculation, deadlineMargin, dropBatches, s.maxQueuedJobs(),
            s.maxJobsPerClient(), s.maxRunningJobsPerClient(), s.queuedJobsListed());
    }

    private static final HeadSettings.Speculation NO_SPECULATION = new HeadSettings.Speculation(false, 4, Duration.ofSeconds(1));

    private static RunnerRig leibniz(long chunks, int maxRetries, HeadSettings settings) {
        return new RunnerRig(testKit, "leibniz-pi", Map.of("terms", Long.toString(TERMS)), chunks, maxRetries, settings);
    }

    @Test
    void aChunkWhoseNodesDieOnEveryAttemptFailsTheJobAsSuspectedPoison() {
        RunnerRig rig = leibniz(16, 1, RunnerRig.settings());
        FakeSlot a = rig.slot("a", node(1), 1);
        FakeSlot b = rig.slot("b", node(2), 1);
        rig.grant(a, 1, 2, 2);
        RunChunks first = rig.expect(a, RunChunks.class);
        assertEquals(List.of(0L), chunksOf(first));

        rig.runner.tell(new JobRunner.NodeLost(node(1)));
        rig.expectSkipping(COORDINATOR, WorkAvailable.class, GrantDone.class);
        rig.grant(b, 1, 1, 1);
        RunChunks again = rig.expect(b, RunChunks.class);
        assertEquals(List.of(0L), chunksOf(again));
        assertArrayEquals(new int[] {1}, again.attempts(), "its node's death spent the first attempt");

        rig.runner.tell(new JobRunner.NodeLost(node(2)));
        JobEvent.Failed failed = rig.expectSkipping(CLIENT, JobEvent.Failed.class, JobEvent.Accepted.class);
        assertTrue(failed.reason().startsWith("chunk 0 is suspected poison: 2 nodes died while running it "
            + "(10.0.0.1:2552, 10.0.0.2:2552)"), failed.reason());
        assertEquals(2, failed.report().workerDeaths());
        assertEquals(1, failed.report().failedChunks());
        JobFinished finished = rig.expectSkipping(COORDINATOR, JobFinished.class, GrantDone.class, WorkAvailable.class);
        assertEquals("FAILED", finished.state());
    }

    @Test
    void theChunksOfABatchRunningWhenItsNodeDiedRunAloneOnePerNode() {
        RunnerRig rig = leibniz(64, 3, RunnerRig.settings());
        FakeSlot a = rig.slot("a", node(1), 1);
        FakeSlot b = rig.slot("b", node(2), 2);
        rig.grant(a, 1, 2, 2);
        rig.answer(a, rig.expect(a, RunChunks.class), 1);
        RunChunks big = rig.expect(a, RunChunks.class);
        List<Long> died = chunksOf(big);
        assertTrue(died.size() > 1, "a batch of several chunks: " + died);

        rig.runner.tell(new JobRunner.NodeLost(node(1)));
        rig.expectSkipping(COORDINATOR, WorkAvailable.class, GrantDone.class);
        rig.grant(b, 2, 2, 1);
        RunChunks suspect = rig.expect(b, RunChunks.class);
        assertEquals(List.of(died.get(0)), chunksOf(suspect), "a suspect runs alone");
        assertArrayEquals(new int[] {1}, suspect.attempts());
        RunChunks next = rig.expect(b, RunChunks.class);
        assertTrue(chunksOf(next).stream().noneMatch(died::contains),
            "no second suspect on a node that runs one: " + chunksOf(next));

        RunnerDriver driver = new RunnerDriver(rig, List.of(a, b), 2, 7);
        driver.book(b).unanswered.add(suspect);
        driver.book(b).unanswered.add(next);
        driver.run();
        JobReport report = assertInstanceOf(JobEvent.Completed.class, driver.outcome).report();
        assertEquals(LeibnizPi.expected(TERMS), ((JobEvent.Completed) driver.outcome).result().doubleValue(), 1e-12);
        assertEquals(64, report.chunksDone());
        assertEquals(1, report.workerDeaths());
        assertEquals(died.size(), report.requeued());
    }

    @Test
    void aBatchLostOnTheWayIsRedispatchedByItsDeadline() {
        RunnerRig rig = leibniz(1, 3, ticking(Duration.ofMillis(100), 1, NO_SPECULATION));
        FakeSlot a = rig.slot("a", node(1), 1);
        long granted = System.nanoTime();
        rig.grant(a, 1, 1, 1);
        // The first batch is dropped (grid.head.testing.drop-batches = 1): nothing reaches the slot.
        rig.expectSkipping(COORDINATOR, WorkAvailable.class, GrantDone.class, ChunksDone.class);
        long waitedMillis = (System.nanoTime() - granted) / 1_000_000;
        assertTrue(waitedMillis >= 300, "the deadline is the chunk timeout (200 ms) plus the margin: " + waitedMillis);
        rig.grant(a, 1, 1, 1);
        RunChunks again = rig.expect(a, RunChunks.class);
        assertEquals(List.of(0L), chunksOf(again));
        assertArrayEquals(new int[0], again.attempts(), "a batch that never arrived spent no attempt");
        rig.answer(a, again, 0);
        JobEvent.Completed done = rig.expectSkipping(CLIENT, JobEvent.Completed.class, JobEvent.Accepted.class,
            JobEvent.Progress.class);
        assertEquals(1, done.report().requeued());
        assertEquals(LeibnizPi.expected(TERMS), done.result().doubleValue(), 1e-12);
    }

    @Test
    void anIdleSlotRunsACopyOfAStragglerAndTheFirstResultWins() {
        RunnerRig rig = leibniz(4, 3, ticking(Duration.ofSeconds(30), 0,
            new HeadSettings.Speculation(true, 4, Duration.ofMillis(150))));
        FakeSlot a = rig.slot("a", node(1), 1);
        FakeSlot b = rig.slot("b", node(2), 1);
        rig.grant(a, 1, 1, 1);
        rig.answer(a, rig.expect(a, RunChunks.class), 0);
        rig.grant(a, 1, 1, 1);
        RunChunks straggler = rig.expect(a, RunChunks.class);
        assertEquals(List.of(1L, 2L), chunksOf(straggler));
        rig.grant(b, 1, 2, 2);
        rig.answer(b, rig.expect(b, RunChunks.class), 0);

        // Once the straggler is far past its expected time, the runner says it has work again.
        rig.expectSkipping(COORDINATOR, WorkAvailable.class, GrantDone.class, ChunksDone.class);
        rig.grant(b, 1, 2, 2);
        RunChunks copy = rig.expect(b, RunChunks.class);
        assertEquals(List.of(1L, 2L), chunksOf(copy));
        assertArrayEquals(new int[] {1, 1}, copy.attempts(), "the copy is each chunk's next attempt");
        rig.answer(b, copy, 0);
        JobEvent.Completed done = rig.expectSkipping(CLIENT, JobEvent.Completed.class, JobEvent.Accepted.class,
            JobEvent.Progress.class);
        assertEquals(LeibnizPi.expected(TERMS), done.result().doubleValue(), 1e-12);
        assertEquals(1, done.report().speculativeLaunches());
        assertEquals(1, done.report().speculativeWins());
        assertEquals(4, done.report().chunksDone());
    }
}
