package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pekkogrid.journal.JournalPlugins;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobSpec;

/** The job journal on Pekko's in-memory journal, every event through the grid's wire format. */
class JobBookTest {

    private static final JournalPlugins IN_MEMORY = new JournalPlugins(PersistenceTestKitPlugin.PluginId(),
        PersistenceTestKitSnapshotPlugin.PluginId(), Optional.empty(), Optional.empty(), "in memory", false);

    private static ActorTestKit testKit;
    private static PersistenceTestKit journal;

    @BeforeAll
    static void start() {
        Config config = ConfigFactory.parseString("pekko.actor.provider = local")
            .withFallback(PersistenceTestKitPlugin.getInstance().config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config())
            .withFallback(ConfigFactory.parseResources("pekko-grid.conf"))
            .withFallback(ConfigFactory.load());
        testKit = ActorTestKit.create("job-book-test", config);
        journal = PersistenceTestKit.create(testKit.system());
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void clear(org.junit.jupiter.api.TestInfo test) {
        persistenceId = "grid-jobs-" + test.getTestMethod().orElseThrow().getName();
        journal.clearAll();
        journal.resetPolicy();
    }

    private static JobBook.OpenJob job(String id, ActorRef<JobEvent> client) {
        return new JobBook.OpenJob(id, JobSpec.of("leibniz-pi").param("terms", 1_000_000).withChunks(64), "sub-" + id,
            client, null, 1_700_000_000_000L, null);
    }

    private String persistenceId;

    private ActorRef<JobBook.Command> book(TestProbe<JobBook.Recovered> coordinator) {
        return testKit.spawn(JobBook.create(persistenceId, IN_MEMORY, 10, coordinator.ref()));
    }

    @Test
    void aStartingBookHandsBackTheOpenJobsWithTheirLatestCheckpointAndTheEndedOnes() {
        TestProbe<JobBook.Recovered> coordinator = testKit.createTestProbe();
        TestProbe<JobBook.Stored> stored = testKit.createTestProbe();
        TestProbe<JobEvent> client = testKit.createTestProbe();
        ActorRef<JobBook.Command> book = book(coordinator);
        assertEquals(new JobBook.Recovered(List.of(), List.of()), coordinator.receiveMessage());

        book.tell(new JobBook.Accept(job("job-1", client.ref()), stored.ref()));
        book.tell(new JobBook.Accept(job("job-2", client.ref()), stored.ref()));
        assertEquals(new JobBook.Stored("job-1"), stored.receiveMessage());
        assertEquals(new JobBook.Stored("job-2"), stored.receiveMessage());
        JobProgress.Saved first = new JobProgress.Saved(new ChunkLedger.Saved(64, new long[] {5}), new byte[] {1, 2}, 66,
            0, 0, 80, 1_700_000_001_000L);
        JobProgress.Saved second = new JobProgress.Saved(new ChunkLedger.Saved(128, new long[] {}), new byte[] {3}, 128,
            1, 0, 192, 1_700_000_002_000L);
        book.tell(new JobBook.Checkpoint("job-1", first));
        book.tell(new JobBook.Checkpoint("job-1", second));
        JobDetail ended = new JobDetail("job-2", "leibniz-pi", "COMPLETED", 64, 64, "pi ~ 3.14", null, null);
        book.tell(new JobBook.End(new JobBook.EndedJob(ended, "sub-job-2")));
        // A checkpoint of a job that ended is not kept.
        book.tell(new JobBook.Checkpoint("job-2", first));
        book.tell(new JobBook.Accept(job("job-3", client.ref()), stored.ref()));
        stored.expectMessage(new JobBook.Stored("job-3"));
        testKit.stop(book);

        ActorRef<JobBook.Command> restarted = book(coordinator);
        JobBook.Recovered recovered = coordinator.receiveMessage(Duration.ofSeconds(20));
        testKit.stop(restarted);
        assertEquals(List.of("job-1", "job-3"), recovered.open().stream().map(JobBook.OpenJob::jobId).toList());
        JobBook.OpenJob open = recovered.open().get(0);
        assertEquals("job-1", open.jobId());
        assertEquals(client.ref(), open.client(), "the client's address survives the journal");
        assertEquals(1_700_000_000_000L, open.acceptedAtMillis());
        assertEquals(128, open.checkpoint().ledger().base(), "the latest checkpoint");
        assertArrayEquals(new byte[] {3}, open.checkpoint().foldState());
        assertEquals(1, recovered.ended().size());
        JobBook.EndedJob back = recovered.ended().get(0);
        assertEquals("sub-job-2", back.submissionId());
        assertEquals(List.of("job-2", "COMPLETED", "pi ~ 3.14"), List.of(back.detail().job(), back.detail().state(),
            back.detail().outcome()));
    }

    @Test
    void aJobTheJournalFailedToStoreIsNeverAcknowledgedAndTheRestartedBookDoesNotHoldIt() {
        TestProbe<JobBook.Recovered> coordinator = testKit.createTestProbe();
        TestProbe<JobBook.Stored> stored = testKit.createTestProbe();
        TestProbe<JobEvent> client = testKit.createTestProbe();
        ActorRef<JobBook.Command> book = book(coordinator);
        coordinator.receiveMessage();
        book.tell(new JobBook.Accept(job("job-1", client.ref()), stored.ref()));
        stored.expectMessage(new JobBook.Stored("job-1"));

        journal.failNextPersisted();
        book.tell(new JobBook.Accept(job("job-2", client.ref()), stored.ref()));
        // The book restarts after the failed write and says again what it holds: job-1 only.
        JobBook.Recovered again = coordinator.receiveMessage(Duration.ofSeconds(10));
        assertEquals(List.of("job-1"), again.open().stream().map(JobBook.OpenJob::jobId).toList());
        stored.expectNoMessage(Duration.ofMillis(300));
        book.tell(new JobBook.Accept(job("job-3", client.ref()), stored.ref()));
        stored.expectMessage(new JobBook.Stored("job-3"));
        testKit.stop(book);
    }

    @Test
    void theBookKeepsOnlyTheLastEndedJobsItWasToldTo() {
        TestProbe<JobBook.Recovered> coordinator = testKit.createTestProbe();
        TestProbe<JobBook.Stored> stored = testKit.createTestProbe();
        ActorRef<JobBook.Command> book = book(coordinator);
        coordinator.receiveMessage();
        for (int i = 0; i < 15; i++) {
            book.tell(new JobBook.End(new JobBook.EndedJob(new JobDetail("job-" + i, "noop", "COMPLETED", 1, 1, "ok",
                null, null), null)));
        }
        book.tell(new JobBook.Accept(job("job-last", testKit.<JobEvent>createTestProbe().ref()), stored.ref()));
        stored.expectMessage(new JobBook.Stored("job-last"));
        testKit.stop(book);
        ActorRef<JobBook.Command> restarted = book(coordinator);
        JobBook.Recovered recovered = coordinator.receiveMessage(Duration.ofSeconds(20));
        testKit.stop(restarted);
        assertEquals(10, recovered.ended().size());
        assertEquals("job-5", recovered.ended().get(0).detail().job());
        assertNull(recovered.open().get(0).checkpoint());
        assertTrue(recovered.open().stream().anyMatch(j -> j.jobId().equals("job-last")));
    }
}
