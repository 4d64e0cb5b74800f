package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.GoldenBytes;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.GridMessage;
import org.pekkogrid.protocol.LocalOnly;
import org.pekkogrid.protocol.LocalOnlySerializer;

/**
 * A worker's actors keep their own messages (a finished batch, a timer) to themselves: each is
 * {@link LocalOnly}. The counter's events and snapshots are persisted: their bytes are checked in,
 * so that a counter journal written today is read by tomorrow's worker.
 */
class InternalMessagesTest {

    private static ActorTestKit testKit;
    private static Serialization serialization;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("InternalMessagesTest", ConfigFactory.parseString("""
                pekko.actor.provider = local
                pekko.loglevel = WARNING
                """).withFallback(GridConfig.defaults()));
        serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static final Set<Class<?>> PERSISTED = Set.of(Counter.Incremented.class, Counter.Snapshot.class);

    @Test
    void everyMessageTheWorkersActorsKeepToThemselvesIsLocalOnly() throws Exception {
        List<String> onTheWire = new ArrayList<>();
        int local = 0;
        for (Class<?> actor : List.of(WorkerSlot.class, NodeSampler.class, Counter.class, WorkerNode.class)) {
            for (Class<?> c : actor.getDeclaredClasses()) {
                if (!c.isRecord() || !GridMessage.class.isAssignableFrom(c) || PERSISTED.contains(c)) continue;
                if (LocalOnly.class.isAssignableFrom(c)) {
                    assertInstanceOf(LocalOnlySerializer.class, serialization.serializerFor(c), c.getName());
                    local++;
                } else {
                    onTheWire.add(c.getName());
                }
            }
        }
        assertEquals(List.of(), onTheWire, "a worker actor's own message is a GridMessage but not LocalOnly: a peer"
            + " could forge it. Mark it LocalOnly, or move it to the protocol (with a golden sample)");
        assertTrue(local >= 8, "found only " + local + " LocalOnly messages");
    }

    @Test
    void theCountersEventsAndSnapshotsKeepTheirGoldenBytes() {
        GoldenBytes.check(serialization, "worker-node", "journal.hex", GoldenBytes.named(List.of(
            new Counter.Incremented("req-1", 1),
            new Counter.Incremented("5f0c-ünï", -42),
            new Counter.Snapshot(1234, List.of("req-1", "req-2")),
            new Counter.Snapshot(0, List.of()))));
    }
}
