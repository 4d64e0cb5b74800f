package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pekkogrid.head.RunnerRig.BOOK;
import static org.pekkogrid.head.RunnerRig.CLIENT;
import static org.pekkogrid.head.RunnerRig.COORDINATOR;
import static org.pekkogrid.head.RunnerRig.node;
import static org.pekkogrid.head.RunnerRig.settings;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pekkogrid.head.JobCoordinator.GrantDone;
import org.pekkogrid.head.JobCoordinator.JobFinished;
import org.pekkogrid.head.JobCoordinator.WorkAvailable;
import org.pekkogrid.head.JobRunner.Decline;
import org.pekkogrid.head.RunnerRig.FakeSlot;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.RunnerCommand.ChunkResults;
import org.pekkogrid.protocol.SlotCommand.DropJob;
import org.pekkogrid.protocol.SlotCommand.RunChunks;

/**
 * A runner's results folded by its {@link JobFolder}, off the dispatcher that carries messages:
 * a slow fold holds up neither the runner nor its checkpoints' consistency, and a fold that cannot
 * go on fails the job with a reason that says where.
 */
class JobFolderTest {

    private static final ActorTestKit testKit = ActorTestKit.create("JobFolderTest", ConfigFactory.parseString("""
            pekko.actor.provider = local
            pekko.actor.serialize-messages = on
            """).withFallback(GridConfig.defaults()));

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @AfterEach
    void openTheGate() {
        CountDownLatch gate = GatedFold.gate;
        if (gate != null) gate.countDown();
        GatedFold.gate = null;
    }

    /** A gated-fold job whose runner checkpoints after every result. */
    private static RunnerRig gated(long chunks, boolean failAnswer) {
        return new RunnerRig(testKit, "gated-fold", Map.of("failAnswer", Boolean.toString(failAnswer)), chunks, 3,
            settings(), new JobRunner.Journal(null, Duration.ofHours(1), 1, null, 0));
    }

    @Test
    void aSlowFoldHoldsUpNeitherTheRunnerNorTheExactnessOfItsCheckpoints() {
        GatedFold.gate = new CountDownLatch(1);
        GatedFold.foldThreads.clear();
        RunnerRig rig = gated(4, false);
        FakeSlot a = rig.slot("a", node(1), 1);
        rig.grant(a, 1, 1, 1);
        rig.answer(a, rig.expect(a, RunChunks.class), 1);
        // The first fold waits at the gate; the runner goes on dispatching and counting.
        RunChunks second = rig.expect(a, RunChunks.class);
        assertEquals(List.of(1L, 2L), RunnerRig.chunksOf(second));
        rig.answer(a, second, 1);
        rig.answer(a, rig.expect(a, RunChunks.class), 1);
        rig.expectSkipping(COORDINATOR, GrantDone.class);
        rig.runner.tell(new JobRunner.Follow(rig.listener("follower")));
        rig.expect("follower", JobEvent.Accepted.class);
        assertEquals(4, rig.expect("follower", JobEvent.Progress.class).chunksDone(), "every chunk counted");
        assertTrue(rig.drain().stream().noneMatch(seen -> seen.message() instanceof JobEvent.Completed
            || seen.message() instanceof JobBook.Checkpoint), "nothing is answered or saved before it is folded");

        GatedFold.gate.countDown();

        JobEvent.Completed done = rig.expectSkipping(CLIENT, JobEvent.Completed.class, JobEvent.Accepted.class);
        assertEquals(4, done.result().longValue());
        for (long expected : new long[] {1, 3}) {
            JobProgress.Saved saved = rig.expect(BOOK, JobBook.Checkpoint.class).progress();
            long inLedger = new ChunkLedger(4, saved.ledger()).done();
            assertEquals(expected, inLedger);
            assertEquals(inLedger, (long) (Long) rig.worker.resumeFold(saved.foldState()).answer(),
                "a checkpoint's fold holds exactly the chunks its ledger holds");
        }
        assertFalse(GatedFold.foldThreads.isEmpty());
        assertTrue(GatedFold.foldThreads.stream().allMatch(name -> name.contains("grid.head.fold-dispatcher")),
            "folded on the fold dispatcher: " + GatedFold.foldThreads);
    }

