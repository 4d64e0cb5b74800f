package org.pekkogrid.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.JobReport.NodeReport;
import org.pekkogrid.protocol.JobReport.Percentiles;
import org.pekkogrid.protocol.RunnerCommand.ChunkError;
import org.pekkogrid.protocol.RunnerCommand.ItemFailure;

/**
 * Every message of the protocol crosses the wire through the serializer the nodes use (Jackson
 * CBOR, bound to {@link GridMessage} in pekko-grid.conf) and comes back equal field by field.
 * The actor system is a cluster-provider one, so actor refs travel with their full address.
 */
class WireFormatTest {

    private static ActorTestKit testKit;
    private static Serialization serialization;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("WireFormatTest", ConfigFactory.parseString("""
                pekko.remote.artery.canonical.port = 0
                pekko.loglevel = WARNING
                """).withFallback(GridConfig.defaults()));
        serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /**
     * An actor on another node, at a fixed address: samples serialize to the same bytes in every run.
     * (One tag per set, too: {@code Set.copyOf} iterates in an order that changes from JVM to JVM.)
     */
    static <T> ActorRef<T> ref(String name) {
        return ActorRefResolver.get(testKit.system()).resolveActorRef("pekko://grid@10.0.0.5:2552/user/" + name + "#17");
    }

