package org.pekkogrid.worker;


import com.typesafe.config.ConfigFactory;
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
import org.pekkogrid.protocol.LocalOnly;
import org.pekkogrid.protocol.LocalOnlyCheck;

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
        LocalOnlyCheck.actorsKeepTheirMessages(serialization,
            List.of(WorkerSlot.class, NodeSampler.class, Counter.class, WorkerNode.class), PERSISTED, 8);
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
