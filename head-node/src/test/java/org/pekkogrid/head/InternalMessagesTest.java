package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.GoldenBytes;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.GridMessage;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.LocalOnly;
import org.pekkogrid.protocol.LocalOnlyCheck;
import org.pekkogrid.protocol.LocalOnlySerializer;
import org.pekkogrid.protocol.Requirements;

/**
 * The head's actors talk to themselves and their children in messages no peer can send: each is
 * {@link LocalOnly}, and its serializer refuses it both ways. What the head persists (the job
 * book's events and snapshots) keeps its checked-in bytes, so that old journals stay readable.
 */
class InternalMessagesTest {

    private static ActorTestKit testKit;
    private static Serialization serialization;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("InternalMessagesTest", ConfigFactory.parseString("""
                pekko.remote.artery.canonical.port = 0
                pekko.loglevel = WARNING
                """).withFallback(GridConfig.defaults()));
        serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** The records the head persists: the only GridMessages of this module that are not LocalOnly. */
    private static final Set<Class<?>> PERSISTED = Set.of(JobBook.JobAccepted.class, JobBook.JobCheckpointed.class,
        JobBook.JobEnded.class, JobBook.Snapshot.class);

    @Test
    void everyMessageTheHeadsActorsKeepToThemselvesIsLocalOnly() throws Exception {
        LocalOnlyCheck.actorsKeepTheirMessages(serialization,
            List.of(JobCoordinator.class, JobRunner.class, JobFolder.class, JobBook.class), PERSISTED, 25);
    }

    @Test
    void aGrantCannotBeWrittenNorAJobFinishedRead() throws Exception {
        assertTrue(serialization.serialize(new JobRunner.Grant(null, 4, 1, 1)).isFailure(),
            "a grant only ever goes from the coordinator to its own runner");
        assertTrue(serialization.serialize(new JobCoordinator.WorkAvailable("job-1")).isFailure());

        byte[] finished = new ObjectMapper(new CBORFactory()).writeValueAsBytes(Map.of("jobId", "job-1",
            "state", "COMPLETED", "chunksDone", 1, "chunksTotal", 1, "outcome", "forged"));
        int jackson = serialization.serializerFor(CoordinatorCommand.GetStatus.class).identifier();
        for (int serializer : new int[] {jackson, LocalOnlySerializer.ID}) {
            assertTrue(serialization.deserialize(finished, serializer, JobCoordinator.JobFinished.class.getName())
                .isFailure(), "a JobFinished from the wire, under serializer " + serializer);
        }
    }

    private static <T> ActorRef<T> ref(String name) {
        return ActorRefResolver.get(testKit.system()).resolveActorRef("pekko://grid@10.0.0.5:2552/user/" + name + "#17");
    }

    /** One of each persisted record, every field set, the same in every run. */
    private static List<Object> persisted() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("terms", "2000000000");
        params.put("note", "ünïcödé");
        JobSpec spec = new JobSpec("leibniz-pi", params, 4096, 2, Duration.ofMillis(1500),
            Requirements.parse("cpus=1.5,memory=512m,tags=opencv"), true);
        JobProgress.Saved saved = new JobProgress.Saved(new ChunkLedger.Saved(1024, new long[] {-1L, 0x0f0fL, 0}),
            new byte[] {1, 2, (byte) 0xff}, 123_456, 3, 1, 2048, 1_764_000_000_000L);
        JobBook.OpenJob open = new JobBook.OpenJob("job-1", spec, "3f2a9c-17", ref("client"), ref("session"),
            1_764_000_000_000L, saved);
        JobBook.OpenJob fresh = new JobBook.OpenJob("job-2", JobSpec.of("noop"), null, ref("client"), null,
            1_764_000_000_500L, null);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("pi", 3.141592653589793);
        JobReport report = new JobReport("job-0", "noop", "2026-11-23T20:00:01Z", 1, 0, 0, 0, 0, 0, 0,
            0, JobReport.Percentiles.EMPTY, JobReport.Percentiles.EMPTY, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), 0,
            List.of(), List.of(), List.of(), 0, null, null, null, List.of(), 0, 0, 0, null, null, null);
        JobBook.EndedJob ended = new JobBook.EndedJob(new JobDetail("job-0", "leibniz-pi", "COMPLETED", 4096, 4096,
            "pi ~ 3.14", answer, report, true), "3f2a9c-16");
        JobBook.EndedJob cancelled = new JobBook.EndedJob(new JobDetail("job-3", "noop", "CANCELLED", 10, 64,
            "cancelled: asked by grid cancel", JsonNodeFactory.instance.nullNode(), null, false, 0, 1_764_000_000_000L,
            1_250, "detached (127.0.0.1:40211)"), null);
        return List.of(
            new JobBook.JobAccepted(open),
            new JobBook.JobAccepted(fresh),
            new JobBook.JobCheckpointed("job-1", saved),
            new JobBook.JobEnded(ended),
            new JobBook.JobEnded(cancelled),
            new JobBook.Snapshot(List.of(open, fresh), List.of(ended)),
            new JobBook.Snapshot(List.of(), List.of()));
    }

    @Test
    void theJobBooksEventsAndSnapshotsKeepTheirGoldenBytes() {
        Set<String> sampled = new TreeSet<>();
        for (Object o : persisted()) sampled.add(o.getClass().getName());
        Set<String> expected = new TreeSet<>();
        for (Class<?> c : PERSISTED) expected.add(c.getName());
        assertEquals(expected, sampled, "a sample of every persisted record");
        GoldenBytes.check(serialization, "head-node", "journal.hex", GoldenBytes.named(persisted()));
    }

    /**
     * Journals written before the report carried the ceiling (journal-v1.hex) read back as they
     * were, the ceiling figures null: fields added as nullable need no migration.
     */
    @Test
    void journalsOfTheFirstFormatStillReadBack() {
        int read = GoldenBytes.checkReadsBack(serialization, "head-node", "journal-v1.hex", GoldenBytes.named(persisted()));
        assertTrue(read >= 3, "records read back from the first format: " + read);
    }

    /**
     * Journals written before a job's end carried when it was accepted, how long it ran and its
     * client (journal-v2.hex) read back with those 0 and null.
     */
    @Test
    void journalsOfTheSecondFormatStillReadBack() {
        int read = GoldenBytes.checkReadsBack(serialization, "head-node", "journal-v2.hex", GoldenBytes.named(persisted()));
        assertTrue(read >= 5, "records read back from the second format: " + read);
    }

    @Test
    void aJobEventIsStillAWireMessage() {
        assertTrue(serialization.serialize(new JobEvent.Queued("job-1", 3)).isSuccess());
    }
}
