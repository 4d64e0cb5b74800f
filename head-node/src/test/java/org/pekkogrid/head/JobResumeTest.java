package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pekkogrid.head.RunnerRig.node;
import static org.pekkogrid.head.RunnerRig.settings;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.head.RunnerRig.FakeSlot;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/** A runner stopped mid-job, as its head dying stops it, and another resumed from its last checkpoint. */
class JobResumeTest {

    private static final long TERMS = 4_000_000L;
    private static final int CHUNKS = 400;
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("job-resume-test", ConfigFactory.parseString(
                "pekko.actor.provider = local\npekko.actor.serialize-messages = on")
            .withFallback(ConfigFactory.parseResources("pekko-grid.conf")).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static RunnerRig rig(JobRunner.Journal journal) {
        return new RunnerRig(testKit, "leibniz-pi", Map.of("terms", Long.toString(TERMS)), CHUNKS, 3, settings(),
            journal);
    }

    @Test
    void aJobResumedFromItsLastCheckpointEndsWithTheExactAnswerEachChunkFoldedOnce() {
        // Ticks never fire in these settings: checkpoints come every 40 chunks folded.
        RunnerRig first = rig(new JobRunner.Journal(null, Duration.ofHours(1), 40, null, 0));
        FakeSlot a = first.slot("a", node(1), 1);
        FakeSlot b = first.slot("b", node(2), 1);
        RunnerDriver before = new RunnerDriver(first, List.of(a, b), 4, 7).grantAll()
            .runUntil(d -> d.checkpoints.size() >= 3);
        testKit.stop(first.runner);
        JobProgress.Saved last = before.checkpoints.get(before.checkpoints.size() - 1);
        long restored = new ChunkLedger(CHUNKS, last.ledger()).done();
        assertTrue(restored >= 120 && restored < CHUNKS, "restored " + restored);
        assertTrue(last.foldState() != null && last.foldState().length > 0, "the checkpoint carries the fold");
        assertTrue(before.checkpoints.get(0).ledger().base() <= last.ledger().base(), "checkpoints only move forward");

        long acceptedAt = System.currentTimeMillis() - 5_000;
        RunnerRig second = rig(new JobRunner.Journal(null, Duration.ofHours(1), 40, last, acceptedAt));
        FakeSlot c = second.slot("c", node(1), 1);
        FakeSlot d = second.slot("d", node(2), 1);
        RunnerDriver after = new RunnerDriver(second, List.of(c, d), 4, 8).grantAll().run();

        JobEvent.Completed done = assertInstanceOf(JobEvent.Completed.class, after.outcome);
        assertEquals(LeibnizPi.expected(TERMS), done.result().doubleValue(), 1e-12, done.summary());
        JobReport report = done.report();
        assertEquals(CHUNKS, report.chunksDone());
        assertEquals(CHUNKS - restored, after.chunksDispatched(), "only the chunks the checkpoint lacked ran again");
        assertEquals(0, after.redispatched);
        assertEquals(TERMS, report.items(), "items of both runs, counted once");
        assertEquals(1, report.resumes().size());
        JobReport.Resume resume = report.resumes().get(0);
        assertEquals(restored, resume.chunksRestored());
        assertTrue(report.makespanMillis() >= 5_000, "the makespan counts from the first acceptance: "
            + report.makespanMillis());
        assertTrue(resume.sinceCheckpointMillis() >= 0, resume::toString);
    }
}
