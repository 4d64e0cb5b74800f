package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Identify;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * Messages a grid node must not trust: sent to the head's job coordinator from a foreign actor
 * system (not a cluster member) that writes whatever bytes it likes. Each is dropped (and the
 * undecodable ones logged); the head keeps its jobs, its memory of finished jobs, and takes new ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ForeignMessageTest {

    /** A message that is not pekko-grid's, in Java serialization. */
    public record Foreign(String text) implements Serializable {}

    /** Bytes sent as they are, under a serializer id and manifest of the test's choosing. */
    public record Raw(String manifest, byte[] bytes) {}

    /**
     * Stands in for jackson-cbor (id 33) on the foreign system only: writes a {@link Raw}'s bytes
     * with its manifest, so the head reads them as if they were a pekko-grid message.
     */
    public static final class RawSerializer extends SerializerWithStringManifest {
        @Override
        public int identifier() {
            return 33;
        }

        @Override
        public String manifest(Object o) {
            return ((Raw) o).manifest();
        }

        @Override
        public byte[] toBinary(Object o) {
            return ((Raw) o).bytes();
        }

        @Override
        public Object fromBinary(byte[] bytes, String manifest) {
            throw new UnsupportedOperationException("the foreign system only sends");
        }
    }

    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final String SUBMIT_JOB = CoordinatorCommand.SubmitJob.class.getName();
    private static final String GET_STATUS = CoordinatorCommand.GetStatus.class.getName();

    private LoopbackGrid grid;
    private GridClient client;
    private WarningLog warnings;
    private ActorSystem foreign;
    private ActorRef coordinator;
    private String foreignAddress;

    @BeforeAll
    void start() throws Exception {
        warnings = WarningLog.attach();
        grid = LoopbackGrid.startHead(Map.of());
        grid.addWorker(1, List.of());
        client = grid.client();
        grid.awaitStatus("1 slot registered", s -> LoopbackGrid.slots(s) == 1);
        foreign = ActorSystem.create("foreign", foreignConfig());
        foreignAddress = foreign.provider().getDefaultAddress().toString();
        // Resolving the path also proves the head answers this system at all.
        coordinator = foreign.actorSelection(grid.headSystem().address() + "/system/singletonManagerJobCoordinator/JobCoordinator")
            .resolveOne(Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        if (foreign != null) {
            foreign.terminate();
            foreign.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (grid != null) grid.close();
        if (warnings != null) warnings.close();
    }

    private static Config foreignConfig() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = remote
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.actor.allow-java-serialization = on
                pekko.actor.warn-about-java-serializer-usage = off
                pekko.actor.serializers.jackson-cbor = "org.pekkogrid.deploy.ForeignMessageTest$RawSerializer"
                pekko.actor.serialization-bindings {
                  "org.pekkogrid.deploy.ForeignMessageTest$Raw" = jackson-cbor
                  "org.pekkogrid.deploy.ForeignMessageTest$Foreign" = java
                }
                """)
            .withFallback(ConfigFactory.load());
    }

    @Test
    void aJavaSerializedMessageIsDroppedAndLogged() throws Exception {
        CompletableFuture<String> logged = warnings.first(m -> m.contains("Failed to deserialize message from ["
            + foreignAddress + "] with serializer id [1]"));

        coordinator.tell(new Foreign("hello"), ActorRef.noSender());

        logged.get(30, TimeUnit.SECONDS);
        assertHeadStillRunsJobs();
    }

    @Test
    void bytesThatAreNotCborAreDroppedAndLogged() throws Exception {
        CompletableFuture<String> logged = warnings.first(m -> m.contains("Failed to deserialize message from ["
            + foreignAddress + "] with serializer id [33] and manifest [" + SUBMIT_JOB + "]"));

        coordinator.tell(new Raw(SUBMIT_JOB, new byte[] {(byte) 0xff, 0x00, 0x13, 0x37, (byte) 0xbf, 0x61}),
            ActorRef.noSender());

        logged.get(30, TimeUnit.SECONDS);
        assertHeadStillRunsJobs();
    }

    @Test
    void cborNamingAClassOutsideTheProtocolIsDroppedAndLogged() throws Exception {
        String notAGridMessage = Foreign.class.getName();
        CompletableFuture<String> logged = warnings.first(m -> m.contains("Failed to deserialize message from ["
            + foreignAddress + "] with serializer id [33] and manifest [" + notAGridMessage + "]"));

        coordinator.tell(new Raw(notAGridMessage, CBOR.writeValueAsBytes(Map.of("text", "hello"))), ActorRef.noSender());

        logged.get(30, TimeUnit.SECONDS);
        assertHeadStillRunsJobs();
    }

    @Test
    void wellFormedButWrongOrIncompleteMessagesDoNotDisturbARunningJob() throws Exception {
        String earlier = run(leibniz(10_000_000, 4)).jobId();
        long terms = 2_000_000_000L;
        CompletableFuture<JobEvent.Progress> running = new CompletableFuture<>();
        JobHandle job = client.submit(leibniz(terms, 200), p -> {
            if (p.chunksDone() > 0) running.complete(p);
        });
        running.get(60, TimeUnit.SECONDS);

        CompletableFuture<String> incompleteDropped = warnings.first(m -> m.contains("Failed to deserialize message from ["
            + foreignAddress + "] with serializer id [33] and manifest [" + GET_STATUS + "]"));

        // A worker slot's message sent to the coordinator, and coordinator messages with fields missing.
        coordinator.tell(new Raw(SlotCommand.Retire.class.getName(), CBOR.writeValueAsBytes(Map.of())), ActorRef.noSender());
        coordinator.tell(new Raw(SUBMIT_JOB, CBOR.writeValueAsBytes(Map.of())), ActorRef.noSender());
        coordinator.tell(new Raw(GET_STATUS, CBOR.writeValueAsBytes(Map.of())), ActorRef.noSender());
        coordinator.tell(new Raw(SUBMIT_JOB, CBOR.writeValueAsBytes(Map.of("spec", Map.of("workload", "noop")))),
            ActorRef.noSender());
        // The coordinator's own messages from its runners are LocalOnly: they do not even decode.
        coordinator.tell(new Raw("org.pekkogrid.head.JobCoordinator$JobFinished", CBOR.writeValueAsBytes(Map.of())),
            ActorRef.noSender());
        coordinator.tell(new Raw("org.pekkogrid.head.JobCoordinator$GrantDone", CBOR.writeValueAsBytes(Map.of())),
            ActorRef.noSender());

        // The coordinator answers Identify in its mailbox's order: every message above was handled first.
        Patterns.ask(coordinator, new Identify("after the foreign messages"), Duration.ofSeconds(20))
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        incompleteDropped.get(30, TimeUnit.SECONDS);

        JobResult r = job.result().toCompletableFuture().get(120, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.COMPLETED, r.status(), () -> "error: " + r.error());
        assertEquals(LeibnizPi.expected(terms), r.result().asDouble(), 1e-12);
        ClusterStatus status = grid.status();
        assertTrue(status.jobs().stream().anyMatch(j -> j.job().equals(earlier) && j.state().equals("COMPLETED")),
            "the coordinator still remembers the job before (it was not restarted): " + status.jobs());
        assertHeadStillRunsJobs();
    }

    @Test
    void forgedInternalMessagesAndAnswersAreDroppedAndARunningJobEndsExact() throws Exception {
        // Long enough (seconds on one slot) that batches are still out when the forgeries come.
        long terms = 6_000_000_000L;
        CompletableFuture<JobEvent.Progress> running = new CompletableFuture<>();
        JobHandle job = client.submit(leibniz(terms, 200), p -> {
            if (p.chunksDone() > 0) running.complete(p);
        });
        String jobId = job.accepted().toCompletableFuture().get(60, TimeUnit.SECONDS);
        running.get(60, TimeUnit.SECONDS);
        ActorRef runner = foreign.actorSelection(coordinator.path().child(jobId))
            .resolveOne(Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);

        String jobFinished = "org.pekkogrid.head.JobCoordinator$JobFinished";
        String grant = "org.pekkogrid.head.JobRunner$Grant";
        String nodeLost = "org.pekkogrid.head.JobRunner$NodeLost";
        CompletableFuture<String> finishedRefused = warnings.first(m -> m.contains("Failed to deserialize message from ["
            + foreignAddress + "] with serializer id [33] and manifest [" + jobFinished + "]"));
        CompletableFuture<String> grantRefused = warnings.first(m -> m.contains("Failed to deserialize message from ["
            + foreignAddress + "] with serializer id [33] and manifest [" + grant + "]"));
        CompletableFuture<String> nodeLostRefused = warnings.first(m -> m.contains("Failed to deserialize message from ["
            + foreignAddress + "] with serializer id [33] and manifest [" + nodeLost + "]"));
        CompletableFuture<String> answerDropped = warnings.first(m -> m.contains("job " + jobId + ": dropped results for batch"));

        // Well-formed, as a runner or the coordinator would write them: the job "completed", the
        // worker's node lost, a grant of credit the slot never gave.
        coordinator.tell(new Raw(jobFinished, CBOR.writeValueAsBytes(Map.of("jobId", jobId, "state", "COMPLETED",
            "chunksDone", 200, "chunksTotal", 200, "outcome", "forged"))), ActorRef.noSender());
        String workerNode = grid.status().members().stream().filter(m -> m.roles().contains("worker"))
            .findFirst().orElseThrow().address();
        runner.tell(new Raw(nodeLost, CBOR.writeValueAsBytes(Map.of("node", workerNode))), ActorRef.noSender());
        runner.tell(new Raw(grant, CBOR.writeValueAsBytes(Map.of("batches", 64, "eligibleSlots", 1, "eligibleNodes", 1))),
            ActorRef.noSender());
        // A cancel straight to the runner, whose path anyone who follows the job learns: only the
        // coordinator may tell it that, having checked that the job's own client asks.
        runner.tell(new Raw(RunnerCommand.Cancel.class.getName(), CBOR.writeValueAsBytes(Map.of("reason", "forged"))),
            ActorRef.noSender());
        // Answers for every batch id the job can have, from its one slot's (guessable) name, without the
        // batch's token: results that would fail the job if folded, overdue reports, batches "returned".
        for (long batch = 0; batch < 250; batch++) {
            Map<String, Object> results = new java.util.LinkedHashMap<>();
            results.put("batchId", batch);
            results.put("token", 0L);
            results.put("slotId", "slot-0");
            results.put("waitNanos", 0L);
            results.put("runNanos", new long[0]);
            results.put("results", new byte[] {(byte) 0xff, 1});
            results.put("errors", List.of());
            results.put("itemFailures", List.of());
            results.put("items", new long[0]);
            results.put("demand", 64);
            runner.tell(new Raw(RunnerCommand.ChunkResults.class.getName(), CBOR.writeValueAsBytes(results)),
                ActorRef.noSender());
            runner.tell(new Raw(RunnerCommand.ChunkOverdue.class.getName(), CBOR.writeValueAsBytes(Map.of("batchId", batch,
                "token", 0L, "position", 0, "slotId", "slot-0", "runningMillis", 600_000L))), ActorRef.noSender());
            runner.tell(new Raw(RunnerCommand.BatchesReturned.class.getName(), CBOR.writeValueAsBytes(Map.of(
                "batchIds", new long[] {batch}, "tokens", new long[] {0L}, "slotId", "slot-0"))), ActorRef.noSender());
        }
        Patterns.ask(runner, new Identify("after the forged answers"), Duration.ofSeconds(20))
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        finishedRefused.get(30, TimeUnit.SECONDS);
        grantRefused.get(30, TimeUnit.SECONDS);
        nodeLostRefused.get(30, TimeUnit.SECONDS);
        answerDropped.get(30, TimeUnit.SECONDS);

        JobResult r = job.result().toCompletableFuture().get(120, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.COMPLETED, r.status(), () -> "error: " + r.error());
        assertEquals(LeibnizPi.expected(terms), r.result().asDouble(), 1e-12);
        assertEquals(200, r.report().chunksDone());
        assertEquals(0, r.report().timedOut(), "no forged overdue report counted");
        assertEquals(0, r.report().retries(), "no forged return, overdue report or lost node re-ran a chunk");
        assertHeadStillRunsJobs();
    }

    private void assertHeadStillRunsJobs() throws Exception {
        long terms = 50_000_000;
        JobResult r = run(leibniz(terms, 8));
        assertEquals(JobResult.Status.COMPLETED, r.status(), () -> "error: " + r.error());
        assertEquals(LeibnizPi.expected(terms), r.result().asDouble(), 1e-12);
    }

    private JobResult run(JobSpec spec) throws Exception {
        return client.submit(spec).result().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static JobSpec leibniz(long terms, long chunks) {
        return JobSpec.of("leibniz-pi").param("terms", terms).withChunks(chunks);
    }
}