    /** One message of every record type that crosses the wire (a GridMessage, not LocalOnly), with every field set. */
    static List<GridMessage> samples() {
        ActorRef<JobEvent> client = ref("client");
        ActorRef<ClusterStatus> statusReader = ref("status-reader");
        ActorRef<SlotCommand> slot = ref("slot");
        ActorRef<CoordinatorCommand> coordinator = ref("coordinator");
        ActorRef<RunnerCommand> runner = ref("runner");
        Requirements requires = Requirements.parse("cpus=1.5,memory=512m,tags=opencv");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("terms", "2000000000");
        params.put("note", "ünïcödé, commas and = signs");
        JobSpec spec = new JobSpec("leibniz-pi", params, 4096, 2, Duration.ofMillis(1500), requires, true);
        JobTicket ticket = new JobTicket("job-1", "leibniz-pi", params, 4096, Duration.ofSeconds(30));
        List<ItemFailure> itemFailures = List.of(new ItemFailure(7, "images/b.jpg", "truncated JPEG"));
        List<JobReport.QueuePoint> queue = List.of(new JobReport.QueuePoint(250.5, 3000, 96, 1000),
            new JobReport.QueuePoint(500.25, 1000, 64, 3032));
        List<JobReport.NodeSample> nodeSamples = List.of(
            new JobReport.NodeSample("127.0.0.1:2552", 250.5, 0.97, 0.99, 123_000_000, 1L << 32, 456_000_000, "4711@worker-1"),
            new JobReport.NodeSample("127.0.0.1:2551 (head)", 251.0, 0.05, -1, 50_000_000, 1L << 30, -1, "4712@head-1"));
        List<JobReport.ChunkRow> rows = List.of(
            new JobReport.ChunkRow(0, 0, "127.0.0.1:2552", "slot-0", 0, 1.5, 2.25, 9.75, "ok"),
            new JobReport.ChunkRow(7, 2, "127.0.0.1:2553", "slot-3", 400.0, 401.5, 402.0, 403.0, "duplicate"));
        JobReport report = new JobReport("job-1", "leibniz-pi", "2026-11-23T20:00:00Z", 4096, 4000, 123_456, 4, 4,
            1234.5, 3241.9, 100_000.25, new Percentiles(1.5, 2.5, 3.5, 9.75, 1.9, 4000), Percentiles.EMPTY, 3, 2, 1,
            5, 6, 1, 1, 0.0005, itemFailures,
            List.of(new NodeReport("127.0.0.1:2552", 2, 2, 2000, 900.5, 1.25, 1200.0, 0.81),
                new NodeReport("127.0.0.1:2553", 2, 2, 2000, 880.0, 1.5, 1180.0, 0.79)),
            0.015625, queue, nodeSamples, rows, 3990, 2400.0, 1.94, 0.97,
            List.of(new JobReport.Resume("127.0.0.1:2552", 1200.5, 3100.0, 40_000, 512)), 2, 5, 3, 1250.0, 1.92,
            1.01);
        JobReport reportWithoutBaseline = new JobReport("job-2", "noop", "2026-11-23T20:00:01Z", 1, 0, 0, 0, 0, 0, 0,
            0, Percentiles.EMPTY, Percentiles.EMPTY, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), 0, List.of(),
            List.of(), List.of(), 0, null, null, null, List.of(), 0, 0, 0, null, null, null);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("pi", 3.141592653589793);
        answer.put("hits", 785_398_163L);
        answer.putArray("primes").add(2).add(3).add(5);
        String sha = "ac079b8987277d62839f6a7d8db28d2f7f6529822c7c1363423c42f00a0ec8d8";
        ShipCodeProof proof = new ShipCodeProof(new byte[] {0x30, (byte) 0x82, 1, 2}, 1_796_000_000_000L,
            new byte[] {9, 8, 7, 6});
        return List.of(
            new CoordinatorCommand.SubmitJob(spec, client),
            new CoordinatorCommand.SubmitJob(JobSpec.of("noop"), client),
            new CoordinatorCommand.SubmitJob(spec, client, "3f2a9c-17", ref("probe-1")),
            new CoordinatorCommand.FollowJob("job-1", client),
            new CoordinatorCommand.ClientAlive(ref("probe-2")),
            new CoordinatorCommand.ClientClosed(ref("probe-3")),
            new ClientRequest.Hello(ref("probe-4")),
            new ClientRequest.Welcome("127.0.0.1:2551", List.of("127.0.0.1:2551", "10.0.0.6:2551"),
                ref("probe-5")),
            new ClientRequest.CounterRequest("visits", new CounterCommand.Get(ref("probe-6"))),
            new CoordinatorCommand.CancelJob("job-1", "user asked"),
            new CoordinatorCommand.CancelJob("job-1", "user asked", ref("session"), ref("cancel-answers")),
            new CoordinatorCommand.CancelAnswer("job-1", false, "only the client that submitted job \"job-1\" may cancel it"),
            new CoordinatorCommand.GetStatus(statusReader),
            new CounterCommand.Increment("req-1", -42, ref("probe-7")),
            new CounterCommand.Get(ref("probe-8")),
            new CounterValue("visits", 1234, true, "127.0.0.1:2552"),
            new CounterReply.Rejected("visits", "by cannot be 0"),
            new CounterReply.Unavailable("visits", "journal not reachable", true),
            new CoordinatorCommand.GetJob("job-1", ref("probe-9")),
            new JobLookup("job-1", java.util.Optional.of(new JobDetail("job-1", "leibniz-pi", "COMPLETED", 4000, 4096,
                "pi ~ 3.14", answer, report, true))),
            new JobLookup("job-9", java.util.Optional.empty()),
            new JobLookup("job-8", java.util.Optional.of(new JobDetail("job-8", "noop", "CANCELLED", 10, 64,
                "cancelled: asked by grid cancel", JsonNodeFactory.instance.nullNode(), null, false, 0, 1_796_000_000_000L, 1_250, "127.0.0.1:40211"))),
            new CoordinatorCommand.SlotReady("slot-3", slot, slot),
            new CoordinatorCommand.SlotDemand(slot, 4, true),
            new CoordinatorCommand.StuckThreads(slot, 2),
            new SlotCommand.Wake(coordinator, -6_917_529_027_641_081_856L),
            new SlotCommand.Retire(),
            new SlotCommand.RunChunks(ticket, 42, -7_046_029_254_386_353_131L, new long[] {0, 64, 1000, 3, 4095, 1}, new int[0], null, runner),
            new SlotCommand.RunChunks(ticket, 43, 5_149_830_219_364_811_008L, new long[] {17, 2}, new int[] {1, 3}, new byte[] {1, 2, (byte) 0xff},
                runner),
            new SlotCommand.DropJob("job-1"),
            new RunnerCommand.ChunkResults(42, -7_046_029_254_386_353_131L, "slot-3", 12_345,
                new long[] {1_000, 2_000, 3_000},
                new byte[] {(byte) 0x83, 1, 2, 3}, List.of(new ChunkError(1001, 2, "java.lang.IllegalStateException: boom")),
                itemFailures, new long[] {10, 20, 30}, 3),
            new RunnerCommand.ChunkResults(44, 1, "slot-0", 0, new long[] {5}, null, List.of(), List.of(), new long[0], 0),
            new RunnerCommand.ChunkOverdue(42, -7_046_029_254_386_353_131L, 1, "slot-3", 61_000),
            new RunnerCommand.BatchesReturned(new long[] {43, 44, 45}, new long[] {3, -4, 5}, "slot-3"),
            new RunnerCommand.NodeSample("127.0.0.1:2552", 0.5, 0.75, 1_000_000, 2_000_000, -1, "4711@worker-1", 2),
            new SamplerCommand.Subscribe("job-1", runner, Duration.ofMillis(250)),
            new SamplerCommand.Unsubscribe("job-1"),
            new JobEvent.ReportPart("job-1", rows, queue, nodeSamples),
            new JobEvent.Timings("job-1", rows),
            new JobEvent.Accepted("job-1", "leibniz-pi", 4096, requires, runner),
            new JobEvent.Accepted("job-6", "noop", 1, Requirements.NONE, null),
            new JobEvent.Queued("job-6", 17),
            new JobEvent.Rejected("job-2", "unknown workload \"lebniz-pi\"; known: leibniz-pi, noop"),
            new JobEvent.Progress("job-1", 2048, 4096, 3, 1, 812, 4),
            new JobEvent.Completed("job-1", answer, "pi ~ 3.141592653590", report),
            new JobEvent.Completed("job-3", JsonNodeFactory.instance.numberNode(3.14159), "pi", report),
            new JobEvent.Failed("job-1", "chunk 7 failed 3 times; last error on 127.0.0.1:2552: boom", report),
            new JobEvent.Failed("job-2", "cancelled: user asked", reportWithoutBaseline),
            new JobEvent.Failed("job-4", "the runner stopped", null),
            new JobEvent.Cancelled("job-2", "cancelled: asked by grid cancel", reportWithoutBaseline),
            new JobEvent.Cancelled("job-8", "cancelled: its client (127.0.0.1:40211) closed", null),
            new JobEvent.NotFound("job-5", "the head knows no job \"job-5\""),
            new ClusterStatus(
                List.of(new ClusterStatus.Member("pekko://grid@127.0.0.1:2552", Set.of("worker"), "Up", true, 2,
                    Set.of("opencv"), 2),
                    new ClusterStatus.Member("pekko://grid@127.0.0.1:2553", Set.of("worker"), "Up", true, 2,
                        Set.of(), 2, 9096, 0, 1, "/var/log/grid/worker-2553.log")),
                List.of(new ClusterStatus.Job("job-1", "leibniz-pi", "RUNNING", 2048, 4096))),
            new ClusterStatus(List.of(), List.of(new ClusterStatus.Job("job-7", "noop", "QUEUED", 0, 1, 1)), 250),
            new ClusterStatus(List.of(), List.of(new ClusterStatus.Job("job-8", "noop", "CANCELLED", 10, 64, 0,
                1_796_000_000_000L, 1_250, "detached (127.0.0.1:40211)")), 0),
            // Workload jars (issue 17): new samples go last, the golden names count per type.
            new CoordinatorCommand.SubmitJob(spec.withJar(sha), client),
            new SlotCommand.RunChunks(new JobTicket("job-3", "mandelbrot", params, 75, Duration.ofSeconds(30), sha,
                ref("jar-store")), 1, 7, new long[] {0, 4}, new int[0], null, runner),
            new JarCommand.Offer(sha, 13_765, ref("probe-9")),
            new JarCommand.OfferAnswer(sha, false, null),
            new JarCommand.Put(sha, 0, 13_765, new byte[] {0x50, 0x4b, 3, 4}, ref("probe-10")),
            new JarCommand.PutAnswer(sha, 0, false, "piece at byte 4 came out of order"),
            new JarCommand.Get(sha, 131_072, ref("probe-11")),
            new JarCommand.Piece(sha, 131_072, 200_000, new byte[] {1, 2, 3}, null),
            // Shipping code on a grid with --tls: the client's proof rides on the offer and the submit.
            new JarCommand.Offer(sha, 13_765, ref("probe-12"), proof),
            new CoordinatorCommand.SubmitJob(spec.withJar(sha), client, "3f2a9c-18", ref("probe-13"), proof));
    }

    @Test
    void everyMessageComesBackEqualFieldByField() {
        for (GridMessage message : samples()) {
            Serializer serializer = serialization.findSerializerFor(message);
            assertInstanceOf(JacksonCborSerializer.class, serializer, message.getClass().getName());
            byte[] bytes = serialization.serialize(message).get();
            Object back = serialization.deserialize(bytes, serializer.identifier(),
                Serializers.manifestFor(serializer, message)).get();
            assertNotSame(message, back);
            assertSameFields(message, back, message.getClass().getSimpleName());
        }
    }

    @Test
    void everyRecordOnTheWireHasASample() throws Exception {
        Set<String> sampled = new TreeSet<>();
        for (GridMessage m : samples()) sampled.add(m.getClass().getName());
        Set<String> onTheWire = new TreeSet<>();
        for (Class<?> c : protocolClasses()) {
            if (c.isRecord() && GridMessage.class.isAssignableFrom(c) && !LocalOnly.class.isAssignableFrom(c)) {
                onTheWire.add(c.getName());
            }
        }
        assertTrue(onTheWire.size() >= 17, "found only " + onTheWire);
        assertEquals(onTheWire, sampled, "add a sample of each new message to samples()");
    }

    @Test
    void everyRecordOnTheWireKeepsItsGoldenBytes() {
        GoldenBytes.check(serialization, "protocol", "wire.hex", GoldenBytes.named(samples()));
    }

    /** Stands in for the actors' own messages, such as JobRunner.Grant (head-node tests those). */
    private record Internal(String jobId) implements RunnerCommand, LocalOnly {}

    @Test
    void aLocalOnlyMessageIsNeitherWrittenNorRead() throws Exception {
        Internal internal = new Internal("job-1");
        assertInstanceOf(LocalOnlySerializer.class, serialization.findSerializerFor(internal),
            "LocalOnly's binding is the more specific than GridMessage's");
        assertTrue(serialization.serialize(internal).isFailure(), "a LocalOnly message must not be written");
        byte[] cbor = new ObjectMapper(new CBORFactory()).writeValueAsBytes(Map.of("jobId", "job-1"));
        int jackson = serialization.serializerFor(CoordinatorCommand.GetStatus.class).identifier();
        assertTrue(serialization.deserialize(cbor, jackson, Internal.class.getName()).isFailure(),
            "bytes that claim to be a LocalOnly message under jackson-cbor's id must not be read");
        assertTrue(serialization.deserialize(cbor, LocalOnlySerializer.ID, Internal.class.getName()).isFailure(),
            "nor under its own serializer's id");
    }

    private record NotAGridMessage(int value) {}

    @Test
    void nothingButGridMessagesIsSerialized() {
        assertTrue(serialization.serialize(new NotAGridMessage(1)).isFailure(),
            "a record that is not a GridMessage must not find a serializer (Java serialization is off)");
    }

    @Test
    void actorRefsKeepTheirAddress() {
        ActorRef<RunnerCommand> runner = testKit.<RunnerCommand>createTestProbe().ref();
        JobEvent.Accepted accepted = new JobEvent.Accepted("job-9", "noop", 1, Requirements.NONE, runner);
        Serializer serializer = serialization.findSerializerFor(accepted);
        JobEvent.Accepted back = (JobEvent.Accepted) serialization.deserialize(serialization.serialize(accepted).get(),
            serializer.identifier(), Serializers.manifestFor(serializer, accepted)).get();
        assertEquals(runner, back.runner());
        assertEquals(runner.path(), back.runner().path());
    }

    /** Compares records component by component, lists element by element, arrays by content. */
    static void assertSameFields(Object expected, Object actual, String where) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where);
            return;
        }
        if (expected.getClass().isArray()) {
            assertTrue(actual.getClass().isArray(), where + " is not an array after the round trip");
            assertTrue(Arrays.deepEquals(new Object[] {expected}, new Object[] {actual}),
                where + ": " + Arrays.deepToString(new Object[] {expected}) + " became "
                    + Arrays.deepToString(new Object[] {actual}));
        } else if (expected instanceof Record) {
            assertEquals(expected.getClass(), actual.getClass(), where);
            for (RecordComponent c : expected.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    assertSameFields(c.getAccessor().invoke(expected), c.getAccessor().invoke(actual),
                        where + "." + c.getName());
                } catch (ReflectiveOperationException e) {
                    fail(where + "." + c.getName() + ": " + e);
                }
            }
        } else if (expected instanceof List<?> list) {
            List<?> other = assertInstanceOf(List.class, actual, where);
            assertEquals(list.size(), other.size(), where + " size");
            for (int i = 0; i < list.size(); i++) assertSameFields(list.get(i), other.get(i), where + "[" + i + "]");
        } else if (expected instanceof Map<?, ?> map) {
            Map<?, ?> other = assertInstanceOf(Map.class, actual, where);
            assertEquals(map.keySet(), other.keySet(), where + " keys");
            for (Object key : map.keySet()) assertSameFields(map.get(key), other.get(key), where + "[" + key + "]");
            if (map instanceof LinkedHashMap || expected.getClass().getName().contains("Unmodifiable")) {
                assertArrayEquals(map.keySet().toArray(), other.keySet().toArray(), where + " key order");
            }
        } else if (expected instanceof java.util.Optional<?> optional) {
            java.util.Optional<?> other = assertInstanceOf(java.util.Optional.class, actual, where);
            assertEquals(optional.isPresent(), other.isPresent(), where + " present");
            if (optional.isPresent()) assertSameFields(optional.get(), other.get(), where + ".get()");
        } else if (expected instanceof JsonNode json) {
            // CBOR keeps numbers, not Jackson's node classes: 785398163 put as a long reads back as an int.
            assertTrue(json.equals(SAME_NUMBER, assertInstanceOf(JsonNode.class, actual, where)),
                where + ": " + json + " became " + actual);
        } else {
            assertEquals(expected, actual, where);
        }
    }

    private static final Comparator<JsonNode> SAME_NUMBER = (a, b) -> {
        if (a.equals(b)) return 0;
        if (a.isIntegralNumber() && b.isIntegralNumber()) return a.bigIntegerValue().compareTo(b.bigIntegerValue());
        if (a.isFloatingPointNumber() && b.isFloatingPointNumber()) return Double.compare(a.doubleValue(), b.doubleValue());
        return 1;
    };

    /** Every class compiled into the protocol package (nested ones included). */
    private static List<Class<?>> protocolClasses() throws Exception {
        Path root = Path.of(GridMessage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve("org/pekkogrid/protocol");
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                String file = it.next().getFileName().toString();
                if (!file.endsWith(".class")) continue;
                classes.add(Class.forName("org.pekkogrid.protocol." + file.substring(0, file.length() - 6)));
            }
        } catch (IOException e) {
            fail("cannot list " + dir + ": " + e);
        }
        return classes;
    }
}