    @Test
    void resultsWaitingForASlowFoldHoldBackTheJobsCreditUntilItCatchesUp() {
        GatedFold.gate = new CountDownLatch(1);
        RunnerRig rig = new RunnerRig(testKit, "gated-fold", Map.of(), 40, 3,
            settings(Duration.ofMillis(100), 2048, Duration.ofMillis(5), 1));
        FakeSlot a = rig.slot("a", node(1), 1);
        rig.grant(a, 1, 1, 1);
        rig.answer(a, rig.expect(a, RunChunks.class), 1);
        rig.expect(COORDINATOR, GrantDone.class);
        assertEquals(new GrantDone(rig.jobId, a.ref(), 1, Decline.FOLD_BEHIND, true),
            rig.expect(COORDINATOR, GrantDone.class), "the credit its results brought");

        GatedFold.gate.countDown();

        rig.expect(COORDINATOR, WorkAvailable.class);
        RunnerDriver driver = new RunnerDriver(rig, List.of(a), 2, 11).grantAll().run();
        assertEquals(40, assertInstanceOf(JobEvent.Completed.class, driver.outcome).result().longValue());
    }

    @Test
    void resultsThatCannotBeReadFailTheJobNamingTheBatchAndTheNode() {
        RunnerRig rig = new RunnerRig(testKit, "leibniz-pi", Map.of("terms", "1000"), 10, 3, settings());
        FakeSlot a = rig.slot("a", node(1), 1);
        rig.grant(a, 1, 1, 1);
        RunChunks batch = rig.expect(a, RunChunks.class);
        ChunkResults good = rig.run(a, batch, 0);
        rig.runner.tell(new ChunkResults(good.batchId(), good.token(), good.slotId(), 0, good.runNanos(),
            new byte[] {(byte) 0xff, 1}, good.errors(), good.itemFailures(), good.items(), 0));

        JobEvent.Failed failed = rig.expectSkipping(CLIENT, JobEvent.Failed.class, JobEvent.Accepted.class);
        assertTrue(failed.reason().startsWith("results of batch " + batch.batchId() + " from 10.0.0.1:2552 cannot be read: "),
            failed.reason());
        assertEquals("FAILED", rig.expectSkipping(COORDINATOR, JobFinished.class, GrantDone.class).state());
        rig.expect(a, DropJob.class);
    }

    @Test
    void anAnswerThatThrowsFailsTheJobSayingSo() {
        RunnerRig rig = gated(1, true);
        FakeSlot a = rig.slot("a", node(1), 1);
        rig.grant(a, 1, 1, 1);
        rig.answer(a, rig.expect(a, RunChunks.class), 1);
        assertEquals(new GrantDone(rig.jobId, a.ref(), 0, Decline.NONE, false), rig.expect(COORDINATOR, GrantDone.class));
        JobEvent.Failed failed = rig.expectSkipping(CLIENT, JobEvent.Failed.class, JobEvent.Accepted.class);
        assertEquals("the workload could not produce its answer: java.lang.IllegalStateException: no answer, by design",
            failed.reason());
        assertEquals(1, failed.report().chunksDone());
    }

    @Test
    void aCheckpointWhoseFoldCannotBeResumedFailsTheResumedJob() {
        JobProgress.Saved damaged = new JobProgress.Saved(new ChunkLedger.Saved(64, new long[0]), new byte[] {1, 2, 3},
            64, 0, 0, 64, System.currentTimeMillis());
        RunnerRig rig = new RunnerRig(testKit, "gated-fold", Map.of(), 128, 3, settings(),
            new JobRunner.Journal(null, Duration.ofHours(1), 1000, damaged, System.currentTimeMillis()));
        JobEvent.Failed failed = rig.expectSkipping(CLIENT, JobEvent.Failed.class, JobEvent.Accepted.class);
        assertTrue(failed.reason().startsWith("the fold saved in the job's last checkpoint cannot be resumed: "),
            failed.reason());
    }
}
